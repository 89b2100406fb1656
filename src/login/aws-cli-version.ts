/**
 * Which AWS CLI `login --tool aws` writes for: a profile's `endpoint_url` is read only by
 * botocore 1.31 and later (AWS CLI 1.29, 2.13). An older one, such as Debian 12's awscli 2.9,
 * ignores it and sends the request to AWS itself, so the line login prints must carry
 * `--endpoint-url`. Asked of the `aws` the user's PATH finds.
 */
import { execFile } from 'node:child_process';

// `aws --version` starts Python; a slow one must not hang login for long.
const VERSION_TIMEOUT_MS = 15_000;

/** The first version of each major line that reads endpoint_url from a profile. */
const FIRST_READING: Record<number, [number, number]> = { 1: [1, 29], 2: [2, 13] };

/** The version of the `aws` here ("2.9.19"), undefined when none runs. */
export function awsCliVersion(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('aws', ['--version'], { env, timeout: VERSION_TIMEOUT_MS, windowsHide: true }, (error, stdout, stderr) => {
      // Old 1.x releases print their version on stderr.
      resolve(error ? undefined : /aws-cli\/(\d+\.\d+(?:\.\d+)?)/.exec(`${stdout}${stderr}`)?.[1]);
    });
  });
}

/** Whether that AWS CLI takes the endpoint from the profile; an unknown one is assumed current. */
export function readsProfileEndpoint(version: string | undefined): boolean {
  if (version === undefined) return true;
  const [major, minor] = version.split('.').map(Number);
  const first = FIRST_READING[major];
  if (!first) return true;
  return minor >= first[1];
}
