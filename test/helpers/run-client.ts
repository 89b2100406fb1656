/** Runs a client command asynchronously: stand-in registries may answer from the calling process. */
import { spawn } from 'node:child_process';

export interface ClientResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runClient(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
