/** Generic: asset uploads with checksums that lie and names, namespaces and versions that try to escape. */
import { fromPlanned, nextNumber, rawCase, sha, type FormatFuzz } from './fuzz-format.js';
import { bearer, type FuzzCase } from './fuzz-mutations.js';
import { genericUpload } from './publish-requests.js';

export const genericFuzz: FormatFuzz = {
  format: 'generic',
  seed: (token) => [genericUpload(token, 'ns', 'fz', '1.0')],
  templates: (context) => [
    { label: 'download', request: { method: 'GET', target: `${context.prefix}ns/fz/1.0/fz.bin`, headers: [bearer(context.token)] } },
    ...genericFuzz.writeTemplates(context),
  ],
  writeTemplates: (context) => [fromPlanned(context, 'upload', genericUpload(context.token, 'ns', 'fz', `2.${nextNumber()}`))],
  structured(context) {
    const cases: FuzzCase[] = [];
    const put = (label: string, path: string, headers: [string, string][], body: string) =>
      cases.push(
        rawCase(context, 'generic upload', label, { method: 'PUT', target: `${context.prefix}${path}`, headers: [bearer(context.token), ...headers], body }),
      );
    const digest = ['X-Checksum-Sha256', sha('sha256', 'x')] as [string, string];
    put('checksum of other bytes', 'ns/fz/3.0/a.bin', [['X-Checksum-Sha256', sha('sha256', 'y')]], 'x');
    put('unfinished=maybe', 'ns/fz/3.1/a.bin?unfinished=maybe', [digest], 'x');
    for (const name of [
      '..',
      '.',
      '%2e%2e',
      'a%2fb',
      'a%5cb',
      '%00',
      `..%2f..%2f..%2fsentinel%2f${context.marker}`,
      ' lead',
      'trail ',
      'two  spaces',
      '\u202e',
      'x'.repeat(300),
      '__proto__',
    ]) {
      put(`asset named ${name.slice(0, 20)}`, `ns/fz/3.2/${name}`, [digest], 'x');
      put(`namespace ${name.slice(0, 20)}`, `${name}/fz/3.3/a.bin`, [digest], 'x');
      put(`version ${name.slice(0, 20)}`, `ns/fz/${name}/a.bin`, [digest], 'x');
    }
    return cases;
  },
};
