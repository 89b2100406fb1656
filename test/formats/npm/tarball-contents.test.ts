import { describe, expect, it } from 'vitest';
import { readTarballContents } from '../../../src/formats/npm/tarball-contents.js';
import { ValidationError } from '../../../src/errors.js';
import { buildNpmTarball } from '../../helpers/npm-tarball.js';
import { craftTarball } from './crafted-tarball.js';

const manifest = JSON.stringify({ name: 'x', version: '1.0.0' });

describe('readTarballContents', () => {
  it('reads package.json, the README and the shrinkwrap flag from a real npm tarball', async () => {
    const tarball = buildNpmTarball({ name: 'x', version: '1.0.0', files: { 'README.md': '# x\nhello', 'npm-shrinkwrap.json': '{}' } });
    const contents = await readTarballContents(tarball.bytes);
    expect(contents.manifest).toMatchObject({ name: 'x', version: '1.0.0' });
    expect(contents.readme).toBe('# x\nhello');
    expect(contents.hasShrinkwrap).toBe(true);
    expect(contents.fileCount).toBe(4);
  });

  it('strips whatever the top folder is called, as npm does', async () => {
    const contents = await readTarballContents(craftTarball([{ path: 'x-1.0.0/package.json', content: manifest }]));
    expect(contents.manifest.name).toBe('x');
  });

  it('prefers README.md over another README', async () => {
    const tarball = craftTarball([
      { path: 'package/README', content: 'plain' },
      { path: 'package/README.md', content: 'markdown' },
      { path: 'package/package.json', content: manifest },
    ]);
    expect((await readTarballContents(tarball)).readme).toBe('markdown');
  });

  it.each([
    ['a parent-directory path', [{ path: 'package/../../evil.js', content: 'x' }]],
    ['an absolute path', [{ path: '/etc/evil', content: 'x' }]],
    ['a symbolic link out of the package', [{ path: 'package/link', type: '2' as const, linkTarget: '../../../etc/passwd' }]],
  ])('refuses a tarball with %s', async (_label, entries) => {
    const tarball = craftTarball([{ path: 'package/package.json', content: manifest }, ...entries]);
    await expect(readTarballContents(tarball)).rejects.toThrow(/unsafe path|points outside the package/);
  });

  it('allows a symbolic link that stays inside the package', async () => {
    const tarball = craftTarball([
      { path: 'package/package.json', content: manifest },
      { path: 'package/lib/alias.js', type: '2', linkTarget: '../index.js' },
    ]);
    await expect(readTarballContents(tarball)).resolves.toMatchObject({ manifest: { name: 'x' } });
  });

  it.each([
    ['bytes that are not a tarball', Buffer.from('definitely not gzip')],
    ['a tarball without package.json', craftTarball([{ path: 'package/index.js', content: '1' }])],
    ['a package.json that is not JSON', craftTarball([{ path: 'package/package.json', content: '{nope' }])],
    ['a package.json that is an array', craftTarball([{ path: 'package/package.json', content: '[]' }])],
  ])('refuses %s with a ValidationError', async (_label, bytes) => {
    await expect(readTarballContents(bytes)).rejects.toThrow(ValidationError);
  });
});
