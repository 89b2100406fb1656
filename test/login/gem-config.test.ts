import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleConfigPath, bundleConfigWriter, bundlerKey } from '../../src/login/bundle-config.js';
import { gemCredentialsPath, gemCredentialsWriter, gemrcWriter } from '../../src/login/gem-config.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { sampleInput, TOKEN } from './sample-input.js';

const input = sampleInput({ endpoint: 'http://127.0.0.1:8573/acme/ruby/main/' });

describe('gem credentials writer', () => {
  it('creates the file with the key under the URL gem push --host is given', () => {
    expect(gemCredentialsWriter.render(undefined, input)).toBe(`---\nhttp://127.0.0.1:8573/acme/ruby/main: "${TOKEN}"\n`);
  });

  it('keeps the other keys and replaces an older key for the same URL', () => {
    const before = `---\n:rubygems_api_key: keepme\nhttp://127.0.0.1:8573/acme/ruby/main: old\n# a comment\nhttp://other.invalid: other\n`;
    const after = gemCredentialsWriter.render(before, input);
    expect(after).toContain(':rubygems_api_key: keepme\n');
    expect(after).toContain(`http://127.0.0.1:8573/acme/ruby/main: "${TOKEN}"\n`);
    expect(after).toContain('# a comment\n');
    expect(after).toContain('http://other.invalid: other\n');
    expect(after).not.toContain(': old');
  });

  it('refuses a file that is not YAML, writing nothing', () => {
    expect(() => gemCredentialsWriter.render(':a: [unclosed\n', input)).toThrow(/is not valid YAML/);
  });

  it('uses the credentials file under the data home when only that one exists', () => {
    const home = makeTempDir('gem-home-');
    expect(gemCredentialsPath({ env: {}, homeDir: home })).toBe(path.join(home, '.gem', 'credentials'));
    mkdirSync(path.join(home, 'data', 'gem'), { recursive: true });
    writeFileSync(path.join(home, 'data', 'gem', 'credentials'), '---\n');
    expect(gemCredentialsPath({ env: { XDG_DATA_HOME: path.join(home, 'data') }, homeDir: home })).toBe(path.join(home, 'data', 'gem', 'credentials'));
  });
});

describe('.gemrc writer', () => {
  it('puts the source with the token first and keeps the other settings and sources', () => {
    const before = `---\n:verbose: true\ngem: --no-document\n:sources:\n- http://aws:old@127.0.0.1:8573/acme/ruby/main/\n- http://mirror.invalid/\n`;
    const after = gemrcWriter.render(before, input);
    expect(after).toContain(':verbose: true\n');
    expect(after).toContain('gem: --no-document\n');
    const sources = after.slice(after.indexOf(':sources:'));
    expect(sources.match(/- .*/g)).toEqual([`- http://aws:${TOKEN}@127.0.0.1:8573/acme/ruby/main/`, '- http://mirror.invalid/']);
  });

  it('is found through GEMRC when set', () => {
    expect(gemrcWriter.locate({ env: { GEMRC: '/x/gemrc' }, homeDir: '/home/u' })).toBe('/x/gemrc');
    expect(gemrcWriter.locate({ env: {}, homeDir: '/home/u' })).toBe('/home/u/.gemrc');
  });
});

describe('Bundler config writer', () => {
  it('derives the key as Bundler does from the source URL', () => {
    expect(bundlerKey('http://127.0.0.1:8573/acme/ruby/my-repo/')).toBe('BUNDLE_HTTP://127__0__0__1:8573/ACME/RUBY/MY___REPO/');
  });

  it("adds the credentials line in Bundler's own form and keeps the other lines", () => {
    const before = '---\nBUNDLE_JOBS: "4"\nBUNDLE_HTTP://127__0__0__1:8573/ACME/RUBY/MAIN/: "aws:old"\n';
    expect(bundleConfigWriter.render(before, input)).toBe(`---\nBUNDLE_JOBS: "4"\nBUNDLE_HTTP://127__0__0__1:8573/ACME/RUBY/MAIN/: "aws:${TOKEN}"\n`);
    expect(bundleConfigWriter.render(undefined, input)).toBe(`---\nBUNDLE_HTTP://127__0__0__1:8573/ACME/RUBY/MAIN/: "aws:${TOKEN}"\n`);
  });

  it('is found through BUNDLE_USER_CONFIG or BUNDLE_USER_HOME', () => {
    expect(bundleConfigPath({ env: { BUNDLE_USER_CONFIG: '/x/config' }, homeDir: '/home/u' })).toBe('/x/config');
    expect(bundleConfigPath({ env: { BUNDLE_USER_HOME: '/x/bundle' }, homeDir: '/home/u' })).toBe('/x/bundle/config');
    expect(bundleConfigPath({ env: {}, homeDir: '/home/u' })).toBe('/home/u/.bundle/config');
  });
});
