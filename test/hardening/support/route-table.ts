/**
 * One representative request for every route of every format, and a check that the table still
 * covers each route the formats declare (registry.ts loadFormats, each format's routes()), so a
 * route added later without an entry here fails the access test instead of going unchecked.
 */
import { loadFormats } from '../../../src/formats/registry.js';
import type { HttpMethod, Route } from '../../../src/server/route.js';

export interface RouteProbe {
  format: string;
  method: HttpMethod;
  /** After /<domain>/<format>/<repository>/. */
  path: string;
  body?: string;
}

export const ROUTE_PROBES: RouteProbe[] = [
  { format: 'npm', method: 'GET', path: '-/ping' },
  { format: 'npm', method: 'GET', path: '-/whoami' },
  { format: 'npm', method: 'GET', path: '-/v1/search?text=probe' },
  { format: 'npm', method: 'POST', path: '-/npm/v1/security/advisories/bulk', body: '{}' },
  { format: 'npm', method: 'PUT', path: '-/user/org.couchdb.user:alice', body: '{"name":"alice","password":"x"}' },
  { format: 'npm', method: 'DELETE', path: '-/user/token/acat_notarealtoken' },
  { format: 'npm', method: 'GET', path: '-/package/probe/dist-tags' },
  { format: 'npm', method: 'PUT', path: '-/package/probe/dist-tags/beta', body: '"1.0.0"' },
  { format: 'npm', method: 'POST', path: '-/package/probe/dist-tags/beta', body: '"1.0.0"' },
  { format: 'npm', method: 'DELETE', path: '-/package/probe/dist-tags/beta' },
  { format: 'npm', method: 'GET', path: 'probe/-/probe-1.0.0.tgz' },
  { format: 'npm', method: 'GET', path: 'probe' },
  { format: 'npm', method: 'GET', path: '@scope%2fprobe' },
  { format: 'npm', method: 'GET', path: 'probe/1.0.0' },
  { format: 'npm', method: 'PUT', path: 'probe', body: '{}' },
  { format: 'npm', method: 'PUT', path: 'probe/-rev/1-abc', body: '{}' },
  { format: 'npm', method: 'DELETE', path: 'probe/-rev/1-abc' },
  { format: 'npm', method: 'DELETE', path: 'probe/-/probe-1.0.0.tgz/-rev/1-abc' },
  { format: 'pypi', method: 'GET', path: 'simple/' },
  { format: 'pypi', method: 'GET', path: 'simple/probe/' },
  { format: 'pypi', method: 'GET', path: 'simple/probe/1.0/probe-1.0.tar.gz' },
  { format: 'pypi', method: 'POST', path: '', body: '--x--\r\n' },
  { format: 'pypi', method: 'POST', path: 'legacy/', body: '--x--\r\n' },
  { format: 'nuget', method: 'GET', path: 'v3/index.json' },
  { format: 'nuget', method: 'GET', path: 'v3/package/probe/index.json' },
  { format: 'nuget', method: 'GET', path: 'v3/package/probe/1.0.0/probe.1.0.0.nupkg' },
  { format: 'nuget', method: 'GET', path: 'v3/package/probe/1.0.0/probe.nuspec' },
  { format: 'nuget', method: 'GET', path: 'v3/registration/probe/index.json' },
  { format: 'nuget', method: 'GET', path: 'v3/registration/probe/page/1.0.0/2.0.0.json' },
  { format: 'nuget', method: 'GET', path: 'v3/registration/probe/1.0.0.json' },
  { format: 'nuget', method: 'GET', path: 'v3/catalog/probe/1.0.0.json' },
  { format: 'nuget', method: 'GET', path: 'v3/search?q=probe' },
  { format: 'nuget', method: 'GET', path: 'v3/autocomplete?q=probe' },
  { format: 'nuget', method: 'PUT', path: 'api/v2/package', body: 'x' },
  { format: 'nuget', method: 'DELETE', path: 'api/v2/package/probe/1.0.0' },
  { format: 'nuget', method: 'POST', path: 'api/v2/package/probe/1.0.0' },
  { format: 'maven', method: 'GET', path: 'com/acme/probe/1.0/probe-1.0.jar' },
  { format: 'maven', method: 'PUT', path: 'com/acme/probe/1.0/probe-1.0.jar', body: 'x' },
  { format: 'maven', method: 'PUT', path: 'com/acme/probe/maven-metadata.xml', body: '<metadata/>' },
  { format: 'generic', method: 'GET', path: 'ns/probe/1.0/probe.bin' },
  { format: 'generic', method: 'PUT', path: 'ns/probe/1.0/probe.bin', body: 'x' },
  { format: 'cargo', method: 'GET', path: 'config.json' },
  { format: 'cargo', method: 'GET', path: 'pr/ob/probe' },
  { format: 'cargo', method: 'GET', path: 'api/v1/crates/probe/1.0.0/download' },
  { format: 'cargo', method: 'PUT', path: 'api/v1/crates/new', body: 'x' },
  { format: 'cargo', method: 'DELETE', path: 'api/v1/crates/probe/1.0.0/yank' },
  { format: 'cargo', method: 'PUT', path: 'api/v1/crates/probe/1.0.0/unyank' },
  { format: 'cargo', method: 'GET', path: 'api/v1/crates/probe/owners' },
  { format: 'cargo', method: 'PUT', path: 'api/v1/crates/probe/owners', body: '{"users":["alice"]}' },
  { format: 'cargo', method: 'DELETE', path: 'api/v1/crates/probe/owners' },
  { format: 'cargo', method: 'GET', path: 'api/v1/crates?q=probe' },
  { format: 'ruby', method: 'GET', path: '' },
  { format: 'ruby', method: 'GET', path: 'versions' },
  { format: 'ruby', method: 'GET', path: 'names' },
  { format: 'ruby', method: 'GET', path: 'info/probe' },
  { format: 'ruby', method: 'GET', path: 'gems/probe-1.0.0.gem' },
  { format: 'ruby', method: 'GET', path: 'quick/Marshal.4.8/probe-1.0.0.gemspec.rz' },
  { format: 'ruby', method: 'GET', path: 'specs.4.8.gz' },
  { format: 'ruby', method: 'GET', path: 'api/v1/dependencies?gems=probe' },
  { format: 'ruby', method: 'POST', path: 'api/v1/gems', body: 'x' },
  { format: 'ruby', method: 'DELETE', path: 'api/v1/gems/yank', body: 'gem_name=probe&version=1.0.0' },
  { format: 'swift', method: 'GET', path: 'identifiers?url=https%3A%2F%2Fexample.invalid%2Fmona%2Fprobe' },
  { format: 'swift', method: 'POST', path: 'login' },
  { format: 'swift', method: 'POST', path: '' },
  { format: 'swift', method: 'GET', path: 'submissions/00000000-0000-4000-8000-000000000000' },
  { format: 'swift', method: 'GET', path: 'mona/probe/1.0.0.zip' },
  { format: 'swift', method: 'GET', path: 'mona/probe/1.0.0/Package.swift' },
  { format: 'swift', method: 'GET', path: 'mona/probe/1.0.0' },
  { format: 'swift', method: 'GET', path: 'mona/probe' },
  { format: 'swift', method: 'PUT', path: 'mona/probe/1.0.0', body: 'x' },
];

/** The route the server would pick for a request (handler.ts findRoute: first match; GET answers HEAD). */
function routeFor(routes: Route[], method: HttpMethod, path: string): Route | undefined {
  const rest = path.split('?')[0];
  return routes.find((route) => (route.method === method || (method === 'HEAD' && route.method === 'GET')) && route.path.test(rest));
}

/** Every declared route no probe reaches, as "<format> <METHOD> <regex>". */
export async function uncoveredRoutes(): Promise<string[]> {
  const uncovered: string[] = [];
  for (const [name, format] of await loadFormats()) {
    const routes = format.routes();
    const reached = new Set(ROUTE_PROBES.filter((probe) => probe.format === name).map((probe) => routeFor(routes, probe.method, probe.path)));
    for (const route of routes) if (!reached.has(route)) uncovered.push(`${name} ${route.method} ${route.path}`);
  }
  return uncovered;
}
