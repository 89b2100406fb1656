/**
 * The HTTP requests each format's client sends to publish one version, built in full so a test
 * can hand them to another process (request-runner.mjs) or send them itself: npm publish,
 * twine upload, mvn deploy, dotnet nuget push, a generic asset upload, cargo publish, gem push
 * and swift package-registry publish.
 */
import { createHash } from 'node:crypto';
import { publishBody, encodePackageName } from '../../formats/npm/npm-registry-harness.js';
import { ACCEPT as SWIFT_ACCEPT, publishBody as swiftPublishBody, sourceArchive } from '../../formats/swift/swiftpm-exchange.js';
import { buildCrate, publishBody as cratePublishBody } from '../../helpers/cargo-crate.js';
import { buildJar, buildPom, clientMetadata } from '../../helpers/maven-harness.js';
import { buildNpmTarball } from '../../helpers/npm-tarball.js';
import { buildNupkg } from '../../helpers/nupkg.js';
import { buildGem } from '../../helpers/ruby-gem.js';
import { buildWheel } from '../../helpers/pypi-dist.js';
import { basicAuth as twineAuth, multipartBody, twineFields } from '../../helpers/pypi-upload.js';
import { basicAuth } from './hardening-server.js';

export interface PlannedRequest {
  method: string;
  /** Relative to the repository's endpoint for the format. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export function npmPublish(token: string, name: string, version: string): PlannedRequest {
  const tarball = buildNpmTarball({ name, version });
  return {
    method: 'PUT',
    path: encodePackageName(name),
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'npm-command': 'publish' },
    body: Buffer.from(JSON.stringify(publishBody(tarball, 'http://127.0.0.1/unused/'))),
  };
}

export function pypiUpload(token: string, name: string, version: string): PlannedRequest {
  const wheel = buildWheel({ name, version });
  const { body, contentType } = multipartBody(twineFields(wheel, name, version), wheel);
  return { method: 'POST', path: '', headers: { authorization: twineAuth(token), 'content-type': contentType }, body };
}

/** What mvn deploy sends for a jar and its POM: each file, its .sha1 and .md5, then maven-metadata.xml and its sidecars. */
export function mavenDeploy(token: string, groupId: string, artifactId: string, version: string): PlannedRequest[] {
  const base = `${groupId.replace(/\./g, '/')}/${artifactId}`;
  const files: [string, Buffer][] = [
    [`${base}/${version}/${artifactId}-${version}.jar`, buildJar({ [`${artifactId}/Main.class`]: `${artifactId} ${version}` })],
    [`${base}/${version}/${artifactId}-${version}.pom`, Buffer.from(buildPom({ groupId, artifactId, version }))],
    // Each deploying client knows only its own version; the server merges what it stores.
    [`${base}/maven-metadata.xml`, Buffer.from(clientMetadata(groupId, artifactId, [version]))],
  ];
  const headers = { authorization: basicAuth(token), 'content-type': 'application/octet-stream' };
  return files.flatMap(([path, bytes]) => [
    { method: 'PUT', path, headers, body: bytes },
    ...['sha1', 'md5'].map((algorithm) => ({
      method: 'PUT',
      path: `${path}.${algorithm}`,
      headers,
      body: Buffer.from(createHash(algorithm).update(bytes).digest('hex')),
    })),
  ]);
}

export function nugetPush(token: string, id: string, version: string): PlannedRequest {
  const nupkg = buildNupkg({ id, version });
  const boundary = `hardening-${createHash('sha1').update(`${id}${version}`).digest('hex')}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Type: application/octet-stream\r\nContent-Disposition: form-data; name=package; filename=package.nupkg\r\n\r\n`),
    nupkg.bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { method: 'PUT', path: 'api/v2/package', headers: { 'x-nuget-apikey': token, 'content-type': `multipart/form-data; boundary="${boundary}"` }, body };
}

export function genericUpload(
  token: string,
  namespace: string,
  name: string,
  version: string,
  bytes: Buffer = Buffer.from(`${namespace}/${name}@${version}`),
): PlannedRequest {
  return {
    method: 'PUT',
    path: `${namespace}/${name}/${version}/${name}.bin`,
    headers: { authorization: `Bearer ${token}`, 'x-checksum-sha256': createHash('sha256').update(bytes).digest('hex') },
    body: bytes,
  };
}

export interface Answer {
  status: number;
  /** The reason phrase, where twine, mvn and dotnet read the message of a refusal. */
  reason?: string;
  body: Buffer;
  headers: Headers;
}

/** Sends a planned request from this process. */
export async function sendPlanned(base: string, planned: PlannedRequest): Promise<Answer> {
  const response = await fetch(new URL(planned.path, base), {
    method: planned.method,
    headers: planned.headers,
    body: planned.body ? new Uint8Array(planned.body) : undefined,
  });
  return { status: response.status, reason: response.statusText, body: Buffer.from(await response.arrayBuffer()), headers: response.headers };
}

/** gem push: the raw .gem, the token as the whole Authorization header. */
export function rubyPush(token: string, name: string, version: string, bytes: Buffer = buildGem({ name, version }).bytes): PlannedRequest {
  return { method: 'POST', path: 'api/v1/gems', headers: { authorization: token, 'content-type': 'application/octet-stream' }, body: bytes };
}

/** cargo publish: the length-prefixed JSON and .crate, the token as the whole Authorization header. */
export function cargoPublish(token: string, name: string, version: string): PlannedRequest {
  const body = cratePublishBody({ name, vers: version }, buildCrate(name, version));
  return { method: 'PUT', path: 'api/v1/crates/new', headers: { authorization: token, 'content-type': 'application/octet-stream' }, body };
}

/**
 * swift package-registry publish of a source archive, synchronously: fetch cannot send SwiftPM's
 * `Expect: 100-continue`, and without `Prefer: respond-async` the answer is the final 201.
 */
export function swiftPublish(token: string, scope: string, name: string, version: string): PlannedRequest {
  const { contentType, body } = swiftPublishBody({ archive: sourceArchive(name) });
  return {
    method: 'PUT',
    path: `${scope}/${name}/${version}`,
    headers: { authorization: `Bearer ${token}`, accept: SWIFT_ACCEPT.json, 'content-type': contentType },
    body,
  };
}

/** What `format`'s client sends to publish one version of a package, in order (mvn deploy sends several). */
export function publishRequests(token: string, format: string, pkg: { namespace?: string; name: string }, version: string): PlannedRequest[] {
  switch (format) {
    case 'npm':
      return [npmPublish(token, pkg.namespace ? `@${pkg.namespace}/${pkg.name}` : pkg.name, version)];
    case 'pypi':
      return [pypiUpload(token, pkg.name, version)];
    case 'nuget':
      return [nugetPush(token, pkg.name, version)];
    case 'maven':
      return mavenDeploy(token, pkg.namespace as string, pkg.name, version);
    case 'generic':
      return [genericUpload(token, pkg.namespace as string, pkg.name, version)];
    case 'cargo':
      return [cargoPublish(token, pkg.name, version)];
    case 'ruby':
      return [rubyPush(token, pkg.name, version)];
    case 'swift':
      return [swiftPublish(token, pkg.namespace as string, pkg.name, version)];
    default:
      throw new Error(`No publish requests for format ${format}`);
  }
}

/** Sends a client's publish requests in order and stops at the first refusal, as the clients do. */
export async function sendPublish(base: string, requests: PlannedRequest[]): Promise<Answer & { path: string }> {
  let last: Answer & { path: string } = { status: 0, body: Buffer.alloc(0), headers: new Headers(), path: '' };
  for (const planned of requests) {
    last = { ...(await sendPlanned(base, planned)), path: planned.path };
    if (last.status >= 300) break;
  }
  return last;
}
