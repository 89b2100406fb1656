#!/usr/bin/env node
// Developer tool: `node bench/store-flush-order.mjs [blobBytes] [chain]` times the store's part
// of a cold file (a blob and the package index naming it) in this checkout's build (run `npm run
// build` first), written one after the other or side by side (src/store/two-step-put.ts: the
// index written and flushed while the blob is, renamed once the blob is durable), 200 files each
// way in turns of 10. `chain`: a second index too, as when the connection is on an upstream of
// the repository asked. Prints the median and p90 per file, with the load average.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = path.join(path.dirname(path.dirname(fileURLToPath(import.meta.url))), 'dist');
const { openStore } = await import(path.join(DIST, 'store', 'store.js'));
const { putInTwoSteps } = await import(path.join(DIST, 'store', 'two-step-put.js'));
const { retainVersion } = await import(path.join(DIST, 'operations', 'ingest.js'));
const { createDomain } = await import(path.join(DIST, 'operations', 'domains.js'));
const { createRepository } = await import(path.join(DIST, 'operations', 'repositories.js'));

const size = Number(process.argv[2] ?? 50_000);
const chain = process.argv[3] === 'chain';
const root = mkdtempSync(path.join(os.tmpdir(), 'artifact-cli-flush-order-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
const store = openStore(root);
await createDomain(store, { domain: 'acme' });
await createRepository(store, { domain: 'acme', repository: 'holder' });
await createRepository(store, { domain: 'acme', repository: 'asked', upstreams: ['holder'] });

const keyIn = (repository, name) => ({ domain: 'acme', repository, format: 'npm', name });
const record = (name, digests) => ({
  version: '1.0.0',
  status: 'Published',
  revision: 'r',
  publishedTime: new Date().toISOString(),
  origin: { domainEntryPoint: { externalConnectionName: 'public:npmjs' }, originType: 'EXTERNAL' },
  assets: [
    { name: `${name}.tgz`, size: digests.size, hashes: { 'SHA-256': digests.sha256, 'SHA-1': digests.sha1, 'SHA-512': digests.sha512, MD5: digests.md5 } },
  ],
});

let count = 0;
async function oneAfterAnother() {
  const name = `p${count++}`;
  const digests = await store.blobs.put(randomBytes(size));
  await retainVersion(store, keyIn('holder', name), record(name, digests));
  if (chain) await retainVersion(store, keyIn('asked', name), record(name, digests));
}

async function sideBySide() {
  const name = `p${count++}`;
  const bytes = randomBytes(size);
  const { checked, durable } = putInTwoSteps((hooks) => store.blobs.put(bytes, {}, hooks));
  const { digests } = await checked;
  const inHolder = retainVersion(store, keyIn('holder', name), record(name, digests), undefined, durable);
  const inAsked = chain ? retainVersion(store, keyIn('asked', name), record(name, digests), undefined, Promise.all([durable, inHolder])) : inHolder;
  await Promise.all([inHolder, inAsked]);
  await durable;
}

const times = { 'one after another': [], 'side by side': [] };
for (let round = 0; round < 20; round++) {
  for (const [label, write] of [
    ['one after another', oneAfterAnother],
    ['side by side', sideBySide],
  ]) {
    for (let i = 0; i < 10; i++) {
      const started = process.hrtime.bigint();
      await write();
      times[label].push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
}
const at = (values, share) => [...values].sort((a, b) => a - b)[Math.floor(values.length * share)];
console.log(`${size}-byte blobs${chain ? ', two indexes' : ''}; load average ${os.loadavg()[0].toFixed(2)}`);
for (const [label, values] of Object.entries(times))
  console.log(`${label}: median ${at(values, 0.5).toFixed(2)} ms, p90 ${at(values, 0.9).toFixed(2)} ms per file`);
