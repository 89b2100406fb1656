/**
 * Many client processes (request-runner.mjs) that start sending at the same moment: each is
 * spawned with its own requests, says "ready", and all get "go" together once every one is up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../../helpers/temp-dir.js';
import type { PlannedRequest } from './publish-requests.js';

const RUNNER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'request-runner.mjs');

export interface ClientJob {
  /** The endpoint the request paths are relative to. */
  base: string;
  requests: PlannedRequest[];
}

export interface ClientResult {
  index: number;
  status: number;
  ms: number;
  body: string;
}

export interface Fleet {
  /** Sends "go" to every client; resolves to each client's answers, in job order. */
  go(): Promise<ClientResult[][]>;
}

/** Spawns one process per job and resolves once all of them are ready to send. */
export async function launchFleet(jobs: ClientJob[]): Promise<Fleet> {
  const dir = makeTempDir('artifact-cli-fleet-');
  const clients = jobs.map((job, number) => {
    const file = path.join(dir, `job-${number}.json`);
    writeFileSync(file, JSON.stringify({ base: job.base, requests: job.requests.map((request) => ({ ...request, body: request.body?.toString('base64') })) }));
    return startClient(file);
  });
  await Promise.all(clients.map((client) => client.ready));
  return {
    async go() {
      for (const client of clients) client.child.stdin?.write('go\n');
      return Promise.all(clients.map((client) => client.done));
    },
  };
}

function startClient(jobFile: string): { child: ChildProcess; ready: Promise<void>; done: Promise<ClientResult[]> } {
  const child = spawn(process.execPath, [RUNNER, jobFile], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  let errors = '';
  let signalReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    signalReady = resolve;
    child.once('exit', (code) => reject(new Error(`request runner exited with ${code} before it was ready: ${errors}`)));
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    if (output.startsWith('ready\n')) signalReady();
  });
  const done = new Promise<ClientResult[]>((resolve, reject) => {
    // 'close', not 'exit': only then has all of the child's output been read.
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`request runner exited with ${code}: ${errors}`));
      resolve(
        output
          .split('\n')
          .slice(1)
          .filter(Boolean)
          .map((line) => JSON.parse(line) as ClientResult),
      );
    });
  });
  // The ready promise rejects on every exit; only a premature one matters.
  ready.catch(() => undefined);
  return { child, ready, done };
}
