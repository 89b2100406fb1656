/** NuGet: pushes of hostile .nupkg (escaping paths, bombs, deep or entity-laden nuspecs), broken forms, damaged packages. */
import { buildNupkg, nuspecXml } from '../../helpers/nupkg.js';
import { deepXml, deflatedZeros, INVALID_UTF8, laughs, zipBytes, type ZipEntrySpec } from './fuzz-archives.js';
import { fromPlanned, nextNumber, rawCase, type FormatFuzz } from './fuzz-format.js';
import { bearer, damage, type FuzzCase, type FuzzContext } from './fuzz-mutations.js';
import { nugetPush } from './publish-requests.js';
import type { RawRequest } from './raw-client.js';

function pushRaw(context: FuzzContext, nupkg: Buffer): RawRequest {
  const body = Buffer.concat([
    Buffer.from('--nb\r\nContent-Type: application/octet-stream\r\nContent-Disposition: form-data; name=package; filename=package.nupkg\r\n\r\n'),
    nupkg,
    Buffer.from('\r\n--nb--\r\n'),
  ]);
  return {
    method: 'PUT',
    target: `${context.prefix}api/v2/package`,
    headers: [
      ['X-NuGet-ApiKey', context.token],
      ['Content-Type', 'multipart/form-data; boundary="nb"'],
    ],
    body,
  };
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
    {
      label: 'search',
      request: { method: 'GET', target: `${context.prefix}v3/search?q=fz&skip=0&take=20&prerelease=true&semVerLevel=2.0.0`, headers: [bearer(context.token)] },
    },
    { label: 'unlist', request: { method: 'DELETE', target: `${context.prefix}api/v2/package/Fz.Pkg/1.0.0`, headers: [['X-NuGet-ApiKey', context.token]] } },
    ...nugetFuzz.writeTemplates(context),
  ],
  writeTemplates: (context) => [fromPlanned(context, 'push', nugetPush(context.token, 'Fz.Pkg', `2.0.${nextNumber()}`))],
  structured(context, damaged) {
    const cases: FuzzCase[] = [];
    const push = (label: string, entries: ZipEntrySpec[]) => cases.push(rawCase(context, 'nuget package', label, pushRaw(context, zipBytes(entries))));
    const nuspec = (id: string, version: string) => nuspecXml({ id, version });
    const v = () => `3.0.${nextNumber()}`;
    push('dot-dot entry', [
      { name: 'Fz.Evil.nuspec', content: nuspec('Fz.Evil', v()) },
      { name: `../../sentinel/${context.marker}`, content: 'x' },
    ]);
    push('absolute entry', [
      { name: 'Fz.Evil.nuspec', content: nuspec('Fz.Evil', v()) },
      { name: `/tmp/${context.marker}`, content: 'x' },
    ]);
    push('nuspec as a symlink', [{ name: 'Fz.Evil.nuspec', content: '/etc/passwd', method: 0, unixMode: 0o120777 }]);
    push('no nuspec', [{ name: 'lib/a.dll', content: 'MZ' }]);
    push('two nuspecs', [
      { name: 'a.nuspec', content: nuspec('Fz.A', v()) },
      { name: 'b.nuspec', content: nuspec('Fz.B', v()) },
    ]);
    push('deep nuspec', [{ name: 'Fz.Evil.nuspec', content: deepXml(50_000, 'package') }]);
    push('entity expansion', [{ name: 'Fz.Evil.nuspec', content: laughs('package') }]);
    push('nuspec of invalid UTF-8', [
      { name: 'Fz.Evil.nuspec', content: Buffer.concat([Buffer.from(nuspec('Fz.Evil', v()).replace('</id>', '')), INVALID_UTF8]) },
    ]);
    push('nuspec bomb, size understated', [{ name: 'Fz.Evil.nuspec', content: '', declaredSize: 100, rawData: deflatedZeros(256) }]);
    push('nuspec bomb, size stated', [{ name: 'Fz.Evil.nuspec', content: '', declaredSize: 256 * 1024 * 1024, rawData: deflatedZeros(256) }]);
    push('id traverses', [{ name: 'x.nuspec', content: nuspec(`../../sentinel/${context.marker}`, '1.0.0') }]);
    push('version traverses', [{ name: 'x.nuspec', content: nuspec('Fz.Evil', '1.0.0/../../x') }]);
    push('huge id', [{ name: 'x.nuspec', content: nuspec('F'.repeat(5000), '1.0.0') }]);
    push('proto id', [{ name: 'x.nuspec', content: nuspec('__proto__', '1.0.0') }]);
    push('65k entries', [
      { name: 'Fz.Many.nuspec', content: nuspec('Fz.Many', v()) },
      ...Array.from({ length: 65_000 }, (_, index) => ({ name: `c/${index}`, content: '', method: 0 as const })),
    ]);
    const multipart = (label: string, body: string, contentType = 'multipart/form-data; boundary=nb') =>
      cases.push(
        rawCase(context, 'nuget form', label, {
          method: 'PUT',
          target: `${context.prefix}api/v2/package`,
          headers: [
            ['X-NuGet-ApiKey', context.token],
            ['Content-Type', contentType],
          ],
          body,
        }),
      );
    multipart('no file part', '--nb\r\nContent-Disposition: form-data; name=x\r\n\r\ny\r\n--nb--\r\n');
    multipart(
      'two file parts',
      '--nb\r\nContent-Disposition: form-data; name=a; filename=a\r\n\r\nPK\r\n--nb\r\nContent-Disposition: form-data; name=b; filename=b\r\n\r\nPK\r\n--nb--\r\n',
    );
    multipart('never closed', '--nb\r\nContent-Disposition: form-data; name=package; filename=p.nupkg\r\n\r\nPK');
    multipart('not multipart', 'PK', 'application/octet-stream');
    for (let index = 0; index < damaged; index++) {
      cases.push(
        rawCase(
          context,
          'nuget damaged package',
          `damaged nupkg #${index}`,
          pushRaw(context, damage(buildNupkg({ id: 'Fz.Damaged', version: `4.0.${index}` }).bytes, context.random)),
        ),
      );
    }
    return cases;
  },
};
