/** PyPI: uploads of hostile wheels and sdists (escaping paths, links, bombs), broken forms, and damaged archives. */
import { blake2b } from '@noble/hashes/blake2.js';
import { buildWheel, buildSdist, type BuiltDist } from '../../helpers/pypi-dist.js';
import { multipartBody, twineFields } from '../../helpers/pypi-upload.js';
import { deflatedZeros, INVALID_UTF8, tarGzBomb, tgz, zipBytes, type ZipEntrySpec } from './fuzz-archives.js';
import { fromPlanned, nextNumber, rawCase, sha, unique, type FormatFuzz } from './fuzz-format.js';
import { bearer, damage, type FuzzCase, type FuzzContext } from './fuzz-mutations.js';
import { basicAuth } from './hardening-server.js';
import { pypiUpload } from './publish-requests.js';
import type { RawRequest } from './raw-client.js';

function uploadRaw(
  context: FuzzContext,
  dist: BuiltDist,
  name: string,
  version: string,
  overrides: Record<string, string | string[] | undefined> = {},
  boundary?: string,
): RawRequest {
  const fields = {
    ...twineFields(dist, name, version),
    sha256_digest: sha('sha256', dist.bytes),
    md5_digest: sha('md5', dist.bytes),
    blake2_256_digest: Buffer.from(blake2b(dist.bytes, { dkLen: 32 })).toString('hex'),
    ...overrides,
  };
  const { body, contentType } = multipartBody(fields, dist, boundary);
  return {
    method: 'POST',
    target: context.prefix,
    headers: [
      ['Authorization', basicAuth(context.token)],
      ['Content-Type', contentType],
    ],
    body,
  };
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
    {
      label: 'project',
      request: { method: 'GET', target: `${context.prefix}simple/fz-py/`, headers: [bearer(context.token), ['Accept', 'application/vnd.pypi.simple.v1+json']] },
    },
    { label: 'file', request: { method: 'GET', target: `${context.prefix}simple/fz-py/1.0/fz_py-1.0-py3-none-any.whl`, headers: [bearer(context.token)] } },
    {
      label: 'metadata',
      request: { method: 'GET', target: `${context.prefix}simple/fz-py/1.0/fz_py-1.0-py3-none-any.whl.metadata`, headers: [bearer(context.token)] },
    },
    ...pypiFuzz.writeTemplates(context),
  ],
  writeTemplates: (context) => [fromPlanned(context, 'upload', pypiUpload(context.token, 'fz-py', `2.${nextNumber()}`))],
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
    wheel('dot-dot entry', (v) => [
      { name: `${distInfo(v)}/METADATA`, content: metadata('fz-evil', v) },
      { name: `../../sentinel/${context.marker}`, content: 'x' },
    ]);
    wheel('absolute entry', (v) => [
      { name: `${distInfo(v)}/METADATA`, content: metadata('fz-evil', v) },
      { name: `/tmp/${context.marker}`, content: 'x' },
    ]);
    wheel('symlink entry', (v) => [
      { name: `${distInfo(v)}/METADATA`, content: metadata('fz-evil', v) },
      { name: 'fz_evil/link', content: '../../../../etc/passwd', method: 0, unixMode: 0o120777 },
    ]);
    wheel('METADATA as a symlink', (v) => [{ name: `${distInfo(v)}/METADATA`, content: '/etc/passwd', method: 0, unixMode: 0o120777 }]);
    wheel('METADATA bomb, size understated', (v) => [{ name: `${distInfo(v)}/METADATA`, content: '', declaredSize: 100, rawData: deflatedZeros(256) }]);
    wheel('METADATA bomb, size stated', (v) => [
      { name: `${distInfo(v)}/METADATA`, content: Buffer.alloc(0), declaredSize: 256 * 1024 * 1024, rawData: deflatedZeros(256) },
    ]);
    wheel('METADATA of invalid UTF-8', (v) => [
      { name: `${distInfo(v)}/METADATA`, content: Buffer.concat([Buffer.from(metadata('fz-evil', v)), Buffer.from('Summary: '), INVALID_UTF8]) },
    ]);
    wheel('METADATA with 50k headers', (v) => [{ name: `${distInfo(v)}/METADATA`, content: metadata('fz-evil', v) + 'Requires-Dist: x\n'.repeat(50_000) }]);
    wheel('65k entries', (v) => [
      { name: `${distInfo(v)}/METADATA`, content: metadata('fz-evil', v) },
      ...Array.from({ length: 65_000 }, (_, index) => ({ name: `f/${index}`, content: '', method: 0 as const })),
    ]);
    wheel('no METADATA', () => [{ name: 'fz_evil/__init__.py', content: '' }]);
    const sdist = (label: string, bytes: Buffer, version: string) =>
      upload(label, { fileName: `fz_evil-${version}.tar.gz`, bytes, sha256: sha('sha256', bytes) }, 'fz-evil', version, {
        filetype: 'sdist',
        pyversion: 'source',
      });
    for (const [label, extra] of Object.entries({
      'sdist dot-dot entry': [{ name: `../../sentinel/${context.marker}`, content: 'x' }],
      'sdist symlink out': [{ name: 'fz_evil-X/link', type: '2' as const, linkname: '/etc/passwd' }],
      'sdist hard link out': [{ name: 'fz_evil-X/hard', type: '1' as const, linkname: '../../../etc/passwd' }],
    })) {
      const version = unique();
      sdist(label, tgz([{ name: `fz_evil-${version}/PKG-INFO`, content: metadata('fz-evil', version) }, ...extra]), version);
    }
    const bombVersion = unique();
    sdist(
      'sdist gzip bomb 1 GiB',
      await tarGzBomb([{ name: `fz_evil-${bombVersion}/PKG-INFO`, content: metadata('fz-evil', bombVersion) }], `fz_evil-${bombVersion}/zeros`, 1024),
      bombVersion,
    );
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
    for (const fileName of [
      `../../sentinel/${context.marker}.whl`,
      '/etc/passwd.whl',
      `fz\u0000x-1.0-py3-none-any.whl`,
      `${'a'.repeat(400)}.whl`,
      'fz-1.0.exe',
      '.whl',
    ]) {
      upload(`file named ${fileName.slice(0, 30)}`, { ...plain, fileName }, 'fz-form', '1.0');
    }
    const form = (label: string, body: Buffer | string, contentType = 'multipart/form-data; boundary=b') =>
      cases.push(
        rawCase(context, 'pypi form', label, {
          method: 'POST',
          target: context.prefix,
          headers: [
            ['Authorization', basicAuth(context.token)],
            ['Content-Type', contentType],
          ],
          body,
        }),
      );
    form('no closing boundary', '--b\r\nContent-Disposition: form-data; name=":action"\r\n\r\nfile_upload\r\n');
    form('no parts', '--b--\r\n');
    form('part without headers', '--b\r\n\r\nx\r\n--b--\r\n');
    form(
      'two content files',
      `--b\r\nContent-Disposition: form-data; name="content"; filename="a.whl"\r\n\r\nx\r\n--b\r\nContent-Disposition: form-data; name="content"; filename="b.whl"\r\n\r\ny\r\n--b--\r\n`,
    );
    form(
      '5000 fields',
      `${Array.from({ length: 5000 }, (_, index) => `--b\r\nContent-Disposition: form-data; name="f${index}"\r\n\r\nv\r\n`).join('')}--b--\r\n`,
    );
    form('9 MB field', `--b\r\nContent-Disposition: form-data; name="description"\r\n\r\n${'d'.repeat(9 * 1024 * 1024)}\r\n--b--\r\n`);
    form(
      'field name of invalid UTF-8',
      Buffer.concat([Buffer.from('--b\r\nContent-Disposition: form-data; name="'), INVALID_UTF8, Buffer.from('"\r\n\r\nv\r\n--b--\r\n')]),
    );
    form('boundary in header missing', 'x', 'multipart/form-data');
    for (let index = 0; index < damaged; index++) {
      const version = `3.${index}`;
      const good = index % 2 ? buildWheel({ name: 'fz-damaged', version }) : buildSdist({ name: 'fz-damaged', version });
      const bytes = damage(good.bytes, context.random);
      upload(
        `damaged ${good.fileName}`,
        { ...good, bytes, sha256: sha('sha256', bytes) },
        'fz-damaged',
        version,
        index % 2 ? {} : { filetype: 'sdist', pyversion: 'source' },
      );
    }
    return cases.map((item) => (item.category === 'pypi upload' && item.label.startsWith('damaged') ? { ...item, category: 'pypi damaged archive' } : item));
  },
};
