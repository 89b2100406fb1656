/**
 * Per format, for the failing-upstream test: a stand-in public registry holding a package that
 * gets cached and, for each fault, one that is first asked for while the registry has that fault;
 * and a read of a package the way that format's client reads it: metadata first, then the file
 * it names.
 */
import { createHash } from 'node:crypto';
import { startFakeMavenRepo } from '../../helpers/fake-maven-repo.js';
import { startFakeNpmRegistry } from '../../helpers/fake-npm-registry.js';
import { startFakeNuGetServer } from '../../helpers/fake-nuget-server.js';
import { startFakePypiIndex } from '../../helpers/fake-pypi-index.js';
import { buildJar, buildPom } from '../../helpers/maven-harness.js';
import { basicAuth } from './hardening-server.js';

export interface ReadResult {
  status: number;
  /** The file's bytes when every step answered 200. */
  bytes?: Buffer;
  /** The body of the first answer that was not 200. */
  message: string;
}

export interface StandIn {
  /** Where the stand-in is reached (what the fault proxy forwards to). */
  origin: string;
  /** The URL behind the connection, given the proxy's origin. */
  connectionUrl(proxyOrigin: string): string;
  /** The bytes of each package's file, as published, by package name. */
  files: Map<string, Buffer>;
  close(): Promise<void>;
}

export interface UpstreamScenario {
  format: string;
  connection: string;
  /** The package that is cached first, and the one first asked for under a fault. */
  packages: { cached: string; uncached: (fault: string) => string };
  startStandIn(): Promise<StandIn>;
  read(endpoint: string, token: string, name: string): Promise<ReadResult>;
}

async function step(url: string, token: string, accept?: string): Promise<{ status: number; body: Buffer }> {
  const response = await fetch(url, { headers: { authorization: basicAuth(token), ...(accept ? { accept } : {}) } });
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
}

const failed = (answer: { status: number; body: Buffer }): ReadResult => ({ status: answer.status, message: answer.body.toString('utf8').slice(0, 300) });

export const FAULT_NAMES = ['down', 'slow', 'flapping', 'corrupt'];

/** Adds the cached package and one per fault; returns each one's file bytes by name. */
function addAll(names: string[], add: (name: string) => Buffer): Map<string, Buffer> {
  return new Map(names.map((name) => [name, add(name)]));
}

const namesOf = (scenario: Pick<UpstreamScenario, 'packages'>) => [scenario.packages.cached, ...FAULT_NAMES.map(scenario.packages.uncached)];

const npmUpstream: UpstreamScenario = {
  format: 'npm',
  connection: 'public:npmjs',
  packages: { cached: 'up-cached', uncached: (fault) => `up-${fault}` },
  async startStandIn() {
    const registry = await startFakeNpmRegistry();
    const files = addAll(namesOf(npmUpstream), (name) => registry.add({ name, version: '1.0.0' }).bytes);
    return { origin: registry.url, connectionUrl: (proxy) => `${proxy}/`, files, close: () => registry.close() };
  },
  async read(endpoint, token, name) {
    const packument = await step(`${endpoint}${name}`, token, 'application/json');
    if (packument.status !== 200) return failed(packument);
    const { versions } = JSON.parse(packument.body.toString('utf8')) as { versions: Record<string, { dist: { tarball: string } }> };
    const tarball = await step(versions['1.0.0'].dist.tarball, token);
    return tarball.status === 200 ? { status: 200, bytes: tarball.body, message: '' } : failed(tarball);
  },
};

const pypiUpstream: UpstreamScenario = {
  format: 'pypi',
  connection: 'public:pypi',
  packages: { cached: 'up-cached', uncached: (fault) => `up-${fault}` },
  async startStandIn() {
    const index = await startFakePypiIndex();
    const files = addAll(namesOf(pypiUpstream), (name) => index.add({ name, version: '1.0' }).bytes);
    return { origin: index.url.replace(/\/$/, ''), connectionUrl: (proxy) => `${proxy}/`, files, close: () => index.close() };
  },
  async read(endpoint, token, name) {
    const pageUrl = `${endpoint}simple/${name}/`;
    const page = await step(pageUrl, token, 'application/vnd.pypi.simple.v1+json');
    if (page.status !== 200) return failed(page);
    const { files } = JSON.parse(page.body.toString('utf8')) as { files: { url: string }[] };
    if (files.length === 0) return { status: 200, message: 'the project page lists no files' };
    const file = await step(new URL(files[0].url, pageUrl).href, token);
    return file.status === 200 ? { status: 200, bytes: file.body, message: '' } : failed(file);
  },
};

const nugetUpstream: UpstreamScenario = {
  format: 'nuget',
  connection: 'public:nuget-org',
  packages: { cached: 'Up.Cached', uncached: (fault) => `Up.${fault}` },
  async startStandIn() {
    const source = await startFakeNuGetServer();
    const files = addAll(namesOf(nugetUpstream), (id) => source.add({ id, version: '1.0.0' }).bytes);
    return { origin: source.url, connectionUrl: (proxy) => `${proxy}/v3/index.json`, files, close: () => source.close() };
  },
  async read(endpoint, token, name) {
    const id = name.toLowerCase();
    const index = await step(`${endpoint}v3/package/${id}/index.json`, token);
    if (index.status !== 200) return failed(index);
    const [version] = (JSON.parse(index.body.toString('utf8')) as { versions: string[] }).versions;
    const nupkg = await step(`${endpoint}v3/package/${id}/${version}/${id}.${version}.nupkg`, token);
    return nupkg.status === 200 ? { status: 200, bytes: nupkg.body, message: '' } : failed(nupkg);
  },
};

const mavenUpstream: UpstreamScenario = {
  format: 'maven',
  connection: 'public:maven-central',
  packages: { cached: 'cached', uncached: (fault) => fault },
  async startStandIn() {
    const repo = await startFakeMavenRepo(undefined);
    const files = addAll(namesOf(mavenUpstream), (artifactId) => {
      const jar = buildJar({ [`${artifactId}/A.class`]: createHash('sha1').update(artifactId).digest('hex') });
      repo.addFile(`com/acme/up/${artifactId}/1.0/${artifactId}-1.0.jar`, jar);
      repo.addFile(`com/acme/up/${artifactId}/1.0/${artifactId}-1.0.pom`, buildPom({ groupId: 'com.acme.up', artifactId, version: '1.0' }));
      return jar;
    });
    return { origin: repo.url.replace(/\/$/, ''), connectionUrl: (proxy) => `${proxy}/`, files, close: () => repo.close() };
  },
  async read(endpoint, token, name) {
    const metadata = await step(`${endpoint}com/acme/up/${name}/maven-metadata.xml`, token);
    if (metadata.status !== 200) return failed(metadata);
    const version = /<version>([^<]+)<\/version>/.exec(metadata.body.toString('utf8'))?.[1];
    if (!version) return { status: 200, message: 'maven-metadata.xml lists no versions' };
    const jar = await step(`${endpoint}com/acme/up/${name}/${version}/${name}-${version}.jar`, token);
    return jar.status === 200 ? { status: 200, bytes: jar.body, message: '' } : failed(jar);
  },
};

export const UPSTREAM_SCENARIOS = [npmUpstream, pypiUpstream, nugetUpstream, mavenUpstream];
