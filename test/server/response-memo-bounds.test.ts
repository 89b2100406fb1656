import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { Format } from '../../src/formats/format.js';
import { RenderedBody, sendRendered } from '../../src/server/respond.js';
import { MEMO_ENTRY_OVERHEAD_BYTES, ResponseMemo, type MemoEntry } from '../../src/server/response-memo.js';

const request = (url: string, method = 'GET', accept = 'application/json') =>
  ({ url, method, headers: { accept, host: '127.0.0.1' } }) as unknown as IncomingMessage;

// No package has changed: only the shared epoch and freshness decide.
const unchanged = { packageChangedAt: () => 0 };

function entryWithBody(bytes: number | Buffer, about = 'acme\nnpm\n\nleft-pad', madeIn = 1): MemoEntry {
  return {
    format: {} as Format,
    domain: 'acme',
    repository: 'main',
    action: 'codeartifact:ReadFromRepository',
    response: { rendered: new RenderedBody('application/json', typeof bytes === 'number' ? Buffer.alloc(bytes) : bytes) },
    validUntil: Number.POSITIVE_INFINITY,
    about,
    madeIn,
  };
}

const renderedIn = (entry: MemoEntry) => (entry.response as { rendered: RenderedBody }).rendered;

/** Serves a remembered answer to a client that takes gzip, as the handler does (which makes and keeps the gzipped copy). */
function serveGzipped(entry: MemoEntry): void {
  const req = { method: 'GET', headers: { 'accept-encoding': 'gzip' } } as unknown as IncomingMessage;
  const res = { writeHead: () => res, end: () => undefined } as unknown as ServerResponse;
  sendRendered(req, res, renderedIn(entry));
}

/** The kept entries among `/g0`... in order. */
function keptOf(memo: ResponseMemo, count: number): number[] {
  return Array.from({ length: count }, (_, i) => i).filter((i) => memo.find(request(`/g${i}`), 1, 0, unchanged) !== undefined);
}

describe('ResponseMemo bounds', () => {
  it("counts an answer's gzipped copy once it is kept, evicts by the total, and releases the copy with its entry", () => {
    // Random bytes do not compress: each copy is about as large as its body.
    const bodyBytes = 10 * 1024;
    const probe = new RenderedBody('application/json', randomBytes(bodyBytes));
    const gzipBytes = probe.gzip().length;
    expect(gzipBytes).toBeGreaterThan(bodyBytes);
    const plain = MEMO_ENTRY_OVERHEAD_BYTES + bodyBytes;
    // Room for four plain answers, and for three and a half of their gzipped copies.
    const memo = new ResponseMemo(4 * plain + 3.5 * gzipBytes);
    memo.find(request('/start'), 1, 0, unchanged);
    const entries = [0, 1, 2, 3].map(() => entryWithBody(randomBytes(bodyBytes)));
    entries.forEach((entry, i) => memo.remember(request(`/g${i}`), 1, entry, unchanged));
    expect(keptOf(memo, 5)).toEqual([0, 1, 2, 3]);

    for (const entry of entries.slice(0, 3)) serveGzipped(entry);
    expect(keptOf(memo, 5)).toEqual([0, 1, 2, 3]);
    expect(renderedIn(entries[2]).gzippedBytes).toBe(gzipBytes);
    // The fourth copy passes the budget: the oldest answer goes, with its copy.
    serveGzipped(entries[3]);
    expect(keptOf(memo, 5)).toEqual([1, 2, 3]);
    // A plain answer fits only if that copy's bytes were given back too.
    memo.remember(request('/g4'), 1, entryWithBody(randomBytes(bodyBytes)), unchanged);
    expect(keptOf(memo, 5)).toEqual([1, 2, 3, 4]);
    // An answer whose copy already exists is counted with it at once: twice the body, it pushes
    // out two answers with it, where its body alone would push out one.
    const gzippedAlready = entryWithBody(randomBytes(2 * bodyBytes));
    serveGzipped(gzippedAlready);
    memo.remember(request('/g5'), 1, gzippedAlready, unchanged);
    expect(keptOf(memo, 6)).toEqual([3, 4, 5]);
  });

  it('counts one body held by two answers (two Accept headers) once per answer, also when compressed off the event loop', async () => {
    // Above 1 MiB the copy is made on the thread pool, after the answer went out plain.
    const body = randomBytes(1024 * 1024 + 1);
    const shared = new RenderedBody('application/json', body);
    const gzipBytes = new RenderedBody('application/json', body).gzip().length;
    const plain = MEMO_ENTRY_OVERHEAD_BYTES + body.length;
    const memo = new ResponseMemo(3 * plain + 1.5 * gzipBytes);
    memo.find(request('/start'), 1, 0, unchanged);
    memo.remember(request('/g0'), 1, entryWithBody(16), unchanged);
    for (const accept of ['application/json', '*/*'])
      memo.remember(request('/g1', 'GET', accept), 1, { ...entryWithBody(0), response: { rendered: shared } }, unchanged);
    memo.remember(request('/g2'), 1, entryWithBody(randomBytes(body.length)), unchanged);
    expect(keptOf(memo, 3)).toEqual([0, 1, 2]);
    expect(shared.gzipReady()).toBe(false);
    while (shared.gzippedBytes === 0) await nextTurn();
    // Two copies counted: more than the budget holds, so the oldest answers go until it fits.
    expect(keptOf(memo, 3)).toEqual([2]);
  });

  it('keeps at most 64 MiB of rendered bodies, dropping the oldest first', () => {
    const memo = new ResponseMemo();
    memo.find(request('/start'), 1, 0, unchanged);
    for (let i = 0; i < 5; i++) memo.remember(request(`/p${i}`), 1, entryWithBody(20 * 1024 * 1024), unchanged);
    const kept = [0, 1, 2, 3, 4].filter((i) => memo.find(request(`/p${i}`), 1, 0, unchanged) !== undefined);
    expect(kept).toEqual([2, 3, 4]);
  });

  it('counts each answer beyond its body, so many empty answers evict once count times overhead passes the budget', () => {
    // The measured overhead of an entry is about 1.6 KB; the memo counts 2 KiB.
    expect(MEMO_ENTRY_OVERHEAD_BYTES).toBe(2048);
    const memo = new ResponseMemo(1024 * 1024);
    memo.find(request('/start'), 1, 0, unchanged);
    // 512 empty answers of 2 KiB each fill 1 MiB exactly.
    for (let i = 0; i < 512; i++) memo.remember(request(`/e${i}`), 1, entryWithBody(0), unchanged);
    const kept = () => Array.from({ length: 520 }, (_, i) => i).filter((i) => memo.find(request(`/e${i}`), 1, 0, unchanged) !== undefined);
    expect(kept()).toHaveLength(512);
    // The 513th and 514th push out the two oldest.
    for (let i = 512; i < 514; i++) memo.remember(request(`/e${i}`), 1, entryWithBody(0), unchanged);
    const after = kept();
    expect(after).toHaveLength(512);
    expect(after.slice(0, 2)).toEqual([2, 3]);
    expect(after.at(-1)).toBe(513);
    // A body counts on top of its entry: 10 KiB of body makes room by six entries (12 KiB).
    memo.remember(request('/big'), 1, entryWithBody(10 * 1024), unchanged);
    expect(kept().slice(0, 2)).toEqual([8, 9]);
    expect(memo.find(request('/big'), 1, 0, unchanged)).toBeDefined();
  });

  it('forgets everything when the epoch moves on, remembers nothing from an older epoch, and drops stale answers', () => {
    const memo = new ResponseMemo();
    memo.find(request('/start'), 5, 0, unchanged);
    const a = entryWithBody(10);
    memo.remember(request('/a'), 5, a, unchanged);
    expect(memo.find(request('/a'), 5, 0, unchanged)).toBe(a);
    expect(memo.find(request('/a'), 6, 0, unchanged)).toBeUndefined();
    memo.remember(request('/b'), 5, entryWithBody(10), unchanged);
    expect(memo.find(request('/b'), 6, 0, unchanged)).toBeUndefined();
    const c = { ...entryWithBody(10), validUntil: 1_000 };
    memo.remember(request('/c'), 6, c, unchanged);
    expect(memo.find(request('/c'), 6, 999, unchanged)).toBe(c);
    expect(memo.find(request('/c'), 6, 1_000, unchanged)).toBeUndefined();
    memo.remember(request('/d', 'POST'), 6, entryWithBody(10), unchanged);
    expect(memo.find(request('/d', 'POST'), 6, 0, unchanged)).toBeUndefined();
  });

  it("forgets an answer once its own package changes, and keeps the other packages' answers", () => {
    const memo = new ResponseMemo();
    const changedAt = new Map<string, number>();
    const changes = { packageChangedAt: (scope: string) => changedAt.get(scope) ?? 0 };
    memo.find(request('/start'), 1, 0, changes);
    memo.remember(request('/left-pad'), 1, entryWithBody(10, 'acme\nnpm\n\nleft-pad', 3), changes);
    memo.remember(request('/right-pad'), 1, entryWithBody(10, 'acme\nnpm\n\nright-pad', 3), changes);
    // right-pad is written (in full epoch 4): only its answer goes.
    changedAt.set('acme\nnpm\n\nright-pad', 4);
    expect(memo.find(request('/left-pad'), 1, 0, changes)?.about).toBe('acme\nnpm\n\nleft-pad');
    expect(memo.find(request('/right-pad'), 1, 0, changes)).toBeUndefined();
    // An answer whose package changed while it was worked out (it began in epoch 3) is not kept.
    memo.remember(request('/right-pad'), 1, entryWithBody(10, 'acme\nnpm\n\nright-pad', 3), changes);
    expect(memo.find(request('/right-pad'), 1, 0, changes)).toBeUndefined();
    // One begun after the change is.
    const fresh = entryWithBody(10, 'acme\nnpm\n\nright-pad', 4);
    memo.remember(request('/right-pad'), 1, fresh, changes);
    expect(memo.find(request('/right-pad'), 1, 0, changes)).toBe(fresh);
  });

  it('renews the answers to one URL about a package that a change ended, in every Accept, and nothing else', () => {
    const memo = new ResponseMemo();
    const changedAt = new Map<string, number>();
    const changes = { packageChangedAt: (scope: string) => changedAt.get(scope) ?? 0 };
    const lib = 'acme\nnuget\n\nlib';
    memo.find(request('/start'), 1, 0, changes);
    for (const accept of ['application/json', '*/*']) memo.remember(request('/lib/index.json', 'GET', accept), 1, entryWithBody(10, lib, 3), changes);
    memo.remember(request('/lib/other.json'), 1, entryWithBody(10, lib, 3), changes);
    expect(memo.outdatedByChange('/lib/index.json', lib, 0, changes)).toBe(false);
    // lib is written in epoch 4: its answers are outdated, and renewal brings back the one URL asked for.
    changedAt.set(lib, 4);
    expect(memo.outdatedByChange('/lib/index.json', lib, 0, changes)).toBe(true);
    expect(memo.outdatedByChange('/lib/index.json', 'acme\nnuget\n\nother', 0, changes)).toBe(false);
    const renewed = new RenderedBody('application/json', Buffer.from('{"versions":["1.0.0"]}'));
    memo.renew('/lib/index.json', lib, 1, { response: { rendered: renewed }, validUntil: 5_000, madeIn: 4 });
    for (const accept of ['application/json', '*/*']) {
      const found = memo.find(request('/lib/index.json', 'GET', accept), 1, 0, changes);
      expect(found && 'rendered' in found.response && found.response.rendered).toBe(renewed);
      expect(found?.validUntil).toBe(5_000);
    }
    expect(memo.outdatedByChange('/lib/index.json', lib, 0, changes)).toBe(false);
    expect(memo.find(request('/lib/other.json'), 1, 0, changes)).toBeUndefined();
    expect(memo.find(request('/lib/index.json'), 1, 5_000, changes)).toBeUndefined();
  });

  it('renews nothing once the epoch moved on, and a renewal its package changed under is not found', () => {
    const memo = new ResponseMemo();
    const changedAt = new Map<string, number>();
    const changes = { packageChangedAt: (scope: string) => changedAt.get(scope) ?? 0 };
    const lib = 'acme\nnuget\n\nlib';
    const renewal = { response: { rendered: new RenderedBody('application/json', Buffer.from('{}')) }, validUntil: Number.POSITIVE_INFINITY, madeIn: 4 };
    memo.find(request('/start'), 1, 0, changes);
    memo.remember(request('/lib/index.json'), 1, entryWithBody(10, lib, 3), changes);
    changedAt.set(lib, 4);
    memo.renew('/lib/index.json', lib, 0, renewal);
    expect(memo.find(request('/lib/index.json'), 1, 0, changes)).toBeUndefined();
    memo.remember(request('/lib/index.json'), 1, entryWithBody(10, lib, 4), changes);
    changedAt.set(lib, 5);
    memo.renew('/lib/index.json', lib, 1, renewal);
    expect(memo.find(request('/lib/index.json'), 1, 0, changes)).toBeUndefined();
  });
});
