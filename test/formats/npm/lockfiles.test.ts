import { describe, expect, it } from 'vitest';
import { parseLockfile } from '../../../src/formats/npm/lockfiles/index.js';

const names = (list: { name: string; version: string }[]) => list.map((entry) => `${entry.name}@${entry.version}`).sort();

describe('parseLockfile', () => {
  it('reads package-lock.json v3, skipping the project, links and bundled packages', () => {
    const lock = {
      lockfileVersion: 3,
      packages: {
        '': { name: 'app', version: '1.0.0' },
        'node_modules/a': { version: '1.0.0', resolved: 'http://r/a/-/a-1.0.0.tgz', integrity: 'sha512-AAA' },
        'node_modules/a/node_modules/@s/b': { version: '2.0.0', resolved: 'http://r/@s/b/-/b-2.0.0.tgz' },
        'node_modules/local': { link: true, resolved: 'packages/local' },
        'node_modules/c': { version: '3.0.0', inBundle: true },
        'node_modules/d': { version: '1.0.0', resolved: 'file:../d' },
      },
    };
    const found = parseLockfile('package-lock.json', JSON.stringify(lock));
    expect(names(found)).toEqual(['@s/b@2.0.0', 'a@1.0.0']);
    expect(found.find((entry) => entry.name === 'a')?.integrity).toBe('sha512-AAA');
  });

  it('reads package-lock.json v1 nested dependencies', () => {
    const lock = { lockfileVersion: 1, dependencies: { a: { version: '1.0.0', dependencies: { b: { version: '2.0.0' } } }, g: { version: 'git+ssh://x' } } };
    expect(names(parseLockfile('npm-shrinkwrap.json', JSON.stringify(lock)))).toEqual(['a@1.0.0', 'b@2.0.0']);
  });

  it('reads a Yarn 1 lockfile', () => {
    const text = [
      '# yarn lockfile v1',
      '',
      '"@s/b@^2.0.0", "@s/b@^2.1.0":',
      '  version "2.1.0"',
      '  resolved "http://r/@s/b/-/b-2.1.0.tgz#abc"',
      '  integrity sha512-BBB',
      '',
      'a@^1.0.0:',
      '  version "1.0.0"',
      '  resolved "http://r/a/-/a-1.0.0.tgz"',
      '',
    ].join('\n');
    const found = parseLockfile('yarn.lock', text);
    expect(names(found)).toEqual(['@s/b@2.1.0', 'a@1.0.0']);
    expect(found[0].integrity).toBe('sha512-BBB');
  });

  it('reads aliases by the name the registry knows (Yarn 1 and package-lock v1)', () => {
    const text = [
      '# yarn lockfile v1',
      '',
      '"string-width-cjs@npm:string-width@^4.2.0":',
      '  version "4.2.3"',
      '  resolved "http://r/string-width/-/string-width-4.2.3.tgz"',
      '',
      '"my-types@npm:@types/node@^20":',
      '  version "20.1.0"',
      '  resolved "http://r/@types/node/-/node-20.1.0.tgz"',
      '',
    ].join('\n');
    expect(names(parseLockfile('yarn.lock', text))).toEqual(['@types/node@20.1.0', 'string-width@4.2.3']);
    const v1 = {
      lockfileVersion: 1,
      dependencies: { 'string-width-cjs': { version: 'npm:string-width@4.2.3' }, 'x-types': { version: 'npm:@types/x@1.0.0' } },
    };
    expect(names(parseLockfile('package-lock.json', JSON.stringify(v1)))).toEqual(['@types/x@1.0.0', 'string-width@4.2.3']);
  });

  it('reads a Yarn Berry lockfile, keeping registry packages only', () => {
    const text = [
      '__metadata:',
      '  version: 8',
      '',
      '"a@npm:^1.0.0":',
      '  version: 1.0.0',
      '  resolution: "a@npm:1.0.0"',
      '',
      '"app@workspace:.":',
      '  version: 0.0.0-use.local',
      '  resolution: "app@workspace:."',
      '',
    ].join('\n');
    expect(names(parseLockfile('yarn.lock', text))).toEqual(['a@1.0.0']);
  });

  it('reads pnpm lockfiles of versions 6 and 9', () => {
    const v6 =
      "lockfileVersion: '6.0'\npackages:\n  /@s/b@2.0.0(react@18.0.0):\n    resolution: {integrity: sha512-BBB}\n  /a@1.0.0:\n    resolution: {integrity: sha512-AAA}\n  /local@0.0.0:\n    resolution: {directory: ../local}\n";
    const v9 = "lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n    resolution: {integrity: sha512-AAA}\n";
    expect(names(parseLockfile('pnpm-lock.yaml', v6))).toEqual(['@s/b@2.0.0', 'a@1.0.0']);
    expect(names(parseLockfile('pnpm-lock.yaml', v9))).toEqual(['a@1.0.0']);
  });

  it('keeps every YAML scalar a string, so a version such as 1.10 is not read as a number', () => {
    const pnpm = "lockfileVersion: '6.0'\npackages:\n  /a@1.10:\n    name: a\n    version: 1.10\n    resolution: {integrity: sha512-AAA}\n";
    expect(names(parseLockfile('pnpm-lock.yaml', pnpm))).toEqual(['a@1.10']);
    const berry = ['__metadata:', '  version: 8', '', '"b@npm:^2.0":', '  version: 2.0', '  resolution: b@npm:2.0', ''].join('\n');
    expect(names(parseLockfile('yarn.lock', berry))).toEqual(['b@2.0']);
  });

  it('reads a lockfile whose aliases would expand a billion times without expanding them', () => {
    const levels = ['l0: &l0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      levels.push(
        `l${i}: &l${i} [${Array(10)
          .fill(`*l${i - 1}`)
          .join(', ')}]`,
      );
    const text = `lockfileVersion: '9.0'\n${levels.join('\n')}\npackages:\n  a@1.0.0:\n    resolution: {integrity: sha512-AAA}\n    extra: *l8\n`;
    expect(names(parseLockfile('pnpm-lock.yaml', text))).toEqual(['a@1.0.0']);
  });

  it('refuses a lockfile nested deeper than the parser goes, as not valid YAML', () => {
    expect(() => parseLockfile('pnpm-lock.yaml', `packages: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`)).toThrow(/pnpm-lock.yaml is not valid YAML/);
  });

  it('refuses broken and unknown files with a message naming them', () => {
    expect(() => parseLockfile('package-lock.json', '{oops')).toThrow(/package-lock.json is not valid JSON/);
    expect(() => parseLockfile('pnpm-lock.yaml', 'a: [')).toThrow(/not valid YAML/);
    expect(() => parseLockfile('Gemfile.lock', '')).toThrow(/not a lockfile/);
  });
});
