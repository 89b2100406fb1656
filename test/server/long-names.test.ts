/**
 * Names up to the 255-character limit, measured on the file name they are stored under:
 * accepted over HTTP, managed from the CLI, and no answer names a server path.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePathSegment, FILE_SEGMENT_MAX, storedSegment } from '../../src/core/names.js';
import { scrubServerPaths } from '../../src/server/scrub-paths.js';
import { startInProcessServer, type InProcessServer } from '../helpers/in-process-server.js';
import { runCli, runCliJson } from '../helpers/run-cli.js';
import { sha256 } from '../operations/packages-fixture.js';

// The longest file name an index may get: the temp file beside it.
const tempFileName = (segment: string) => `.${segment}.json.4194304.0123456789ab.tmp`;

const NAMES: Array<[string, string]> = [
  ['240 ASCII characters', 'a'.repeat(240)],
  ['250 ASCII characters', 'b'.repeat(250)],
  ['252 ASCII characters', 'c'.repeat(252)],
  ['255 ASCII characters', 'd'.repeat(255)],
  ["100 × 'é'", 'é'.repeat(100)],
  ["255 × 'é'", 'é'.repeat(255)],
  ['219 encoded characters', 'e'.repeat(219)],
  ['220 encoded characters', 'f'.repeat(220)],
];

describe('stored segments', () => {
  it.each(NAMES)('keep the temp file name of a %s name within 255 bytes, and apart from every other name', (_label, name) => {
    const segment = storedSegment(name);
    expect(Buffer.byteLength(tempFileName(segment))).toBeLessThanOrEqual(255);
    expect(segment).not.toBe(storedSegment(`${name.slice(0, -1)}x`));
  });

  it('leave names that fit as they were encoded, so existing stores keep their files', () => {
    expect(storedSegment('e'.repeat(FILE_SEGMENT_MAX))).toBe(encodePathSegment('e'.repeat(FILE_SEGMENT_MAX)));
    expect(storedSegment('@scope%pkg')).toBe(encodePathSegment('@scope%pkg'));
  });
});

describe('long names over HTTP and from the CLI', () => {
  let t: InProcessServer;
  beforeAll(async () => {
    t = await startInProcessServer({ tempPrefix: 'artifact-cli-long-names-' });
  });
  afterAll(async () => {
    await t.server.close(100);
  });

  const put = (namespace: string, name: string, body: string) =>
    fetch(`${t.server.url}/acme/generic/main/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/1.0/file.bin`, {
      method: 'PUT',
      body,
      headers: { authorization: `Bearer ${t.token}`, 'x-checksum-sha256': sha256(body) },
    });

  it.each(NAMES)('accepts a %s name, serves it, lists it and lets the CLI delete it', async (_label, name) => {
    const response = await put('ns', name, `content of ${name.length}`);
    const text = await response.text();
    expect(response.status, text).toBe(200);
    const download = await fetch(`${t.server.url}/acme/generic/main/ns/${encodeURIComponent(name)}/1.0/file.bin`, {
      headers: { authorization: `Bearer ${t.token}` },
    });
    expect(await download.text()).toBe(`content of ${name.length}`);

    const listed = await runCliJson<{ packages: Array<{ package: string }> }>(
      ['list-packages', '--domain', 'acme', '--repository', 'main', '--format', 'generic', '--output', 'json'],
      { root: t.root },
    );
    expect(listed.packages.map((entry) => entry.package)).toContain(name);
    const described = await runCli(
      ['describe-package', '--domain', 'acme', '--repository', 'main', '--format', 'generic', '--namespace', 'ns', '--package', name],
      { root: t.root },
    );
    expect(described.code, described.stderr).toBe(0);
    const deleted = await runCli(
      ['delete-package', '--domain', 'acme', '--repository', 'main', '--format', 'generic', '--namespace', 'ns', '--package', name],
      { root: t.root },
    );
    expect(deleted.code, deleted.stderr).toBe(0);
    const gone = await fetch(`${t.server.url}/acme/generic/main/ns/${encodeURIComponent(name)}/1.0/file.bin`, {
      headers: { authorization: `Bearer ${t.token}` },
    });
    expect(gone.status).toBe(404);
    await gone.text();
  });

  it('stores a 255-character namespace of non-ASCII letters under a directory that fits, and lists its packages', async () => {
    const namespace = 'ü'.repeat(255);
    const response = await put(namespace, 'tool', 'namespaced');
    expect(response.status, await response.text()).toBe(200);
    const dirs = readdirSync(path.join(t.root, 'domains/acme/repositories/main/packages/generic'));
    for (const dir of dirs) expect(Buffer.byteLength(dir)).toBeLessThanOrEqual(255);
    const listed = await runCliJson<{ packages: Array<{ namespace?: string; package: string }> }>(
      ['list-packages', '--domain', 'acme', '--repository', 'main', '--output', 'json'],
      { root: t.root },
    );
    expect(listed.packages).toContainEqual(expect.objectContaining({ namespace, package: 'tool' }));
  });

  it('refuses a 256-character name with a message that names no server path', async () => {
    const response = await put('ns', 'g'.repeat(256), 'too long');
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(text).not.toContain(t.root);
    expect(text).not.toMatch(/"\/(?:tmp|root|home|work)\//);
  });
});

describe('the last line of defence in error rendering', () => {
  it('replaces the store root, and the path a file system error names, wherever they appear', () => {
    const error = Object.assign(new Error("ENAMETOOLONG: name too long, open '/srv/store/domains/acme/x.json'"), { path: '/srv/store/domains/acme/x.json' });
    const body = JSON.stringify({ error: `Unexpected failure: ${error.message}`, code: 'InternalError' });
    const scrubbed = scrubServerPaths(body, ['/srv/store'], error);
    expect(scrubbed).not.toContain('/srv/store');
    expect(scrubbed).toContain('<server path>');
    expect(scrubServerPaths('lock /srv/storehouse/a', ['/srv/store'])).toBe('lock /srv/storehouse/a');
    expect(scrubServerPaths('at /srv/store: gone', ['/srv/store'])).toBe('at <server path>: gone');
  });
});
