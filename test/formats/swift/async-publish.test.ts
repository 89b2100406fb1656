/**
 * A large archive from a client that sends `Prefer: respond-async` (SwiftPM's publish does) is
 * answered 202 with a status URL, which answers 202 while the work runs, then 301 to the release,
 * or the problem the publish ended in. Small archives, or clients that do not ask, get 201.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASYNC_ABOVE_BYTES } from '../../../src/formats/swift/publish.js';
import { releaseKeyOf, startSubmission } from '../../../src/formats/swift/submissions.js';
import type { RequestContext } from '../../../src/server/route.js';
import { zipBytes } from '../../hardening/support/fuzz-archives.js';
import { startInProcessServer, type InProcessServer } from '../../helpers/in-process-server.js';
import { MANIFEST, problemOf, registryGet, registryPublish, sourceArchive, type Credentials, type Exchange } from './swiftpm-exchange.js';
import { stringContaining } from '../../helpers/matchers.js';

let harness: InProcessServer;
let endpoint: string;
let bearer: Credentials;
// Random bytes, stored: larger than the threshold and incompressible, so no ratio check applies.
const payload = randomBytes(ASYNC_ABOVE_BYTES + 1024);

beforeAll(async () => {
  harness = await startInProcessServer({ tempPrefix: 'artifact-cli-swift-async-' });
  endpoint = `${harness.server.url}/acme/swift/main/`;
  bearer = { bearer: harness.token };
});

afterAll(async () => {
  await harness.server.close(100);
});

/** Follows the status URL until it stops answering 202, as a client honouring Retry-After would. */
async function settle(statusUrl: string): Promise<Exchange> {
  for (;;) {
    const status = await registryGet(statusUrl, 'json', bearer);
    if (status.status !== 202) return status;
    expect(status.headers['retry-after']).toBe('1');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('asynchronous publish', () => {
  it('answers 202 with a status URL that ends in 301 to the release', async () => {
    const archive = zipBytes([
      { name: 'Big/Package.swift', content: MANIFEST },
      { name: 'Big/blob.bin', content: payload, method: 0 },
    ]);
    const answer = await registryPublish(endpoint, 'mona', 'Big', '1.0.0', { archive }, bearer);
    expect(answer.status, answer.body.toString()).toBe(202);
    expect(answer.headers['content-version']).toBe('1');
    const statusUrl = answer.headers.location as string;
    expect(statusUrl).toMatch(new RegExp(`^${endpoint}submissions/[0-9a-f-]{36}$`));
    const done = await settle(statusUrl);
    expect([done.status, done.headers.location]).toEqual([301, `${endpoint}mona/Big/1.0.0`]);
    const download = await registryGet(`${endpoint}mona/Big/1.0.0.zip`, 'zip', bearer);
    expect(download.body.equals(archive)).toBe(true);
  });

  it('reports a refused archive at the status URL as problem+json, and stores nothing', async () => {
    const archive = zipBytes([
      { name: 'Broken/README.md', content: 'no manifest' },
      { name: 'Broken/blob.bin', content: payload, method: 0 },
    ]);
    const answer = await registryPublish(endpoint, 'mona', 'Broken', '1.0.0', { archive }, bearer);
    expect(answer.status).toBe(202);
    const done = await settle(answer.headers.location as string);
    // 422, the specification's answer to a package without a manifest, with the status URL in Location.
    expect(done.status).toBe(422);
    expect(done.headers.location).toBe(answer.headers.location);
    expect(done.headers['content-version']).toBe('1');
    expect(problemOf(done)).toMatchObject({ status: 422, detail: stringContaining('no Package.swift') });
    expect(await harness.store.index.getPackage({ domain: 'acme', repository: 'main', format: 'swift', namespace: 'mona', name: 'broken' })).toBeUndefined();
  });

  it('publishes a large archive synchronously (201) when the client does not prefer async', async () => {
    const archive = zipBytes([
      { name: 'Sync/Package.swift', content: MANIFEST },
      { name: 'Sync/blob.bin', content: payload, method: 0 },
    ]);
    const answer = await registryPublish(endpoint, 'mona', 'Sync', '1.0.0', { archive }, bearer, { prefer: 'return=minimal' });
    expect(answer.status).toBe(201);
  });

  it('answers 409 with the status URL to a publish of a release whose asynchronous publish is still running', async () => {
    // The server runs in this process: a publish of mona/Running 1.0.0 is made to run until released.
    let finish = () => {};
    const running = new Promise<void>((resolve) => (finish = resolve));
    const context = { domain: 'acme', repository: { name: 'main' }, endpoint, deps: { log: () => {} } } as unknown as RequestContext;
    const key = { domain: 'acme', repository: 'main', format: 'swift' as const, namespace: 'mona', name: 'running' };
    const statusUrl = startSubmission(context, releaseKeyOf(key, '1.0.0'), `${endpoint}mona/Running/1.0.0`, () => running);
    const second = await registryPublish(endpoint, 'mona', 'Running', '1.0.0', { archive: sourceArchive('Running') }, bearer);
    expect(second.status).toBe(409);
    expect(second.headers.location).toBe(statusUrl);
    expect(problemOf(second).detail).toMatch(/already being processed/);
    finish();
    await settle(statusUrl);
    // Once it has finished, a publish of the release is judged on its own again.
    expect((await registryPublish(endpoint, 'mona', 'Running', '1.0.0', { archive: sourceArchive('Running') }, bearer)).status).toBe(201);
  });

  it('answers 404 for a status URL it does not know', async () => {
    const unknown = await registryGet(`${endpoint}submissions/00000000-0000-4000-8000-000000000000`, 'json', bearer);
    expect(unknown.status).toBe(404);
    expect(problemOf(unknown).status).toBe(404);
  });
});
