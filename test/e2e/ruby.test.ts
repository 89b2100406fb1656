/**
 * Debian's `gem` (RubyGems 3.3) and `bundle` (Bundler 2.3) against `artifact-cli serve`, with
 * the files `login --tool gem|bundler` wrote: build and push two gems (one depending on the
 * other), install them, resolve a Gemfile and run it, yank and resolve again, push bad gems,
 * resolve with Bundler public gems never fetched before, and install from the
 * public:ruby-gems-org stand-in gems still installable (by gem and Bundler) after it is gone.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRubyClients, setupRubyClients, type RubyClientsSetup } from '../helpers/ruby-clients.js';
import { buildGem, gemspecYaml, type GemDef } from '../helpers/ruby-gem.js';
import { listStoredFiles } from '../helpers/stored-files.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const HAVE_CLIENTS = findRubyClients();

describe.runIf(HAVE_CLIENTS)('gem and bundle end to end', () => {
  let setup: RubyClientsSetup;
  let host: string;

  beforeAll(async () => {
    setup = await setupRubyClients();
    host = setup.endpoint('app').replace(/\/$/, '');
  }, 120_000);

  afterAll(async () => {
    await setup?.registry.close();
  });

  it('gem build + gem push of two gems, with the key login --tool gem stored', async () => {
    const base = await setup.gemBuild('e2e_base', '1.0.0');
    const top = await setup.gemBuild('e2e_top', '0.1.0', {
      dependencies: ['"e2e_base", ">= 1.0", "< 2"'],
      body: 'require "e2e_base"\nmodule E2eTop\n  def self.hello\n    E2eBase.hello + " via e2e_top"\n  end\nend\n',
    });
    for (const [file, label] of [
      [base, 'e2e_base (1.0.0)'],
      [top, 'e2e_top (0.1.0)'],
    ]) {
      const pushed = await setup.runOk('gem', ['push', '--host', host, file]);
      expect(pushed.stdout).toContain(`Successfully registered gem: ${label}`);
    }
    // The same bytes again are accepted; other bytes for the same version are refused with gem's exit 1.
    expect((await setup.runOk('gem', ['push', '--host', host, base])).stdout).toContain('already pushed with these bytes');
    const changed = await setup.gemBuild('e2e_base', '1.0.0', { body: 'module E2eBase; end\n' });
    const refused = await setup.run('gem', ['push', '--host', host, changed]);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toContain('Repushing of gem versions is not allowed');
  }, 120_000);

  it('gem install (source from .gemrc) installs both into a fresh GEM_HOME', async () => {
    const gemHome = setup.newGemHome();
    const installed = await setup.runOk('gem', ['install', 'e2e_top', '--no-document'], { gemHome });
    expect(installed.stdout).toContain('Successfully installed e2e_base-1.0.0');
    expect(installed.stdout).toContain('Successfully installed e2e_top-0.1.0');
    const ran = await setup.runOk('ruby', ['-e', 'require "e2e_top"; puts E2eTop.hello'], { gemHome });
    expect(ran.stdout.trim()).toBe('hello from e2e_base 1.0.0 via e2e_top');
  }, 120_000);

  it('bundle install resolves a Gemfile against the source and bundle exec runs it', async () => {
    const app = makeTempDir('ruby-e2e-app-');
    writeFileSync(path.join(app, 'Gemfile'), `source "${setup.endpoint('app')}"\ngem "e2e_top"\n`);
    const gemHome = setup.newGemHome();
    await setup.runOk('bundle', ['install'], { cwd: app, gemHome });
    expect(readFileSync(path.join(app, 'Gemfile.lock'), 'utf8')).toContain('    e2e_base (1.0.0)\n');
    const ran = await setup.runOk('bundle', ['exec', 'ruby', '-e', 'require "e2e_top"; puts E2eTop.hello'], { cwd: app, gemHome });
    expect(ran.stdout.trim()).toBe('hello from e2e_base 1.0.0 via e2e_top');
  }, 180_000);

  it('platform gems stay apart: gem install picks the one for this machine', async () => {
    const local = (await setup.runOk('ruby', ['-e', 'print Gem::Platform.local.to_s'])).stdout;
    for (const platform of [undefined, 'java', local]) {
      const body = `module E2ePlat\n  WHERE = ${JSON.stringify(platform ?? 'ruby')}\nend\n`;
      await setup.runOk('gem', ['push', '--host', host, await setup.gemBuild('e2e_plat', '1.0.0', { platform, body })]);
    }
    const gemHome = setup.newGemHome();
    const installed = await setup.runOk('gem', ['install', 'e2e_plat', '--no-document'], { gemHome });
    expect(installed.stdout).toContain(`Successfully installed e2e_plat-1.0.0-${local}`);
    const ran = await setup.runOk('ruby', ['-e', 'require "e2e_plat"; print E2ePlat::WHERE'], { gemHome });
    expect(ran.stdout).toBe(local);
  }, 180_000);

  it('gem yank takes a version out: a new resolve picks the previous one', async () => {
    const newer = await setup.gemBuild('e2e_base', '1.1.0');
    await setup.runOk('gem', ['push', '--host', host, newer]);
    const app = makeTempDir('ruby-e2e-app-');
    writeFileSync(path.join(app, 'Gemfile'), `source "${setup.endpoint('app')}"\ngem "e2e_base"\n`);
    await setup.runOk('bundle', ['lock'], { cwd: app });
    expect(readFileSync(path.join(app, 'Gemfile.lock'), 'utf8')).toContain('    e2e_base (1.1.0)\n');
    const yanked = await setup.runOk('gem', ['yank', 'e2e_base', '-v', '1.1.0', '--host', host]);
    expect(yanked.stdout).toContain('Successfully deleted gem: e2e_base (1.1.0)');
    writeFileSync(path.join(app, 'Gemfile.lock'), '');
    await setup.runOk('bundle', ['lock'], { cwd: app });
    expect(readFileSync(path.join(app, 'Gemfile.lock'), 'utf8')).toContain('    e2e_base (1.0.0)\n');
    const installed = await setup.runOk('gem', ['install', 'e2e_base', '--no-document'], { gemHome: setup.newGemHome() });
    expect(installed.stdout).toContain('Successfully installed e2e_base-1.0.0');
  }, 180_000);

  // Set by the Bundler test below, resolved again once the stand-in is gone.
  let publicApp = '';

  it("bundle install resolves public gems never fetched here: /versions lists the registry's gems", async () => {
    setup.registry.add({ name: 'bundled_dep', version: '1.4.0' });
    setup.registry.add({ name: 'bundled_lib', version: '0.3.0', dependencies: { bundled_dep: [['>=', '1.0']] } });
    publicApp = makeTempDir('ruby-e2e-app-');
    writeFileSync(path.join(publicApp, 'Gemfile'), `source "${setup.endpoint('app')}"\ngem "bundled_lib"\n`);
    const gemHome = setup.newGemHome();
    await setup.runOk('bundle', ['install'], { cwd: publicApp, gemHome });
    expect(readFileSync(path.join(publicApp, 'Gemfile.lock'), 'utf8')).toMatch(/ {4}bundled_dep \(1\.4\.0\)\n[\s\S]* {4}bundled_lib \(0\.3\.0\)\n/);
    const ran = await setup.runOk('bundle', ['exec', 'ruby', '-e', 'require "bundled_lib"; puts BundledLib::VERSION'], { cwd: publicApp, gemHome });
    expect(ran.stdout.trim()).toBe('0.3.0');
  }, 180_000);

  it('a gem from the public:ruby-gems-org stand-in installs, is kept, and installs again after the stand-in is gone', async () => {
    setup.registry.add({ name: 'public_dep', version: '3.1.0' });
    setup.registry.add({ name: 'public_lib', version: '2.0.0', dependencies: { public_dep: [['~>', '3.0']] } });
    const first = await setup.runOk('gem', ['install', 'public_lib', '--no-document'], { gemHome: setup.newGemHome() });
    expect(first.stdout).toContain('Successfully installed public_dep-3.1.0');
    expect(first.stdout).toContain('Successfully installed public_lib-2.0.0');
    await setup.registry.close();
    const gemHome = setup.newGemHome();
    const again = await setup.runOk('gem', ['install', 'public_lib', '--no-document'], { gemHome });
    expect(again.stdout).toContain('Successfully installed public_lib-2.0.0');
    const ran = await setup.runOk('ruby', ['-e', 'require "public_lib"; puts PublicLib::VERSION'], { gemHome });
    expect(ran.stdout.trim()).toBe('2.0.0');
    const listed = await setup.cli(['list-package-versions', '--domain', 'acme', '--repository', 'gems-store', '--format', 'ruby', '--package', 'public_lib']);
    expect(listed.stdout).toContain('"version": "2.0.0"');
    // The Gemfile of public gems resolves again from scratch (no lock, no Bundler cache, empty GEM_HOME).
    rmSync(path.join(publicApp, 'Gemfile.lock'));
    rmSync(path.join(setup.home, '.bundle', 'cache'), { recursive: true, force: true });
    const bundleHome = setup.newGemHome();
    await setup.runOk('bundle', ['install'], { cwd: publicApp, gemHome: bundleHome });
    const bundled = await setup.runOk('bundle', ['exec', 'ruby', '-e', 'require "bundled_lib"; puts BundledLib::VERSION'], {
      cwd: publicApp,
      gemHome: bundleHome,
    });
    expect(bundled.stdout.trim()).toBe('0.3.0');
  }, 180_000);

  it('gem push of bad gems: each refused with exit 1 and its reason printed, nothing stored', async () => {
    const yaml = (def: GemDef, from: string, to: string) => gemspecYaml(def).replace(from, to);
    const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let level = 1; level < 9; level += 1)
      bomb.push(
        `${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + level)}`)
          .join(',')}]`,
      );
    // gem 3.3 reads the file before sending it and refuses three of these itself (the server's
    // answers to those are proved over HTTP in test/formats/ruby/bad-gems.test.ts); the others reach the server.
    const cases: [string, Buffer, 'gem' | 'server', RegExp][] = [
      ['not a tar', Buffer.from('not a gem at all '.repeat(100)), 'gem', /is not an octal string/],
      [
        '!ruby/object tag',
        buildGem({ name: 'bad_obj', version: '1.0', yaml: yaml({ name: 'bad_obj', version: '1.0' }, 'email:', 'email: !ruby/object:Gem::Installer\n  i: x') })
          .bytes,
        'gem',
        /Tried to load unspecified class: Gem::Installer/,
      ],
      [
        'YAML bomb',
        buildGem({ name: 'bad_bomb', version: '1.0', yaml: `${gemspecYaml({ name: 'bad_bomb', version: '1.0' })}${bomb.join('\n')}\n` }).bytes,
        'server',
        /The gemspec's YAML aliases expand to more than \d+ values; it was refused as a possible YAML bomb\./,
      ],
      [
        'entry escaping the archive',
        buildGem({ name: 'bad_escape', version: '1.0', extraEntries: { '../../outside.txt': Buffer.from('x') } }).bytes,
        'server',
        /The gem holds the entry "\.\.\/\.\.\/outside\.txt", which would be written outside the package\./,
      ],
      ['mismatched checksum', buildGem({ name: 'bad_sum', version: '1.0', badChecksum: true }).bytes, 'gem', /SHA256 checksum mismatch for metadata\.gz/],
      [
        'name with ../',
        buildGem({ name: 'x', version: '1.0', yaml: yaml({ name: 'x', version: '1.0' }, 'name: x', 'name: ../../evil') }).bytes,
        'server',
        /the name "\.\.\/\.\.\/evil" is not a valid gem name/,
      ],
    ];
    const dir = makeTempDir('ruby-e2e-bad-');
    const before = await listStoredFiles(setup.root, ['blobs', 'domains']);
    for (const [label, bytes, refusedBy, reason] of cases) {
      const file = path.join(dir, `${label.replace(/\W+/g, '_')}.gem`);
      writeFileSync(file, bytes);
      const pushed = await setup.run('gem', ['push', '--host', host, file]);
      expect(pushed.code, label).not.toBe(0);
      expect(pushed.stdout + pushed.stderr, label).toMatch(reason);
      expect(pushed.stdout.includes('Pushing gem to'), label).toBe(refusedBy === 'server');
      expect(pushed.stdout + pushed.stderr, label).not.toContain(setup.root);
    }
    expect(await listStoredFiles(setup.root, ['blobs', 'domains'])).toEqual(before);
  }, 180_000);

  it('gem search -r and gem list -r read the spec lists; gem update finds a newer release', async () => {
    const searched = await setup.runOk('gem', ['search', '-r', 'e2e_']);
    expect(searched.stdout).toMatch(/^e2e_base \(1\.0\.0\)$/m);
    expect(searched.stdout).toMatch(/^e2e_top \(0\.1\.0\)$/m);
    const all = await setup.runOk('gem', ['list', '-r', '--all', 'e2e_plat']);
    expect(all.stdout).toMatch(/^e2e_plat \(1\.0\.0 /m);
    const gemHome = setup.newGemHome();
    await setup.runOk('gem', ['install', 'e2e_base', '--no-document'], { gemHome });
    await setup.runOk('gem', ['push', '--host', host, await setup.gemBuild('e2e_base', '1.2.0')]);
    expect((await setup.runOk('gem', ['outdated'], { gemHome })).stdout).toContain('e2e_base (1.0.0 < 1.2.0)');
    const updated = await setup.runOk('gem', ['update', 'e2e_base', '--no-document'], { gemHome });
    expect(updated.stdout).toContain('Gems updated: e2e_base');
    const ran = await setup.runOk('ruby', ['-e', 'require "e2e_base"; print E2eBase.hello'], { gemHome });
    expect(ran.stdout).toBe('hello from e2e_base 1.2.0');
  }, 180_000);
});
