import AdmZip from 'adm-zip';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors.js';
import { readNupkg } from '../../../src/formats/nuget/nupkg.js';
import { buildNupkg } from '../../helpers/nupkg.js';

describe('reading a .nupkg', () => {
  it('finds the root .nuspec and the readme it names', () => {
    const built = buildNupkg({ id: 'Acme.Util', version: '1.0.0', readme: '# Acme.Util\nHello.' });
    const contents = readNupkg(built.bytes);
    expect(contents.nuspec.id).toBe('Acme.Util');
    expect(contents.nuspecBytes.toString('utf8')).toBe(built.nuspec);
    expect(contents.readme).toBe('# Acme.Util\nHello.');
  });

  it('accepts any case of the .nuspec name', () => {
    const built = buildNupkg({ id: 'Acme.Util', version: '1.0.0', nuspecName: 'ACME.UTIL.NUSPEC' });
    expect(readNupkg(built.bytes).nuspec.id).toBe('Acme.Util');
  });

  it('ignores .nuspec files below the root', () => {
    const built = buildNupkg({ id: 'Acme.Util', version: '1.0.0', extraEntries: { 'content/other.nuspec': '<package/>' } });
    expect(readNupkg(built.bytes).nuspec.id).toBe('Acme.Util');
  });

  it('refuses what is not a zip', () => {
    expect(() => readNupkg(Buffer.from('PK not really a zip'))).toThrow(/not a zip archive/);
    expect(() => readNupkg(Buffer.alloc(0))).toThrow(ValidationError);
  });

  it('refuses a package without a root .nuspec', () => {
    expect(() => readNupkg(buildNupkg({ id: 'A', version: '1.0.0', omitNuspec: true }).bytes)).toThrow(/no .nuspec file at the root/);
  });

  it('refuses a package with two root .nuspec files', () => {
    const built = buildNupkg({ id: 'A', version: '1.0.0', extraEntries: { 'B.nuspec': '<package/>' } });
    expect(() => readNupkg(built.bytes)).toThrow(/2 .nuspec files/);
  });

  it('refuses a .nuspec that declares a huge size before inflating it (zip bomb)', () => {
    const zip = new AdmZip();
    // 64 MiB of zeros deflate to a few kilobytes.
    zip.addFile('Bomb.nuspec', Buffer.alloc(64 * 1024 * 1024));
    const bytes = zip.toBuffer();
    expect(bytes.length).toBeLessThan(1024 * 1024);
    expect(() => readNupkg(bytes)).toThrow(/at most 1048576 are accepted/);
  });

  it('refuses a .nuspec whose header understates its size', () => {
    const zip = new AdmZip();
    zip.addFile('Liar.nuspec', Buffer.alloc(4 * 1024 * 1024, 0x20));
    const bytes = zip.toBuffer();
    // Rewrite the uncompressed size in the central directory to claim 100 bytes.
    const central = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bytes.writeUInt32LE(100, central + 24);
    expect(() => readNupkg(bytes)).toThrow(ValidationError);
  });

  it('leaves out a readme that is too large, without failing the package', () => {
    const built = buildNupkg({ id: 'A', version: '1.0.0', readme: 'x'.repeat(600 * 1024) });
    const contents = readNupkg(built.bytes);
    expect(contents.nuspec.readme).toBe('README.md');
    expect(contents.readme).toBeUndefined();
  });
});
