import { describe, expect, it } from 'vitest';
import { credentialKey, npmrcWriter, userNpmrcPath, yarnClassicNpmrcWriter } from '../../src/login/npmrc.js';
import { sampleInput, TOKEN } from './sample-input.js';

const KEY = '//127.0.0.1:8573/acme/npm/main/:_authToken';

describe('npmrc writer', () => {
  it('writes the registry and the token into a new file, without always-auth', () => {
    expect(npmrcWriter.render(undefined, sampleInput())).toBe(`registry=http://127.0.0.1:8573/acme/npm/main/\n${KEY}=${TOKEN}\n`);
  });

  it('keeps unrelated lines and comments, and replaces old entries in place without duplicates', () => {
    const before = [
      '; my settings',
      'registry = http://old.example/',
      'save-exact=true',
      `${KEY}=old-token`,
      '# trailing comment',
      `${KEY}=older-token`,
      '',
    ].join('\n');
    expect(npmrcWriter.render(before, sampleInput())).toBe(
      ['; my settings', 'registry=http://127.0.0.1:8573/acme/npm/main/', 'save-exact=true', `${KEY}=${TOKEN}`, '# trailing comment', ''].join('\n'),
    );
  });

  it('sets only the scope registry with --namespace, leaving the default registry alone', () => {
    const before = 'registry=http://other.example/\n';
    expect(npmrcWriter.render(before, sampleInput({ namespace: '@acme' }))).toBe(
      `registry=http://other.example/\n@acme:registry=http://127.0.0.1:8573/acme/npm/main/\n${KEY}=${TOKEN}\n`,
    );
  });

  it('adds new keys before the first [section], which would otherwise swallow them', () => {
    const before = 'color=false\n\n[legacy]\nregistry=http://legacy.example/\n';
    expect(npmrcWriter.render(before, sampleInput())).toBe(
      `color=false\nregistry=http://127.0.0.1:8573/acme/npm/main/\n${KEY}=${TOKEN}\n\n[legacy]\nregistry=http://legacy.example/\n`,
    );
  });

  it('keeps Windows line endings', () => {
    expect(npmrcWriter.render('a=1\r\n', sampleInput())).toBe(`a=1\r\nregistry=http://127.0.0.1:8573/acme/npm/main/\r\n${KEY}=${TOKEN}\r\n`);
  });

  it('is stable: a second login with the same values changes nothing', () => {
    const once = npmrcWriter.render('x=1\n', sampleInput());
    expect(npmrcWriter.render(once, sampleInput())).toBe(once);
  });

  it('derives the credential key from the endpoint without the scheme', () => {
    expect(credentialKey('https://host.test/acme/npm/main/')).toBe('//host.test/acme/npm/main/');
    expect(credentialKey('http://127.0.0.1:9/a/npm/b')).toBe('//127.0.0.1:9/a/npm/b/');
  });

  it('finds the user config the way npm does', () => {
    expect(userNpmrcPath({ env: {}, homeDir: '/home/u' })).toBe('/home/u/.npmrc');
    expect(userNpmrcPath({ env: { npm_config_userconfig: '/tmp/x.npmrc' }, homeDir: '/home/u' })).toBe('/tmp/x.npmrc');
    expect(userNpmrcPath({ env: { NPM_CONFIG_USERCONFIG: '~/custom' }, homeDir: '/home/u' })).toBe('/home/u/custom');
  });

  it('npm login removes the always-auth a yarn login left for this registry, and no other line', () => {
    const afterYarn = yarnClassicNpmrcWriter.render('always-auth=false\n//other.test/:always-auth=true\n', sampleInput());
    const text = npmrcWriter.render(afterYarn, sampleInput());
    expect(text).toBe(`always-auth=false\n//other.test/:always-auth=true\nregistry=http://127.0.0.1:8573/acme/npm/main/\n${KEY}=${TOKEN}\n`);
  });

  it('adds always-auth for this registry only when Yarn 1 is the client', () => {
    const text = yarnClassicNpmrcWriter.render('always-auth=false\n', sampleInput());
    expect(text).toBe(`always-auth=false\nregistry=http://127.0.0.1:8573/acme/npm/main/\n${KEY}=${TOKEN}\n//127.0.0.1:8573/acme/npm/main/:always-auth=true\n`);
    expect(yarnClassicNpmrcWriter.render(text, sampleInput())).toBe(text);
  });
});
