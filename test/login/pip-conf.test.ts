import { describe, expect, it } from 'vitest';
import { pipConfWriter, pipIndexUrl, userPipConfPath } from '../../src/login/pip-conf.js';
import { sampleInput, TOKEN } from './sample-input.js';

const pypi = (overrides = {}) => sampleInput({ endpoint: 'http://127.0.0.1:8573/acme/pypi/main/', ...overrides });
const INDEX = `http://aws:${TOKEN}@127.0.0.1:8573/acme/pypi/main/simple/`;

describe('pip.conf writer', () => {
  it('writes [global] index-url with the token as the password of user aws', () => {
    expect(pipConfWriter.render(undefined, pypi())).toBe(`[global]\nindex-url = ${INDEX}\n`);
    expect(pipIndexUrl(pypi())).toBe(INDEX);
  });

  it('keeps other sections, keys and comments, and replaces the old index-url (however spelled) once', () => {
    const before = [
      '# pip settings',
      '[global]',
      'timeout = 60',
      'index_url = http://old.example/simple/',
      '    ; a comment inside',
      'INDEX-URL = http://older.example/simple/',
      '',
      '[install]',
      'no-binary = :none:',
      '',
    ].join('\n');
    expect(pipConfWriter.render(before, pypi())).toBe(
      ['# pip settings', '[global]', 'timeout = 60', `index-url = ${INDEX}`, '    ; a comment inside', '', '[install]', 'no-binary = :none:', ''].join('\n'),
    );
  });

  it('adds [global] after existing sections when there is none', () => {
    expect(pipConfWriter.render('[list]\nformat = columns\n', pypi())).toBe(`[list]\nformat = columns\n\n[global]\nindex-url = ${INDEX}\n`);
  });

  it('trusts a plain-http host that is not loopback, keeping hosts already trusted', () => {
    const endpoint = 'http://repo.internal:8573/acme/pypi/main/';
    expect(pipConfWriter.render(undefined, pypi({ endpoint }))).toContain('trusted-host = repo.internal\n');
    const before = '[global]\ntrusted-host = a.internal\n';
    expect(pipConfWriter.render(before, pypi({ endpoint }))).toContain('trusted-host = a.internal repo.internal\n');
    const again = pipConfWriter.render(pipConfWriter.render(before, pypi({ endpoint })), pypi({ endpoint }));
    expect(again.match(/repo\.internal(?!:)/g)).toHaveLength(1);
  });

  it('needs no trusted-host for loopback or https', () => {
    expect(pipConfWriter.render(undefined, pypi())).not.toContain('trusted-host');
    expect(pipConfWriter.render(undefined, pypi({ endpoint: 'https://repo.test/acme/pypi/main/' }))).not.toContain('trusted-host');
  });

  it('finds the file pip reads: PIP_CONFIG_FILE, else XDG_CONFIG_HOME, else ~/.config', () => {
    expect(userPipConfPath({ env: { PIP_CONFIG_FILE: '/etc/custom.conf' }, homeDir: '/home/u' })).toBe('/etc/custom.conf');
    expect(userPipConfPath({ env: { XDG_CONFIG_HOME: '/cfg' }, homeDir: '/home/u' })).toBe('/cfg/pip/pip.conf');
    expect(userPipConfPath({ env: {}, homeDir: '/home/u' })).toBe('/home/u/.config/pip/pip.conf');
    expect(() => userPipConfPath({ env: { PIP_CONFIG_FILE: '/dev/null' }, homeDir: '/home/u' })).toThrow(/PIP_CONFIG_FILE/);
  });
});
