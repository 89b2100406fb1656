#!/usr/bin/env node --expose-gc
// Developer tool: `node --expose-gc bench/response-memo-overhead.mjs` measures what one
// remembered answer costs the server's memory besides its body (src/server/response-memo.ts),
// in this checkout's build (run `npm run build` first): 100,000 answers with empty bodies, as
// the server keeps them after their first send (the headers built, one pass through the door),
// held in memos of 10,000 (the most one memo keeps). Prints bytes per answer, rendered and blob.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = path.join(path.dirname(path.dirname(fileURLToPath(import.meta.url))), 'dist');
const { ResponseMemo } = await import(path.join(DIST, 'server', 'response-memo.js'));
const { RenderedBody, sendKeptBlob } = await import(path.join(DIST, 'server', 'respond.js'));
const { smallBlobCacheOf } = await import(path.join(DIST, 'store', 'small-blob-cache.js'));

if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
const ANSWERS = 100_000;
const PER_MEMO = 9_999;
const NPM_ACCEPT = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';
const credential = 'f'.repeat(64);
const blobs = {};
const sha256 = 'a'.repeat(64);
smallBlobCacheOf(blobs).keep(sha256, Buffer.alloc(16));
const res = { writeHead: () => ({ end: () => undefined }) };
const unchanged = { packageChangedAt: () => 0 };

function used() {
  globalThis.gc();
  globalThis.gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

function fill(kind) {
  const memos = [];
  for (let made = 0; made < ANSWERS; made += PER_MEMO) {
    const memo = new ResponseMemo();
    memo.find({ url: '/', method: 'GET', headers: {} }, 1, 0, unchanged);
    for (let index = made; index < Math.min(made + PER_MEMO, ANSWERS); index++) {
      const name = `package-${index}`;
      const url = kind === 'rendered' ? `/acme/npm/npm-store/${name}` : `/acme/npm/npm-store/${name}/-/${name}-1.0.0.tgz`;
      const req = { url, method: 'GET', headers: { accept: NPM_ACCEPT, host: '127.0.0.1:4873' } };
      let response;
      if (kind === 'rendered') {
        const options = { cacheControl: 'no-cache' };
        response = { rendered: new RenderedBody('application/json', Buffer.alloc(0)), options };
        response.rendered.headersFor(options, false);
      } else {
        response = { blob: { sha256, contentType: 'application/octet-stream', fileName: `${name}-1.0.0.tgz` } };
        sendKeptBlob(req, res, blobs, response.blob);
      }
      const entry = {
        format: blobs,
        domain: 'acme',
        repository: 'npm-store',
        action: 'codeartifact:ReadFromRepository',
        response,
        validUntil: Number.POSITIVE_INFINITY,
        about: `acme\nnpm\n\n${name}`,
        madeIn: 1,
        passes: new Map([[credential, Number.POSITIVE_INFINITY]]),
      };
      memo.remember(req, 1, entry, unchanged);
    }
    memos.push(memo);
  }
  return memos;
}

// Each round lets go of the last one's memos before measuring its own baseline.
const held = [];
for (const kind of ['rendered', 'blob', 'rendered', 'blob']) {
  held.length = 0;
  const before = used();
  held.push(...fill(kind));
  const after = used();
  console.log(`${kind}: ${Math.round((after - before) / ANSWERS)} bytes per remembered answer (${ANSWERS} answers in ${held.length} memos)`);
}
