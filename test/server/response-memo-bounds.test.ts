import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Format } from '../../src/formats/format.js';
import { RenderedBody } from '../../src/server/respond.js';
import { ResponseMemo, type MemoEntry } from '../../src/server/response-memo.js';

const request = (url: string, method = 'GET') => ({ url, method, headers: { accept: 'application/json', host: '127.0.0.1' } }) as unknown as IncomingMessage;

function entryWithBody(bytes: number): MemoEntry {
  return {
    format: {} as Format,
    domain: 'acme',
    repository: 'main',
    action: 'codeartifact:ReadFromRepository',
    response: { rendered: new RenderedBody('application/json', Buffer.alloc(bytes)) },
    validUntil: Number.POSITIVE_INFINITY,
  };
}

describe('ResponseMemo bounds', () => {
  it('keeps at most 64 MiB of rendered bodies, dropping the oldest first', () => {
    const memo = new ResponseMemo();
    memo.find(request('/start'), 1, 0);
    for (let i = 0; i < 5; i++) memo.remember(request(`/p${i}`), 1, entryWithBody(20 * 1024 * 1024));
    const kept = [0, 1, 2, 3, 4].filter((i) => memo.find(request(`/p${i}`), 1, 0) !== undefined);
    expect(kept).toEqual([2, 3, 4]);
  });

  it('forgets everything when the epoch moves on, remembers nothing from an older epoch, and drops stale answers', () => {
    const memo = new ResponseMemo();
    memo.find(request('/start'), 5, 0);
    memo.remember(request('/a'), 5, entryWithBody(10));
    expect(memo.find(request('/a'), 5, 0)).toBeDefined();
    expect(memo.find(request('/a'), 6, 0)).toBeUndefined();
    memo.remember(request('/b'), 5, entryWithBody(10));
    expect(memo.find(request('/b'), 6, 0)).toBeUndefined();
    memo.remember(request('/c'), 6, { ...entryWithBody(10), validUntil: 1_000 });
    expect(memo.find(request('/c'), 6, 999)).toBeDefined();
    expect(memo.find(request('/c'), 6, 1_000)).toBeUndefined();
    memo.remember(request('/d', 'POST'), 6, entryWithBody(10));
    expect(memo.find(request('/d', 'POST'), 6, 0)).toBeUndefined();
  });
});
