#!/usr/bin/env node
// Developer tool: `node bench/small-blob-cache.mjs [entries]` times inserting into a full
// small-blob cache (src/store/small-blob-cache.ts) in this checkout's build (run `npm run build`
// first): the cache is filled with `entries` tiny blobs (default 30,000), a third of them asked
// for again, then every further insert evicts one. Prints µs per insert, and per hit (a get of a
// kept blob, which every download from memory makes), with the load average.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = path.join(path.dirname(path.dirname(fileURLToPath(import.meta.url))), 'dist');
const { smallBlobCacheOf } = await import(path.join(DIST, 'store', 'small-blob-cache.js'));

const entries = Number(process.argv[2] ?? 30_000);
// Each entry costs its bytes plus 1 KiB; blobs this size make `entries` of them fill the 32 MiB.
const blobBytes = Math.floor((32 * 1024 * 1024) / entries) - 1024;
const name = (index) => index.toString(16).padStart(64, '0');
const blobs = Array.from({ length: 64 }, (_, index) => Buffer.alloc(blobBytes, index));

const cache = smallBlobCacheOf({});
for (let index = 0; index < entries; index++) cache.keep(name(index), blobs[index % 64]);
for (let index = 0; index < entries; index += 3) cache.get(name(index));

const inserts = 2_000;
let next = entries;
const rounds = [];
for (let round = 0; round < 5; round++) {
  const start = process.hrtime.bigint();
  for (let index = 0; index < inserts; index++, next++) cache.keep(name(next), blobs[next % 64]);
  rounds.push(Number(process.hrtime.bigint() - start) / 1000 / inserts);
}
rounds.sort((a, b) => a - b);
// The entries inserted last are all kept: ask for them in turn.
const hits = 200_000;
const hitStart = process.hrtime.bigint();
for (let index = 0; index < hits; index++) cache.get(name(next - 1 - (index % 1000)));
const hitMicros = Number(process.hrtime.bigint() - hitStart) / 1000 / hits;
const load = os
  .loadavg()
  .map((value) => value.toFixed(2))
  .join(' ');
console.log(
  `${entries} entries of ${blobBytes} B: ${rounds[2].toFixed(2)} µs per insert (median of 5 rounds of ${inserts}; min ${rounds[0].toFixed(2)}), ${hitMicros.toFixed(3)} µs per hit, load ${load}`,
);
