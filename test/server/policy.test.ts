/**
 * Permissions policies enforced by the server, through the requests npm, twine and Maven send:
 * a read-only principal installs but cannot publish; a Deny wins over an Allow; anonymous
 * readers count as "anonymous"; with no policy every token may do everything.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { putPermissionsPolicy } from '../../src/operations/permissions-policy.js';
import { getAuthorizationToken } from '../../src/operations/tokens.js';
import type { Store } from '../../src/store/store.js';
import { encodePackageName, startHarness, tarballOf, type Harness } from '../formats/npm/npm-registry-harness.js';
import { buildJar, clientMetadata } from '../helpers/maven-harness.js';
import { buildWheel } from '../helpers/pypi-dist.js';
import { uploadDist } from '../helpers/pypi-upload.js';
import { stringContaining } from '../helpers/matchers.js';

const REPO_ARN = 'arn:aws:codeartifact:local:000000000000:repository/acme/main';
const JAR = 'com/acme/util/1.0.0/util-1.0.0.jar';

function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

async function tokenFor(store: Store, principal: string): Promise<string> {
  return (await getAuthorizationToken(store, { domain: 'acme', principal })).authorizationToken;
}

function basic(token: string): string {
  return `Basic ${Buffer.from(`aws:${token}`).toString('base64')}`;
}

function mavenPut(h: Harness, token: string, relative: string, body: Buffer): Promise<Response> {
  return fetch(`${h.server.url}/acme/maven/main/${relative}`, { method: 'PUT', headers: { authorization: basic(token) }, body: new Uint8Array(body) });
}

/** alice publishes an npm package, a wheel and a jar into main, then the domain gets a policy: alice everything, reader reads. */
async function readOnlySetup() {
  const h = await startHarness();
  const reader = await tokenFor(h.store, 'reader');
  const lib = tarballOf({ name: 'shared-lib', version: '1.0.0' });
  expect((await h.publish(lib)).status).toBe(201);
  const wheel = buildWheel({ name: 'tool', version: '1.0' });
  expect((await uploadDist(`${h.server.url}/acme/pypi/main/`, h.token, wheel, 'tool', '1.0')).status).toBe(200);
  // Kept: a zip built later may carry another timestamp, so it would not be the same bytes.
  const jar = buildJar();
  expect((await mavenPut(h, h.token, JAR, jar)).status).toBe(201);
  expect((await mavenPut(h, h.token, 'com/acme/util/maven-metadata.xml', Buffer.from(clientMetadata('com.acme', 'util', ['1.0.0'])))).status).toBe(201);
  await putPermissionsPolicy(
    h.store,
    { domain: 'acme' },
    {
      policyDocument: policy(
        { Sid: 'admins', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:user/alice' }, Action: 'codeartifact:*', Resource: '*' },
        { Sid: 'readers', Effect: 'Allow', Principal: { AWS: 'reader' }, Action: 'codeartifact:ReadFromRepository', Resource: REPO_ARN },
      ),
    },
  );
  return { h, reader, lib, wheel, jar };
}

const READER_REFUSAL =
  "reader may not perform codeartifact:PublishPackageVersion on repository main of domain acme: no statement of the domain acme's permissions policy allows it.";

describe('a read-only principal', () => {
  it("installs with npm but gets 403 on publish, in npm's error shape, and nothing is stored", async () => {
    const { h, reader, lib } = await readOnlySetup();
    const packument = await h.request('shared-lib', { token: reader });
    expect(packument.status).toBe(200);
    const tarballUrl = (await packument.json<{ versions: Record<string, { dist: { tarball: string } }> }>()).versions['1.0.0'].dist.tarball;
    const tarball = await fetch(tarballUrl, { headers: { authorization: `Bearer ${reader}` } });
    expect(Buffer.from(await tarball.arrayBuffer()).equals(lib.bytes)).toBe(true);

    const before = h.storedFiles();
    const body = JSON.stringify({ name: 'shared-lib', versions: {} });
    const publish = await h.request(encodePackageName('shared-lib'), { method: 'PUT', token: reader, headers: { 'content-type': 'application/json' }, body });
    expect(publish.status).toBe(403);
    expect(await publish.json()).toEqual({ code: 'AccessDenied', error: stringContaining(READER_REFUSAL) });
    expect(h.storedFiles()).toEqual(before);
    // alice, whom the policy allows everything, still publishes.
    expect((await h.publish(tarballOf({ name: 'shared-lib', version: '1.1.0' }))).status).toBe(201);
  });

  it("reads the PyPI simple page and downloads, but twine's upload gets 403 with the reason", async () => {
    const { h, reader, wheel } = await readOnlySetup();
    const page = await fetch(`${h.server.url}/acme/pypi/main/simple/tool/`, { headers: { authorization: basic(reader) } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(wheel.fileName);
    const upload = await uploadDist(`${h.server.url}/acme/pypi/main/`, reader, buildWheel({ name: 'tool', version: '2.0' }), 'tool', '2.0');
    expect(upload.status).toBe(403);
    expect(upload.reason).toBe(READER_REFUSAL);
    expect(upload.body).toContain(READER_REFUSAL);
  });

  it("downloads with Maven's requests but its deploy PUTs get 403 with the reason phrase", async () => {
    const { h, reader, jar: published } = await readOnlySetup();
    const jar = await fetch(`${h.server.url}/acme/maven/main/${JAR}`, { headers: { authorization: basic(reader) } });
    expect(jar.status).toBe(200);
    expect(
      createHash('sha256')
        .update(Buffer.from(await jar.arrayBuffer()))
        .digest('hex'),
    ).toBe(createHash('sha256').update(published).digest('hex'));
    const deploy = await mavenPut(h, reader, 'com/acme/util/2.0.0/util-2.0.0.jar', buildJar());
    expect(deploy.status).toBe(403);
    expect(deploy.statusText).toBe(READER_REFUSAL);
    const metadata = await mavenPut(h, reader, 'com/acme/util/maven-metadata.xml', Buffer.from('<metadata/>'));
    expect(metadata.status).toBe(403);
  });

  it('is refused everything in a repository the policy does not cover, and unknown principals are refused reads', async () => {
    const { h, reader } = await readOnlySetup();
    const shared = await h.request('shared-lib', { token: reader, repository: 'shared' });
    expect(shared.status).toBe(403);
    expect((await shared.json<{ error: string }>()).error).toContain(
      'reader may not perform codeartifact:ReadFromRepository on repository shared of domain acme',
    );
    const stranger = await h.request('shared-lib', { token: await tokenFor(h.store, 'stranger') });
    expect(stranger.status).toBe(403);
  });
});

describe('policies together', () => {
  it("lets an explicit Deny in the repository policy win over the domain policy's Allow", async () => {
    const h = await startHarness();
    const mallory = await tokenFor(h.store, 'mallory');
    await putPermissionsPolicy(
      h.store,
      { domain: 'acme' },
      { policyDocument: policy({ Effect: 'Allow', Principal: '*', Action: 'codeartifact:*', Resource: '*' }) },
    );
    await putPermissionsPolicy(
      h.store,
      { domain: 'acme', repository: 'main' },
      {
        policyDocument: policy({
          Sid: 'no-mallory',
          Effect: 'Deny',
          Principal: { AWS: 'mallory' },
          Action: ['codeartifact:PublishPackageVersion', 'codeartifact:PutPackageMetadata'],
        }),
      },
    );
    const refused = await h.request(encodePackageName('evil'), { method: 'PUT', token: mallory, headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(403);
    expect((await refused.json<{ error: string }>()).error).toContain(
      'mallory may not perform codeartifact:PublishPackageVersion on repository main of domain acme: statement "no-mallory" of the repository main\'s permissions policy denies it.',
    );
    // mallory may still read, and publish where no Deny applies; others publish into main.
    expect((await h.request('evil', { token: mallory })).status).toBe(404);
    const elsewhere = tarballOf({ name: 'fine', version: '1.0.0' });
    expect((await h.publish(elsewhere, { repository: 'shared' })).status).toBe(201);
    expect((await h.publish(tarballOf({ name: 'fine', version: '2.0.0' }))).status).toBe(201);
  });

  it('counts anonymous reads as principal "anonymous", matched only by "*"', async () => {
    const h = await startHarness({ allowAnonymousRead: true });
    expect((await h.publish(tarballOf({ name: 'open-lib', version: '1.0.0' }))).status).toBe(201);
    expect((await h.request('open-lib', { token: null })).status).toBe(200);
    await putPermissionsPolicy(
      h.store,
      { domain: 'acme' },
      { policyDocument: policy({ Effect: 'Allow', Principal: { AWS: ['alice', '000000000000'] }, Action: 'codeartifact:*' }) },
    );
    const anonymous = await h.request('open-lib', { token: null });
    expect(anonymous.status).toBe(403);
    expect((await anonymous.json<{ error: string }>()).error).toContain('anonymous may not perform codeartifact:ReadFromRepository on repository main');
    await putPermissionsPolicy(
      h.store,
      { domain: 'acme' },
      {
        policyDocument: policy(
          { Effect: 'Allow', Principal: '*', Action: 'codeartifact:ReadFromRepository' },
          { Effect: 'Allow', Principal: { AWS: 'alice' }, Action: 'codeartifact:*' },
        ),
      },
    );
    expect((await h.request('open-lib', { token: null })).status).toBe(200);
  });

  it('asks for the action each route needs: metadata, unpublish and unlist are not publishes', async () => {
    const h = await startHarness();
    const publisher = await tokenFor(h.store, 'publisher');
    expect((await h.publish(tarballOf({ name: 'gone-lib', version: '1.0.0' }))).status).toBe(201);
    await putPermissionsPolicy(
      h.store,
      { domain: 'acme' },
      {
        policyDocument: policy(
          { Effect: 'Allow', Principal: { AWS: 'alice' }, Action: 'codeartifact:*' },
          { Effect: 'Allow', Principal: { AWS: 'publisher' }, Action: ['codeartifact:ReadFromRepository', 'codeartifact:PublishPackageVersion'] },
        ),
      },
    );
    expect((await mavenPut(h, publisher, JAR, buildJar())).status).toBe(201);
    const metadata = await mavenPut(h, publisher, 'com/acme/util/maven-metadata.xml', Buffer.from(clientMetadata('com.acme', 'util', ['1.0.0'])));
    expect(metadata.status).toBe(403);
    expect(metadata.statusText).toContain('codeartifact:PutPackageMetadata');
    const unpublish = await h.request('gone-lib/-rev/1-x', { method: 'DELETE', token: publisher });
    expect(unpublish.status).toBe(403);
    expect((await unpublish.json<{ error: string }>()).error).toContain('codeartifact:DeletePackageVersions');
    const unlist = await fetch(`${h.server.url}/acme/nuget/main/api/v2/package/some.lib/1.0.0`, { method: 'DELETE', headers: { 'x-nuget-apikey': publisher } });
    expect(unlist.status).toBe(403);
  });
});
