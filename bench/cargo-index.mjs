// Workload: the sparse index file of a crate with 1,000 versions, hosted in artifact-cli
// (written through its store API before start): the first render after start, a cached answer,
// and requests/s. Cargo asks for this file on every resolve, so it must not be rebuilt each time.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DOMAIN, REPOSITORY, prepareArtifactCli, startArtifactCli } from './artifact-cli.mjs';
import { measureLoad, timeGet } from './load.mjs';
import { stopServer } from './processes.mjs';
import { median } from './report.mjs';

export const name = 'cargo-index';
export const description = 'cargo index file of a 1,000-version crate: first and cached answer (ms), requests/s (5 s, 32 connections)';

const CRATE = 'bench-crate';
const VERSIONS = 1000;

function crateRecord() {
  const versions = {};
  for (let i = 0; i < VERSIONS; i++) {
    const vers = `1.${Math.floor(i / 100)}.${i % 100}`;
    const line = {
      name: CRATE,
      vers,
      deps: [{ name: 'serde', req: '^1', features: ['derive'], optional: false, default_features: true, target: null, kind: 'normal', registry: null }],
      cksum: i.toString(16).padStart(64, '0'),
      features: { std: [] },
      links: null,
    };
    versions[vers] = {
      version: vers,
      status: 'Published',
      revision: `r${i}`,
      publishedTime: new Date(1_700_000_000_000 + i * 1000).toISOString(),
      origin: { domainEntryPoint: { repositoryName: REPOSITORY }, originType: 'INTERNAL' },
      assets: [],
      formatMetadata: { index: line },
    };
  }
  return { format: 'cargo', name: CRATE, originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'BLOCK' } }, versions };
}

export async function run(context) {
  const setup = prepareArtifactCli({ cliPath: context.cliPath, dir: path.join(context.workDir, 'cargo-index') });
  const { openStore } = await import(pathToFileURL(path.join(context.projectDir, 'dist', 'store', 'store.js')).href);
  await openStore(setup.root).index.updatePackage({ domain: DOMAIN, repository: REPOSITORY, format: 'cargo', name: CRATE }, () => crateRecord());
  const server = await startArtifactCli(setup);
  const rows = [];
  try {
    const url = `${server.base}/${DOMAIN}/cargo/${REPOSITORY}/be/nc/${CRATE}`;
    // As cargo sends it: the bare token in Authorization.
    const headers = { authorization: server.token };
    const first = await timeGet(url, headers);
    const lines = first.body.toString().trimEnd().split('\n').length;
    if (lines !== VERSIONS) throw new Error(`artifact-cli served ${lines} lines for ${CRATE}, not ${VERSIONS}`);
    const cached = [];
    for (let i = 0; i < 10; i++) cached.push((await timeGet(url, headers)).ms);
    const load = await measureLoad(context, { url, headers, seconds: 5 });
    rows.push({ server: 'artifact-cli', first_ms: first.ms, cached_ms: median(cached), rps: load.rps, p99_ms: load.p99_ms, kb: first.bytes / 1024 });
  } finally {
    await stopServer(context, server);
  }
  const [row] = rows;
  return {
    rows,
    checks: [
      {
        name: '1,000-version cargo index file answered from cache',
        pass: row.cached_ms < row.first_ms,
        detail: `first ${row.first_ms.toFixed(1)} ms, cached ${row.cached_ms.toFixed(1)} ms, ${row.rps.toFixed(0)} req/s`,
      },
    ],
  };
}
