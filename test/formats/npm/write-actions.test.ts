/**
 * What each npm write may change, by the action it really performs: a document update never
 * removes the package record (and with it the origin controls); removing versions needs
 * DeletePackageVersions, removing the record DeletePackage, and a deprecation or a tag change
 * sent along with an unpublish needs PublishPackageVersion.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PackageKey } from '../../../src/core/model.js';
import { putPackageOriginConfiguration } from '../../../src/operations/origin-configuration.js';
import { putPermissionsPolicy } from '../../../src/operations/permissions-policy.js';
import { getAuthorizationToken } from '../../../src/operations/tokens.js';
import { buildNpmTarball } from '../../helpers/npm-tarball.js';
import { publishBody, startHarness, type Harness } from './npm-registry-harness.js';
import { startUpstreamHarness } from './upstream-harness.js';

let registry: Harness;
/** May read and publish; denied both deletes. */
let publisher: string;
/** May read and delete versions, nothing else. */
let unpublisher: string;
/** May read, delete versions and delete packages. */
let remover: string;
/** May only read. */
let reader: string;

const keyOf = (name: string): PackageKey => ({ domain: 'acme', repository: 'main', format: 'npm', name });
const json = (value: unknown): RequestInit => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
const allow = (principal: string, actions: string[]) => ({
  Effect: 'Allow',
  Principal: { AWS: principal },
  Action: actions.map((action) => `codeartifact:${action}`),
  Resource: '*',
});

beforeAll(async () => {
  registry = await startHarness();
  const token = async (principal: string) => (await getAuthorizationToken(registry.store, { domain: 'acme', principal })).authorizationToken;
  [publisher, unpublisher, remover, reader] = await Promise.all([token('publisher'), token('unpublisher'), token('remover'), token('reader')]);
  const policy = {
    Version: '2012-10-17',
    Statement: [
      allow('alice', ['*']),
      allow('publisher', ['ReadFromRepository', 'PublishPackageVersion']),
      { Effect: 'Deny', Principal: { AWS: 'publisher' }, Action: ['codeartifact:DeletePackage', 'codeartifact:DeletePackageVersions'], Resource: '*' },
      allow('unpublisher', ['ReadFromRepository', 'DeletePackageVersions']),
      allow('remover', ['ReadFromRepository', 'DeletePackageVersions', 'DeletePackage']),
      allow('reader', ['ReadFromRepository']),
    ],
  };
  await putPermissionsPolicy(registry.store, { domain: 'acme', repository: 'main' }, { policyDocument: JSON.stringify(policy) });
});

async function publishVersions(name: string, versions: string[]): Promise<void> {
  for (const version of versions) expect((await registry.publish(buildNpmTarball({ name, version }))).status).toBe(201);
}

async function guarded(name: string, upstream: 'ALLOW' | 'BLOCK' = 'ALLOW'): Promise<void> {
  await putPackageOriginConfiguration(registry.store, keyOf(name), { publish: 'BLOCK', upstream });
}

const restrictionsOf = async (name: string) => (await registry.store.index.getPackage(keyOf(name)))?.originConfiguration.restrictions;

describe('npm document updates never remove the package record', () => {
  it('keeps the origin controls of a name without versions when a publisher sends {}', async () => {
    await guarded('guarded-name');
    const response = await registry.request('guarded-name', { method: 'PUT', token: publisher, ...json({}) });
    expect(response.status).toBeLessThan(500);
    expect(await restrictionsOf('guarded-name')).toEqual({ publish: 'BLOCK', upstream: 'ALLOW' });
    const publish = await registry.request('guarded-name', {
      method: 'PUT',
      token: publisher,
      ...json(publishBody(buildNpmTarball({ name: 'guarded-name', version: '1.0.0' }), registry.registry)),
    });
    expect(publish.status).toBe(403);
    expect((await publish.json()).error).toMatch(/publish=BLOCK/);
  });

  it('keeps the record and its controls when an unpublish by revision removes the last version', async () => {
    await publishVersions('last-one', ['1.0.0']);
    await putPackageOriginConfiguration(registry.store, keyOf('last-one'), { publish: 'ALLOW', upstream: 'BLOCK' });
    const document = await (await registry.request('last-one?write=true')).json();
    delete document.versions['1.0.0'];
    delete document['dist-tags'].latest;
    expect((await registry.request(`last-one/-rev/${document._rev}`, { method: 'PUT', token: unpublisher, ...json(document) })).status).toBe(200);
    const record = await registry.store.index.getPackage(keyOf('last-one'));
    expect(record?.versions).toEqual({});
    expect(record?.originConfiguration.restrictions).toEqual({ publish: 'ALLOW', upstream: 'BLOCK' });
  });

  it('keeps the record when the tarball delete removes the last version', async () => {
    await publishVersions('tarball-last', ['1.0.0']);
    await guarded('tarball-last');
    const { _rev } = await (await registry.request('tarball-last?write=true')).json();
    expect((await registry.request(`tarball-last/-/tarball-last-1.0.0.tgz/-rev/${_rev}`, { method: 'DELETE', token: unpublisher })).status).toBe(200);
    expect(await restrictionsOf('tarball-last')).toEqual({ publish: 'BLOCK', upstream: 'ALLOW' });
  });
});

describe('each npm write is checked against what it does', () => {
  it('lets DELETE /{pkg}/-rev remove the versions but not the record without DeletePackage', async () => {
    await publishVersions('half-removed', ['1.0.0', '1.1.0']);
    await guarded('half-removed');
    const { _rev } = await (await registry.request('half-removed?write=true')).json();
    expect((await registry.request(`half-removed/-rev/${_rev}`, { method: 'DELETE', token: unpublisher })).status).toBe(200);
    const record = await registry.store.index.getPackage(keyOf('half-removed'));
    expect(record?.versions).toEqual({});
    expect(record?.originConfiguration.restrictions).toEqual({ publish: 'BLOCK', upstream: 'ALLOW' });
  });

  it('refuses DELETE /{pkg}/-rev of a record without versions unless the caller may DeletePackage', async () => {
    await guarded('only-controls');
    const before = await registry.store.index.getPackage(keyOf('only-controls'));
    const { _rev: rev } = await (await registry.request('only-controls?write=true')).json();
    const refused = await registry.request(`only-controls/-rev/${rev}`, { method: 'DELETE', token: unpublisher });
    expect(refused.status).toBe(403);
    // The route's second check is refused like the door's: in the body and in the reason phrase.
    const refusal =
      "unpublisher may not perform codeartifact:DeletePackage on repository main of domain acme: no statement of the repository main's permissions policy allows it.";
    expect(refused.statusText).toBe(refusal);
    expect((await refused.json<{ error: string }>()).error).toContain(refusal);
    expect(await registry.store.index.getPackage(keyOf('only-controls'))).toEqual(before);
    expect((await registry.request(`only-controls/-rev/${rev}`, { method: 'DELETE', token: publisher })).status).toBe(403);
    expect(await registry.store.index.getPackage(keyOf('only-controls'))).toEqual(before);
  });

  it('removes the whole record for a caller who may DeletePackage', async () => {
    await publishVersions('fully-removed', ['1.0.0']);
    await guarded('fully-removed');
    const { _rev } = await (await registry.request('fully-removed?write=true')).json();
    expect((await registry.request(`fully-removed/-rev/${_rev}`, { method: 'DELETE', token: remover })).status).toBe(200);
    expect(await registry.store.index.getPackage(keyOf('fully-removed'))).toBeUndefined();
  });

  it('needs PublishPackageVersion for a deprecation sent along with an unpublish', async () => {
    await publishVersions('sneaky', ['1.0.0', '1.1.0']);
    const before = registry.storedFiles();
    const record = await registry.store.index.getPackage(keyOf('sneaky'));
    const document = await (await registry.request('sneaky?write=true')).json();
    delete document.versions['1.1.0'];
    document['dist-tags'].latest = '1.0.0';
    document.versions['1.0.0'].deprecated = 'do not use';
    const refused = await registry.request(`sneaky/-rev/${document._rev}`, { method: 'PUT', token: unpublisher, ...json(document) });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error).toMatch(/PublishPackageVersion/);
    expect(registry.storedFiles()).toEqual(before);
    expect(await registry.store.index.getPackage(keyOf('sneaky'))).toEqual(record);
    // The unpublish alone, as npm sends it (latest moved off the removed version), is allowed.
    delete document.versions['1.0.0'].deprecated;
    expect((await registry.request(`sneaky/-rev/${document._rev}`, { method: 'PUT', token: unpublisher, ...json(document) })).status).toBe(200);
    expect(Object.keys((await registry.store.index.getPackage(keyOf('sneaky')))!.versions)).toEqual(['1.0.0']);
  });

  it('needs PublishPackageVersion for a new tag sent along with an unpublish', async () => {
    await publishVersions('retag', ['1.0.0', '1.1.0', '1.2.0']);
    const record = await registry.store.index.getPackage(keyOf('retag'));
    const document = await (await registry.request('retag?write=true')).json();
    delete document.versions['1.2.0'];
    document['dist-tags'] = { latest: '1.1.0', stable: '1.0.0' };
    expect((await registry.request(`retag/-rev/${document._rev}`, { method: 'PUT', token: unpublisher, ...json(document) })).status).toBe(403);
    expect(await registry.store.index.getPackage(keyOf('retag'))).toEqual(record);
  });

  it('keeps a publisher from removing versions through a document update', async () => {
    await publishVersions('kept', ['1.0.0', '1.1.0']);
    const record = await registry.store.index.getPackage(keyOf('kept'));
    const document = await (await registry.request('kept?write=true')).json();
    delete document.versions['1.1.0'];
    expect((await registry.request(`kept/-rev/${document._rev}`, { method: 'PUT', token: publisher, ...json(document) })).status).toBe(403);
    expect((await registry.request('kept', { method: 'PUT', token: publisher, ...json(document) })).status).toBe(200);
    expect(Object.keys((await registry.store.index.getPackage(keyOf('kept')))!.versions)).toEqual(Object.keys(record!.versions));
  });
});

describe('upstream=BLOCK on a name without versions survives a document update', () => {
  it('keeps the public version out after PUT /{pkg} with {}', async () => {
    const h = await startUpstreamHarness();
    h.registry.add({ name: 'shadowed', version: '1.0.0' });
    await putPackageOriginConfiguration(
      h.store,
      { domain: 'acme', repository: 'app', format: 'npm', name: 'shadowed' },
      { publish: 'ALLOW', upstream: 'BLOCK' },
    );
    expect((await h.get('app', 'shadowed/-/shadowed-1.0.0.tgz')).status).toBe(404);
    const update = await fetch(`${h.server.url}/acme/npm/app/shadowed`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(update.status).toBeLessThan(500);
    expect((await h.get('app', 'shadowed/-/shadowed-1.0.0.tgz')).status).toBe(404);
    expect(h.registry.requests.some((path) => path.includes('shadowed-1.0.0.tgz'))).toBe(false);
  });
});

describe('npm logout', () => {
  it('lets a read-only token revoke itself, and still refuses a request without a token', async () => {
    expect((await registry.request('-/whoami', { token: reader })).status).toBe(200);
    const anonymous = await registry.request(`-/user/token/${encodeURIComponent(reader)}`, { method: 'DELETE', token: null });
    expect(anonymous.status).toBe(401);
    const logout = await registry.request(`-/user/token/${encodeURIComponent(reader)}`, { method: 'DELETE', token: reader });
    expect(logout.status).toBe(200);
    expect((await registry.request('-/whoami', { token: reader })).status).toBe(401);
  });
});
