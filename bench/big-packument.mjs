// Workload 3: the packument of a package with 3,000 versions, hosted in each registry (written
// into artifact-cli's store through its store API and into Verdaccio's storage before start):
// the first render after start (read, parse, render), a cached render, and requests/s.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DOMAIN, REPOSITORY, prepareArtifactCli, startArtifactCli } from './artifact-cli.mjs';
import { manyVersionsRecord } from './fixtures.mjs';
import { measureLoad, timeGet } from './load.mjs';
import { stopServer } from './processes.mjs';
import { median } from './report.mjs';
import { startVerdaccio, verdaccioInstalled, verdaccioStorage } from './verdaccio.mjs';

export const name = 'big-packument';
export const description = 'packument of a 3,000-version package: first and cached render (ms), requests/s (5 s, 32 connections)';

const PACKAGE = 'bench-huge';
const VERSIONS = 3000;
const ABBREVIATED = 'application/vnd.npm.install-v1+json';

/** Writes the record through artifact-cli's own store API, as a publish would leave it. */
export async function seedArtifactCli(projectDir, root, record) {
  const { openStore } = await import(pathToFileURL(path.join(projectDir, 'dist', 'store', 'store.js')).href);
  const store = openStore(root);
  await store.index.updatePackage({ domain: DOMAIN, repository: REPOSITORY, format: 'npm', name: record.name }, () => record);
}

/** The same versions as a Verdaccio storage document. */
function seedVerdaccio(dir, record) {
  const versions = {};
  const time = {};
  for (const [version, entry] of Object.entries(record.versions)) {
    const asset = entry.assets[0];
    versions[version] = {
      ...entry.formatMetadata,
      _id: `${record.name}@${version}`,
      dist: {
        tarball: `http://127.0.0.1/${record.name}/-/${asset.name}`,
        shasum: asset.hashes['SHA-1'],
        integrity: `sha512-${Buffer.from(asset.hashes['SHA-512'], 'hex').toString('base64')}`,
      },
    };
    time[version] = entry.publishedTime;
  }
  const document = {
    name: record.name,
    versions,
    'dist-tags': record.formatMetadata['dist-tags'],
    time: { created: time['1.0.0'], modified: Object.values(time).at(-1), ...time },
    _uplinks: {},
    _distfiles: {},
    _attachments: {},
    _rev: '1-0000000000000000',
    readme: '',
  };
  const packageDir = path.join(verdaccioStorage(dir), record.name);
  mkdirSync(packageDir, { recursive: true });
  writeFileSync(path.join(packageDir, 'package.json'), JSON.stringify(document));
}

export async function run(context) {
  const workDir = path.join(context.workDir, 'big-packument');
  const record = manyVersionsRecord(PACKAGE, VERSIONS);
  const setup = prepareArtifactCli({ cliPath: context.cliPath, dir: path.join(workDir, 'artifact-cli') });
  await seedArtifactCli(context.projectDir, setup.root, record);
  const servers = [await startArtifactCli(setup)];
  const rows = [];
  try {
    if (verdaccioInstalled(context.benchDir)) {
      const dir = path.join(workDir, 'verdaccio');
      seedVerdaccio(dir, record);
      servers.push(await startVerdaccio({ benchDir: context.benchDir, dir }));
    }
    for (const server of servers) {
      for (const [form, accept] of [
        ['full', 'application/json'],
        ['abbreviated', ABBREVIATED],
      ]) {
        const headers = { authorization: `Bearer ${server.token}`, accept };
        const url = `${server.registry}${PACKAGE}`;
        const first = await timeGet(url, headers);
        const cached = [];
        for (let i = 0; i < 10; i++) cached.push((await timeGet(url, headers)).ms);
        const count = Object.keys(JSON.parse(first.body).versions).length;
        if (count !== VERSIONS) throw new Error(`${server.name} served ${count} versions of ${PACKAGE}, not ${VERSIONS}`);
        const load = await measureLoad(context, { url, headers, seconds: 5 });
        rows.push({
          server: `${server.name} ${form}`,
          first_ms: first.ms,
          cached_ms: median(cached),
          rps: load.rps,
          p99_ms: load.p99_ms,
          kb: first.bytes / 1024,
        });
      }
    }
  } finally {
    for (const server of servers) await stopServer(context, server);
  }
  const ours = (form) => rows.find((row) => row.server === `artifact-cli ${form}`);
  const theirs = (form) => rows.find((row) => row.server === `verdaccio ${form}`);
  for (const row of rows)
    row.vs_verdaccio = row.server.startsWith('artifact-cli') && theirs(row.server.split(' ')[1]) ? row.rps / theirs(row.server.split(' ')[1]).rps : '';
  const checks = ['full', 'abbreviated']
    .filter((form) => theirs(form))
    .map((form) => ({
      name: `${form} 3,000-version packument req/s vs Verdaccio`,
      pass: ours(form).rps >= theirs(form).rps,
      detail: `${ours(form).rps.toFixed(0)} vs ${theirs(form).rps.toFixed(0)}; first render ${ours(form).first_ms.toFixed(0)} ms, cached ${ours(form).cached_ms.toFixed(1)} ms (no numeric target in the issues)`,
    }));
  return { rows, checks };
}
