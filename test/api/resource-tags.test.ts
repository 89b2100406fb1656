/**
 * TagResource, UntagResource and ListTagsForResource over the API: a package group is tagged by
 * the ARN the API itself gives it, and a call on a domain that does not exist changes nothing
 * on disk.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedRequest, type AccessKey, type ApiResponse } from '../helpers/aws-sign.js';
import { runCliJson } from '../helpers/run-cli.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let root: string;
let server: TestServer;
let key: AccessKey;

beforeAll(async () => {
  root = makeTempDir('artifact-cli-api-tags-');
  key = (await runCliJson<{ AccessKey: AccessKey }>(['create-access-key', '--principal', 'admin'], { root })).AccessKey;
  await runCliJson(['create-domain', '--domain', 'acme'], { root });
  server = await startTestServer({ root });
});

function call(method: string, pathAndQuery: string, body?: object): Promise<ApiResponse> {
  return signedRequest(server.url, {
    method,
    path: pathAndQuery,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    accessKeyId: key.AccessKeyId,
    secretAccessKey: key.SecretAccessKey,
  });
}

describe('resource tags over the API', () => {
  it('tags a package group by the ARN CreatePackageGroup answered with', async () => {
    const created = await call('POST', '/v1/package-group?domain=acme', { packageGroup: '/npm/web/*', tags: [{ key: 'team', value: 'web' }] });
    expect(created.status).toBe(200);
    const arn = (created.json().packageGroup as { arn: string }).arn;
    const at = `resourceArn=${encodeURIComponent(arn)}`;

    expect((await call('POST', `/v1/tags?${at}`)).json()).toEqual({ tags: [{ key: 'team', value: 'web' }] });
    expect((await call('POST', `/v1/tag?${at}`, { tags: [{ key: 'env', value: 'prod' }] })).status).toBe(200);
    expect((await call('POST', `/v1/untag?${at}`, { tagKeys: ['team'] })).status).toBe(200);
    expect((await call('POST', `/v1/tags?${at}`)).json()).toEqual({ tags: [{ key: 'env', value: 'prod' }] });
  });

  it('answers 404 for a domain that does not exist and leaves no directory for it', async () => {
    const arn = encodeURIComponent('arn:aws:codeartifact:local:000000000000:domain/ghost');
    const tagged = await call('POST', `/v1/tag?resourceArn=${arn}`, { tags: [{ key: 'a', value: 'b' }] });
    expect({ status: tagged.status, type: tagged.headers['x-amzn-errortype'] }).toEqual({ status: 404, type: 'ResourceNotFoundException' });
    expect(existsSync(path.join(root, 'domains', 'ghost'))).toBe(false);
  });
});
