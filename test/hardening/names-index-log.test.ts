/**
 * Limits measured where they bite: names at the length boundaries of the file names they are
 * stored under (from the server and from the CLI, on one store), no HTTP answer naming a server
 * path; index bytes per npm version whatever its package.json carries; and tokens in request
 * paths, however percent-encoded, never reaching the log.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePathSegment, FILE_SEGMENT_MAX } from '../../src/core/names.js';
import { encodePackageName, publishBody } from '../formats/npm/npm-registry-harness.js';
import { buildNpmTarball } from '../helpers/npm-tarball.js';
import { runCli } from '../helpers/run-cli.js';
import { recordFigures } from './support/figures.js';
import { prepareRoot, startHardeningServer, type HardeningServer, type PreparedRoot } from './support/hardening-server.js';
import { round } from './support/load.js';

let prepared: PreparedRoot;
let server: HardeningServer;

beforeAll(async () => {
  prepared = await prepareRoot([{ name: 'main' }]);
  server = await startHardeningServer(prepared);
});

afterAll(async () => {
  await server?.stop();
});

/** Names whose encoded form sits on each side of the boundaries: the hashed-name threshold and the 255-character limit. */
function boundaryNames(): Array<{ label: string; name: string }> {
  const ascii = (length: number, char: string) => char.repeat(length);
  const names = [
    ...[FILE_SEGMENT_MAX - 1, FILE_SEGMENT_MAX, FILE_SEGMENT_MAX + 1, 240, 250, 252, 254, 255].map((length) => ({
      label: `${length} ASCII`,
      name: ascii(length, 'n'),
    })),
    // 'é' encodes to 6 characters: 36 fit the threshold, 37 do not; 255 is the limit.
    ...[36, 37, 100, 255].map((count) => ({ label: `${count} × é`, name: ascii(count, 'é') })),
    { label: '127 emoji (254 UTF-16 units)', name: '😀'.repeat(127) },
  ];
  // Each name ends in its own digit (whole characters kept), so no case meets another's package.
  return names.map((entry, index) => ({ ...entry, name: `${[...entry.name].slice(0, -1).join('')}${index % 10}` }));
}

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? [full, ...allFiles(full)] : [full];
  });
}

describe('name-length boundaries, measured on the encoded file name', () => {
  it('every name up to 255 characters is taken by the server and the CLI alike, and no answer names a server path', async () => {
    const problems: string[] = [];
    let cases = 0;
    // The longest file name the store holds, measured while each case's package exists.
    let longest = 0;
    const auth = { authorization: `Bearer ${prepared.token}` };
    const content = mkdtempSync(path.join(os.tmpdir(), 'artifact-cli-names-'));
    const assetFile = path.join(content, 'asset.bin');
    writeFileSync(assetFile, 'asset');
    const sha256 = createHash('sha256').update('asset').digest('hex');
    const checkBody = (what: string, text: string) => {
      if (text.includes(prepared.parent) || /"\/(?:tmp|root|home|work|var)\//.test(text))
        problems.push(`${what}: the answer names a server path: ${text.slice(0, 200)}`);
    };
    for (const { label, name } of boundaryNames()) {
      for (const namespace of ['ns', 'ü'.repeat(255)]) {
        const where = `${label} in ${namespace.length > 2 ? '255 × ü' : 'ns'}`;
        // From the server...
        const url = `${server.endpoint('generic')}${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/1.0/asset.bin`;
        const put = await fetch(url, { method: 'PUT', headers: { ...auth, 'x-checksum-sha256': sha256 }, body: 'asset' });
        const putText = await put.text();
        checkBody(`${where}: server publish`, putText);
        if (put.status !== 200) problems.push(`${where}: server publish answered ${put.status} ${putText.slice(0, 200)}`);
        // ...then the CLI on the same store: a second version, listed and deleted.
        const cli = await runCli(
          [
            'publish-package-version',
            '--domain',
            'acme',
            '--repository',
            'main',
            '--format',
            'generic',
            '--namespace',
            namespace,
            '--package',
            name,
            '--package-version',
            '2.0',
            '--asset-name',
            'asset.bin',
            '--asset-content',
            assetFile,
            '--asset-sha256',
            sha256,
          ],
          { root: prepared.root },
        );
        if (cli.code !== 0) problems.push(`${where}: CLI publish exited ${cli.code}: ${cli.stderr.trim()}`);
        longest = Math.max(longest, ...allFiles(prepared.root).map((file) => Buffer.byteLength(path.basename(file))));
        const download = await fetch(`${server.endpoint('generic')}${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/2.0/asset.bin`, {
          headers: auth,
        });
        const downloaded = await download.text();
        checkBody(`${where}: download`, downloaded);
        if (download.status !== 200 || downloaded !== 'asset') problems.push(`${where}: the CLI's version downloads as ${download.status}`);
        const removed = await runCli(
          ['delete-package', '--domain', 'acme', '--repository', 'main', '--format', 'generic', '--namespace', namespace, '--package', name],
          { root: prepared.root },
        );
        if (removed.code !== 0) problems.push(`${where}: CLI delete exited ${removed.code}: ${removed.stderr.trim()}`);
        const gone = await fetch(url, { headers: auth });
        checkBody(`${where}: read after delete`, await gone.text());
        if (gone.status !== 404) problems.push(`${where}: after the CLI's delete the server answers ${gone.status}`);
        cases += 1;
      }
    }
    // One past the limit is refused in words, from either side.
    const tooLong = await fetch(`${server.endpoint('generic')}ns/${'x'.repeat(256)}/1.0/asset.bin`, {
      method: 'PUT',
      headers: { ...auth, 'x-checksum-sha256': sha256 },
      body: 'asset',
    });
    const tooLongText = await tooLong.text();
    checkBody('256 ASCII: server publish', tooLongText);
    expect(tooLong.status).toBe(400);
    const cliTooLong = await runCli(
      [
        'publish-package-version',
        '--domain',
        'acme',
        '--repository',
        'main',
        '--format',
        'generic',
        '--namespace',
        'ns',
        '--package',
        'x'.repeat(256),
        '--package-version',
        '1.0',
        '--asset-name',
        'a.bin',
        '--asset-content',
        assetFile,
        '--asset-sha256',
        sha256,
      ],
      { root: prepared.root },
    );
    expect(cliTooLong.code).not.toBe(0);
    expect(cliTooLong.stderr).toMatch(/^error Validation: .*1 to 255 characters/m);

    recordFigures('names', { 'boundary cases (server + CLI)': cases, 'longest file name in the store (bytes)': longest });
    expect(problems).toEqual([]);
    expect(longest).toBeLessThanOrEqual(255);
    expect(encodePathSegment('n'.repeat(FILE_SEGMENT_MAX)).length).toBe(FILE_SEGMENT_MAX);
  });
});

describe('index size per version', () => {
  it('stays small whatever each version’s package.json carries', async () => {
    const VERSIONS = 30;
    for (let index = 0; index < VERSIONS; index++) {
      const version = `1.0.${index}`;
      const packageJson = {
        name: 'heavy',
        version,
        description: 'd'.repeat(200),
        license: 'MIT',
        dependencies: { 'left-pad-lite': '^1.0.0' },
        scripts: { build: 'b'.repeat(50_000) },
        'x-payload': { blob: 'p'.repeat(900_000) },
        files: Array.from({ length: 2000 }, (_, file) => `dist/file-${file}.js`),
      };
      const tarball = buildNpmTarball({ name: 'heavy', version, files: { 'package.json': JSON.stringify(packageJson) } });
      const response = await fetch(`${server.endpoint('npm')}${encodePackageName('heavy')}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${prepared.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(publishBody(tarball, server.endpoint('npm'))),
      });
      expect(response.status, await response.text()).toBe(201);
    }
    const indexBytes = statSync(path.join(prepared.root, 'domains/acme/repositories/main/packages/npm/_/heavy.json')).size;
    const packument = await fetch(`${server.endpoint('npm')}heavy`, { headers: { authorization: `Bearer ${prepared.token}`, accept: 'application/json' } });
    const packumentBytes = (await packument.arrayBuffer()).byteLength;
    const perVersion = round(indexBytes / VERSIONS, 0);
    recordFigures('index', {
      'npm index bytes per version (900 KB package.json each)': perVersion,
      'npm packument bytes per version': round(packumentBytes / VERSIONS, 0),
    });
    // The whole package.json was kept before: about a megabyte per version.
    expect(perVersion).toBeLessThan(4096);
    expect(readFileSync(path.join(prepared.root, 'domains/acme/repositories/main/packages/npm/_/heavy.json'), 'utf8')).not.toContain('ppppp');
  });
});

describe('log redaction', () => {
  it('keeps a token out of the request log however its path is percent-encoded', async () => {
    const { getAuthorizationToken } = await import('../../src/operations/tokens.js');
    const secrets: string[] = [];
    const every = (text: string) => [...text].map((char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).join('');
    const encodings = [
      (token: string) => token,
      every,
      (token: string) => every(every(token)),
      (token: string) => `%61cat_${token.slice(5)}`,
      (token: string) => every(token).toLowerCase(),
    ];
    for (const encode of encodings) {
      const { authorizationToken: token } = await getAuthorizationToken(prepared.store, { domain: 'acme', principal: 'revoked' });
      secrets.push(token.slice(5));
      const response = await fetch(`${server.endpoint('npm')}-/user/token/${encode(token)}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${prepared.token}` },
      });
      await response.arrayBuffer();
    }
    // The request log is written in batches.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const output = server.output();
    const leaked = secrets.filter(
      (secret) =>
        output.includes(secret) ||
        output.includes(every(secret)) ||
        output.toLowerCase().includes(every(secret).toLowerCase()) ||
        output.includes(secret.slice(0, 16)),
    );
    recordFigures('log', { 'encoded token paths tried': encodings.length, 'tokens leaked into the log': leaked.length });
    expect(output.match(/DELETE \/acme\/npm\/main\/-\/user\/token\/acat_\*\*\*/g)?.length).toBe(encodings.length);
    expect(leaked).toEqual([]);
  });
});
