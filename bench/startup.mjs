// Start-up time: what a user waits for before any command does its work. The target is that
// `list-domains` on an empty root costs at most 80 ms more than starting bare Node.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median, timeCommands } from './report.mjs';

export const name = 'startup';
export const description = 'median wall time of 20 runs, compared with bare `node -e 0`';

const RUNS = 20;
const TARGET_MS = 80;

export async function run({ cliPath }) {
  const temp = mkdtempSync(path.join(os.tmpdir(), 'artifact-cli-bench-'));
  try {
    const root = path.join(temp, 'root');
    const home = path.join(temp, 'home');
    // A temp HOME and cwd so no user config file is found, as on a clean machine.
    const options = { runs: RUNS, cwd: temp, env: { PATH: process.env.PATH, HOME: home, ARTIFACT_CLI_ROOT: root } };
    const cases = [
      { label: 'node -e 0', command: process.execPath, args: ['-e', '0'] },
      { label: 'artifact-cli --version', command: process.execPath, args: [cliPath, '--version'] },
      { label: 'artifact-cli list-domains', command: process.execPath, args: [cliPath, 'list-domains'] },
    ];
    const rows = timeCommands(cases, options).map((times, index) => ({
      command: cases[index].label,
      median_ms: median(times),
      min_ms: Math.min(...times),
      max_ms: Math.max(...times),
    }));
    const bare = rows[0].median_ms;
    for (const row of rows) row.vs_node_ms = row.median_ms - bare;
    const listDomains = rows[2].vs_node_ms;
    return {
      rows,
      checks: [
        {
          name: 'list-domains start-up',
          pass: listDomains <= TARGET_MS,
          detail: `${listDomains.toFixed(1)} ms over bare node (target: within ${TARGET_MS} ms)`,
          target_ms: TARGET_MS,
          value_ms: listDomains,
        },
      ],
    };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
