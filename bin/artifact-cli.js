#!/usr/bin/env node
// Kept tiny so start-up only pays for what the chosen command loads.
import { run } from '../dist/cli/main.js';

run(process.argv);
