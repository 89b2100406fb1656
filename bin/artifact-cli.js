#!/usr/bin/env node
// Kept tiny so start-up only pays for what the chosen command loads. dist/bundle/ is dist/cli/
// bundled by scripts/bundle-cli.mjs (fewer files for Node to resolve and load at start-up).
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/bundle/main.js', import.meta.url);
// `npm install` in a checkout does not build (the package builds on prepack), so a checkout's
// first command builds dist/ itself; its output goes to stderr, keeping stdout for the command.
if (!existsSync(bundle)) {
  const { buildCheckout } = await import('./build-checkout.js');
  buildCheckout();
}
const { run } = await import(bundle.href);

run(process.argv);
