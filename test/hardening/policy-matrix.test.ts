/**
 * The policy matrix: every route of every format against the action it needs, for a principal
 * the policy gives that action alone (let in), one denied it explicitly and one the policy says
 * nothing of it to (both refused with 403), in a repository whose packages have versions and
 * origin controls and in one whose packages have origin controls only. After every refusal the
 * store is byte for byte what it was. Writes whose body decides what they do (npm document
 * updates and unpublishes, Maven metadata that publishes) are checked against each action they
 * perform, and no request from a principal that may not DeletePackage ever removes a package
 * record or changes its origin controls. Package groups are the last dimension: every door a
 * version comes in by (each format's publish, copy-package-versions, retention from an upstream
 * repository and from a stand-in public registry) under PUBLISH, INTERNAL_UPSTREAM and
 * EXTERNAL_UPSTREAM restrictions and a look-alike (WEAK) match, for a principal the policy lets
 * through: refused in the client's error shape with the store unchanged, or let in. One server,
 * many requests.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OriginRestrictions, PackageKey } from '../../src/core/model.js';
import { putPackageOriginConfiguration } from '../../src/operations/origin-configuration.js';
import { createPackageGroup } from '../../src/operations/package-groups.js';
import { updatePackageGroupOriginConfiguration } from '../../src/operations/package-groups-origin.js';
import { putPermissionsPolicy } from '../../src/operations/permissions-policy.js';
import { getAuthorizationToken } from '../../src/operations/tokens.js';
import { publishBody } from '../formats/npm/npm-registry-harness.js';
import { buildJar, clientMetadata } from '../helpers/maven-harness.js';
import { buildNpmTarball } from '../helpers/npm-tarball.js';
import { runCli } from '../helpers/run-cli.js';
import { recordFigures } from './support/figures.js';
import {
  clientMessage,
  GROUP_FORMATS,
  GROUPED,
  groupPattern,
  readVersion,
  startStandIn,
  type GroupFormat,
  type StandInRegistry,
} from './support/group-scenarios.js';
import { basicAuth, DOMAIN, prepareRoot, startHardeningServer, type HardeningServer } from './support/hardening-server.js';
import { ACTIONS, matrixPolicy, policyRoutes, principalFor, PUBLISHER, type Action, type PolicyRoute, type Verdict } from './support/policy-routes.js';
import { publishRequests, sendPublish } from './support/publish-requests.js';

const REPOSITORIES = { withVersions: 'main', controlsOnly: 'bare' } as const;
const WITH_VERSIONS: OriginRestrictions = { publish: 'ALLOW', upstream: 'BLOCK' };
const CONTROLS_ONLY: OriginRestrictions = { publish: 'BLOCK', upstream: 'BLOCK' };
const PACKAGES: Omit<PackageKey, 'domain' | 'repository'>[] = [
  { format: 'npm', name: 'probe' },
  { format: 'pypi', name: 'probe' },
  { format: 'nuget', name: 'probe' },
  { format: 'maven', namespace: 'com.acme', name: 'probe' },
  { format: 'generic', namespace: 'ns', name: 'probe' },
  { format: 'cargo', name: 'probe' },
  { format: 'ruby', name: 'probe' },
  { format: 'swift', namespace: 'mona', name: 'probe' },
];
/** Reads through it retain versions of `main` (INTERNAL_UPSTREAM); ext-<format> holds a connection to a stand-in (EXTERNAL_UPSTREAM). */
const DOWNSTREAM = 'down';
const externalRepository = (format: string) => `ext-${format}`;

let server: HardeningServer;
const tokens = new Map<string, string>();
const standIns = new Map<string, StandInRegistry>();
let cases = 0;
let groupCases = 0;

beforeAll(async () => {
  for (const spec of GROUP_FORMATS) {
    const standIn = await startStandIn(spec, [GROUPED.externalBlocked, GROUPED.externalSpecific, GROUPED.lookAlike]);
    if (standIn) standIns.set(spec.format, standIn);
  }
  // Created last to first, so the downstream comes before its upstream here.
  const prepared = await prepareRoot([
    { name: DOWNSTREAM, upstreams: [REPOSITORIES.withVersions] },
    { name: REPOSITORIES.withVersions },
    { name: REPOSITORIES.controlsOnly },
    ...[...standIns.values()].map((standIn) => ({ name: externalRepository(standIn.format), externalConnection: standIn.connection })),
  ]);
  server = await startHardeningServer(prepared, {
    externalConnections: Object.fromEntries([...standIns.values()].map((standIn) => [standIn.connection, standIn.url])),
  });
  // Published before any policy or package group exists, with the root's own token.
  const seed = async (spec: GroupFormat, repository: string, name: string) => {
    const answer = await sendPublish(
      server.endpoint(spec.format, repository),
      publishRequests(prepared.token, spec.format, { namespace: spec.namespace, name }, spec.versions[0]),
    );
    expect(answer.status, `${spec.format} ${repository} ${answer.path}: ${answer.body.toString().slice(0, 200)}`).toBeLessThan(300);
  };
  for (const spec of GROUP_FORMATS) {
    // The look-alike went in before its group existed; reads through upstreams must not take it now.
    for (const name of ['probe', GROUPED.publishBlocked, GROUPED.internalBlocked, GROUPED.internalSpecific, GROUPED.lookAlike])
      await seed(spec, REPOSITORIES.withVersions, name);
    await seed(spec, REPOSITORIES.controlsOnly, GROUPED.publishSpecific);
  }
  // A Maven version whose files are in but whose metadata is not: Unfinished.
  const pending = await fetch(`${server.endpoint('maven')}com/acme/pending/2.0/pending-2.0.jar`, {
    method: 'PUT',
    headers: { authorization: basicAuth(prepared.token) },
    body: new Uint8Array(buildJar({ v: '2' })),
  });
  expect(pending.status).toBe(201);
  for (const spec of PACKAGES) {
    await putPackageOriginConfiguration(prepared.store, { domain: DOMAIN, repository: REPOSITORIES.withVersions, ...spec }, WITH_VERSIONS);
    await putPackageOriginConfiguration(prepared.store, { domain: DOMAIN, repository: REPOSITORIES.controlsOnly, ...spec }, CONTROLS_ONLY);
  }
  await configureGroups(prepared.store);
  const principals = [
    'admin',
    PUBLISHER,
    ...ACTIONS.flatMap((action) => (['allowed', 'denied', 'unmentioned'] as Verdict[]).map((verdict) => principalFor(action, verdict))),
  ];
  for (const principal of principals) tokens.set(principal, (await getAuthorizationToken(prepared.store, { domain: DOMAIN, principal })).authorizationToken);
  await putPermissionsPolicy(prepared.store, { domain: DOMAIN }, { policyDocument: matrixPolicy() });
}, 120_000);

afterAll(async () => {
  recordFigures('policy matrix', { cases, 'package-group cases': groupCases });
  await server?.stop();
  for (const standIn of standIns.values()) await standIn.close();
});

/** Per format, one group per setting under test; the rest of the domain stays under the root group, which allows everything. */
async function configureGroups(store: HardeningServer['prepared']['store']): Promise<void> {
  const group = async (
    spec: GroupFormat,
    name: string,
    restrictions: Parameters<typeof updatePackageGroupOriginConfiguration>[1]['restrictions'],
    allowed?: [string, string],
  ) => {
    const packageGroup = groupPattern(spec, name);
    await createPackageGroup(store, { domain: DOMAIN, packageGroup });
    await updatePackageGroupOriginConfiguration(store, {
      domain: DOMAIN,
      packageGroup,
      restrictions,
      addAllowedRepositories: allowed ? [{ originRestrictionType: allowed[0] as 'PUBLISH', repositoryName: allowed[1] }] : undefined,
    });
  };
  for (const spec of GROUP_FORMATS) {
    await group(spec, GROUPED.publishBlocked, { PUBLISH: 'BLOCK' });
    await group(spec, GROUPED.publishSpecific, { PUBLISH: 'ALLOW_SPECIFIC_REPOSITORIES' }, ['PUBLISH', REPOSITORIES.withVersions]);
    await group(spec, GROUPED.lookAlikeGroup, { PUBLISH: 'ALLOW', EXTERNAL_UPSTREAM: 'ALLOW', INTERNAL_UPSTREAM: 'ALLOW' });
    await group(spec, GROUPED.internalBlocked, { INTERNAL_UPSTREAM: 'BLOCK' });
    await group(spec, GROUPED.internalSpecific, { INTERNAL_UPSTREAM: 'ALLOW_SPECIFIC_REPOSITORIES' }, ['INTERNAL_UPSTREAM', DOWNSTREAM]);
    if (!standIns.has(spec.format)) continue;
    await group(spec, GROUPED.externalBlocked, { EXTERNAL_UPSTREAM: 'BLOCK' });
    await group(spec, GROUPED.externalSpecific, { EXTERNAL_UPSTREAM: 'ALLOW_SPECIFIC_REPOSITORIES' }, ['EXTERNAL_UPSTREAM', externalRepository(spec.format)]);
  }
}

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
      else if (!entry.name.endsWith('.lock'))
        state.set(path.relative(server.prepared.root, full), createHash('sha256').update(readFileSync(full)).digest('hex'));
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

async function send(
  route: Pick<PolicyRoute, 'format' | 'method' | 'path' | 'body'>,
  repository: string,
  principal: string,
  init: { body?: string; contentType?: string } = {},
) {
  cases += 1;
  const body = init.body ?? route.body;
  const response = await fetch(`${server.endpoint(route.format, repository)}${route.path}`, {
    method: route.method,
    headers: {
      authorization: basicAuth(tokens.get(principal) as string),
      ...(body !== undefined ? { 'content-type': init.contentType ?? 'application/json' } : {}),
    },
    body: route.method === 'GET' || route.method === 'HEAD' ? undefined : (body ?? ''),
  });
  return { status: response.status, text: await response.text(), reason: response.statusText };
}

async function originControls(): Promise<string[]> {
  const seen: string[] = [];
  for (const repository of Object.values(REPOSITORIES)) {
    for (const spec of PACKAGES) {
      const record = await server.prepared.store.index.getPackage({ domain: DOMAIN, repository, ...spec });
      seen.push(
        `${repository} ${spec.format} ${spec.namespace ?? ''}/${spec.name}: ${record ? JSON.stringify(record.originConfiguration.restrictions) : 'no record'}`,
      );
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
          else if (!`${answer.text} ${answer.reason}`.includes(`may not perform codeartifact:${route.needs}`))
            problems.push(`${label(route, repository, principal)} was not refused for ${route.needs}`);
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
      const response = await fetch(`${server.endpoint('npm', repository)}probe?write=true`, {
        headers: { authorization: basicAuth(tokens.get('admin') as string) },
      });
      return (await response.json()) as { _rev: string; versions: Record<string, Record<string, unknown>> };
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
      const publish = await send(npm('probe', 'PUT'), REPOSITORIES.controlsOnly, principalFor('PublishPackageVersion', 'allowed'), {
        body: JSON.stringify(publishBody(tarball, server.endpoint('npm', 'bare'))),
      });
      expect(publish.status).toBe(403);
      expect(publish.text).toMatch(/publish=BLOCK/);
    });

    it('needs PublishPackageVersion for a deprecation sent in an unpublish document', async () => {
      const before = storeState();
      const document = await revOf(REPOSITORIES.withVersions);
      document.versions['1.0.0'].deprecated = 'sneaked in';
      const answer = await send(npm(`probe/-rev/${document._rev}`, 'PUT'), REPOSITORIES.withVersions, principalFor('DeletePackageVersions', 'allowed'), {
        body: JSON.stringify(document),
      });
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
      const answer = await send(metadata, REPOSITORIES.withVersions, principalFor('PutPackageMetadata', 'allowed'), {
        body: clientMetadata('com.acme', 'pending', ['2.0']),
        contentType: 'application/xml',
      });
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
        if (answer.status === 401 || refusedAtTheDoor || answer.status >= 500)
          problems.push(`${label(route, repository, principal)} answered ${answer.status}: ${answer.text.slice(0, 160)}`);
      }
    }
    expect(problems).toEqual([]);
    expect(await originControls()).toEqual(controls);
  });

  describe('package groups, for a principal the policy lets through', () => {
    const keyOf = (spec: GroupFormat, repository: string, name: string) =>
      ({ domain: DOMAIN, repository, format: spec.format, namespace: spec.namespace, name }) as PackageKey;
    const versionsIn = async (spec: GroupFormat, repository: string, name: string) =>
      Object.keys((await server.prepared.store.index.getPackage(keyOf(spec, repository, name)))?.versions ?? {});
    const reader = () => tokens.get(principalFor('ReadFromRepository', 'allowed')) as string;

    /** Sends the format's publish as the publisher and expects the group's 403, its message in the client's shape, and no change. */
    async function refusedPublish(problems: string[], spec: GroupFormat, repository: string, name: string, version: string, expected: RegExp) {
      groupCases += 1;
      const what = `${spec.format} publish of ${name}@${version} into ${repository}`;
      const before = storeState();
      const answer = await sendPublish(
        server.endpoint(spec.format, repository),
        publishRequests(tokens.get(PUBLISHER) as string, spec.format, { namespace: spec.namespace, name }, version),
      );
      const { message, problem } = clientMessage(spec.format, answer);
      if (answer.status !== 403) problems.push(`${what} answered ${answer.status} at ${answer.path}: ${answer.body.toString().slice(0, 160)}`);
      else if (problem) problems.push(`${what}: not in the client's error shape: ${problem}`);
      else if (!expected.test(message as string)) problems.push(`${what} was refused for something else: ${message}`);
      if (answer.body.toString().includes(server.prepared.root)) problems.push(`${what} named the store's path`);
      const changed = differences(before, storeState());
      if (changed.length) problems.push(`${what} changed the store: ${changed.slice(0, 3).join(', ')}`);
    }

    async function allowedPublish(problems: string[], spec: GroupFormat, repository: string, name: string, version: string) {
      groupCases += 1;
      const answer = await sendPublish(
        server.endpoint(spec.format, repository),
        publishRequests(tokens.get(PUBLISHER) as string, spec.format, { namespace: spec.namespace, name }, version),
      );
      if (answer.status >= 300)
        problems.push(`${spec.format} publish of ${name}@${version} into ${repository} answered ${answer.status}: ${answer.body.toString().slice(0, 200)}`);
      else if (!(await versionsIn(spec, repository, name)).includes(version))
        problems.push(`${spec.format} ${name}@${version} is not in ${repository} after its publish`);
    }

    const copy = (spec: GroupFormat, from: string, to: string, name: string, version: string, ...extra: string[]) => {
      groupCases += 1;
      const namespace = spec.namespace ? ['--namespace', spec.namespace] : [];
      const args = [
        'copy-package-versions',
        '--domain',
        DOMAIN,
        '--source-repository',
        from,
        '--destination-repository',
        to,
        '--format',
        spec.format,
        ...namespace,
        '--package',
        name,
        '--versions',
        version,
        ...extra,
      ];
      return runCli(args, { root: server.prepared.root });
    };

    it("refuses every format's publish under PUBLISH=BLOCK, into a repository holding the package and one without it, and changes nothing", async () => {
      const problems: string[] = [];
      for (const spec of GROUP_FORMATS) {
        const refusal = new RegExp(`blocked by package group ${groupPattern(spec, GROUPED.publishBlocked).replace(/[.$]/g, '\\$&')} \\(PUBLISH=BLOCK\\)`);
        await refusedPublish(problems, spec, REPOSITORIES.withVersions, GROUPED.publishBlocked, spec.versions[1], refusal);
        await refusedPublish(problems, spec, REPOSITORIES.controlsOnly, GROUPED.publishBlocked, spec.versions[0], refusal);
      }
      expect(problems).toEqual([]);
      for (const spec of GROUP_FORMATS) expect(await versionsIn(spec, REPOSITORIES.withVersions, GROUPED.publishBlocked)).toEqual([spec.versions[0]]);
    });

    it('lets every format publish into the repository PUBLISH=ALLOW_SPECIFIC_REPOSITORIES names, and refuses the others', async () => {
      const problems: string[] = [];
      for (const spec of GROUP_FORMATS) {
        await refusedPublish(
          problems,
          spec,
          REPOSITORIES.controlsOnly,
          GROUPED.publishSpecific,
          spec.versions[1],
          /\(PUBLISH=ALLOW_SPECIFIC_REPOSITORIES\): it allows only main\./,
        );
        await allowedPublish(problems, spec, REPOSITORIES.withVersions, GROUPED.publishSpecific, spec.versions[1]);
      }
      expect(problems).toEqual([]);
    });

    it("refuses a look-alike of a group's pattern (a WEAK match) in every format, and lets the name itself in", async () => {
      const problems: string[] = [];
      for (const spec of GROUP_FORMATS) {
        const weak = /only resembles package group .*glook\$ \(a WEAK match/;
        await refusedPublish(problems, spec, REPOSITORIES.withVersions, GROUPED.lookAlike, spec.versions[1], weak);
        await refusedPublish(problems, spec, REPOSITORIES.controlsOnly, GROUPED.lookAlike, spec.versions[0], weak);
        await allowedPublish(problems, spec, REPOSITORIES.withVersions, GROUPED.lookAlikeGroup, spec.versions[0]);
      }
      expect(problems).toEqual([]);
    });

    it('copies a version only into a repository PUBLISH allows, and the CLI says why in its one-line error', async () => {
      const problems: string[] = [];
      const refusedCopy = async (spec: GroupFormat, from: string, to: string, name: string, expected: RegExp, ...extra: string[]) => {
        const what = `${spec.format} copy of ${name} from ${from} into ${to}`;
        const before = storeState();
        const result = await copy(spec, from, to, name, spec.versions[0], ...extra);
        const lines = result.stderr.trim().split('\n');
        if (result.code === 0) problems.push(`${what} succeeded: ${result.stdout.slice(0, 160)}`);
        // One error line, then the CLI's usual hint line.
        else if (!/^error AccessDenied: /.test(lines[0]) || !expected.test(lines[0]) || lines.slice(1).some((line) => !line.startsWith('hint: ')))
          problems.push(`${what} said: ${result.stderr.slice(0, 200)}`);
        const changed = differences(before, storeState());
        if (changed.length) problems.push(`${what} changed the store: ${changed.slice(0, 3).join(', ')}`);
      };
      for (const spec of GROUP_FORMATS) {
        await refusedCopy(spec, REPOSITORIES.withVersions, REPOSITORIES.controlsOnly, GROUPED.publishBlocked, /\(PUBLISH=BLOCK\)/);
        const allowed = await copy(spec, REPOSITORIES.controlsOnly, REPOSITORIES.withVersions, GROUPED.publishSpecific, spec.versions[0]);
        if (allowed.code !== 0 || !(await versionsIn(spec, REPOSITORIES.withVersions, GROUPED.publishSpecific)).includes(spec.versions[0]))
          problems.push(`${spec.format} copy into main failed: ${allowed.stderr}${allowed.stdout.slice(0, 200)}`);
        // With --allow-overwrite the copy back would go through but for the group.
        await refusedCopy(spec, REPOSITORIES.withVersions, REPOSITORIES.controlsOnly, GROUPED.publishSpecific, /it allows only main/, '--allow-overwrite');
      }
      expect(problems).toEqual([]);
    });

    /** Reads a version the group keeps out of `repository`: not listed, its file not served, nothing stored. */
    async function blockedRead(problems: string[], spec: GroupFormat, repository: string, name: string) {
      groupCases += 1;
      const before = storeState();
      const outcome = await readVersion(server.endpoint(spec.format, repository), reader(), spec, name, spec.versions[0]);
      if (outcome.listed || outcome.file === 200 || outcome.metadata >= 500 || outcome.file >= 500)
        problems.push(`${spec.format} ${name} through ${repository}: ${JSON.stringify(outcome)}`);
      const changed = differences(before, storeState());
      if (changed.length) problems.push(`${spec.format} read of ${name} through ${repository} changed the store: ${changed.slice(0, 3).join(', ')}`);
    }

    it('takes versions from an upstream repository only where INTERNAL_UPSTREAM allows, and no look-alike, in every format with upstreams', async () => {
      const problems: string[] = [];
      for (const spec of GROUP_FORMATS.filter((candidate) => candidate.format !== 'generic')) {
        for (const name of [GROUPED.internalBlocked, GROUPED.lookAlike]) await blockedRead(problems, spec, DOWNSTREAM, name);
        groupCases += 1;
        const allowed = await readVersion(server.endpoint(spec.format, DOWNSTREAM), reader(), spec, GROUPED.internalSpecific, spec.versions[0]);
        if (!allowed.listed || allowed.file !== 200)
          problems.push(`${spec.format} ${GROUPED.internalSpecific} through ${DOWNSTREAM}: ${JSON.stringify(allowed)}`);
        else if (!(await versionsIn(spec, DOWNSTREAM, GROUPED.internalSpecific)).includes(spec.versions[0]))
          problems.push(`${spec.format} ${GROUPED.internalSpecific} was read but not retained in ${DOWNSTREAM}`);
      }
      expect(problems).toEqual([]);
    });

    it('takes versions from an external connection only where EXTERNAL_UPSTREAM allows, and no look-alike, and never asks the registry about a blocked name', async () => {
      const problems: string[] = [];
      expect([...standIns.keys()].sort()).toEqual(['cargo', 'maven', 'npm', 'nuget', 'pypi', 'ruby']);
      for (const spec of GROUP_FORMATS.filter((candidate) => standIns.has(candidate.format))) {
        const standIn = standIns.get(spec.format) as StandInRegistry;
        const repository = externalRepository(spec.format);
        for (const name of [GROUPED.externalBlocked, GROUPED.lookAlike]) await blockedRead(problems, spec, repository, name);
        const asked = standIn.requests.filter((request) => /gext(?!ok)|g1ook/i.test(request));
        if (asked.length) problems.push(`${spec.format}: the stand-in was asked ${asked.join(', ')}`);
        groupCases += 1;
        const allowed = await readVersion(server.endpoint(spec.format, repository), reader(), spec, GROUPED.externalSpecific, spec.versions[0]);
        if (!allowed.listed || allowed.file !== 200)
          problems.push(`${spec.format} ${GROUPED.externalSpecific} through ${repository}: ${JSON.stringify(allowed)}`);
        else if (!(await versionsIn(spec, repository, GROUPED.externalSpecific)).includes(spec.versions[0]))
          problems.push(`${spec.format} ${GROUPED.externalSpecific} was read but not retained in ${repository}`);
      }
      expect(problems).toEqual([]);
    });
  });

  it('covers every route with every verdict, and every action the routes need', () => {
    const needed = new Set<Action>(policyRoutes().map((route) => route.needs));
    for (const action of [
      'ReadFromRepository',
      'PublishPackageVersion',
      'PutPackageMetadata',
      'DeletePackageVersions',
      'UpdatePackageVersionsStatus',
    ] as Action[])
      expect(needed.has(action)).toBe(true);
    expect(cases).toBeGreaterThan(policyRoutes().length * 8);
  });
});
