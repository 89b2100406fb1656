/**
 * A store on a real disk that fills up, then turns read-only (a tiny tmpfs; needs root, which
 * CI has): `npm publish` against `artifact-cli serve` and a CLI command that writes are told
 * what is wrong in words (507 / 503, `error StoreUnavailable`, exit 11), never a server path
 * or a stack; what was stored stays readable and `verify` finds it whole; once space is freed
 * the same publish and command succeed.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliJson, type CliResult } from '../helpers/run-cli.js';
import { runClient } from '../helpers/run-client.js';
import { listStoredFiles } from '../helpers/stored-files.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { mountTinyTmpfs } from '../helpers/tiny-tmpfs.js';
import { findClient } from './helpers/npm-clients.js';

const npm = findClient('npm');
const disk = mountTinyTmpfs('8m', 'a store on a full and then read-only disk');
afterAll(() => disk?.unmount());

/** The CLI's whole answer to a failed write: one error line and one hint line, no stack, no path. */
function expectStoreFailureLines(result: CliResult, root: string, words: string): void {
  expect(result.code).toBe(11);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines[0]).toBe(`error StoreUnavailable: ${words}`);
  expect(lines).toHaveLength(2);
  expect(lines[1]).toMatch(/^hint: \S/);
  expect(result.stderr).not.toContain(root);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe.skipIf(!disk || !npm)('a store on a disk that fills up, then turns read-only', () => {
  let root: string;
  let home: string;
  let server: TestServer;
  let registry: string;

  beforeAll(async () => {
    root = path.join(disk!.dir, 'store');
    home = makeTempDir('artifact-cli-full-disk-home-');
    await runCliJson(['create-domain', '--domain', 'acme'], { root });
    await runCliJson(['create-repository', '--domain', 'acme', '--repository', 'main'], { root });
    server = await startTestServer({ root });
    registry = `${server.url}/acme/npm/main/`;
    const npmrc = path.join(home, '.npmrc');
    const login = await runCli(['login', '--tool', 'npm', '--domain', 'acme', '--repository', 'main', '--endpoint-url', server.url], {
      root,
      env: { HOME: home, npm_config_userconfig: npmrc },
    });
    expect(login.code, login.stderr).toBe(0);
    // npm retries a 5xx answer after ten seconds or more; one try shows its message at once.
    appendFileSync(npmrc, 'fetch-retries=0\n');
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** Every file of blobs/ and domains/ with its digest: what a failed write must leave exactly as it was. */
  const stored = async () =>
    Object.fromEntries(
      (await listStoredFiles(root, ['blobs', 'domains'])).map((file) => [
        file,
        createHash('sha256')
          .update(readFileSync(path.join(root, file)))
          .digest('hex'),
      ]),
    );
  const npmEnv = () => ({
    PATH: process.env.PATH,
    HOME: home,
    NO_COLOR: '1',
    npm_config_userconfig: path.join(home, '.npmrc'),
    npm_config_cache: path.join(home, 'npm-cache'),
    npm_config_update_notifier: 'false',
  });
  const publish = (name: string) => {
    const dir = path.join(makeTempDir('artifact-cli-full-disk-pkg-'), name);
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'index.js' }));
    writeFileSync(path.join(dir, 'index.js'), `module.exports = ${JSON.stringify(name)};\n`);
    return runClient(npm!, ['publish'], dir, npmEnv());
  };
  const tarball = (name: string) => fetch(`${registry}${name}/-/${name}-1.0.0.tgz`, { headers: { authorization: `Bearer ${tokenOf(home)}` } });

  it('answers npm publish 507 and a CLI write exit 11 in words, keeps what was stored, and takes both once space is freed', async () => {
    expect((await publish('before-full')).code).toBe(0);
    const before = await stored();
    const filler = disk!.fill();

    const refused = await publish('while-full');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('507 Insufficient Storage');
    expect(refused.stderr).toContain('The store has no space left on its device. Free space on the disk that holds the store');
    expect(refused.stderr).not.toContain(root);
    expectStoreFailureLines(
      await runCli(['create-repository', '--domain', 'acme', '--repository', 'more'], { root }),
      root,
      'The store has no space left on its device.',
    );
    // A write of an index alone (no file to store) fails the same way, the old index untouched.
    const tagged = await runClient(npm!, ['dist-tag', 'add', 'before-full@1.0.0', 'beta'], home, npmEnv());
    expect(tagged.code).not.toBe(0);
    expect(tagged.stderr).toContain('507 Insufficient Storage');
    // The operator's log names the failed call.
    expect(server.output()).toMatch(/store failure on PUT \/acme\/npm\/main\/while-full: ENOSPC/);
    expect(await stored()).toEqual(before);

    // What was stored is still served, nothing half-written is named, and no stray file trips verify.
    expect((await tarball('before-full')).status).toBe(200);
    expect((await tarball('while-full')).status).toBe(404);
    const verified = await runCli(['verify'], { root });
    expect(verified.code, verified.stderr).toBe(0);

    rmSync(filler);
    expect((await publish('while-full')).code).toBe(0);
    expect((await tarball('while-full')).status).toBe(200);
    expect((await runCli(['create-repository', '--domain', 'acme', '--repository', 'more'], { root })).code).toBe(0);
    expect((await runCli(['verify'], { root })).code).toBe(0);
  });

  it('answers a CLI write exit 11 with the words for a read-only file system, and still reads what is stored', async () => {
    // A running server keeps the change marker open to append to, so the kernel refuses to make
    // its file system read-only under it (the HTTP answer, 503, is checked by injection in
    // test/formats/*/store-failures.test.ts). The CLI meets it read-only all the same.
    await server.stop();
    disk!.remountReadOnly();
    expectStoreFailureLines(
      await runCli(['create-repository', '--domain', 'acme', '--repository', 'other'], { root }),
      root,
      'The store is on a read-only file system.',
    );
    const listed = await runCliJson<{ repositories: { name: string }[] }>(['list-repositories-in-domain', '--domain', 'acme'], { root });
    expect(listed.repositories.map((repository) => repository.name).sort()).toEqual(['main', 'more']);
    expect((await runCli(['verify'], { root })).code).toBe(0);
  });
});

function tokenOf(home: string): string {
  const npmrc = readFileSync(path.join(home, '.npmrc'), 'utf8');
  return /:_authToken=(\S+)/.exec(npmrc)?.[1] ?? '';
}
