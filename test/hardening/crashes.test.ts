/**
 * Crashes: runs that SIGKILL the server during a burst of publishes and status changes of every
 * format (one upload streamed slowly, so kills land mid-body too), or a CLI process during a
 * publish, a copy, a status change or gc, at a random moment. After each run `verify` is clean,
 * every change a client was told had succeeded is in the store, and gc over the leftovers keeps
 * it so. Some runs also restart the server on the crashed root and publish again (stale locks
 * must clear). HARDENING_SEED replays a run; HARDENING_CRASH_RUNS changes the count.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../src/operations/gc.js';
import { deletePackageVersions } from '../../src/operations/version-status.js';
import { verifyStore } from '../../src/operations/verify.js';
import type { Store } from '../../src/store/store.js';
import { CLI_PATH } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { serverBurst, seedGeneric, seededKey, streamGenericUpload, versionCheck, type AcknowledgedEffect } from './support/crash-workloads.js';
import { recordFigures } from './support/figures.js';
import { DOMAIN, prepareRoot, startHardeningServer } from './support/hardening-server.js';
import { range, round } from './support/load.js';
import { npmPublish, nugetPush, sendPlanned } from './support/publish-requests.js';

const RUNS = Number(process.env.HARDENING_CRASH_RUNS ?? 100);
const SEED = Number(process.env.HARDENING_SEED ?? Date.now() % 1_000_000);
const SERVER_RUNS = Math.round(RUNS * 0.4);
const CLI_KINDS = ['publish', 'copy', 'status', 'gc'] as const;
type CliKind = (typeof CLI_KINDS)[number];
const RECOVERY_RUNS = 4;

/** mulberry32: a small seeded generator, so a failing run can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(SEED);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface RunOutcome {
  killedMidWork: boolean;
  acknowledged: number;
  problems: string[];
}

/** verify, the acknowledged effects, then gc over the leftovers, then both again. */
async function checkAfterCrash(store: Store, acknowledged: AcknowledgedEffect['check'][], label: string): Promise<string[]> {
  const problems: string[] = [];
  const inspect = async (when: string) => {
    const report = await verifyStore(store);
    problems.push(...report.problems.map((problem) => `${label} ${when}: verify: ${problem.path} ${problem.problem}`));
    for (const check of acknowledged) {
      const problem = await check(store);
      if (problem) problems.push(`${label} ${when}: acknowledged but ${problem}`);
    }
  };
  await inspect('after the kill');
  await collectGarbage(store, { graceSeconds: 0 });
  await inspect('after gc');
  return problems;
}

async function serverRun(run: number, killAfterMs: number, recover: boolean): Promise<RunOutcome> {
  const prepared = await prepareRoot();
  const server = await startHardeningServer(prepared);
  const { token } = prepared;
  expect((await sendPlanned(server.endpoint('nuget'), nugetPush(token, 'Crash.Pkg', '0.0.1'))).status).toBe(201);

  const steps = serverBurst(token, run);
  const formats = [...new Set(steps.map((step) => step.format))];
  const acknowledged: AcknowledgedEffect['check'][] = [];
  let finished = 0;
  // Each format's requests in order (Maven's deploy is a sequence), the formats side by side.
  const chains = formats.map(async (format) => {
    for (const step of steps.filter((candidate) => candidate.format === format)) {
      const status = await sendPlanned(server.endpoint(format), step.request).then(
        (answer) => answer.status,
        () => 0,
      );
      if (status >= 200 && status < 300) acknowledged.push(step.check);
      else break;
    }
    finished += 1;
  });
  const streamed = streamGenericUpload(server.endpoint('generic'), token, `${run}.9`, 2 * 1024 * 1024, 400);
  await sleep(killAfterMs);
  const killedMidWork = finished < formats.length;
  await server.kill();
  await Promise.all(chains);
  const streamedStatus = await streamed.sent;
  if (streamedStatus >= 200 && streamedStatus < 300) acknowledged.push(streamed.check);

  const problems = await checkAfterCrash(prepared.store, acknowledged, `server run ${run} (kill after ${killAfterMs} ms)`);
  if (recover) {
    // A restart on the crashed root must serve and take publishes again, whatever locks the kill left.
    const again = await startHardeningServer(prepared);
    const started = performance.now();
    const publish = await sendPlanned(again.endpoint('npm'), npmPublish(token, 'crash-npm', `${run}.99.0`));
    if (publish.status !== 201)
      problems.push(`server run ${run}: a publish after the restart answered ${publish.status} ${publish.body.toString('utf8').slice(0, 200)}`);
    if (performance.now() - started > 30_000) problems.push(`server run ${run}: the publish after the restart took ${round(performance.now() - started)} ms`);
    await again.stop();
  }
  return { killedMidWork, acknowledged: acknowledged.length, problems };
}

interface CliWorkload {
  args: string[];
  /** Checked only when the command exited 0 before the kill. */
  acknowledged: AcknowledgedEffect['check'][];
}

async function prepareCliWorkload(kind: CliKind, store: Store): Promise<CliWorkload> {
  const versions = await seedGeneric(store, 30);
  const versionArgs = versions.flatMap((version) => ['--versions', version]);
  const packageArgs = ['--format', 'generic', '--namespace', 'ns', '--package', 'seeded'];
  switch (kind) {
    case 'publish': {
      const content = randomBytes(6 * 1024 * 1024);
      const file = path.join(makeTempDir('artifact-cli-crash-asset-'), 'big.bin');
      writeFileSync(file, content);
      const sha256 = createHash('sha256').update(content).digest('hex');
      return {
        args: [
          'publish-package-version',
          '--domain',
          DOMAIN,
          '--repository',
          'main',
          '--format',
          'generic',
          '--namespace',
          'ns',
          '--package',
          'big',
          '--package-version',
          '1.0.0',
          '--asset-name',
          'big.bin',
          '--asset-content',
          file,
          '--asset-sha256',
          sha256,
        ],
        acknowledged: [versionCheck({ ...seededKey(), name: 'big' }, '1.0.0', 'Published', 'big.bin')],
      };
    }
    case 'copy':
      return {
        args: [
          'copy-package-versions',
          '--domain',
          DOMAIN,
          '--source-repository',
          'main',
          '--destination-repository',
          'target',
          ...packageArgs,
          ...versionArgs,
        ],
        acknowledged: versions.map((version) => versionCheck(seededKey('target'), version)),
      };
    case 'status':
      return {
        args: ['update-package-versions-status', '--domain', DOMAIN, '--repository', 'main', ...packageArgs, ...versionArgs, '--target-status', 'Archived'],
        acknowledged: versions.map((version) => versionCheck(seededKey(), version, 'Archived')),
      };
    case 'gc': {
      // A third of the versions deleted and every blob aged: gc has real work to do.
      await deletePackageVersions(store, seededKey(), { versions: versions.filter((_, index) => index % 3 === 0) });
      const old = new Date(Date.now() - 2 * 3600_000);
      for await (const sha256 of store.blobs.list()) await fs.utimes(store.blobs.pathOf(sha256), old, old);
      return {
        args: ['gc', '--grace-seconds', '0'],
        acknowledged: versions.filter((_, index) => index % 3 !== 0).map((version) => versionCheck(seededKey(), version)),
      };
    }
  }
}

function runCliUntil(root: string, args: string[], killAfterMs: number | undefined): Promise<{ code: number | null; ms: number; stderr: string }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI_PATH, ...args, '--output', 'json'], {
      env: { PATH: process.env.PATH, ARTIFACT_CLI_ROOT: root, HOME: root },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, ms: performance.now() - started, stderr });
    });
  });
}

async function cliRun(kind: CliKind, run: number, killAfterMs: number | undefined): Promise<RunOutcome & { ms: number }> {
  const prepared = await prepareRoot([{ name: 'main' }, { name: 'target' }]);
  const workload = await prepareCliWorkload(kind, prepared.store);
  const result = await runCliUntil(prepared.root, workload.args, killAfterMs);
  const completed = result.code === 0;
  if (result.code !== null && result.code !== 0)
    return { killedMidWork: false, acknowledged: 0, ms: result.ms, problems: [`${kind} run ${run} failed by itself: ${result.stderr.trim()}`] };
  const acknowledged = completed ? workload.acknowledged : [];
  const problems = await checkAfterCrash(prepared.store, acknowledged, `${kind} run ${run} (kill after ${killAfterMs} ms)`);
  return { killedMidWork: !completed, acknowledged: acknowledged.length, ms: result.ms, problems };
}

describe(`SIGKILL at a random moment (seed ${SEED})`, () => {
  it(`kills the server during publishes and status changes of every format, ${SERVER_RUNS} times`, async () => {
    const outcomes: RunOutcome[] = [];
    for (const run of range(SERVER_RUNS)) {
      const killAfterMs = Math.round(50 + random() * 250);
      outcomes.push(await serverRun(run + 1, killAfterMs, run % Math.ceil(SERVER_RUNS / RECOVERY_RUNS) === 0));
    }
    report('crashes: server', outcomes);
  });

  for (const kind of CLI_KINDS) {
    const runs = Math.round((RUNS - SERVER_RUNS) / CLI_KINDS.length);
    it(`kills a CLI ${kind} process, ${runs} times`, async () => {
      // One uncut run measures how long the command takes here, so kills spread over all of it.
      const baseline = await cliRun(kind, 0, undefined);
      expect(baseline.problems).toEqual([]);
      const outcomes: RunOutcome[] = [];
      for (const run of range(runs)) outcomes.push(await cliRun(kind, run + 1, Math.round((0.4 + random() * 0.7) * baseline.ms)));
      report(`crashes: CLI ${kind}`, outcomes, { 'uncut run (ms)': round(baseline.ms) });
    });
  }
});

function report(section: string, outcomes: RunOutcome[], extra: Record<string, number> = {}): void {
  const problems = outcomes.flatMap((outcome) => outcome.problems);
  recordFigures(section, {
    runs: outcomes.length,
    'seed (HARDENING_SEED replays the runs)': SEED,
    'killed mid-work': outcomes.filter((outcome) => outcome.killedMidWork).length,
    'acknowledged changes checked': outcomes.reduce((sum, outcome) => sum + outcome.acknowledged, 0),
    'problems (verify, lost changes)': problems.length,
    ...extra,
  });
  expect(problems).toEqual([]);
}
