/**
 * The API on a store that cannot be written (failStoreWrites): a call that writes is answered
 * with the model's InternalServerException, which every SDK knows, carrying the store failure's
 * status (507 full, 503 otherwise) and its words, never a path; the AWS CLI prints them.
 */
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessKey } from '../../src/operations/access-keys.js';
import { findAwsClients, runAws } from '../helpers/aws-clients.js';
import { signedRequest, type AccessKey } from '../helpers/aws-sign.js';
import { failStoreWrites, type StoreErrno } from '../helpers/failing-store.js';
import { startInProcessServer, type InProcessServer } from '../helpers/in-process-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const clients = findAwsClients();
let h: InProcessServer;
let key: AccessKey;

beforeAll(async () => {
  h = await startInProcessServer({ tempPrefix: 'artifact-cli-api-store-failures-' });
  key = (await createAccessKey(h.store, { principal: 'admin' })).AccessKey;
});
afterAll(async () => {
  await h.server.close(1000);
});

async function withFailingStore<T>(code: StoreErrno, work: () => Promise<T>): Promise<T> {
  const disk = failStoreWrites(h.store, code);
  try {
    return await work();
  } finally {
    disk.recover();
  }
}

const createRepository = (repository: string) =>
  signedRequest(h.server.url, {
    method: 'POST',
    path: `/v1/repository?domain=acme&repository=${repository}`,
    body: '{}',
    headers: { 'content-type': 'application/json' },
    accessKeyId: key.AccessKeyId,
    secretAccessKey: key.SecretAccessKey,
  });

describe('the API on a store that cannot be written', () => {
  it.each([
    ['ENOSPC', 507, /^The store has no space left on its device\. Free space/],
    ['EROFS', 503, /^The store is on a read-only file system\. Mount it writable/],
  ] as const)('answers a write on a store failing with %s %i InternalServerException in words, and takes it later', async (code, status, words) => {
    const repository = `more-${code.toLowerCase()}`;
    const response = await withFailingStore(code, () => createRepository(repository));
    expect({ status: response.status, type: response.headers['x-amzn-errortype'] }).toEqual({ status, type: 'InternalServerException' });
    const message = String(response.json().message);
    expect(message).toMatch(words);
    for (const secret of [h.root, os.tmpdir(), code]) expect(message).not.toContain(secret);
    expect(await h.store.index.getRepository('acme', repository)).toBeUndefined();
    expect((await createRepository(repository)).status).toBe(200);
  });

  // 507 is not one of the statuses the AWS CLI retries, so it answers at once.
  it.each(clients)('is printed by $label as the service error with its words', async (client) => {
    const home = makeTempDir('artifact-cli-api-store-failures-home-');
    const run = { client, home, env: { AWS_ACCESS_KEY_ID: key.AccessKeyId, AWS_SECRET_ACCESS_KEY: key.SecretAccessKey } };
    const repository = `aws-${client.major}`;
    const result = await withFailingStore('ENOSPC', () =>
      runAws(run, ['codeartifact', 'create-repository', '--domain', 'acme', '--repository', repository, '--endpoint-url', h.server.url]),
    );
    expect(result.code).toBe(client.major === 1 ? 255 : 254);
    expect(result.stderr).toContain(
      'An error occurred (InternalServerException) when calling the CreateRepository operation: The store has no space left on its device.',
    );
    expect(await h.store.index.getRepository('acme', repository)).toBeUndefined();
  });
});
