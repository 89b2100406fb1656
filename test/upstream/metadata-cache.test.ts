import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { UpstreamError } from '../../src/errors.js';
import { MetadataCache } from '../../src/upstream/metadata-cache.js';
import { openStore } from '../../src/store/store.js';
import { startTempFilePool, stopTempFilePool } from '../../src/store/temp-file-pool.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { parseJson } from '../helpers/json.js';

type Behaviour = 'ok' | 'error500' | 'hang' | 'garbage' | 'missing';

// How long a registry that answers is given: far more than a loaded machine needs, so no answer
// is ever cut short. A hanging one is waited for much less, so those tests do not take long;
// they only check that at least that long was waited, which load cannot make false.
const ANSWER_WAIT_MS = 30_000;
const HANG_WAIT_MS = 300;

const servers: ReturnType<typeof createServer>[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

async function setup(options: { maxAgeSeconds?: number; offline?: boolean; longRunning?: boolean } = {}) {
  const seen: IncomingMessage[] = [];
  const hung: ServerResponse[] = [];
  const state = { behaviour: 'ok' as Behaviour, body: '{"version":1}', etag: '"v1"' };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push(req);
    if (state.behaviour === 'hang') return void hung.push(res);
    if (state.behaviour === 'error500') return void res.writeHead(503).end('down');
    if (state.behaviour === 'missing') return void res.writeHead(404).end();
    if (req.headers['if-none-match'] === state.etag) return void res.writeHead(304, { etag: state.etag }).end();
    res.writeHead(200, { etag: state.etag, 'content-type': 'application/json' }).end(state.behaviour === 'garbage' ? 'not json' : state.body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const root = makeTempDir('artifact-cli-metadata-');
  const config = await loadConfig({ root }, {}, root);
  config.upstream.metadataMaxAgeSeconds = options.maxAgeSeconds ?? 0;
  config.upstream.timeoutMs = ANSWER_WAIT_MS;
  config.offline = options.offline ?? false;
  const logs: string[] = [];
  let now = 1_000_000;
  const cache = new MetadataCache({ store: openStore(root), config, log: (line) => logs.push(line), now: () => now, longRunning: options.longRunning });
  const request = {
    key: { domain: 'acme', repository: 'store', format: 'npm', name: 'pkg' },
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/pkg`,
    parse: (text: string) => JSON.parse(text) as unknown,
  };
  /** The registry's next behaviour; waiting for a hanging one is cut to HANG_WAIT_MS. */
  const behave = (behaviour: Behaviour) => {
    state.behaviour = behaviour;
    config.upstream.timeoutMs = behaviour === 'hang' ? HANG_WAIT_MS : ANSWER_WAIT_MS;
  };
  /** Ends the connections of requests left hanging, unanswered: a failure, as a timeout is. */
  const dropHung = () => {
    for (const res of hung.splice(0)) res.socket?.destroy();
  };
  return { cache, request, state, behave, hung, dropHung, seen, logs, advance: (ms: number) => (now += ms), config, root };
}

describe('MetadataCache', () => {
  it('serves a fresh entry without asking, and revalidates a stale one with its ETag', async () => {
    const t = await setup({ maxAgeSeconds: 60 });
    expect((await t.cache.get(t.request))?.document).toEqual({ version: 1 });
    expect((await t.cache.get(t.request))?.document).toEqual({ version: 1 });
    expect(t.seen).toHaveLength(1);
    t.advance(61_000);
    expect((await t.cache.get(t.request))?.document).toEqual({ version: 1 });
    expect(t.seen).toHaveLength(2);
    expect(t.seen[1].headers['if-none-match']).toBe('"v1"');
    t.advance(61_000);
    t.state.body = '{"version":2}';
    t.state.etag = '"v2"';
    expect((await t.cache.get(t.request))?.document).toEqual({ version: 2 });
  });

  it.each(['error500', 'hang', 'garbage'] as const)('serves the stale copy with a warning when the registry %s', async (behaviour) => {
    const t = await setup();
    await t.cache.get(t.request);
    t.behave(behaviour);
    t.state.etag = '"changed"';
    expect((await t.cache.get(t.request))?.document).toEqual({ version: 1 });
    expect(t.logs.join('\n')).toMatch(/warning: serving cached metadata for pkg/);
  });

  it.each([
    ['nested 100,000 deep', () => `{"version":2,"dependencies":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`],
    ['with a lone surrogate in a key', () => '{"version":2,"versions":{"1.0.0-\\ud800":{}}}'],
    ['with a lone surrogate in a value', () => '{"version":2,"description":"\\udc00"}'],
    ['with a __proto__ key', () => '{"version":2,"versions":{"__proto__":{"polluted":true}}}'],
  ])('serves the stale copy, logs one line and keeps nothing of an answer %s', async (_label, body) => {
    const t = await setup();
    await t.cache.get(t.request);
    t.state.body = body();
    t.state.etag = '"hostile"';
    expect((await t.cache.get(t.request))?.document).toEqual({ version: 1 });
    expect(t.logs).toHaveLength(1);
    expect(t.logs[0]).toMatch(/^warning: serving cached metadata for pkg: The upstream registry sent unusable metadata/);
    const file = path.join(t.root, 'domains/acme/repositories/store/external/npm/_/pkg.json');
    expect(parseJson<{ document: unknown }>(readFileSync(file, 'utf8')).document).toEqual({ version: 1 });
    // And the next read asks again rather than serving the bad answer from memory.
    t.state.body = '{"version":3}';
    t.state.etag = '"v3"';
    expect((await t.cache.get(t.request))?.document).toEqual({ version: 3 });
  });

  it('in a server, once the registry has stopped answering, serves the stale copy at once and refreshes it behind the answer', async () => {
    const t = await setup({ longRunning: true });
    await t.cache.get(t.request);
    t.behave('hang');
    // Two reads wait out the time limit; an error status would not count, since it is an answer.
    for (let read = 0; read < 2; read++) {
      const started = performance.now();
      expect((await t.cache.get(t.request))?.document).toEqual({ version: 1 });
      expect(performance.now() - started).toBeGreaterThanOrEqual(HANG_WAIT_MS - 50);
    }
    t.dropHung();
    // From now on the registry's silence would be waited for far longer than the test may run:
    // a read that returns at all did not wait for it.
    t.config.upstream.timeoutMs = 10 * 60_000;
    const asked = t.seen.length;
    expect((await t.cache.get(t.request))?.document).toEqual({ version: 1 });
    expect(t.logs.at(-1)).toMatch(/warning: serving cached metadata for pkg: the registry at http:\/\/127\.0\.0\.1:\d+ has not answered lately/);
    // The refresh behind the answer reaches the registry, and is still waiting there.
    await vi.waitFor(() => expect(t.hung).toHaveLength(1), { timeout: ANSWER_WAIT_MS });
    expect(t.seen).toHaveLength(asked + 1);
    expect(t.hung[0].writableEnded).toBe(false);
    t.dropHung();
    await t.cache.settle();

    // Back again: the next answer is still the stale copy (waiting would have given version 2);
    // the refresh behind it gets the new version, and clears the doubt.
    t.behave('ok');
    t.state.body = '{"version":2}';
    t.state.etag = '"v2"';
    expect((await t.cache.get(t.request))?.document).toEqual({ version: 1 });
    await t.cache.settle();
    expect((await t.cache.get(t.request))?.document).toEqual({ version: 2 });
    expect(t.seen).toHaveLength(asked + 3);
  });

  it('in a one-shot command, still waits for a registry that has stopped answering, since nothing runs on after it', async () => {
    const t = await setup();
    await t.cache.get(t.request);
    t.behave('hang');
    for (let read = 0; read < 3; read++) {
      const started = performance.now();
      expect((await t.cache.get(t.request))?.document).toEqual({ version: 1 });
      expect(performance.now() - started).toBeGreaterThanOrEqual(HANG_WAIT_MS - 50);
    }
  });

  it('still asks a registry that has stopped answering for a document it has no copy of', async () => {
    const t = await setup({ longRunning: true });
    await t.cache.get(t.request);
    t.behave('hang');
    for (let read = 0; read < 2; read++) await t.cache.get(t.request);
    const other = { ...t.request, key: { ...t.request.key, name: 'other' }, url: t.request.url.replace(/pkg$/, 'other') };
    await expect(t.cache.get(other)).rejects.toBeInstanceOf(UpstreamError);
    t.behave('ok');
    expect((await t.cache.get(other))?.document).toEqual({ version: 1 });
  });

  it.each(['error500', 'hang', 'garbage'] as const)('fails with UpstreamError when the registry %s and nothing is cached', async (behaviour) => {
    const t = await setup();
    t.behave(behaviour);
    await expect(t.cache.get(t.request)).rejects.toBeInstanceOf(UpstreamError);
  });

  it('fetches again when its file was left damaged (cache files are not flushed to disk)', async () => {
    const t = await setup({ maxAgeSeconds: 60 });
    expect((await t.cache.get(t.request))?.document).toEqual({ version: 1 });
    const file = path.join(t.root, 'domains', 'acme', 'repositories', 'store', 'external', 'npm', '_', 'pkg.json');
    expect(parseJson<{ document: unknown }>(readFileSync(file, 'utf8')).document).toEqual({ version: 1 });
    // A fresh cache object reads the file anew, as a restarted server would.
    writeFileSync(file, '{"url": tru');
    const restarted = new MetadataCache({ store: openStore(t.root), config: t.config, log: () => undefined, now: () => 1_000_000 });
    expect((await restarted.get(t.request))?.document).toEqual({ version: 1 });
    expect(t.seen).toHaveLength(2);
    expect(parseJson<{ document: unknown }>(readFileSync(file, 'utf8')).document).toEqual({ version: 1 });
  });

  it('keeps a document fetched for a download in memory only, and writes it once a request wants it on disk', async () => {
    const t = await setup({ maxAgeSeconds: 60 });
    const file = path.join(t.root, 'domains', 'acme', 'repositories', 'store', 'external', 'npm', '_', 'pkg.json');
    expect((await t.cache.get({ ...t.request, persist: false }))?.document).toEqual({ version: 1 });
    expect(existsSync(file)).toBe(false);
    // Reused from memory while fresh: no second request.
    expect((await t.cache.get({ ...t.request, persist: false }))?.document).toEqual({ version: 1 });
    expect(t.seen).toHaveLength(1);
    expect((await t.cache.get(t.request))?.document).toEqual({ version: 1 });
    expect(t.seen).toHaveLength(1);
    expect(parseJson<{ document: unknown }>(readFileSync(file, 'utf8')).document).toEqual({ version: 1 });
  });

  it("writes a document into one of a running server's ready empty files, not a new one", async () => {
    const t = await setup({ maxAgeSeconds: 60 });
    const tmpDir = path.join(t.root, 'tmp');
    const pool = startTempFilePool(tmpDir, { size: 2, quietMs: 60_000, directories: 0 });
    try {
      await pool.whenFull();
      const ready = new Set(readdirSync(tmpDir));
      await t.cache.get(t.request);
      const file = path.join(t.root, 'domains', 'acme', 'repositories', 'store', 'external', 'npm', '_', 'pkg.json');
      expect(parseJson<{ document: unknown }>(readFileSync(file, 'utf8')).document).toEqual({ version: 1 });
      // One ready file was renamed into place: its inode is the document's now.
      expect(pool.available).toBe(1);
      const taken = [...ready].filter((name) => !existsSync(path.join(tmpDir, name)));
      expect(taken).toHaveLength(1);
      expect(readdirSync(path.dirname(file))).toEqual(['pkg.json']);
    } finally {
      await stopTempFilePool(tmpDir, { removeReady: true });
    }
  });

  it('keeps a copy already on disk current even for a download', async () => {
    const t = await setup({ maxAgeSeconds: 60 });
    const file = path.join(t.root, 'domains', 'acme', 'repositories', 'store', 'external', 'npm', '_', 'pkg.json');
    await t.cache.get(t.request);
    t.advance(61_000);
    t.state.body = '{"version":2}';
    t.state.etag = '"v2"';
    expect((await t.cache.get({ ...t.request, persist: false }))?.document).toEqual({ version: 2 });
    expect(parseJson<{ document: unknown }>(readFileSync(file, 'utf8')).document).toEqual({ version: 2 });
  });

  it('in a server, answers a writeBehind request before its file is written, and writes it behind', async () => {
    const t = await setup({ maxAgeSeconds: 60, longRunning: true });
    const file = path.join(t.root, 'domains', 'acme', 'repositories', 'store', 'external', 'npm', '_', 'pkg.json');
    // The cache file cannot be written (a non-empty directory holds its place): the answer does
    // not depend on it, and the failure goes to the log.
    mkdirSync(path.join(file, 'blocked'), { recursive: true });
    expect((await t.cache.get({ ...t.request, writeBehind: true }))?.document).toEqual({ version: 1 });
    await t.cache.settle();
    expect(t.logs.some((line) => /keeping the metadata of pkg on disk failed/.test(line))).toBe(true);
    // Without writeBehind the same failure is the request's.
    t.advance(61_000);
    await expect(t.cache.get(t.request)).rejects.toThrow();

    rmSync(file, { recursive: true });
    t.advance(61_000);
    t.state.body = '{"version":2}';
    t.state.etag = '"v2"';
    const pending = t.cache.get({ ...t.request, writeBehind: true });
    expect((await pending)?.document).toEqual({ version: 2 });
    // While (or after) it is written, the document is served from memory, not asked for again.
    expect((await t.cache.get({ ...t.request, writeBehind: true }))?.document).toEqual({ version: 2 });
    const asked = t.seen.length;
    await t.cache.settle();
    expect(parseJson<{ document: unknown }>(readFileSync(file, 'utf8')).document).toEqual({ version: 2 });
    expect(t.seen).toHaveLength(asked);
  });

  it('in a one-shot command, writes the file of a writeBehind request before answering', async () => {
    const t = await setup({ maxAgeSeconds: 60 });
    const file = path.join(t.root, 'domains', 'acme', 'repositories', 'store', 'external', 'npm', '_', 'pkg.json');
    await t.cache.get({ ...t.request, writeBehind: true });
    expect(parseJson<{ document: unknown }>(readFileSync(file, 'utf8')).document).toEqual({ version: 1 });
  });

  it('answers undefined for a package the registry does not have', async () => {
    const t = await setup();
    t.behave('missing');
    expect(await t.cache.get(t.request)).toBeUndefined();
  });

  it('never calls out when offline', async () => {
    const t = await setup({ offline: true });
    expect(await t.cache.get(t.request)).toBeUndefined();
    expect(t.seen).toHaveLength(0);
  });

  it('makes one request for concurrent misses', async () => {
    const t = await setup();
    const results = await Promise.all(Array.from({ length: 8 }, () => t.cache.get(t.request)));
    expect(results.every((result) => (result?.document as { version: number }).version === 1)).toBe(true);
    expect(t.seen).toHaveLength(1);
  });
});
