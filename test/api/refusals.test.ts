/**
 * What the API refuses, and how: bad signatures of every kind get 403 in AWS's shapes and
 * change nothing; unknown paths get 404; bad input gets a ValidationException naming the
 * member; permissions policies bind access keys by their principal. A domain named v1 keeps
 * its package endpoints.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sendRequest, signedRequest, type AccessKey, type ApiResponse, type SignOptions } from '../helpers/aws-sign.js';
import { runCli, runCliJson } from '../helpers/run-cli.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let root: string;
let server: TestServer;
let admin: AccessKey;
let bot: AccessKey;

beforeAll(async () => {
  root = makeTempDir('artifact-cli-api-refusals-');
  admin = (await runCliJson<{ AccessKey: AccessKey }>(['create-access-key', '--principal', 'admin'], { root })).AccessKey;
  bot = (await runCliJson<{ AccessKey: AccessKey }>(['create-access-key', '--principal', 'ci-bot'], { root })).AccessKey;
  await runCliJson(['create-domain', '--domain', 'acme'], { root });
  await runCliJson(['create-repository', '--domain', 'acme', '--repository', 'main'], { root });
  server = await startTestServer({ root });
});

type Call = Omit<SignOptions, 'accessKeyId' | 'secretAccessKey'> & { key?: AccessKey };

function call(options: Call): Promise<ApiResponse> {
  const key = options.key ?? admin;
  return signedRequest(server.url, { ...options, accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey });
}

function expectAwsError(response: ApiResponse, status: number, type: string, message?: RegExp): void {
  expect({ status: response.status, type: response.headers['x-amzn-errortype'] }).toEqual({ status, type });
  const body = response.json();
  expect(typeof body.message).toBe('string');
  if (message) expect(body.message).toMatch(message);
}

async function domains(): Promise<string[]> {
  const listed = await runCliJson<{ domains: { name: string }[] }>(['list-domains'], { root });
  return listed.domains.map((domain) => domain.name).sort();
}

const createDomain = (domain: string): Call => ({
  method: 'POST',
  path: `/v1/domain?domain=${domain}`,
  body: '{}',
  headers: { 'content-type': 'application/json' },
});

describe('signature checks', () => {
  it('answers a correctly signed call', async () => {
    const response = await call({ method: 'GET', path: '/v1/domain?domain=acme' });
    expect(response.status).toBe(200);
    expect((response.json().domain as { name: string }).name).toBe('acme');
  });

  it('refuses an unsigned call with 403 MissingAuthenticationTokenException and creates nothing', async () => {
    const response = await sendRequest(server.url, 'POST', '/v1/domain?domain=unsigned', { 'content-type': 'application/json' }, '{}');
    expectAwsError(response, 403, 'MissingAuthenticationTokenException');
    expect(await domains()).toEqual(['acme']);
  });

  it('refuses a wrong secret with InvalidSignatureException', async () => {
    const response = await call({
      ...createDomain('wrongsecret'),
      // Another last character, whatever the secret ends with (it ends with 'x' one time in 64).
      key: { AccessKeyId: admin.AccessKeyId, SecretAccessKey: `${admin.SecretAccessKey.slice(0, -1)}${admin.SecretAccessKey.endsWith('x') ? 'y' : 'x'}` },
    });
    expectAwsError(response, 403, 'InvalidSignatureException', /signature we calculated does not match/);
    expect(await domains()).toEqual(['acme']);
  });

  it('refuses an unknown key with UnrecognizedClientException', async () => {
    const response = await call({ ...createDomain('unknownkey'), key: { AccessKeyId: 'AKIAAAAAAAAAAAAAAAAA', SecretAccessKey: admin.SecretAccessKey } });
    expectAwsError(response, 403, 'UnrecognizedClientException', /security token included in the request is invalid/);
    expect(await domains()).toEqual(['acme']);
  });

  it('refuses a scope naming another service', async () => {
    const response = await call({ ...createDomain('otherservice'), service: 's3' });
    expectAwsError(response, 403, 'InvalidSignatureException', /scoped to correct service: 'codeartifact'/);
    expect(await domains()).toEqual(['acme']);
  });

  it('refuses a request signed 16 minutes ago or 16 minutes ahead', async () => {
    const past = await call({ ...createDomain('late'), now: new Date(Date.now() - 16 * 60_000) });
    expectAwsError(past, 403, 'InvalidSignatureException', /Signature expired/);
    const future = await call({ ...createDomain('early'), now: new Date(Date.now() + 16 * 60_000) });
    expectAwsError(future, 403, 'InvalidSignatureException', /not yet current/);
    expect(await domains()).toEqual(['acme']);
  });

  it('takes any region', async () => {
    const response = await call({ method: 'GET', path: '/v1/domain?domain=acme', region: 'eu-west-3' });
    expect(response.status).toBe(200);
  });

  it('refuses a signed request whose body or query was changed', async () => {
    const body = JSON.stringify({ description: 'signed' });
    const changedBody = await call({
      method: 'PUT',
      path: '/v1/repository?domain=acme&repository=main',
      body,
      sendBody: JSON.stringify({ description: 'changed' }),
    });
    expectAwsError(changedBody, 403, 'InvalidSignatureException');
    const declared = await call({
      method: 'PUT',
      path: '/v1/repository?domain=acme&repository=main',
      body,
      sendBody: JSON.stringify({ description: 'changed' }),
      declareHash: true,
    });
    expectAwsError(declared, 403, 'InvalidSignatureException', /x-amz-content-sha256/);
    const described = await runCliJson<{ repository: { description?: string } }>(['describe-repository', '--domain', 'acme', '--repository', 'main'], { root });
    expect(described.repository.description).toBeUndefined();

    const options: SignOptions = { ...createDomain('signedname'), accessKeyId: admin.AccessKeyId, secretAccessKey: admin.SecretAccessKey };
    const { signHeaders } = await import('../helpers/aws-sign.js');
    const headers = signHeaders(server.url, options);
    const changedQuery = await sendRequest(server.url, 'POST', '/v1/domain?domain=othername', headers, '{}');
    expectAwsError(changedQuery, 403, 'InvalidSignatureException');
    expect(await domains()).toEqual(['acme']);
  });

  it('refuses an upload whose bytes differ from the signed SHA-256 and stores nothing', async () => {
    const signed = Buffer.from('the signed bytes\n');
    const hash = createHash('sha256').update(signed).digest('hex');
    const { signHeaders } = await import('../helpers/aws-sign.js');
    const publishPath = '/v1/package/version/publish?domain=acme&repository=main&format=generic&namespace=ns&package=p&version=1.0&asset=a.txt';
    const headers = signHeaders(server.url, {
      method: 'POST',
      path: publishPath,
      body: signed,
      declareHash: true,
      accessKeyId: admin.AccessKeyId,
      secretAccessKey: admin.SecretAccessKey,
    });
    const response = await sendRequest(server.url, 'POST', publishPath, headers, Buffer.from('other bytes, same len\n'));
    expectAwsError(response, 403, 'InvalidSignatureException', /x-amz-content-sha256/);
    // The same upload with the signed bytes goes through, so the refusal was about the bytes.
    const good = await sendRequest(
      server.url,
      'POST',
      publishPath.replace('1.0', '2.0'),
      signHeaders(server.url, {
        method: 'POST',
        path: publishPath.replace('1.0', '2.0'),
        body: signed,
        declareHash: true,
        accessKeyId: admin.AccessKeyId,
        secretAccessKey: admin.SecretAccessKey,
      }),
      signed,
    );
    expect(good.status).toBe(200);
    expect((good.json().asset as { hashes: Record<string, string> }).hashes['SHA-256']).toBe(hash);
    const listed = await runCliJson<{ versions: { version: string }[] }>(
      ['list-package-versions', '--domain', 'acme', '--repository', 'main', '--format', 'generic', '--namespace', 'ns', '--package', 'p'],
      { root },
    );
    expect(listed.versions.map((version) => version.version)).toEqual(['2.0']);
  });

  it('refuses a key deleted a moment ago', async () => {
    const doomed = (await runCliJson<{ AccessKey: AccessKey }>(['create-access-key', '--principal', 'temp'], { root })).AccessKey;
    expect((await call({ method: 'POST', path: '/v1/domains', body: '{}', key: doomed })).status).toBe(200);
    expect((await runCli(['delete-access-key', '--access-key-id', doomed.AccessKeyId], { root })).code).toBe(0);
    const response = await call({ ...createDomain('afterdelete'), key: doomed });
    expectAwsError(response, 403, 'UnrecognizedClientException');
    expect(await domains()).toEqual(['acme']);
  });

  it('keeps the secrets in a file only its owner can read, and out of the log', async () => {
    expect(statSync(path.join(root, 'access-keys.json')).mode & 0o777).toBe(0o600);
    expect(server.output()).not.toContain(admin.SecretAccessKey);
    const listed = await runCli(['list-access-keys'], { root });
    expect(listed.stdout).toContain(admin.AccessKeyId);
    expect(listed.stdout).not.toContain(admin.SecretAccessKey);
  });
});

describe('paths and input', () => {
  it('answers an unknown path or method under /v1/ with 404 in AWS shape', async () => {
    expectAwsError(await call({ method: 'GET', path: '/v1/no-such-operation' }), 404, 'UnknownOperationException');
    expectAwsError(await call({ method: 'GET', path: '/v1/domains' }), 404, 'UnknownOperationException');
  });

  it('answers malformed JSON and wrong types with a ValidationException naming the member', async () => {
    expectAwsError(await call({ method: 'POST', path: '/v1/domains', body: '{"maxResults": ' }), 400, 'ValidationException', /not valid JSON/);
    expectAwsError(await call({ method: 'POST', path: '/v1/domains', body: '{"maxResults": "ten"}' }), 400, 'ValidationException', /'maxResults'/);
    expectAwsError(
      await call({ method: 'POST', path: '/v1/domains', body: '{"maxResults": 5000}' }),
      400,
      'ValidationException',
      /'maxResults'.*less than or equal to 1000/,
    );
    expectAwsError(
      await call({ method: 'POST', path: '/v1/packages?domain=acme&repository=main&max-results=abc', body: '{}' }),
      400,
      'ValidationException',
      /'maxResults'/,
    );
    expectAwsError(
      await call({ method: 'POST', path: '/v1/domain?domain=tagged', body: '{"tags": {"key": "k"}}' }),
      400,
      'ValidationException',
      /'tags'.*Member must be a list; got an object/,
    );
    expectAwsError(
      await call({ method: 'POST', path: '/v1/domain?domain=tagged', body: '{"tags": [{"key": "k"}]}' }),
      400,
      'ValidationException',
      /'tags.1.member.value'/,
    );
    expectAwsError(await call({ method: 'GET', path: '/v1/domain' }), 400, 'ValidationException', /'domain'.*must not be null/);
    expectAwsError(
      await call({ method: 'GET', path: '/v1/repository/endpoint?domain=acme&repository=main&format=rpm' }),
      400,
      'ValidationException',
      /'format'.*enum/,
    );
    expect(await domains()).toEqual(['acme']);
  });

  it('answers missing resources in the service shape with resourceType', async () => {
    const response = await call({ method: 'GET', path: '/v1/package?domain=acme&repository=main&format=npm&package=absent' });
    expectAwsError(response, 404, 'ResourceNotFoundException');
    expect(response.json().resourceType).toBe('package');
  });
});

describe('permissions policies and access keys', () => {
  it('binds a key by its principal: ci-bot may read and get tokens, not delete the domain', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: 'admin' }, Action: 'codeartifact:*', Resource: '*' },
        {
          Effect: 'Allow',
          Principal: { AWS: 'ci-bot' },
          Action: [
            'codeartifact:GetAuthorizationToken',
            'codeartifact:ReadFromRepository',
            'codeartifact:Describe*',
            'codeartifact:List*',
            'codeartifact:GetRepositoryEndpoint',
          ],
          Resource: '*',
        },
      ],
    };
    const put = await call({
      method: 'PUT',
      path: '/v1/domain/permissions/policy',
      body: JSON.stringify({ domain: 'acme', policyDocument: JSON.stringify(policy) }),
    });
    expect(put.status).toBe(200);

    const token = await call({ method: 'POST', path: '/v1/authorization-token?domain=acme', key: bot });
    expect(token.status).toBe(200);
    const { authorizationToken } = token.json() as { authorizationToken: string };
    expect((await call({ method: 'GET', path: '/v1/repository?domain=acme&repository=main', key: bot })).status).toBe(200);

    const denied = await call({ method: 'DELETE', path: '/v1/repository?domain=acme&repository=main', key: bot });
    expectAwsError(denied, 403, 'AccessDeniedException', /ci-bot is not authorized to perform: codeartifact:DeleteRepository/);
    const deniedDomain = await call({ method: 'DELETE', path: '/v1/domain?domain=acme', key: bot });
    expectAwsError(deniedDomain, 403, 'AccessDeniedException', /codeartifact:DeleteDomain/);
    expect(await domains()).toEqual(['acme']);

    // The token it got speaks for ci-bot at the package endpoints too.
    const npm = await sendRequest(server.url, 'GET', '/acme/npm/main/absent-package', { authorization: `Bearer ${authorizationToken}` });
    expect(npm.status).toBe(404);
    const removed = await call({ method: 'DELETE', path: '/v1/domain/permissions/policy?domain=acme' });
    expect(removed.status).toBe(200);
  });
});

describe('a domain named v1', () => {
  it('keeps its npm endpoint while the API answers beside it', async () => {
    await runCliJson(['create-domain', '--domain', 'v1'], { root });
    await runCliJson(['create-repository', '--domain', 'v1', '--repository', 'npm-store'], { root });
    const { authorizationToken } = await runCliJson<{ authorizationToken: string }>(['get-authorization-token', '--domain', 'v1'], { root });
    const npm = await sendRequest(server.url, 'GET', '/v1/npm/npm-store/absent-package', { authorization: `Bearer ${authorizationToken}` });
    expect(npm.status).toBe(404);
    expect(npm.headers['x-amzn-errortype']).toBeUndefined();
    const api = await call({ method: 'GET', path: '/v1/domain?domain=v1' });
    expect(api.status).toBe(200);
    await runCliJson(['delete-repository', '--domain', 'v1', '--repository', 'npm-store'], { root });
    await runCliJson(['delete-domain', '--domain', 'v1'], { root });
  });
});
