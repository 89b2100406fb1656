// Memory under cold misses of large files: `npm ci` of 16 packages of 5 MB tarballs each, all
// missing from a fresh artifact-cli whose public:npmjs connection points at an nginx copy, npm
// fetching all 16 at once (--maxsockets=16). The server streams each file to npm and to disk
// as it comes (upstream/live-delivery.ts) instead of holding it: its peak RSS is the number.
import { randomBytes, createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tar from 'tar';
import { prepareArtifactCli, startArtifactCli } from './artifact-cli.mjs';
import { startStaticServer } from './ceiling.mjs';
import { runNpm, writeNpmrc } from './npm-client.mjs';
import { stopServer } from './processes.mjs';
import { median } from './report.mjs';

export const name = 'npm-cold-memory';
export const description = '`npm ci` of 16 cold 5 MB tarballs at once through artifact-cli: peak RSS (MB), 3 fresh servers';

const RUNS = 3;
const PACKAGES = 16;
const TARBALL_BYTES = 5 * 1024 * 1024;
const LIMIT_MB = 200;

/** The registry tree nginx serves: <name>/index.json (packument) and <name>/-/<name>-1.0.0.tgz. */
function buildRegistry(dir) {
  const packages = [];
  for (let i = 0; i < PACKAGES; i++) {
    const pkg = `mem-${String(i).padStart(2, '0')}`;
    const source = path.join(dir, 'src', pkg);
    mkdirSync(path.join(source, 'package'), { recursive: true });
    writeFileSync(path.join(source, 'package', 'package.json'), JSON.stringify({ name: pkg, version: '1.0.0' }));
    writeFileSync(path.join(source, 'package', 'data.bin'), randomBytes(TARBALL_BYTES));
    mkdirSync(path.join(dir, 'registry', pkg, '-'), { recursive: true });
    const file = path.join(dir, 'registry', pkg, '-', `${pkg}-1.0.0.tgz`);
    tar.c({ gzip: true, cwd: source, file, sync: true, portable: true }, ['package']);
    packages.push({ pkg, file });
  }
  return packages;
}

function packument(pkg, integrity, shasum, base) {
  return {
    name: pkg,
    'dist-tags': { latest: '1.0.0' },
    versions: { '1.0.0': { name: pkg, version: '1.0.0', dist: { tarball: `${base}/${pkg}/-/${pkg}-1.0.0.tgz`, integrity, shasum } } },
  };
}

export async function run(context) {
  const workDir = path.join(context.workDir, 'npm-cold-memory');
  const packages = buildRegistry(workDir);
  const registryDir = path.join(workDir, 'registry');
  const staticCopy = await startStaticServer({ root: registryDir, workDir: context.workDir });
  const { readFileSync } = await import('node:fs');
  const digests = packages.map(({ pkg, file }) => {
    const bytes = readFileSync(file);
    const integrity = `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
    writeFileSync(
      path.join(registryDir, pkg, 'index.json'),
      JSON.stringify(packument(pkg, integrity, createHash('sha1').update(bytes).digest('hex'), staticCopy.base)),
    );
    return { pkg, integrity };
  });
  const peaks = [];
  const times = [];
  let artifact;
  try {
    for (let round = 0; round < RUNS; round++) {
      const setup = prepareArtifactCli({ cliPath: context.cliPath, dir: path.join(workDir, `artifact-cli-${round}`), standinUrl: `${staticCopy.base}/` });
      artifact = await startArtifactCli(setup);
      const project = path.join(workDir, `project-${round}`);
      mkdirSync(project, { recursive: true });
      const dependencies = Object.fromEntries(digests.map(({ pkg }) => [pkg, '1.0.0']));
      writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'mem-project', version: '1.0.0', dependencies }));
      const locked = Object.fromEntries(
        digests.map(({ pkg, integrity }) => [
          `node_modules/${pkg}`,
          { version: '1.0.0', resolved: `${artifact.registry}${pkg}/-/${pkg}-1.0.0.tgz`, integrity },
        ]),
      );
      writeFileSync(
        path.join(project, 'package-lock.json'),
        JSON.stringify({
          name: 'mem-project',
          version: '1.0.0',
          lockfileVersion: 3,
          requires: true,
          packages: { '': { name: 'mem-project', version: '1.0.0', dependencies }, ...locked },
        }),
      );
      writeNpmrc(project, artifact);
      times.push(await runNpm(['ci', '--ignore-scripts', `--maxsockets=${PACKAGES}`], { cwd: project, home: project, cache: path.join(project, 'cache') }));
      peaks.push(artifact.process.peakRssMb());
      await stopServer(context, artifact);
      artifact = undefined;
      rmSync(project, { recursive: true, force: true });
    }
  } finally {
    await stopServer(context, artifact);
    await stopServer(context, staticCopy);
  }
  const worst = Math.max(...peaks);
  return {
    rows: [
      {
        workload: `npm ci, ${PACKAGES} cold ${TARBALL_BYTES / 2 ** 20} MB tarballs`,
        peak_rss_mb: median(peaks),
        max_peak_rss_mb: worst,
        median_ms: median(times),
      },
    ],
    runs: { peaks, times },
    notes: [`peak RSS per fresh server: ${peaks.map((peak) => peak.toFixed(0)).join(', ')} MB`],
    checks: [
      {
        name: 'peak RSS under 16 concurrent cold 5 MB misses (issue 30)',
        pass: worst < LIMIT_MB,
        detail: `${worst.toFixed(0)} MB at most over ${RUNS} runs (target: under ${LIMIT_MB} MB)`,
      },
    ],
  };
}
