/** npm: publish bodies of hostile JSON and tarballs (escaping paths, links, bombs), and damaged tarballs. */
import { buildNpmTarball } from '../../helpers/npm-tarball.js';
import { deepJson, INVALID_UTF8, tarGzBomb, tgz } from './fuzz-archives.js';
import { fromPlanned, nextNumber, rawCase, semverUnique, sha, type FormatFuzz } from './fuzz-format.js';
import { bearer, damage, type FuzzCase, type FuzzContext } from './fuzz-mutations.js';
import { npmPublish } from './publish-requests.js';
import type { RawRequest } from './raw-client.js';

function npmPublishRaw(context: FuzzContext, name: string, version: string, tarball: Buffer, manifestOverrides: Record<string, unknown> = {}): RawRequest {
  const body = {
    _id: name,
    name,
    'dist-tags': { latest: version },
    versions: {
      [version]: { name, version, dist: { integrity: `sha512-${sha('sha512', tarball, 'base64')}`, shasum: sha('sha1', tarball) }, ...manifestOverrides },
    },
    _attachments: { [`${name}-${version}.tgz`]: { content_type: 'application/octet-stream', data: tarball.toString('base64'), length: tarball.length } },
  };
  return {
    method: 'PUT',
    target: `${context.prefix}${name}`,
    headers: [bearer(context.token), ['Content-Type', 'application/json']],
    body: JSON.stringify(body),
  };
}

const manifest = (name: string, version: string) => JSON.stringify({ name, version });

export const npmFuzz: FormatFuzz = {
  format: 'npm',
  seed: (token) => [npmPublish(token, 'fz-npm', '1.0.0')],
  templates: (context) => [
    {
      label: 'packument',
      request: { method: 'GET', target: `${context.prefix}fz-npm`, headers: [bearer(context.token), ['Accept', 'application/vnd.npm.install-v1+json']] },
    },
    { label: 'tarball', request: { method: 'GET', target: `${context.prefix}fz-npm/-/fz-npm-1.0.0.tgz`, headers: [bearer(context.token)] } },
    { label: 'version', request: { method: 'GET', target: `${context.prefix}fz-npm/1.0.0`, headers: [bearer(context.token)] } },
    { label: 'search', request: { method: 'GET', target: `${context.prefix}-/v1/search?text=fz&size=20`, headers: [bearer(context.token)] } },
    {
      label: 'dist-tag',
      request: {
        method: 'PUT',
        target: `${context.prefix}-/package/fz-npm/dist-tags/beta`,
        headers: [bearer(context.token), ['Content-Type', 'application/json']],
        body: '"1.0.0"',
      },
    },
    ...npmFuzz.writeTemplates(context),
  ],
  writeTemplates: (context) => [fromPlanned(context, 'publish', npmPublish(context.token, 'fz-npm', `2.0.${nextNumber()}`))],
  async structured(context, damaged) {
    const cases: FuzzCase[] = [];
    const jsonBody = (label: string, body: string | Buffer) =>
      rawCase(context, 'npm json', label, {
        method: 'PUT',
        target: `${context.prefix}fz-json`,
        headers: [bearer(context.token), ['Content-Type', 'application/json']],
        body,
      });
    for (const [label, body] of Object.entries({
      'deep arrays': deepJson(200_000),
      'deep objects': deepJson(100_000, true),
      null: 'null',
      array: '[]',
      string: '"s"',
      'huge exponent': '{"versions":1e999999}',
      'proto key': '{"__proto__":{"polluted":true},"name":"fz-json","versions":{"__proto__":{}}}',
      BOM: '\ufeff{"name":"fz-json"}',
      '1000 versions': JSON.stringify({
        name: 'fz-json',
        versions: Object.fromEntries(Array.from({ length: 1000 }, (_, index) => [`1.0.${index}`, { name: 'fz-json', version: `1.0.${index}` }])),
        _attachments: { a: { data: 'AA==' } },
      }),
    })) {
      cases.push(jsonBody(label, body));
    }
    cases.push(jsonBody('invalid UTF-8', Buffer.concat([Buffer.from('{"name":"fz-json","description":"'), INVALID_UTF8, Buffer.from('"}')])));
    const evil = (label: string, tarball: Buffer, overrides?: Record<string, unknown>) =>
      rawCase(context, 'npm tarball', label, npmPublishRaw(context, 'fz-evil', semverUnique(), tarball, overrides));
    const version = semverUnique;
    const withManifest = (version: string, extra: Parameters<typeof tgz>[0]) =>
      tgz([{ name: 'package/package.json', content: manifest('fz-evil', version) }, ...extra]);
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
    cases.push(
      evil(
        'package.json of invalid UTF-8',
        tgz([
          { name: 'package/package.json', content: Buffer.concat([Buffer.from('{"name":"fz-evil","version":"1.0.0","x":"'), INVALID_UTF8, Buffer.from('"}')]) },
        ]),
      ),
    );
    cases.push(
      evil(
        '120k entries',
        tgz([
          { name: 'package/package.json', content: manifest('fz-evil', '9.9.9') },
          ...Array.from({ length: 120_000 }, (_, index) => ({ name: `package/f${index}`, content: '' })),
        ]),
      ),
    );
    const bombVersion = semverUnique();
    cases.push(
      rawCase(
        context,
        'npm tarball',
        'gzip bomb 1 GiB',
        npmPublishRaw(
          context,
          'fz-evil',
          bombVersion,
          await tarGzBomb([{ name: 'package/package.json', content: manifest('fz-evil', bombVersion) }], 'package/zeros.bin', 1024),
        ),
      ),
    );
    const tagged = npmPublishRaw(context, 'fz-evil', '7.7.7', buildNpmTarball({ name: 'fz-evil', version: '7.7.7' }).bytes);
    cases.push(
      rawCase(context, 'npm json', 'proto dist-tag', {
        ...tagged,
        body: String(tagged.body).replace('"dist-tags":{"latest":"7.7.7"}', '"dist-tags":{"__proto__":"7.7.7","constructor":"7.7.7"}'),
      }),
    );
    for (let index = 0; index < damaged; index++) {
      const v = semverUnique();
      cases.push(
        rawCase(
          context,
          'npm damaged tarball',
          `damaged tarball #${index}`,
          npmPublishRaw(context, 'fz-damaged', v, damage(buildNpmTarball({ name: 'fz-damaged', version: v }).bytes, context.random)),
        ),
      );
    }
    return cases;
  },
};
