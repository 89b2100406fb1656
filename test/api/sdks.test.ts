/**
 * The AWS SDKs against a real `serve`: the JavaScript SDK (v3) runs the common calls with a
 * paginator and a streamed getPackageVersionAsset, and boto3 (Debian's python3-boto3) a few.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  CodeartifactClient,
  CreateDomainCommand,
  CreateRepositoryCommand,
  DescribeDomainCommand,
  GetAuthorizationTokenCommand,
  GetPackageVersionAssetCommand,
  PublishPackageVersionCommand,
  paginateListPackageVersions,
} from '@aws-sdk/client-codeartifact';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AccessKey } from '../helpers/aws-sign.js';
import { runCliJson } from '../helpers/run-cli.js';
import { runClient } from '../helpers/run-client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let root: string;
let server: TestServer;
let key: AccessKey;

beforeAll(async () => {
  root = makeTempDir('artifact-cli-api-sdks-');
  key = (await runCliJson<{ AccessKey: AccessKey }>(['create-access-key', '--principal', 'sdk'], { root })).AccessKey;
  server = await startTestServer({ root });
});

describe('the JavaScript SDK', () => {
  it('creates, publishes, pages through versions and streams an asset', async () => {
    const client = new CodeartifactClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey },
      maxAttempts: 1,
    });
    const domain = await client.send(new CreateDomainCommand({ domain: 'js-sdk' }));
    expect(domain.domain?.name).toBe('js-sdk');
    expect(domain.domain?.createdTime).toBeInstanceOf(Date);
    await client.send(new CreateRepositoryCommand({ domain: 'js-sdk', repository: 'files', upstreams: [] }));

    const versions = ['1.0.0', '1.1.0', '2.0.0'];
    for (const version of versions) {
      const content = Buffer.from(`build ${version}\n`);
      const published = await client.send(
        new PublishPackageVersionCommand({
          domain: 'js-sdk',
          repository: 'files',
          format: 'generic',
          namespace: 'builds',
          package: 'app',
          packageVersion: version,
          assetName: 'app.txt',
          assetContent: content,
          assetSHA256: sha(content),
        }),
      );
      expect(published.status).toBe('Published');
    }

    const seen: string[] = [];
    let pages = 0;
    const pkg = { domain: 'js-sdk', repository: 'files', format: 'generic' as const, namespace: 'builds', package: 'app' };
    for await (const page of paginateListPackageVersions({ client, pageSize: 1 }, pkg)) {
      pages += 1;
      seen.push(...(page.versions ?? []).map((entry) => entry.version!));
    }
    expect(seen.sort()).toEqual(versions);
    expect(pages).toBeGreaterThanOrEqual(3);

    const asset = await client.send(new GetPackageVersionAssetCommand({ ...pkg, packageVersion: '1.1.0', asset: 'app.txt' }));
    expect(asset.assetName).toBe('app.txt');
    expect(asset.packageVersion).toBe('1.1.0');
    expect(asset.packageVersionRevision).toMatch(/\S/);
    expect(Buffer.from(await asset.asset!.transformToByteArray()).toString('utf8')).toBe('build 1.1.0\n');

    const token = await client.send(new GetAuthorizationTokenCommand({ domain: 'js-sdk' }));
    expect(token.authorizationToken).toMatch(/^acat_/);

    const missing = await client
      .send(new DescribeDomainCommand({ domain: 'absent' }))
      .catch((error: unknown) => error as { name: string; $metadata: { httpStatusCode: number }; message: string });
    expect(missing).toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });

    const wrongKey = new CodeartifactClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: key.AccessKeyId, secretAccessKey: 'wrong' },
      maxAttempts: 1,
    });
    const refused = await wrongKey.send(new DescribeDomainCommand({ domain: 'js-sdk' })).catch((error: unknown) => error as { name: string });
    expect(refused).toMatchObject({ name: 'InvalidSignatureException' });
  });
});

const BOTO3_SCRIPT = `
import json, sys, boto3
from botocore.exceptions import ClientError
url, key_id, secret = sys.argv[1:4]
ca = boto3.client('codeartifact', endpoint_url=url, region_name='eu-central-1', aws_access_key_id=key_id, aws_secret_access_key=secret)
ca.create_domain(domain='boto')
ca.create_repository(domain='boto', repository='py', description='from boto3')
ca.create_repository(domain='boto', repository='py2')
repos = [r['name'] for page in ca.get_paginator('list_repositories_in_domain').paginate(domain='boto', PaginationConfig={'PageSize': 1}) for r in page['repositories']]
desc = ca.describe_repository(domain='boto', repository='py')['repository']
try:
    ca.delete_domain(domain='absent')
    error = None
except ClientError as e:
    error = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
endpoint = ca.get_repository_endpoint(domain='boto', repository='py', format='pypi')['repositoryEndpoint']
print(json.dumps({'repos': repos, 'description': desc['description'], 'error': error, 'endpoint': endpoint}))
`;

function hasBoto3(): boolean {
  const found = spawnSync('/usr/bin/python3', ['-c', 'import boto3'], { stdio: 'ignore' }).status === 0;
  if (!found) {
    const message = "Debian's python3-boto3 is not installed: the boto3 test of the API is skipped (.ci/run installs it).";
    if (process.env.CI === 'true') throw new Error(message);
    console.warn(`WARNING: ${message}`);
  }
  return found;
}

describe.runIf(hasBoto3())('boto3', () => {
  it('creates, pages, describes and reads errors', async () => {
    const home = makeTempDir('artifact-cli-boto3-home-');
    const result = await runClient('/usr/bin/python3', ['-c', BOTO3_SCRIPT, server.url, key.AccessKeyId, key.SecretAccessKey], home, {
      PATH: process.env.PATH,
      HOME: home,
      AWS_CONFIG_FILE: `${home}/none`,
      AWS_SHARED_CREDENTIALS_FILE: `${home}/none`,
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      repos: ['py', 'py2'],
      description: 'from boto3',
      error: ['ResourceNotFoundException', 404],
      endpoint: `${server.url}/boto/pypi/py/`,
    });
  });
});
