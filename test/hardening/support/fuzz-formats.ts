/**
 * Per format, for the hostile-input test: valid template requests (reads and writes) for the
 * generic mutations to work on, and hostile bodies only that format's parsers see: archives with
 * escaping paths, links and bombs, deep or entity-laden XML and JSON, broken multipart forms,
 * and real packages damaged at random with their digests recomputed, so the damage reaches the
 * archive readers instead of stopping at a checksum.
 */
import { createHash } from 'node:crypto';
import { blake2b } from '@noble/hashes/blake2.js';
import { buildJar, buildPom, clientMetadata } from '../../helpers/maven-harness.js';
import { buildNpmTarball } from '../../helpers/npm-tarball.js';
import { buildNupkg, nuspecXml } from '../../helpers/nupkg.js';
import { buildWheel, buildSdist, type BuiltDist } from '../../helpers/pypi-dist.js';
import { multipartBody, twineFields } from '../../helpers/pypi-upload.js';
import { deepJson, deepXml, deflatedZeros, INVALID_UTF8, laughs, tarGzBomb, tgz, zipBytes, type ZipEntrySpec } from './fuzz-archives.js';
import { bearer, damage, type FuzzCase, type FuzzContext, type Template } from './fuzz-mutations.js';
import { basicAuth } from './hardening-server.js';
import { requestBytes, type RawRequest } from './raw-client.js';
import { genericUpload, mavenDeploy, npmPublish, nugetPush, pypiUpload, type PlannedRequest } from './publish-requests.js';

export interface FormatFuzz {
  format: string;
  /** Valid publishes sent first, so that reads find something. */
  seed(token: string): PlannedRequest[];
  templates(context: FuzzContext): Template[];
  /** The write templates whose bodies get cut, oversized and damaged. */
  writeTemplates(context: FuzzContext): Template[];
  structured(context: FuzzContext, damaged: number): Promise<FuzzCase[]>;
}

let counter = 0;
const unique = () => `${Date.now() % 100000}.${++counter}`;
// npm versions must be semver, or a publish is refused before its tarball is read.
const semverUnique = () => `${Date.now() % 100000}.${++counter}.0`;
const sha = (algorithm: string, bytes: Buffer | string, encoding: 'hex' | 'base64' = 'hex') => createHash(algorithm).update(bytes).digest(encoding);

function fromPlanned(context: FuzzContext, label: string, planned: PlannedRequest): Template {
  return { label, request: { method: planned.method, target: `${context.prefix}${planned.path}`, headers: Object.entries(planned.headers), body: planned.body } };
}

function rawCase(context: FuzzContext, category: string, label: string, request: RawRequest, mustAnswer = true): FuzzCase {
  return { category, label, chunks: [requestBytes(context.port, request)], mustAnswer };
}

// ---------- npm ----------

function npmPublishRaw(context: FuzzContext, name: string, version: string, tarball: Buffer, manifestOverrides: Record<string, unknown> = {}): RawRequest {
  const body = {
    _id: name,
    name,
    'dist-tags': { latest: version },
    versions: { [version]: { name, version, dist: { integrity: `sha512-${sha('sha512', tarball, 'base64')}`, shasum: sha('sha1', tarball) }, ...manifestOverrides } },
    _attachments: { [`${name}-${version}.tgz`]: { content_type: 'application/octet-stream', data: tarball.toString('base64'), length: tarball.length } },
  };
  return { method: 'PUT', target: `${context.prefix}${name}`, headers: [bearer(context.token), ['Content-Type', 'application/json']], body: JSON.stringify(body) };
}

const manifest = (name: string, version: string) => JSON.stringify({ name, version });

export const npmFuzz: FormatFuzz = {
  format: 'npm',
  seed: (token) => [npmPublish(token, 'fz-npm', '1.0.0')],
  templates: (context) => [
    { label: 'packument', request: { method: 'GET', target: `${context.prefix}fz-npm`, headers: [bearer(context.token), ['Accept', 'application/vnd.npm.install-v1+json']] } },
    { label: 'tarball', request: { method: 'GET', target: `${context.prefix}fz-npm/-/fz-npm-1.0.0.tgz`, headers: [bearer(context.token)] } },
    { label: 'version', request: { method: 'GET', target: `${context.prefix}fz-npm/1.0.0`, headers: [bearer(context.token)] } },
    { label: 'search', request: { method: 'GET', target: `${context.prefix}-/v1/search?text=fz&size=20`, headers: [bearer(context.token)] } },
    { label: 'dist-tag', request: { method: 'PUT', target: `${context.prefix}-/package/fz-npm/dist-tags/beta`, headers: [bearer(context.token), ['Content-Type', 'application/json']], body: '"1.0.0"' } },
    ...npmFuzz.writeTemplates(context),
  ],
  writeTemplates: (context) => [fromPlanned(context, 'publish', npmPublish(context.token, 'fz-npm', `2.0.${counter++}`))],
  async structured(context, damaged) {
    const cases: FuzzCase[] = [];
    const jsonBody = (label: string, body: string | Buffer) => rawCase(context, 'npm json', label, { method: 'PUT', target: `${context.prefix}fz-json`, headers: [bearer(context.token), ['Content-Type', 'application/json']], body });
    for (const [label, body] of Object.entries({
      'deep arrays': deepJson(200_000),
      'deep objects': deepJson(100_000, true),
      null: 'null',
      array: '[]',
      string: '"s"',
      'huge exponent': '{"versions":1e999999}',
      'proto key': '{"__proto__":{"polluted":true},"name":"fz-json","versions":{"__proto__":{}}}',
      BOM: '\ufeff{"name":"fz-json"}',
      '1000 versions': JSON.stringify({ name: 'fz-json', versions: Object.fromEntries(Array.from({ length: 1000 }, (_, index) => [`1.0.${index}`, { name: 'fz-json', version: `1.0.${index}` }])), _attachments: { a: { data: 'AA==' } } }),
    })) {
      cases.push(jsonBody(label, body));
    }
    cases.push(jsonBody('invalid UTF-8', Buffer.concat([Buffer.from('{"name":"fz-json","description":"'), INVALID_UTF8, Buffer.from('"}')])));
    const evil = (label: string, tarball: Buffer, overrides?: Record<string, unknown>) => rawCase(context, 'npm tarball', label, npmPublishRaw(context, 'fz-evil', semverUnique(), tarball, overrides));
    const version = semverUnique;
    const withManifest = (version: string, extra: Parameters<typeof tgz>[0]) => tgz([{ name: 'package/package.json', content: manifest('fz-evil', version) }, ...extra]);
    for (const [label, entries] of Object.entries({
      'dot-dot entry': [{ name: `package/../../../sentinel/${context.marker}`, content: 'x' }],
      'absolute entry': [{ name: `/tmp/${context.marker}`, content: 'x' }],
      'symlink out': [{ name: 'package/link', type: '2' as const, linkname: '../../../../etc/passwd' }],
      'hard link out': [{ name: 'package/hard', type: '1' as const, linkname: '/etc/passwd' }],
      'lying size': [{ name: 'package/big.bin', content: 'x', declaredSize: 1024 * 1024 * 1024 }],
      'NUL in name': [{ name: 'package/a\u0000b', content: 'x' }],
    })) {
      const v = version();
      const body = npmPublishRaw(context, 'fz-evil', v, withManifest(v, entries));
      cases.push(rawCase(context, 'npm tarball', label, body));
    }
    cases.push(evil('no package.json', tgz([{ name: 'package/index.js', content: '1' }])));
    cases.push(evil('deep package.json', tgz([{ name: 'package/package.json', content: deepJson(100_000, true) }])));
    cases.push(evil('package.json of invalid UTF-8', tgz([{ name: 'package/package.json', content: Buffer.concat([Buffer.from('{"name":"fz-evil","version":"1.0.0","x":"'), INVALID_UTF8, Buffer.from('"}')]) }])));
    cases.push(evil('120k entries', tgz([{ name: 'package/package.json', content: manifest('fz-evil', '9.9.9') }, ...Array.from({ length: 120_000 }, (_, index) => ({ name: `package/f${index}`, content: '' }))])));
    const bombVersion = semverUnique();
    cases.push(rawCase(context, 'npm tarball', 'gzip bomb 1 GiB', npmPublishRaw(context, 'fz-evil', bombVersion, await tarGzBomb([{ name: 'package/package.json', content: manifest('fz-evil', bombVersion) }], 'package/zeros.bin', 1024))));
    const tagged = npmPublishRaw(context, 'fz-evil', '7.7.7', buildNpmTarball({ name: 'fz-evil', version: '7.7.7' }).bytes);
    cases.push(rawCase(context, 'npm json', 'proto dist-tag', { ...tagged, body: String(tagged.body).replace('"dist-tags":{"latest":"7.7.7"}', '"dist-tags":{"__proto__":"7.7.7","constructor":"7.7.7"}') }));
    for (let index = 0; index < damaged; index++) {
      const v = semverUnique();
      cases.push(rawCase(context, 'npm damaged tarball', `damaged tarball #${index}`, npmPublishRaw(context, 'fz-damaged', v, damage(buildNpmTarball({ name: 'fz-damaged', version: v }).bytes, context.random))));
    }
    return cases;
  },
};

// ---------- PyPI ----------

function uploadRaw(context: FuzzContext, dist: BuiltDist, name: string, version: string, overrides: Record<string, string | string[] | undefined> = {}, boundary?: string): RawRequest {
  const fields = { ...twineFields(dist, name, version), sha256_digest: sha('sha256', dist.bytes), md5_digest: sha('md5', dist.bytes), blake2_256_digest: Buffer.from(blake2b(dist.bytes, { dkLen: 32 })).toString('hex'), ...overrides };
  const { body, contentType } = multipartBody(fields, dist, boundary);
  return { method: 'POST', target: context.prefix, headers: [['Authorization', basicAuth(context.token)], ['Content-Type', contentType]], body };
}

const wheelNamed = (name: string, version: string, entries: ZipEntrySpec[]): BuiltDist => {
  const bytes = zipBytes(entries);
  return { fileName: `${name.replace(/-/g, '_')}-${version}-py3-none-any.whl`, bytes, sha256: sha('sha256', bytes) };
};

export const pypiFuzz: FormatFuzz = {
  format: 'pypi',
  seed: (token) => [pypiUpload(token, 'fz-py', '1.0')],
  templates: (context) => [
    { label: 'index', request: { method: 'GET', target: `${context.prefix}simple/`, headers: [bearer(context.token)] } },
    { label: 'project', request: { method: 'GET', target: `${context.prefix}simple/fz-py/`, headers: [bearer(context.token), ['Accept', 'application/vnd.pypi.simple.v1+json']] } },
    { label: 'file', request: { method: 'GET', target: `${context.prefix}simple/fz-py/1.0/fz_py-1.0-py3-none-any.whl`, headers: [bearer(context.token)] } },
    { label: 'metadata', request: { method: 'GET', target: `${context.prefix}simple/fz-py/1.0/fz_py-1.0-py3-none-any.whl.metadata`, headers: [bearer(context.token)] } },
    ...pypiFuzz.writeTemplates(context),
  ],
  writeTemplates: (context) => [fromPlanned(context, 'upload', pypiUpload(context.token, 'fz-py', `2.${counter++}`))],
  async structured(context, damaged) {
    const cases: FuzzCase[] = [];
    const upload = (label: string, dist: BuiltDist, name = 'fz-evil', version = unique(), overrides: Record<string, string | string[] | undefined> = {}) =>
      cases.push(rawCase(context, 'pypi upload', label, uploadRaw(context, dist, name, version, overrides)));
    const metadata = (name: string, version: string) => `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n`;
    const wheel = (label: string, entries: (version: string) => ZipEntrySpec[]) => {
      const version = unique();
      upload(label, wheelNamed('fz-evil', version, entries(version)), 'fz-evil', version);
    };
    const distInfo = (version: string) => `fz_evil-${version}.dist-info`;
    wheel('dot-dot entry', (v) => [{ name: `${distInfo(v)}/METADATA`, content: metadata('fz-evil', v) }, { name: `../../sentinel/${context.marker}`, content: 'x' }]);
    wheel('absolute entry', (v) => [{ name: `${distInfo(v)}/METADATA`, content: metadata('fz-evil', v) }, { name: `/tmp/${context.marker}`, content: 'x' }]);
    wheel('symlink entry', (v) => [{ name: `${distInfo(v)}/METADATA`, content: metadata('fz-evil', v) }, { name: 'fz_evil/link', content: '../../../../etc/passwd', method: 0, unixMode: 0o120777 }]);
    wheel('METADATA as a symlink', (v) => [{ name: `${distInfo(v)}/METADATA`, content: '/etc/passwd', method: 0, unixMode: 0o120777 }]);
    wheel('METADATA bomb, size understated', (v) => [{ name: `${distInfo(v)}/METADATA`, content: '', declaredSize: 100, rawData: deflatedZeros(256) }]);
    wheel('METADATA bomb, size stated', (v) => [{ name: `${distInfo(v)}/METADATA`, content: Buffer.alloc(0), declaredSize: 256 * 1024 * 1024, rawData: deflatedZeros(256) }]);
    wheel('METADATA of invalid UTF-8', (v) => [{ name: `${distInfo(v)}/METADATA`, content: Buffer.concat([Buffer.from(metadata('fz-evil', v)), Buffer.from('Summary: '), INVALID_UTF8]) }]);
    wheel('METADATA with 50k headers', (v) => [{ name: `${distInfo(v)}/METADATA`, content: metadata('fz-evil', v) + 'Requires-Dist: x\n'.repeat(50_000) }]);
    wheel('65k entries', (v) => [{ name: `${distInfo(v)}/METADATA`, content: metadata('fz-evil', v) }, ...Array.from({ length: 65_000 }, (_, index) => ({ name: `f/${index}`, content: '', method: 0 as const }))]);
    wheel('no METADATA', () => [{ name: 'fz_evil/__init__.py', content: '' }]);
    const sdist = (label: string, bytes: Buffer, version: string) => upload(label, { fileName: `fz_evil-${version}.tar.gz`, bytes, sha256: sha('sha256', bytes) }, 'fz-evil', version, { filetype: 'sdist', pyversion: 'source' });
    for (const [label, extra] of Object.entries({
      'sdist dot-dot entry': [{ name: `../../sentinel/${context.marker}`, content: 'x' }],
      'sdist symlink out': [{ name: 'fz_evil-X/link', type: '2' as const, linkname: '/etc/passwd' }],
      'sdist hard link out': [{ name: 'fz_evil-X/hard', type: '1' as const, linkname: '../../../etc/passwd' }],
    })) {
      const version = unique();
      sdist(label, tgz([{ name: `fz_evil-${version}/PKG-INFO`, content: metadata('fz-evil', version) }, ...extra]), version);
    }
    const bombVersion = unique();
    sdist('sdist gzip bomb 1 GiB', await tarGzBomb([{ name: `fz_evil-${bombVersion}/PKG-INFO`, content: metadata('fz-evil', bombVersion) }], `fz_evil-${bombVersion}/zeros`, 1024), bombVersion);
    const plain = buildWheel({ name: 'fz-form', version: '1.0' });
    for (const [label, overrides] of Object.entries({
      'name traverses': { name: `../../sentinel/${context.marker}` },
      'version traverses': { version: '../../1.0' },
      'huge version': { version: '1'.repeat(5000) },
      'unicode name': { name: 'f\u00fc\u200bz' },
      'action unknown': { ':action': 'remove_all' },
      'wrong sha256': { sha256_digest: '0'.repeat(64) },
      'proto field': JSON.parse('{"__proto__":"x"}') as Record<string, string>,
      '3000 classifiers': { classifiers: Array.from({ length: 3000 }, (_, index) => `C :: ${index}`) },
    })) {
      upload(`form ${label}`, plain, 'fz-form', '1.0', overrides);
    }
    for (const fileName of [`../../sentinel/${context.marker}.whl`, '/etc/passwd.whl', `fz\u0000x-1.0-py3-none-any.whl`, `${'a'.repeat(400)}.whl`, 'fz-1.0.exe', '.whl']) {
      upload(`file named ${fileName.slice(0, 30)}`, { ...plain, fileName }, 'fz-form', '1.0');
    }
    const form = (label: string, body: Buffer | string, contentType = 'multipart/form-data; boundary=b') =>
      cases.push(rawCase(context, 'pypi form', label, { method: 'POST', target: context.prefix, headers: [['Authorization', basicAuth(context.token)], ['Content-Type', contentType]], body }));
    form('no closing boundary', '--b\r\nContent-Disposition: form-data; name=":action"\r\n\r\nfile_upload\r\n');
    form('no parts', '--b--\r\n');
    form('part without headers', '--b\r\n\r\nx\r\n--b--\r\n');
    form('two content files', `--b\r\nContent-Disposition: form-data; name="content"; filename="a.whl"\r\n\r\nx\r\n--b\r\nContent-Disposition: form-data; name="content"; filename="b.whl"\r\n\r\ny\r\n--b--\r\n`);
    form('5000 fields', `${Array.from({ length: 5000 }, (_, index) => `--b\r\nContent-Disposition: form-data; name="f${index}"\r\n\r\nv\r\n`).join('')}--b--\r\n`);
    form('9 MB field', `--b\r\nContent-Disposition: form-data; name="description"\r\n\r\n${'d'.repeat(9 * 1024 * 1024)}\r\n--b--\r\n`);
    form('field name of invalid UTF-8', Buffer.concat([Buffer.from('--b\r\nContent-Disposition: form-data; name="'), INVALID_UTF8, Buffer.from('"\r\n\r\nv\r\n--b--\r\n')]));
    form('boundary in header missing', 'x', 'multipart/form-data');
    for (let index = 0; index < damaged; index++) {
      const version = `3.${index}`;
      const good = index % 2 ? buildWheel({ name: 'fz-damaged', version }) : buildSdist({ name: 'fz-damaged', version });
      const bytes = damage(good.bytes, context.random);
      upload(`damaged ${good.fileName}`, { ...good, bytes, sha256: sha('sha256', bytes) }, 'fz-damaged', version, index % 2 ? {} : { filetype: 'sdist', pyversion: 'source' });
    }
    return cases.map((item) => (item.category === 'pypi upload' && item.label.startsWith('damaged') ? { ...item, category: 'pypi damaged archive' } : item));
  },
};

// ---------- NuGet ----------

function pushRaw(context: FuzzContext, nupkg: Buffer): RawRequest {
  const body = Buffer.concat([Buffer.from('--nb\r\nContent-Type: application/octet-stream\r\nContent-Disposition: form-data; name=package; filename=package.nupkg\r\n\r\n'), nupkg, Buffer.from('\r\n--nb--\r\n')]);
  return { method: 'PUT', target: `${context.prefix}api/v2/package`, headers: [['X-NuGet-ApiKey', context.token], ['Content-Type', 'multipart/form-data; boundary="nb"']], body };
}

export const nugetFuzz: FormatFuzz = {
  format: 'nuget',
  seed: (token) => [nugetPush(token, 'Fz.Pkg', '1.0.0')],
  templates: (context) => [
    { label: 'service index', request: { method: 'GET', target: `${context.prefix}v3/index.json`, headers: [bearer(context.token)] } },
    { label: 'versions', request: { method: 'GET', target: `${context.prefix}v3/package/fz.pkg/index.json`, headers: [bearer(context.token)] } },
    { label: 'nupkg', request: { method: 'GET', target: `${context.prefix}v3/package/fz.pkg/1.0.0/fz.pkg.1.0.0.nupkg`, headers: [bearer(context.token)] } },
    { label: 'nuspec', request: { method: 'GET', target: `${context.prefix}v3/package/fz.pkg/1.0.0/fz.pkg.nuspec`, headers: [bearer(context.token)] } },
    { label: 'registration', request: { method: 'GET', target: `${context.prefix}v3/registration/fz.pkg/index.json`, headers: [bearer(context.token)] } },
    { label: 'search', request: { method: 'GET', target: `${context.prefix}v3/search?q=fz&skip=0&take=20&prerelease=true&semVerLevel=2.0.0`, headers: [bearer(context.token)] } },
    { label: 'unlist', request: { method: 'DELETE', target: `${context.prefix}api/v2/package/Fz.Pkg/1.0.0`, headers: [['X-NuGet-ApiKey', context.token]] } },
    ...nugetFuzz.writeTemplates(context),
  ],
  writeTemplates: (context) => [fromPlanned(context, 'push', nugetPush(context.token, 'Fz.Pkg', `2.0.${counter++}`))],
  async structured(context, damaged) {
    const cases: FuzzCase[] = [];
    const push = (label: string, entries: ZipEntrySpec[]) => cases.push(rawCase(context, 'nuget package', label, pushRaw(context, zipBytes(entries))));
    const nuspec = (id: string, version: string) => nuspecXml({ id, version });
    const v = () => `3.0.${counter++}`;
    push('dot-dot entry', [{ name: 'Fz.Evil.nuspec', content: nuspec('Fz.Evil', v()) }, { name: `../../sentinel/${context.marker}`, content: 'x' }]);
    push('absolute entry', [{ name: 'Fz.Evil.nuspec', content: nuspec('Fz.Evil', v()) }, { name: `/tmp/${context.marker}`, content: 'x' }]);
    push('nuspec as a symlink', [{ name: 'Fz.Evil.nuspec', content: '/etc/passwd', method: 0, unixMode: 0o120777 }]);
    push('no nuspec', [{ name: 'lib/a.dll', content: 'MZ' }]);
    push('two nuspecs', [{ name: 'a.nuspec', content: nuspec('Fz.A', v()) }, { name: 'b.nuspec', content: nuspec('Fz.B', v()) }]);
    push('deep nuspec', [{ name: 'Fz.Evil.nuspec', content: deepXml(50_000, 'package') }]);
    push('entity expansion', [{ name: 'Fz.Evil.nuspec', content: laughs('package') }]);
    push('nuspec of invalid UTF-8', [{ name: 'Fz.Evil.nuspec', content: Buffer.concat([Buffer.from(nuspec('Fz.Evil', v()).replace('</id>', '')), INVALID_UTF8]) }]);
    push('nuspec bomb, size understated', [{ name: 'Fz.Evil.nuspec', content: '', declaredSize: 100, rawData: deflatedZeros(256) }]);
    push('nuspec bomb, size stated', [{ name: 'Fz.Evil.nuspec', content: '', declaredSize: 256 * 1024 * 1024, rawData: deflatedZeros(256) }]);
    push('id traverses', [{ name: 'x.nuspec', content: nuspec(`../../sentinel/${context.marker}`, '1.0.0') }]);
    push('version traverses', [{ name: 'x.nuspec', content: nuspec('Fz.Evil', '1.0.0/../../x') }]);
    push('huge id', [{ name: 'x.nuspec', content: nuspec('F'.repeat(5000), '1.0.0') }]);
    push('proto id', [{ name: 'x.nuspec', content: nuspec('__proto__', '1.0.0') }]);
    push('65k entries', [{ name: 'Fz.Many.nuspec', content: nuspec('Fz.Many', v()) }, ...Array.from({ length: 65_000 }, (_, index) => ({ name: `c/${index}`, content: '', method: 0 as const }))]);
    const multipart = (label: string, body: string, contentType = 'multipart/form-data; boundary=nb') =>
      cases.push(rawCase(context, 'nuget form', label, { method: 'PUT', target: `${context.prefix}api/v2/package`, headers: [['X-NuGet-ApiKey', context.token], ['Content-Type', contentType]], body }));
    multipart('no file part', '--nb\r\nContent-Disposition: form-data; name=x\r\n\r\ny\r\n--nb--\r\n');
    multipart('two file parts', '--nb\r\nContent-Disposition: form-data; name=a; filename=a\r\n\r\nPK\r\n--nb\r\nContent-Disposition: form-data; name=b; filename=b\r\n\r\nPK\r\n--nb--\r\n');
    multipart('never closed', '--nb\r\nContent-Disposition: form-data; name=package; filename=p.nupkg\r\n\r\nPK');
    multipart('not multipart', 'PK', 'application/octet-stream');
    for (let index = 0; index < damaged; index++) {
      cases.push(rawCase(context, 'nuget damaged package', `damaged nupkg #${index}`, pushRaw(context, damage(buildNupkg({ id: 'Fz.Damaged', version: `4.0.${index}` }).bytes, context.random))));
    }
    return cases;
  },
};

// ---------- Maven ----------

const MAVEN_DIR = 'com/acme/fz/lib';

export const mavenFuzz: FormatFuzz = {
  format: 'maven',
  seed: (token) => mavenDeploy(token, 'com.acme.fz', 'lib', '1.0'),
  templates: (context) => [
    { label: 'jar', request: { method: 'GET', target: `${context.prefix}${MAVEN_DIR}/1.0/lib-1.0.jar`, headers: [bearer(context.token)] } },
    { label: 'sha1', request: { method: 'GET', target: `${context.prefix}${MAVEN_DIR}/1.0/lib-1.0.jar.sha1`, headers: [bearer(context.token)] } },
    { label: 'metadata', request: { method: 'GET', target: `${context.prefix}${MAVEN_DIR}/maven-metadata.xml`, headers: [bearer(context.token)] } },
    { label: 'pom', request: { method: 'GET', target: `${context.prefix}${MAVEN_DIR}/1.0/lib-1.0.pom`, headers: [bearer(context.token)] } },
    ...mavenFuzz.writeTemplates(context),
  ],
  writeTemplates(context) {
    const version = `2.${counter++}`;
    const [jar, , , pom, , , metadata] = mavenDeploy(context.token, 'com.acme.fz', 'lib', version);
    return [fromPlanned(context, 'jar upload', jar), fromPlanned(context, 'pom upload', pom), fromPlanned(context, 'metadata upload', metadata)];
  },
  async structured(context, damaged) {
    const cases: FuzzCase[] = [];
    const put = (label: string, path: string, body: Buffer | string) =>
      cases.push(rawCase(context, 'maven file', label, { method: 'PUT', target: `${context.prefix}${path}`, headers: [['Authorization', basicAuth(context.token)]], body }));
    const pomPath = (version: string) => `com/acme/fz/evil/${version}/evil-${version}.pom`;
    put('deep POM', pomPath('1.1'), deepXml(50_000));
    put('POM entity expansion', pomPath('1.2'), laughs('project'));
    put('POM external entity', pomPath('1.3'), '<?xml version="1.0"?><!DOCTYPE project [<!ENTITY x SYSTEM "file:///etc/passwd">]><project>&x;</project>');
    put('POM of invalid UTF-8', pomPath('1.4'), Buffer.concat([Buffer.from(buildPom({ groupId: 'com.acme.fz', artifactId: 'evil', version: '1.4' }).replace('</project>', '<description>')), INVALID_UTF8, Buffer.from('</description></project>')]));
    put('POM of 5 MB', pomPath('1.5'), buildPom({ groupId: 'com.acme.fz', artifactId: 'evil', version: '1.5', description: 'd'.repeat(5 * 1024 * 1024) }));
    put('POM naming other coordinates', pomPath('1.6'), buildPom({ groupId: 'org.other', artifactId: 'x', version: '9' }));
    put('POM with 20k dependencies', pomPath('1.7'), buildPom({ groupId: 'com.acme.fz', artifactId: 'evil', version: '1.7', dependencies: Array.from({ length: 20_000 }, (_, index) => ({ groupId: 'g', artifactId: `a${index}`, version: '1' })) }));
    put('jar that is no zip', 'com/acme/fz/evil/1.8/evil-1.8.jar', 'not a zip');
    put('jar zip bomb', 'com/acme/fz/evil/1.9/evil-1.9.jar', zipBytes([{ name: 'zeros', content: '', declaredSize: 100, rawData: deflatedZeros(64) }]));
    put('metadata deep', `com/acme/fz/evil/maven-metadata.xml`, deepXml(50_000, 'metadata'));
    put('metadata entity expansion', `com/acme/fz/evil/maven-metadata.xml`, laughs('metadata'));
    put('metadata with 100k versions', MAVEN_DIR + '/maven-metadata.xml', clientMetadata('com.acme.fz', 'lib', Array.from({ length: 100_000 }, (_, index) => `9.${index}`)));
    put('metadata of invalid UTF-8', MAVEN_DIR + '/maven-metadata.xml', Buffer.concat([Buffer.from('<metadata><groupId>'), INVALID_UTF8, Buffer.from('</groupId></metadata>')]));
    put('sidecar of 2 KB', `${MAVEN_DIR}/1.0/lib-1.0.jar.sha1`, 'a'.repeat(2048));
    put('sidecar of garbage', `${MAVEN_DIR}/1.0/lib-1.0.jar.md5`, '\u0000\u00ff');
    put('group with dot-dot', `com/../../fz/evil/2.0/evil-2.0.jar`, buildJar());
    put('version dot-dot', `com/acme/fz/evil/../evil-...jar`, buildJar());
    put('file of another artifact', `com/acme/fz/evil/2.1/other-2.1.jar`, buildJar());
    put('snapshot with odd timestamp', `com/acme/fz/evil/2.2-SNAPSHOT/evil-2.2-99999999.999999-0.jar`, buildJar());
    const pom = buildPom({ groupId: 'com.acme.fz', artifactId: 'damaged', version: '1.0' });
    for (let index = 0; index < damaged; index++) {
      const version = `1.${index}`;
      put(`damaged POM #${index}`, `com/acme/fz/damaged/${version}/damaged-${version}.pom`, damage(Buffer.from(pom.replace(/1\.0/g, version)), context.random));
    }
    return cases.map((item) => (item.label.startsWith('damaged') ? { ...item, category: 'maven damaged POM' } : item));
  },
};

// ---------- generic ----------

export const genericFuzz: FormatFuzz = {
  format: 'generic',
  seed: (token) => [genericUpload(token, 'ns', 'fz', '1.0')],
  templates: (context) => [
    { label: 'download', request: { method: 'GET', target: `${context.prefix}ns/fz/1.0/fz.bin`, headers: [bearer(context.token)] } },
    ...genericFuzz.writeTemplates(context),
  ],
  writeTemplates: (context) => [fromPlanned(context, 'upload', genericUpload(context.token, 'ns', 'fz', `2.${counter++}`))],
  async structured(context) {
    const cases: FuzzCase[] = [];
    const put = (label: string, path: string, headers: [string, string][], body: string) => cases.push(rawCase(context, 'generic upload', label, { method: 'PUT', target: `${context.prefix}${path}`, headers: [bearer(context.token), ...headers], body }));
    const digest = ['X-Checksum-Sha256', sha('sha256', 'x')] as [string, string];
    put('checksum of other bytes', 'ns/fz/3.0/a.bin', [['X-Checksum-Sha256', sha('sha256', 'y')]], 'x');
    put('unfinished=maybe', 'ns/fz/3.1/a.bin?unfinished=maybe', [digest], 'x');
    for (const name of ['..', '.', '%2e%2e', 'a%2fb', 'a%5cb', '%00', `..%2f..%2f..%2fsentinel%2f${context.marker}`, ' lead', 'trail ', 'two  spaces', '\u202e', 'x'.repeat(300), '__proto__']) {
      put(`asset named ${name.slice(0, 20)}`, `ns/fz/3.2/${name}`, [digest], 'x');
      put(`namespace ${name.slice(0, 20)}`, `${name}/fz/3.3/a.bin`, [digest], 'x');
      put(`version ${name.slice(0, 20)}`, `ns/fz/${name}/a.bin`, [digest], 'x');
    }
    return cases;
  },
};

export const FORMAT_FUZZERS = [npmFuzz, pypiFuzz, nugetFuzz, mavenFuzz, genericFuzz];
