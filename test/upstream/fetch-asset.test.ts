/**
 * fetchAssetToStore: concurrent downloads of one URL are shared only by callers that expect the
 * same bytes, and a URL off the registry's origin is refused before any connection is made.
 */
import { createHash } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/config.js';
import { UpstreamError } from '../../src/errors.js';
import { openStore, type Store } from '../../src/store/store.js';
import { fetchAssetToStore } from '../../src/upstream/fetch-asset.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const BYTES = Buffer.from('the file both packages name\n');
const sha512 = (bytes: Buffer | string) => createHash('sha512').update(bytes).digest('hex');

let store: Store;
let origin: string;
const held: ServerResponse[] = [];
let requests = 0;
let firstArrived: () => void = () => undefined;
const server = createServer((_req, res) => {
  requests += 1;
  held.push(res);
  firstArrived();
});
const config = {
  offline: false,
  server: { maxUploadBytes: 1024 * 1024 },
  upstream: { timeoutMs: 5000, metadataMaxAgeSeconds: 0 },
  externalConnections: {},
} as unknown as Config;

beforeAll(async () => {
  store = openStore(makeTempDir('artifact-cli-fetch-asset-'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of held.splice(0)) res.end();
  await new Promise((resolve) => server.close(resolve));
});

describe('fetchAssetToStore', () => {
  it('checks each caller against its own digest when two name one URL at the same time', async () => {
    const source = { url: `${origin}/registry/`, connectionName: 'public:npmjs' };
    const arrived = new Promise<void>((resolve) => (firstArrived = resolve));
    // Both calls are made before the registry answers anything: the second would join the first.
    const right = fetchAssetToStore(store, config, source, `${origin}/shared.tgz`, { sha512: sha512(BYTES) });
    const wrong = fetchAssetToStore(store, config, source, `${origin}/shared.tgz`, { sha512: sha512('other bytes') });
    const settled = Promise.allSettled([right, wrong]);
    await arrived;
    // Answer every request the registry got, now and as they come.
    const answer = () => held.splice(0).forEach((res) => res.writeHead(200).end(BYTES));
    answer();
    firstArrived = answer;
    const [first, second] = await settled;
    expect(first.status).toBe('fulfilled');
    expect(second.status).toBe('rejected');
    expect((second as PromiseRejectedResult).reason).toBeInstanceOf(UpstreamError);
    expect(((second as PromiseRejectedResult).reason as Error).message).toMatch(/does not match the digest/);
    expect(requests).toBe(2);
  });

  it('refuses a URL on another origin without connecting to it', async () => {
    const before = requests;
    const source = { url: 'http://127.0.0.1:9/registry/', connectionName: 'public:npmjs' };
    await expect(fetchAssetToStore(store, config, source, `${origin}/file.tgz`, { sha512: sha512(BYTES) })).rejects.toThrow(/not the registry's own origin/);
    expect(requests).toBe(before);
  });
});
