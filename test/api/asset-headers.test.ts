/**
 * GetPackageVersionAsset names the asset and version in headers. A name beyond Latin-1 (which
 * Node cannot put in a header as text) still downloads: the header carries its UTF-8 bytes.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedRequest, type AccessKey } from '../helpers/aws-sign.js';
import { runCliJson } from '../helpers/run-cli.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let root: string;
let server: TestServer;
let key: AccessKey;
const content = Buffer.from('asset bytes\n');

beforeAll(async () => {
  root = makeTempDir('artifact-cli-api-asset-headers-');
  key = (await runCliJson<{ AccessKey: AccessKey }>(['create-access-key', '--principal', 'admin'], { root })).AccessKey;
  await runCliJson(['create-domain', '--domain', 'acme'], { root });
  await runCliJson(['create-repository', '--domain', 'acme', '--repository', 'files'], { root });
  const file = path.join(makeTempDir(), 'asset');
  writeFileSync(file, content);
  for (const [version, asset] of [
    ['1.0', 'é.txt'],
    ['版2.0', '日本.txt'],
  ]) {
    await runCliJson(
      [
        ...['publish-package-version', '--domain', 'acme', '--repository', 'files', '--format', 'generic', '--namespace', 'ns', '--package', 'tool'],
        ...['--package-version', version, '--asset-name', asset, '--asset-content', file],
        ...['--asset-sha256', createHash('sha256').update(content).digest('hex')],
      ],
      { root },
    );
  }
  server = await startTestServer({ root });
});

function download(version: string, asset: string) {
  const query = new URLSearchParams({ domain: 'acme', repository: 'files', format: 'generic', namespace: 'ns', package: 'tool', version, asset });
  return signedRequest(server.url, {
    method: 'GET',
    path: `/v1/package/version/asset?${query.toString().replace(/\+/g, '%20')}`,
    accessKeyId: key.AccessKeyId,
    secretAccessKey: key.SecretAccessKey,
  });
}

describe('the headers of an asset download', () => {
  it('keeps a Latin-1 name as Latin-1, as botocore and Node read it', async () => {
    const response = await download('1.0', 'é.txt');
    expect(response.status).toBe(200);
    expect(response.headers['x-assetname']).toBe('é.txt');
    expect(response.body).toEqual(content);
  });

  it('sends a name and version beyond Latin-1 as UTF-8 bytes, and the asset itself', async () => {
    const response = await download('版2.0', '日本.txt');
    expect(response.status).toBe(200);
    // Node reads header bytes as Latin-1; read back as UTF-8 they are the names.
    expect(Buffer.from(String(response.headers['x-assetname']), 'latin1').toString('utf8')).toBe('日本.txt');
    expect(Buffer.from(String(response.headers['x-packageversion']), 'latin1').toString('utf8')).toBe('版2.0');
    expect(response.body).toEqual(content);
  });
});
