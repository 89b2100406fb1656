// Builds dist/ in a checkout whose `npm install` did not (see bin/artifact-cli.js); an installed
// package always ships dist/, so its absence there means a broken install.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CHECKOUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function buildCheckout() {
  const ensureBuilt = path.join(CHECKOUT, 'scripts', 'ensure-built.mjs');
  if (!existsSync(ensureBuilt) || !existsSync(path.join(CHECKOUT, 'src'))) {
    process.stderr.write('error Internal: this installation of artifact-cli has no dist/bundle/main.js.\nhint: Install it again.\n');
    process.exit(1);
  }
  const built = spawnSync(process.execPath, [ensureBuilt], { stdio: ['ignore', 2, 2] });
  if (built.status !== 0) {
    process.stderr.write('error Internal: building artifact-cli in this checkout failed (its output is above).\nhint: Run `npm run build` to see why.\n');
    process.exit(1);
  }
}
