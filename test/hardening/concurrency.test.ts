/**
 * Concurrency: for each format, 50 client processes publish distinct versions of one package and
 * 50 more publish a package each, all released at the same moment against one server, while
 * readers in this process keep reading the shared package the way clients do. Afterwards every
 * acknowledged version is visible, every read was right, and `verify` finds the store intact.
 * Generic packages are also published by CLI processes at the same time as over HTTP, so the
 * server and the CLI contend for the same index locks.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyStore } from '../../src/operations/verify.js';
import { CLI_PATH } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { clientFetch, resetsRetried } from './support/client-fetch.js';
import { launchFleet, type ClientResult } from './support/client-fleet.js';
import { mavenScenario, npmScenario, nugetScenario, pypiScenario, type FormatScenario } from './support/concurrency-scenarios.js';
import { recordFigures } from './support/figures.js';
import { DOMAIN, prepareRoot, startHardeningServer } from './support/hardening-server.js';
import { percentile, range, readWhile, round } from './support/load.js';
import { npmInstall, npmIsUsable } from './support/npm-install.js';
import { genericUpload, sendPlanned } from './support/publish-requests.js';

const PUBLISHERS = 50;
const READERS = 4;
// A reset is the keep-alive race a client retries; a server that resets connections makes many.
const MAX_RESETS = 5;
const QUIET_BEFORE_STORM_MS = 11_000;

function summarize(results: ClientResult[][]): { answers: ClientResult[]; refused: string[] } {
  const answers = results.flat();
  const refused = answers.filter((answer) => answer.status < 200 || answer.status >= 300).map((answer) => `${answer.status} ${answer.body.slice(0, 200)}`);
  return { answers, refused };
}

describe('concurrent publishes while clients read', () => {
  for (const scenario of [npmScenario, pypiScenario, mavenScenario, nugetScenario]) {
    it(`${scenario.format}: ${PUBLISHERS} processes publish versions of one package and ${PUBLISHERS} publish their own, while readers read`, async () => {
      await runScenario(scenario);
    });
  }

  it(`generic: CLI processes and HTTP clients publish versions of one package at once, while readers download`, async () => {
    const prepared = await prepareRoot();
    const server = await startHardeningServer(prepared);
    const base = server.endpoint('generic');
    const { token } = prepared;
    const content = (version: string) => Buffer.from(`acme/shared@${version}`);
    for (const version of ['0.0.0', '0.0.1'])
      expect((await sendPlanned(base, genericUpload(token, 'acme', 'shared', version, content(version)))).status).toBe(200);

    // HTTP clients publish four versions each; CLI processes one each, into the same index.
    const httpVersions = (client: number) => range(4).map((step) => `1.${client}.${step}`);
    const fleet = await launchFleet([
      ...range(PUBLISHERS / 2).map((client) => ({
        base,
        requests: httpVersions(client).map((version) => genericUpload(token, 'acme', 'shared', version, content(version))),
      })),
      ...range(PUBLISHERS).map((index) => ({ base, requests: [genericUpload(token, 'acme', `pkg-${index}`, '1.0.0')] })),
    ]);
    const cliVersions = range(PUBLISHERS / 2).map((index) => `2.0.${index}`);
    // The server sits idle past a lock heartbeat's 10 s first, as between real publishes: its
    // lock holder file is old when the storm begins (a server that linked locks to it before
    // refreshing it let CLI processes take them over).
    await new Promise((resolve) => setTimeout(resolve, QUIET_BEFORE_STORM_MS));
    const started = performance.now();
    const tally = await readWhile(
      Promise.all([fleet.go(), Promise.all(cliVersions.map((version) => publishWithCli(prepared.root, version, content(version))))]),
      READERS,
      async () => {
        const version = Math.random() < 0.5 ? '0.0.0' : '0.0.1';
        const response = await clientFetch(`${base}acme/shared/${version}/shared.bin`, { headers: { authorization: `Bearer ${token}` } });
        const body = Buffer.from(await response.arrayBuffer());
        return response.status === 200 && body.equals(content(version))
          ? undefined
          : `download of ${version} answered ${response.status}: ${body.toString('utf8').slice(0, 300)}`;
      },
    );
    const elapsed = performance.now() - started;
    const [results, cliCodes] = tally.result;
    const { answers, refused } = summarize(results);
    const cliFailures = cliCodes.filter((outcome) => outcome !== 'ok');

    const record = await prepared.store.index.getPackage({ domain: DOMAIN, repository: 'main', format: 'generic', namespace: 'acme', name: 'shared' });
    const expected = ['0.0.0', '0.0.1', ...range(PUBLISHERS / 2).flatMap(httpVersions), ...cliVersions];
    const missing = expected.filter((version) => record?.versions[version]?.status !== 'Published');
    for (const index of range(PUBLISHERS)) {
      const other = await prepared.store.index.getPackage({ domain: DOMAIN, repository: 'main', format: 'generic', namespace: 'acme', name: `pkg-${index}` });
      if (!other?.versions['1.0.0']) missing.push(`pkg-${index}@1.0.0`);
    }
    const report = await verifyStore(prepared.store);
    recordFigures('concurrency generic', {
      'client processes (HTTP + CLI)': PUBLISHERS * 1.5 + cliVersions.length,
      'publishes acknowledged': answers.length - refused.length + cliVersions.length - cliFailures.length,
      'publishes refused': refused.length + cliFailures.length,
      'reads during the storm': tally.reads,
      'failed reads': tally.failures.length,
      'reads retried after a keep-alive reset (all formats)': resetsRetried(),
      'versions missing afterwards': missing.length,
      'verify problems': report.problems.length,
      'storm duration (s)': round(elapsed / 1000),
    });
    expect(refused).toEqual([]);
    expect(cliFailures).toEqual([]);
    expect(tally.failures).toEqual([]);
    expect(resetsRetried()).toBeLessThanOrEqual(MAX_RESETS);
    expect(missing).toEqual([]);
    expect(report.problems).toEqual([]);
  });
});

async function runScenario(scenario: FormatScenario): Promise<void> {
  const prepared = await prepareRoot();
  const server = await startHardeningServer(prepared);
  const base = server.endpoint(scenario.format);
  const { token } = prepared;
  // Version 0 of the shared package exists before the storm, so readers always have something to read.
  for (const request of scenario.shared(token, 0)) expect((await sendPlanned(base, request)).status).toBeLessThan(300);

  const fleet = await launchFleet([
    ...range(PUBLISHERS).map((index) => ({ base, requests: scenario.shared(token, index + 1) })),
    ...range(PUBLISHERS).map((index) => ({ base, requests: scenario.distinct(token, index) })),
  ]);
  const started = performance.now();
  const storm = fleet.go();
  // npm also installs for real while the storm lasts (the packument changes under it).
  const installs = scenario.format === 'npm' && npmIsUsable('installs during concurrent publishes') ? installWhile(storm, base, token) : Promise.resolve([]);
  const tally = await readWhile(storm, READERS, () => scenario.read(base, token));
  const installFailures = await installs;
  const elapsed = performance.now() - started;
  const { answers, refused } = summarize(tally.result);
  const missing = await scenario.missing(base, token, PUBLISHERS);
  const report = await verifyStore(prepared.store);
  recordFigures(`concurrency ${scenario.format}`, {
    'client processes': PUBLISHERS * 2,
    'requests sent': answers.length,
    'requests refused': refused.length,
    'reads during the storm': tally.reads,
    'failed reads': tally.failures.length,
    ...(scenario.format === 'npm' ? { 'npm installs during the storm (failed)': `${installCount} (${installFailures.length})` } : {}),
    'versions missing afterwards': missing.length,
    'verify problems': report.problems.length,
    'publish request p99 (ms)': round(
      percentile(
        answers.map((answer) => answer.ms),
        99,
      ),
    ),
    'storm duration (s)': round(elapsed / 1000),
  });
  expect(refused).toEqual([]);
  expect(tally.failures.slice(0, 10)).toEqual([]);
  expect(installFailures).toEqual([]);
  expect(resetsRetried()).toBeLessThanOrEqual(MAX_RESETS);
  expect(missing).toEqual([]);
  expect(report.problems).toEqual([]);
}

let installCount = 0;

/** Real `npm install`s of the shared package, one after another, until the storm is over (at least one). */
async function installWhile(storm: Promise<unknown>, registry: string, token: string): Promise<string[]> {
  let over = false;
  void storm.then(
    () => (over = true),
    () => (over = true),
  );
  const failures: string[] = [];
  do {
    installCount += 1;
    const failure = await npmInstall(registry, token, 'conc-shared');
    if (failure) failures.push(failure);
  } while (!over);
  return failures;
}

/** `artifact-cli publish-package-version` of generic acme/shared, as a separate process. */
function publishWithCli(root: string, version: string, content: Buffer): Promise<string> {
  const file = path.join(makeTempDir('artifact-cli-cli-publish-'), 'shared.bin');
  writeFileSync(file, content);
  const args = ['publish-package-version', '--domain', DOMAIN, '--repository', 'main', '--format', 'generic', '--namespace', 'acme', '--package', 'shared'];
  args.push(
    '--package-version',
    version,
    '--asset-name',
    'shared.bin',
    '--asset-content',
    file,
    '--asset-sha256',
    createHash('sha256').update(content).digest('hex'),
  );
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args, '--output', 'json'], {
      env: { PATH: process.env.PATH, ARTIFACT_CLI_ROOT: root, HOME: path.dirname(file) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.resume();
    child.on('close', (code) => resolve(code === 0 ? 'ok' : `${version}: exit ${code} ${stderr.trim()}`));
  });
}
