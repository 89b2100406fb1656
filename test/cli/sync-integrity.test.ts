/**
 * `artifact-cli sync --from package-lock.json` checks what it fetched against the integrity the
 * lockfile pinned: a tarball that differs is reported as failed (exit 8) on the first run and on
 * a later run that finds it already stored; the packages that match are still synced.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeNpmRegistry, type FakeNpmRegistry } from '../helpers/fake-npm-registry.js';
import { buildNpmTarball } from '../helpers/npm-tarball.js';
import { runCli, runCliJson } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { parseJson } from '../helpers/json.js';

let registry: FakeNpmRegistry | undefined;
afterAll(async () => registry?.close());

describe('sync --from a lockfile', () => {
  it('refuses a tarball whose sha512 differs from the pinned integrity and keeps syncing the rest', async () => {
    registry = await startFakeNpmRegistry();
    const good = registry.add({ name: 'good-lib', version: '1.0.0' });
    const served = registry.add({ name: 'pinned-lib', version: '1.0.0' });
    // The lockfile was made against other bytes than the registry serves now.
    const other = buildNpmTarball({ name: 'pinned-lib', version: '1.0.0', files: { 'extra.js': 'other bytes' } });
    expect(other.integrity).not.toBe(served.integrity);

    const work = makeTempDir('artifact-cli-sync-integrity-');
    const config = path.join(work, 'artifact-cli.json');
    writeFileSync(config, JSON.stringify({ externalConnections: { 'public:npmjs': `${registry.url}/` } }));
    const root = path.join(work, 'root');
    await runCliJson(['create-domain', '--domain', 'acme'], { root });
    await runCliJson(['create-repository', '--domain', 'acme', '--repository', 'store'], { root });
    await runCliJson(
      ['associate-external-connection', '--domain', 'acme', '--repository', 'store', '--external-connection', 'public:npmjs', '--config', config],
      { root },
    );
    const lockfile = (pinned: string) => {
      const file = path.join(work, 'package-lock.json');
      writeFileSync(
        file,
        JSON.stringify({
          name: 'app',
          lockfileVersion: 3,
          packages: {
            '': { name: 'app', version: '1.0.0' },
            'node_modules/good-lib': { version: '1.0.0', integrity: good.integrity },
            // Lockfiles may list several digests; the sha512 one is compared.
            'node_modules/pinned-lib': { version: '1.0.0', integrity: `sha1-${createHash('sha1').update('x').digest('base64')} ${pinned}` },
          },
        }),
      );
      return file;
    };
    const sync = () =>
      runCli(['sync', '--domain', 'acme', '--repository', 'store', '--from', path.join(work, 'package-lock.json'), '--config', config], { root });

    lockfile(other.integrity);
    const refused = await sync();
    expect(refused.code, refused.stderr).toBe(8);
    expect(JSON.parse(refused.stdout)).toEqual({
      fetched: 1,
      alreadyPresent: 0,
      failed: [{ package: 'pinned-lib', version: '1.0.0', error: 'pinned-lib@1.0.0 does not match the integrity the lockfile pinned.' }],
    });
    expect(refused.stderr.trim().split('\n').at(-1)).toMatch(
      /^error \w+: sync could not fetch 1 of 2 packages; the first: pinned-lib@1\.0\.0: pinned-lib@1\.0\.0 does not match the integrity/,
    );

    // Run again: good-lib is stored, and pinned-lib's bytes (now stored too) still do not match.
    const again = await sync();
    expect(again.code).toBe(8);
    expect(parseJson<{ failed: { package: string }[] }>(again.stdout).failed.map((failure) => failure.package)).toEqual(['pinned-lib']);

    lockfile(served.integrity);
    expect(
      await runCliJson(['sync', '--domain', 'acme', '--repository', 'store', '--from', path.join(work, 'package-lock.json'), '--config', config], { root }),
    ).toEqual({
      fetched: 0,
      alreadyPresent: 2,
      failed: [],
    });
  });
});
