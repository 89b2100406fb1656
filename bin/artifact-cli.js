#!/usr/bin/env node
// Kept tiny so start-up only pays for what the chosen command loads. dist/bundle/ is dist/cli/
// bundled by scripts/bundle-cli.mjs (fewer files for Node to resolve and load at start-up).
import { run } from '../dist/bundle/main.js';

run(process.argv);
