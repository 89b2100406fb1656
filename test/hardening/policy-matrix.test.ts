/**
 * The policy matrix: every route of every format against the action it needs, for a principal
 * the policy gives that action alone (let in), one denied it explicitly and one the policy says
 * nothing of it to (both refused with 403), in a repository whose packages have versions and
 * origin controls and in one whose packages have origin controls only. After every refusal the
 * store is byte for byte what it was. Writes whose body decides what they do (npm document
 * updates and unpublishes, Maven metadata that publishes) are checked against each action they
 * perform, and no request from a principal that may not DeletePackage ever removes a package
 * record or changes its origin controls. One server, many requests.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OriginRestrictions, PackageKey } from '../../src/core/model.js';
import { putPackageOriginConfiguration } from '../../src/operations/origin-configuration.js';
import { putPermissionsPolicy } from '../../src/operations/permissions-policy.js';
import { getAuthorizationToken } from '../../src/operations/tokens.js';
import { publishBody } from '../formats/npm/npm-registry-harness.js';
import { buildJar, clientMetadata } from '../helpers/maven-harness.js';
import { buildNpmTarball } from '../helpers/npm-tarball.js';
import { recordFigures } from './support/figures.js';
import { basicAuth, DOMAIN, prepareRoot, startHardeningServer, type HardeningServer } from './support/hardening-server.js';
import { ACTIONS, matrixPolicy, policyRoutes, principalFor, type Action, type PolicyRoute, type Verdict } from './support/policy-routes.js';
import { genericUpload, mavenDeploy, npmPublish, nugetPush, pypiUpload, sendPlanned } from './support/publish-requests.js';

const REPOSITORIES = { withVersions: 'main', controlsOnly: 'bare' } as const;
const WITH_VERSIONS: OriginRestrictions = { publish: 'ALLOW', upstream: 'BLOCK' };
const CONTROLS_ONLY: OriginRestrictions = { publish: 'BLOCK', upstream: 'BLOCK' };
const PACKAGES: Omit<PackageKey, 'domain' | 'repository'>[] = [
  { format: 'npm', name: 'probe' },
  { format: 'pypi', name: 'probe' },
  { format: 'nuget', name: 'probe' },
  { format: 'maven', namespace: 'com.acme', name: 'probe' },
  { format: 'generic', namespace: 'ns', name: 'probe' },
];

let server: HardeningServer;
const tokens = new Map<string, string>();
let cases = 0;

beforeAll(async () => {
  const prepared = await prepareRoot([{ name: REPOSITORIES.withVersions }, { name: REPOSITORIES.controlsOnly }]);
  server = await startHardeningServer(prepared);
  // Published before any policy exists, with the root's own token.
  const seeded = [
    npmPublish(prepared.token, 'probe', '1.0.0'),
    pypiUpload(prepared.token, 'probe', '1.0'),
    nugetPush(prepared.token, 'probe', '1.0.0'),
    ...mavenDeploy(prepared.token, 'com.acme', 'probe', '1.0'),
    genericUpload(prepared.token, 'ns', 'probe', '1.0'),
  ];
  const formats = ['npm', 'pypi', 'nuget', ...Array(9).fill('maven'), 'generic'];
  for (const [index, planned] of seeded.entries()) {
    const answer = await sendPlanned(server.endpoint(formats[index]), planned);
    expect(answer.status, `${formats[index]} ${planned.path}: ${answer.body.toString().slice(0, 200)}`).toBeLessThan(300);
  }
  // A Maven version whose files are in but whose metadata is not: Unfinished.
  const pending = await fetch(`${server.endpoint('maven')}com/acme/pending/2.0/pending-2.0.jar`, { method: 'PUT', headers: { authorization: basicAuth(prepared.token) }, body: new Uint8Array(buildJar({ v: '2' })) });
  expect(pending.status).toBe(201);
  for (const spec of PACKAGES) {
    await putPackageOriginConfiguration(prepared.store, { domain: DOMAIN, repository: REPOSITORIES.withVersions, ...spec }, WITH_VERSIONS);
    await putPackageOriginConfiguration(prepared.store, { domain: DOMAIN, repository: REPOSITORIES.controlsOnly, ...spec }, CONTROLS_ONLY);
  }
  const principals = ['admin', ...ACTIONS.flatMap((action) => (['allowed', 'denied', 'unmentioned'] as Verdict[]).map((verdict) => principalFor(action, verdict)))];
  for (const principal of principals) tokens.set(principal, (await getAuthorizationToken(prepared.store, { domain: DOMAIN, principal })).authorizationToken);
  await putPermissionsPolicy(prepared.store, { domain: DOMAIN }, { policyDocument: matrixPolicy() });
}, 120_000);

afterAll(async () => {
  recordFigures('policy matrix', { cases });
  await server?.stop();
});

/**
 * Every file of the store with its SHA-256. Lock files come and go with any read of an index,
 * and tmp/ is the server's scratch space, whose pool of temp files refills in the background.
 */
function storeState(): Map<string, string> {
  const state = new Map<string, string>();
  const scratch = path.join(server.prepared.root, 'tmp');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (full === scratch) continue;
      if (entry.isDirectory()) walk(full);
      else if (!entry.name.endsWith('.lock')) state.set(path.relative(server.prepared.root, full), createHash('sha256').update(readFileSync(full)).digest('hex'));
    }
  };
  walk(server.prepared.root);
  return state;
}

function differences(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed: string[] = [];
  for (const [file, digest] of after) if (before.get(file) !== digest) changed.push(before.has(file) ? `changed ${file}` : `added ${file}`);
  for (const file of before.keys()) if (!after.has(file)) changed.push(`removed ${file}`);
  return changed;
}

async function send(route: Pick<PolicyRoute, 'format' | 'method' | 'path' | 'body'>, repository: string, principal: string, init: { body?: string; contentType?: string } = {}) {
  cases += 1;
  const body = init.body ?? route.body;
  const response = await fetch(`${server.endpoint(route.format, repository)}${route.path}`, {
    method: route.method,
    headers: { authorization: basicAuth(tokens.get(principal) as string), ...(body !== undefined ? { 'content-type': init.contentType ?? 'application/json' } : {}) },
    body: route.method === 'GET' || route.method === 'HEAD' ? undefined : (body ?? ''),
  });
  return { status: response.status, text: await response.text(), reason: response.statusText };
}

async function originControls(): Promise<string[]> {
  const seen: string[] = [];
  for (const repository of Object.values(REPOSITORIES)) {
    for (const spec of PACKAGES) {
      const record = await server.prepared.store.index.getPackage({ domain: DOMAIN, repository, ...spec });
      seen.push(`${repository} ${spec.format} ${spec.namespace ?? ''}/${spec.name}: ${record ? JSON.stringify(record.originConfiguration.restrictions) : 'no record'}`);
    }
  }
  return seen;
}

const label = (route: PolicyRoute, repository: string, principal: string) => `${principal} ${route.method} ${route.format}/${repository}/${route.path}`;

describe('policy matrix', () => {
  it('refuses every route to a principal denied its action or not given it, and changes nothing', async () => {
    const before = storeState();
    const problems: string[] = [];
    for (const repository of Object.values(REPOSITORIES)) {
      for (const route of policyRoutes()) {
        for (const verdict of ['denied', 'unmentioned'] as const) {
          const principal = principalFor(route.needs, verdict);
          const answer = await send(route, repository, principal);
          if (answer.status !== 403) problems.push(`${label(route, repository, principal)} answered ${answer.status}: ${answer.text.slice(0, 120)}`);
          else if (!`${answer.text} ${answer.reason}`.includes(`may not perform codeartifact:${route.needs}`)) problems.push(`${label(route, repository, principal)} was not refused for ${route.needs}`);
          const changed = differences(before, storeState());
          if (changed.length) problems.push(`${label(route, repository, principal)} changed the store: ${changed.slice(0, 3).join(', ')}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('refuses a route to a principal given only other actions, whichever it is', async () => {
    const before = storeState();
    const problems: string[] = [];
    for (const route of policyRoutes()) {
      for (const other of ACTIONS.filter((action) => action !== route.needs)) {
        const answer = await send(route, REPOSITORIES.withVersions, principalFor(other, 'allowed'));
        if (answer.status !== 403) problems.push(`${label(route, REPOSITORIES.withVersions, principalFor(other, 'allowed'))} answered ${answer.status}`);
      }
    }
    expect(differences(before, storeState())).toEqual([]);
    expect(problems).toEqual([]);
  });

  describe('writes whose body decides what they do', () => {
    const npm = (pathname: string, method: PolicyRoute['method']) => ({ format: 'npm', method, path: pathname }) as const;
    const revOf = async (repository: string) => {
      const response = await fetch(`${server.endpoint('npm', repository)}probe?write=true`, { headers: { authorization: basicAuth(tokens.get('admin') as string) } });
      return (await response.json()) as Record<string, any>;
    };

    it('keeps the package record and its origin controls through an npm document update from a publisher', async () => {
      const controls = await originControls();
      for (const repository of Object.values(REPOSITORIES)) {
        for (const body of ['{}', JSON.stringify({ name: 'probe', versions: {} }), JSON.stringify({ 'dist-tags': {} })]) {
          const answer = await send(npm('probe', 'PUT'), repository, principalFor('PublishPackageVersion', 'allowed'), { body });
          expect(answer.status, `${repository} ${body}: ${answer.text}`).toBeLessThan(500);
        }
      }
      expect(await originControls()).toEqual(controls);
      // The name stays guarded: a publish into the controls-only repository is still blocked.
      const tarball = buildNpmTarball({ name: 'probe', version: '9.9.9' });
      const publish = await send(npm('probe', 'PUT'), REPOSITORIES.controlsOnly, principalFor('PublishPackageVersion', 'allowed'), { body: JSON.stringify(publishBody(tarball, server.endpoint('npm', 'bare'))) });
      expect(publish.status).toBe(403);
      expect(publish.text).toMatch(/publish=BLOCK/);
    });

    it('needs PublishPackageVersion for a deprecation sent in an unpublish document', async () => {
      const before = storeState();
      const document = await revOf(REPOSITORIES.withVersions);
      document.versions['1.0.0'].deprecated = 'sneaked in';
      const answer = await send(npm(`probe/-rev/${document._rev}`, 'PUT'), REPOSITORIES.withVersions, principalFor('DeletePackageVersions', 'allowed'), { body: JSON.stringify(document) });
      expect(answer.status).toBe(403);
      expect(answer.text).toMatch(/PublishPackageVersion/);
      expect(differences(before, storeState())).toEqual([]);
    });

    it('refuses to remove a record without versions to a principal denied DeletePackage, and keeps the record of one with versions', async () => {
      const bare = await revOf(REPOSITORIES.controlsOnly);
      const before = storeState();
      const refused = await send(npm(`probe/-rev/${bare._rev}`, 'DELETE'), REPOSITORIES.controlsOnly, principalFor('DeletePackage', 'denied'));
      expect(refused.status).toBe(403);
      expect(differences(before, storeState())).toEqual([]);

      const controls = await originControls();
      const main = await revOf(REPOSITORIES.withVersions);
      const unpublished = await send(npm(`probe/-rev/${main._rev}`, 'DELETE'), REPOSITORIES.withVersions, principalFor('DeletePackage', 'denied'));
      expect(unpublished.status).toBe(200);
      const record = await server.prepared.store.index.getPackage({ domain: DOMAIN, repository: REPOSITORIES.withVersions, format: 'npm', name: 'probe' });
      expect(record?.versions).toEqual({});
      expect(await originControls()).toEqual(controls);
    });

    it('needs PublishPackageVersion for maven-metadata.xml that publishes an Unfinished version', async () => {
      const before = storeState();
      const metadata = { format: 'maven', method: 'PUT', path: 'com/acme/pending/maven-metadata.xml' } as const;
      const answer = await send(metadata, REPOSITORIES.withVersions, principalFor('PutPackageMetadata', 'allowed'), { body: clientMetadata('com.acme', 'pending', ['2.0']), contentType: 'application/xml' });
      expect(answer.status).toBe(403);
      expect(answer.reason).toMatch(/PublishPackageVersion/);
      expect(differences(before, storeState())).toEqual([]);
    });
  });

  it('lets every route in for a principal given its action alone, and no write of one removes origin controls', async () => {
    const controls = await originControls();
    const problems: string[] = [];
    for (const repository of Object.values(REPOSITORIES)) {
      for (const route of policyRoutes()) {
        const principal = principalFor(route.needs, 'allowed');
        const answer = await send(route, repository, principal);
        // A 403 of the route's own (no user accounts, publish=BLOCK) is an answer; the door's names the principal.
        const refusedAtTheDoor = answer.status === 403 && /may not perform/.test(answer.text + answer.reason);
        if (answer.status === 401 || refusedAtTheDoor || answer.status >= 500) problems.push(`${label(route, repository, principal)} answered ${answer.status}: ${answer.text.slice(0, 160)}`);
      }
    }
    expect(problems).toEqual([]);
    expect(await originControls()).toEqual(controls);
  });

  it('covers every route with every verdict, and every action the routes need', () => {
    const needed = new Set<Action>(policyRoutes().map((route) => route.needs));
    for (const action of ['ReadFromRepository', 'PublishPackageVersion', 'PutPackageMetadata', 'DeletePackageVersions', 'UpdatePackageVersionsStatus'] as Action[]) expect(needed.has(action)).toBe(true);
    expect(cases).toBeGreaterThan(policyRoutes().length * 8);
  });
});
