import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors.js';
import { readNupkg } from '../../../src/formats/nuget/nupkg.js';
import { buildNupkg } from '../../helpers/nupkg.js';

describe('readNupkg and hostile archives', () => {
  it('refuses entries that would be extracted outside the package folder, as NuGet does', () => {
    for (const name of ['../evil.dll', 'lib/../../evil.dll', '/etc/evil', 'C:/evil.dll', '..\\evil.dll']) {
      // adm-zip cleans such names when it writes them, so a placeholder of the same length is swapped in after.
      const placeholder = `z${'q'.repeat(name.length - 1)}`;
      const { bytes } = buildNupkg({ id: 'Escape', version: '1.0.0', extraEntries: { [placeholder]: 'x' } });
      for (let at = bytes.indexOf(placeholder); at >= 0; at = bytes.indexOf(placeholder, at + 1)) bytes.write(name, at, 'latin1');
      expect(bytes.includes(Buffer.from(name)), name).toBe(true);
      expect(() => readNupkg(bytes), name).toThrow(ValidationError);
      expect(() => readNupkg(bytes), name).toThrow(/outside the package folder/);
    }
  });

  it('reads a package of many entries without spending memory on each', () => {
    const extraEntries = Object.fromEntries(Array.from({ length: 30_000 }, (_, index) => [`content/${index}.txt`, '']));
    const { bytes } = buildNupkg({ id: 'Many', version: '1.0.0', extraEntries });
    const heapBefore = process.memoryUsage().heapUsed;
    expect(readNupkg(bytes).nuspec.id).toBe('Many');
    // adm-zip spent about 10 KB per entry (300 MB here); a plain record is far less.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  });
});
