/**
 * The permissions-policy action every route needs, written out independently of the routes'
 * own declarations so the policy matrix can hold the server to it, and the principals and
 * policy that give each action alone, everything but it, and everything with it denied.
 */
import { ROUTE_PROBES, type RouteProbe } from './route-table.js';

export const ACTIONS = [
  'ReadFromRepository',
  'PublishPackageVersion',
  'PutPackageMetadata',
  'DeletePackageVersions',
  'UpdatePackageVersionsStatus',
  'DeletePackage',
] as const;
export type Action = (typeof ACTIONS)[number];

/** `${format} ${METHOD} ${path}` of a ROUTE_PROBES entry -> the action it needs at the door. */
const NEEDED: Record<string, Action> = {
  'npm GET -/ping': 'ReadFromRepository',
  'npm GET -/whoami': 'ReadFromRepository',
  'npm GET -/v1/search?text=probe': 'ReadFromRepository',
  'npm POST -/npm/v1/security/advisories/bulk': 'ReadFromRepository',
  'npm PUT -/user/org.couchdb.user:alice': 'ReadFromRepository',
  // npm logout: any token may end itself, read-only ones too.
  'npm DELETE -/user/token/acat_notarealtoken': 'ReadFromRepository',
  'npm GET -/package/probe/dist-tags': 'ReadFromRepository',
  'npm PUT -/package/probe/dist-tags/beta': 'PublishPackageVersion',
  'npm POST -/package/probe/dist-tags/beta': 'PublishPackageVersion',
  'npm DELETE -/package/probe/dist-tags/beta': 'PublishPackageVersion',
  'npm GET probe/-/probe-1.0.0.tgz': 'ReadFromRepository',
  'npm GET probe': 'ReadFromRepository',
  'npm GET @scope%2fprobe': 'ReadFromRepository',
  'npm GET probe/1.0.0': 'ReadFromRepository',
  'npm PUT probe': 'PublishPackageVersion',
  'npm PUT probe/-rev/1-abc': 'DeletePackageVersions',
  'npm DELETE probe/-rev/1-abc': 'DeletePackageVersions',
  'npm DELETE probe/-/probe-1.0.0.tgz/-rev/1-abc': 'DeletePackageVersions',
  'pypi GET simple/': 'ReadFromRepository',
  'pypi GET simple/probe/': 'ReadFromRepository',
  'pypi GET simple/probe/1.0/probe-1.0.tar.gz': 'ReadFromRepository',
  'pypi POST ': 'PublishPackageVersion',
  'pypi POST legacy/': 'PublishPackageVersion',
  'nuget GET v3/index.json': 'ReadFromRepository',
  'nuget GET v3/package/probe/index.json': 'ReadFromRepository',
  'nuget GET v3/package/probe/1.0.0/probe.1.0.0.nupkg': 'ReadFromRepository',
  'nuget GET v3/package/probe/1.0.0/probe.nuspec': 'ReadFromRepository',
  'nuget GET v3/registration/probe/index.json': 'ReadFromRepository',
  'nuget GET v3/registration/probe/page/1.0.0/2.0.0.json': 'ReadFromRepository',
  'nuget GET v3/registration/probe/1.0.0.json': 'ReadFromRepository',
  'nuget GET v3/catalog/probe/1.0.0.json': 'ReadFromRepository',
  'nuget GET v3/search?q=probe': 'ReadFromRepository',
  'nuget GET v3/autocomplete?q=probe': 'ReadFromRepository',
  'nuget PUT api/v2/package': 'PublishPackageVersion',
  'nuget DELETE api/v2/package/probe/1.0.0': 'UpdatePackageVersionsStatus',
  'nuget POST api/v2/package/probe/1.0.0': 'UpdatePackageVersionsStatus',
  'maven GET com/acme/probe/1.0/probe-1.0.jar': 'ReadFromRepository',
  'maven PUT com/acme/probe/1.0/probe-1.0.jar': 'PublishPackageVersion',
  'maven PUT com/acme/probe/maven-metadata.xml': 'PutPackageMetadata',
  'generic GET ns/probe/1.0/probe.bin': 'ReadFromRepository',
  'generic PUT ns/probe/1.0/probe.bin': 'PublishPackageVersion',
  'cargo GET config.json': 'ReadFromRepository',
  'cargo GET pr/ob/probe': 'ReadFromRepository',
  'cargo GET api/v1/crates/probe/1.0.0/download': 'ReadFromRepository',
  'cargo PUT api/v1/crates/new': 'PublishPackageVersion',
  'cargo DELETE api/v1/crates/probe/1.0.0/yank': 'UpdatePackageVersionsStatus',
  'cargo PUT api/v1/crates/probe/1.0.0/unyank': 'UpdatePackageVersionsStatus',
  'cargo GET api/v1/crates/probe/owners': 'ReadFromRepository',
  'cargo PUT api/v1/crates/probe/owners': 'PublishPackageVersion',
  'cargo DELETE api/v1/crates/probe/owners': 'PublishPackageVersion',
  'cargo GET api/v1/crates?q=probe': 'ReadFromRepository',
  'ruby GET ': 'ReadFromRepository',
  'ruby GET versions': 'ReadFromRepository',
  'ruby GET names': 'ReadFromRepository',
  'ruby GET info/probe': 'ReadFromRepository',
  'ruby GET gems/probe-1.0.0.gem': 'ReadFromRepository',
  'ruby GET quick/Marshal.4.8/probe-1.0.0.gemspec.rz': 'ReadFromRepository',
  'ruby GET specs.4.8.gz': 'ReadFromRepository',
  'ruby GET api/v1/dependencies?gems=probe': 'ReadFromRepository',
  'ruby POST api/v1/gems': 'PublishPackageVersion',
  'ruby DELETE api/v1/gems/yank': 'UpdatePackageVersionsStatus',
  'swift GET identifiers?url=https%3A%2F%2Fexample.invalid%2Fmona%2Fprobe': 'ReadFromRepository',
  'swift POST login': 'ReadFromRepository',
  'swift POST ': 'ReadFromRepository',
  'swift GET submissions/00000000-0000-4000-8000-000000000000': 'ReadFromRepository',
  'swift GET mona/probe/1.0.0.zip': 'ReadFromRepository',
  'swift GET mona/probe/1.0.0/Package.swift': 'ReadFromRepository',
  'swift GET mona/probe/1.0.0': 'ReadFromRepository',
  'swift GET mona/probe': 'ReadFromRepository',
  'swift PUT mona/probe/1.0.0': 'PublishPackageVersion',
};

const keyOf = (probe: RouteProbe) => `${probe.format} ${probe.method} ${probe.path}`;

export interface PolicyRoute extends RouteProbe {
  needs: Action;
}

/** Every probe with the action it needs; throws for a probe the table above does not know. */
export function policyRoutes(): PolicyRoute[] {
  return ROUTE_PROBES.map((probe) => {
    const needs = NEEDED[keyOf(probe)];
    if (!needs) throw new Error(`The policy matrix does not say which action ${keyOf(probe)} needs; add it to policy-routes.ts.`);
    return { ...probe, needs };
  });
}

export type Verdict = 'allowed' | 'denied' | 'unmentioned';

/** The principal that, for `action`, has it alone (allowed), everything but it with a Deny (denied), or every other action and no word of it. */
export function principalFor(action: Action, verdict: Verdict): string {
  return `${verdict}-${action}`;
}

/** A principal that may do what a client's publish takes (mvn deploy also writes maven-metadata.xml), and nothing that deletes. */
export const PUBLISHER = 'publisher';

/** One domain policy holding all the principals above, plus "admin" who may do everything. */
export function matrixPolicy(): string {
  const statement = (effect: 'Allow' | 'Deny', principal: string, actions: string[]) => ({
    Effect: effect,
    Principal: { AWS: principal },
    Action: actions,
    Resource: '*',
  });
  const statements = [statement('Allow', 'admin', ['codeartifact:*'])];
  statements.push(
    statement(
      'Allow',
      PUBLISHER,
      ['ReadFromRepository', 'PublishPackageVersion', 'PutPackageMetadata'].map((action) => `codeartifact:${action}`),
    ),
  );
  for (const action of ACTIONS) {
    statements.push(statement('Allow', principalFor(action, 'allowed'), [`codeartifact:${action}`]));
    statements.push(statement('Allow', principalFor(action, 'denied'), ['codeartifact:*']));
    statements.push(statement('Deny', principalFor(action, 'denied'), [`codeartifact:${action}`]));
    statements.push(
      statement(
        'Allow',
        principalFor(action, 'unmentioned'),
        ACTIONS.filter((other) => other !== action).map((other) => `codeartifact:${other}`),
      ),
    );
  }
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}
