/**
 * Whether a tool the test needs runs here. Missing, it is a loud skip on a developer's machine
 * and a failure when CI=true, where .ci/run installs every tool the suite uses.
 */
import { spawnSync } from 'node:child_process';

export function toolRuns(command: string, args: string[], what: string): boolean {
  if (spawnSync(command, args, { stdio: 'ignore', timeout: 60_000, env: process.env }).status === 0) return true;
  const message = `${command} ${args.join(' ')} does not run here, so ${what} is not checked (.ci/run installs it).`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`SKIPPED: ${message}`);
  return false;
}
