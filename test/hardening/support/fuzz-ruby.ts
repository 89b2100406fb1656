/** RubyGems: pushes of hostile .gem files (escaping entries, links, bombs, Ruby YAML tags, deep YAML), bad yanks, damaged gems. */
import { gunzipSync, gzipSync } from 'node:zlib';
import { buildGem, gemspecYaml, tarArchive } from '../../helpers/ruby-gem.js';
import { INVALID_UTF8, tarGzBomb, tgz, type TarEntry } from './fuzz-archives.js';
import { fromPlanned, nextNumber, rawCase, type FormatFuzz } from './fuzz-format.js';
import { bearer, damage, type FuzzCase, type FuzzContext } from './fuzz-mutations.js';
import { rubyPush } from './publish-requests.js';
import type { RawRequest } from './raw-client.js';

function pushRaw(context: FuzzContext, gem: Buffer): RawRequest {
  return {
    method: 'POST',
    target: `${context.prefix}api/v1/gems`,
    headers: [
      ['Authorization', context.token],
      ['Content-Type', 'application/octet-stream'],
    ],
    body: gem,
  };
}

const version = () => `5.0.${nextNumber()}`;
const yamlOf = (name: string, v = version()) => gemspecYaml({ name, version: v });
const gemWith = (yaml: string) => buildGem({ name: 'fz_evil', version: '1.0', yaml }).bytes;

/** A .gem whose outer tar also holds raw entries (links, escaping names); tgz writes those headers, gunzip makes it a plain tar. */
function outerTar(extra: TarEntry[]): Buffer {
  const metadata = gzipSync(Buffer.from(yamlOf('fz_evil')));
  const data = tgz([{ name: 'lib/fz_evil.rb', content: '' }]);
  return gunzipSync(tgz([{ name: 'metadata.gz', content: metadata }, { name: 'data.tar.gz', content: data }, ...extra]));
}

export const rubyFuzz: FormatFuzz = {
  format: 'ruby',
  seed: (token) => [rubyPush(token, 'fz_rb', '1.0.0')],
  templates: (context) => [
    { label: 'root', request: { method: 'GET', target: context.prefix, headers: [bearer(context.token)] } },
    { label: 'versions', request: { method: 'GET', target: `${context.prefix}versions`, headers: [bearer(context.token), ['Range', 'bytes=10-']] } },
    { label: 'info', request: { method: 'GET', target: `${context.prefix}info/fz_rb`, headers: [bearer(context.token)] } },
    { label: 'gem', request: { method: 'GET', target: `${context.prefix}gems/fz_rb-1.0.0.gem`, headers: [bearer(context.token)] } },
    {
      label: 'marshal spec',
      request: { method: 'GET', target: `${context.prefix}quick/Marshal.4.8/fz_rb-1.0.0.gemspec.rz`, headers: [bearer(context.token)] },
    },
    {
      label: 'yank',
      request: {
        method: 'DELETE',
        target: `${context.prefix}api/v1/gems/yank`,
        headers: [
          ['Authorization', context.token],
          ['Content-Type', 'application/x-www-form-urlencoded'],
        ],
        body: Buffer.from('gem_name=fz_rb&version=9.9.9'),
      },
    },
    ...rubyFuzz.writeTemplates(context),
  ],
  writeTemplates: (context) => [fromPlanned(context, 'push', rubyPush(context.token, 'fz_rb', `2.0.${nextNumber()}`))],
  async structured(context, damaged) {
    const cases: FuzzCase[] = [];
    const push = (label: string, gem: Buffer) => cases.push(rawCase(context, 'ruby gem', label, pushRaw(context, gem)));
    const dataWith = (entries: TarEntry[]) => tarArchive({ 'metadata.gz': gzipSync(Buffer.from(yamlOf('fz_evil'))), 'data.tar.gz': tgz(entries) });
    push('not a tar', Buffer.from('not a gem'));
    push('empty body', Buffer.alloc(0));
    push('dot-dot entry', buildGem({ name: 'fz_evil', version: version(), extraEntries: { [`../../sentinel/${context.marker}`]: Buffer.from('x') } }).bytes);
    push('absolute entry', buildGem({ name: 'fz_evil', version: version(), extraEntries: { [`/tmp/${context.marker}`]: Buffer.from('x') } }).bytes);
    push('symlink entry', outerTar([{ name: 'link', type: '2', linkname: '/etc/passwd' }]));
    push('hard link entry', outerTar([{ name: 'hard', type: '1', linkname: '../../etc/passwd' }]));
    push('data dot-dot', dataWith([{ name: `../../../sentinel/${context.marker}`, content: 'x' }]));
    push('data symlink out', dataWith([{ name: 'lib/x.rb', type: '2', linkname: '../../../../etc/passwd' }]));
    push('data hard link', dataWith([{ name: 'lib/x.rb', type: '1', linkname: '/etc/passwd' }]));
    push('data bomb', tarArchive({ 'metadata.gz': gzipSync(Buffer.from(yamlOf('fz_evil'))), 'data.tar.gz': await tarGzBomb([], 'lib/zeros', 64) }));
    push('metadata bomb', tarArchive({ 'metadata.gz': gzipSync(Buffer.alloc(64 * 1024 * 1024)), 'data.tar.gz': tgz([]) }));
    push('object tag', gemWith(yamlOf('fz_evil').replace('email:', 'email: !ruby/object:Gem::Installer\n  i: x')));
    push('hash with ivars tag', gemWith(yamlOf('fz_evil').replace('metadata: {}', 'metadata: !ruby/hash-with-ivars:ERB\n  src: x')));
    push('sym tag', gemWith(yamlOf('fz_evil').replace('bindir: bin', 'bindir: !ruby/sym bin')));
    push(
      'billion laughs',
      gemWith(
        `${yamlOf('fz_evil')}${Array.from(
          { length: 9 },
          (_, level) =>
            `l${level}: &l${level} [${
              level === 0
                ? '"lol"'
                : Array(9)
                    .fill(`*l${level - 1}`)
                    .join(',')
            }]`,
        ).join('\n')}\n`,
      ),
    );
    push('deep flow', gemWith(`${yamlOf('fz_evil')}x: ${'['.repeat(300_000)}\n`));
    push('deep blocks', gemWith(`${yamlOf('fz_evil')}x:\n${'- '.repeat(100_000)}y\n`));
    push('invalid UTF-8', gemWith(Buffer.concat([Buffer.from(yamlOf('fz_evil')), INVALID_UTF8]).toString('latin1')));
    push('name traverses', gemWith(yamlOf('fz_evil').replace('name: fz_evil', `name: ../../sentinel/${context.marker}`)));
    push('version traverses', gemWith(yamlOf('fz_evil').replace(/version: \S+\n/, 'version: 1.0/../../x\n')));
    push('huge name', gemWith(yamlOf('fz_evil').replace('name: fz_evil', `name: ${'f'.repeat(5000)}`)));
    push('proto name', gemWith(yamlOf('fz_evil').replace('name: fz_evil', 'name: __proto__')));
    push('bad checksum', buildGem({ name: 'fz_evil', version: version(), badChecksum: true }).bytes);
    push(
      '10k dependencies',
      buildGem({
        name: 'fz_evil',
        version: version(),
        dependencies: Object.fromEntries(Array.from({ length: 10_000 }, (_, index) => [`d${index}`, [['>=', '0']] as [string, string][]])),
      }).bytes,
    );
    const yank = (label: string, body: string) =>
      cases.push(
        rawCase(context, 'ruby yank', label, {
          method: 'DELETE',
          target: `${context.prefix}api/v1/gems/yank`,
          headers: [
            ['Authorization', context.token],
            ['Content-Type', 'application/x-www-form-urlencoded'],
          ],
          body: Buffer.from(body),
        }),
      );
    yank('no fields', '');
    yank('traversing name', `gem_name=..%2F..%2Fsentinel%2F${context.marker}&version=1.0`);
    yank('proto name', 'gem_name=__proto__&version=1.0');
    yank('huge form', `gem_name=${'a'.repeat(100_000)}&version=1`);
    for (let index = 0; index < damaged; index++) {
      cases.push(
        rawCase(
          context,
          'ruby damaged gem',
          `damaged gem #${index}`,
          pushRaw(context, damage(buildGem({ name: 'fz_damaged', version: `4.0.${index}` }).bytes, context.random)),
        ),
      );
    }
    return cases;
  },
};
