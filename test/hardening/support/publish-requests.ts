/**
 * The HTTP requests each format's client sends to publish one version, built in full so a test
 * can hand them to another process (request-runner.mjs) or send them itself: npm publish,
 * twine upload, mvn deploy, dotnet nuget push and a generic asset upload.
 */
import { createHash } from 'node:crypto';
import { publishBody, encodePackageName } from '../../formats/npm/npm-registry-harness.js';
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
    ...['sha1', 'md5'].map((algorithm) => ({ method: 'PUT', path: `${path}.${algorithm}`, headers, body: Buffer.from(createHash(algorithm).update(bytes).digest('hex')) })),
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

export function genericUpload(token: string, namespace: string, name: string, version: string, bytes: Buffer = Buffer.from(`${namespace}/${name}@${version}`)): PlannedRequest {
  return {
    method: 'PUT',
    path: `${namespace}/${name}/${version}/${name}.bin`,
    headers: { authorization: `Bearer ${token}`, 'x-checksum-sha256': createHash('sha256').update(bytes).digest('hex') },
    body: bytes,
  };
}

export interface Answer {
  status: number;
  body: Buffer;
  headers: Headers;
}

/** Sends a planned request from this process. */
export async function sendPlanned(base: string, planned: PlannedRequest): Promise<Answer> {
  const response = await fetch(new URL(planned.path, base), { method: planned.method, headers: planned.headers, body: planned.body ? new Uint8Array(planned.body) : undefined });
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()), headers: response.headers };
}

/** gem push: the raw .gem, the token as the whole Authorization header. */
export function rubyPush(token: string, name: string, version: string, bytes: Buffer = buildGem({ name, version }).bytes): PlannedRequest {
  return { method: 'POST', path: 'api/v1/gems', headers: { authorization: token, 'content-type': 'application/octet-stream' }, body: bytes };
}
