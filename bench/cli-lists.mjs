// Workload 6 (the listing half; start-up is startup.mjs): `list-packages` on a repository of
// 10,000 packages and `list-package-versions` of a package with 3,000 versions, as a user types
// them (first page, JSON output), and `describe-domain` over those packages, whose size total a
// one-shot run keeps on disk (the timed runs find the root unchanged since the first). The
// fixture is written through the store API, not published.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { DOMAIN, REPOSITORY, prepareArtifactCli } from './artifact-cli.mjs';
import { seedArtifactCli } from './big-packument.mjs';
import { manyVersionsRecord } from './fixtures.mjs';
import { median, timeCommands } from './report.mjs';

export const name = 'cli-lists';
export const description = 'list-packages (10,000 packages), list-package-versions (3,000 versions) and describe-domain, median of 7 runs (ms)';

const PACKAGES = 10_000;
const RUNS = 7;
const TARGETS = { 'list-packages': 300, 'list-package-versions': 200, 'describe-domain': 300 };
const ISSUES = { 'list-packages': 'issue 9', 'list-package-versions': 'issue 9', 'describe-domain': 'issue 30' };

function smallRecord(index) {
  const name = `pkg-${String(index).padStart(5, '0')}`;
  const scoped = index % 10 === 0;
  return {
    format: 'npm',
    ...(scoped ? { namespace: 'benchorg' } : {}),
    name,
    originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'BLOCK' } },
    formatMetadata: { 'dist-tags': { latest: '1.0.0' } },
    versions: {
      '1.0.0': {
        version: '1.0.0',
        status: 'Published',
        revision: `rev-${index}`,
        publishedTime: '2024-01-01T00:00:00.000Z',
        origin: { domainEntryPoint: { repositoryName: REPOSITORY }, originType: 'INTERNAL' },
        assets: [{ name: `${name}-1.0.0.tgz`, size: 1000, hashes: { 'SHA-256': 'a'.repeat(64), 'SHA-1': 'b'.repeat(40), 'SHA-512': 'c'.repeat(128) } }],
        formatMetadata: { name, version: '1.0.0' },
      },
    },
  };
}

export async function seedPackages(projectDir, root) {
  const { openStore } = await import(new URL(`file://${path.join(projectDir, 'dist', 'store', 'store.js')}`).href);
  const store = openStore(root);
  let next = 0;
  // A few writers at a time: each write is a locked, flushed, renamed file.
  const writer = async () => {
    while (next < PACKAGES) {
      const record = smallRecord(next++);
      await store.index.updatePackage({ domain: DOMAIN, repository: REPOSITORY, format: 'npm', namespace: record.namespace, name: record.name }, () => record);
    }
  };
  await Promise.all(Array.from({ length: 32 }, writer));
}

export async function run(context) {
  const setup = prepareArtifactCli({ cliPath: context.cliPath, dir: path.join(context.workDir, 'cli-lists') });
  await seedPackages(context.projectDir, setup.root);
  await seedArtifactCli(context.projectDir, setup.root, manyVersionsRecord('bench-huge', 3000));

  const env = { PATH: process.env.PATH, HOME: setup.dir, ARTIFACT_CLI_ROOT: setup.root, NO_COLOR: '1' };
  const common = [context.cliPath, '--output', 'json'];
  const cases = [
    { label: 'list-packages', command: process.execPath, args: [...common, 'list-packages', '--domain', DOMAIN, '--repository', REPOSITORY] },
    {
      label: 'list-package-versions',
      command: process.execPath,
      args: [...common, 'list-package-versions', '--domain', DOMAIN, '--repository', REPOSITORY, '--format', 'npm', '--package', 'bench-huge'],
    },
    { label: 'describe-domain', command: process.execPath, args: [...common, 'describe-domain', '--domain', DOMAIN] },
  ];
  // What each returns, so a fast wrong answer cannot pass.
  const listed = JSON.parse(execFileSync(process.execPath, cases[0].args, { env, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 }));
  const versions = JSON.parse(execFileSync(process.execPath, cases[1].args, { env, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 }));
  const described = JSON.parse(execFileSync(process.execPath, cases[2].args, { env, encoding: 'utf8' }));
  const counts = { 'list-packages': listed.packages.length, 'list-package-versions': versions.versions.length, 'describe-domain': PACKAGES + 1 };
  if (!(described.domain.assetSizeBytes > 0)) throw new Error(`describe-domain returned assetSizeBytes ${described.domain.assetSizeBytes}`);
  if (!listed.nextToken || counts['list-packages'] !== 1000)
    throw new Error(`list-packages returned ${counts['list-packages']} packages, nextToken ${listed.nextToken}`);

  const times = timeCommands(cases, { runs: RUNS, cwd: setup.dir, env });
  const rows = cases.map((item, index) => ({
    command: item.label,
    median_ms: median(times[index]),
    min_ms: Math.min(...times[index]),
    max_ms: Math.max(...times[index]),
    items_returned: counts[item.label],
  }));
  const checks = rows.map((row) => ({
    name: `${row.command} (${ISSUES[row.command]})`,
    pass: row.median_ms < TARGETS[row.command],
    detail: `${row.median_ms.toFixed(0)} ms ${row.command === 'describe-domain' ? 'over' : 'for the first page of'} ${row.items_returned} (target: under ${TARGETS[row.command]} ms)`,
  }));
  return { rows, checks, notes: [`${PACKAGES} packages in the repository; list commands return pages of up to 1,000, as CodeArtifact's do`] };
}
