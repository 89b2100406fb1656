import { describe, expect, it } from 'vitest';
import { pypircWriter } from '../../src/login/pypirc.js';
import { sampleInput, TOKEN } from './sample-input.js';

const input = sampleInput({ endpoint: 'http://127.0.0.1:8573/acme/pypi/main/' });
const SECTION = ['[codeartifact]', 'repository = http://127.0.0.1:8573/acme/pypi/main/', 'username = aws', `password = ${TOKEN}`];

describe('.pypirc writer', () => {
  it('creates the file with index-servers (keeping twine defaults) and a [codeartifact] section', () => {
    expect(pypircWriter.render(undefined, input)).toBe(
      ['[distutils]', 'index-servers =', '    pypi', '    testpypi', '    codeartifact', '', ...SECTION, ''].join('\n'),
    );
  });

  it('appends codeartifact to an existing multi-line list and keeps other sections', () => {
    const before = [
      '[distutils]',
      'index-servers =',
      '    pypi',
      '    private',
      '',
      '[private]',
      'repository = http://private.example/',
      'username = me',
      '',
    ].join('\n');
    expect(pypircWriter.render(before, input)).toBe(
      [
        '[distutils]',
        'index-servers =',
        '    pypi',
        '    private',
        '    codeartifact',
        '',
        '[private]',
        'repository = http://private.example/',
        'username = me',
        '',
        ...SECTION,
        '',
      ].join('\n'),
    );
  });

  it('appends to a one-line list in its own style', () => {
    expect(pypircWriter.render('[distutils]\nindex-servers = pypi private\n', input)).toContain('index-servers = pypi private codeartifact\n');
  });

  it('overwrites an old [codeartifact] section and does not list it twice', () => {
    const before = [
      '[distutils]',
      'index-servers =',
      '    codeartifact',
      '',
      '[codeartifact]',
      'repository = http://old.example/',
      'password = old',
      'ca_cert = /x.pem',
      '',
      '[after]',
      'a = 1',
      '',
    ].join('\n');
    expect(pypircWriter.render(before, input)).toBe(
      ['[distutils]', 'index-servers =', '    codeartifact', '', ...SECTION, '', '[after]', 'a = 1', ''].join('\n'),
    );
  });

  it('keeps a file stable across logins except for the token', () => {
    const once = pypircWriter.render(undefined, sampleInput({ endpoint: input.endpoint, token: 'first' }));
    expect(pypircWriter.render(once, input)).toBe(pypircWriter.render(undefined, input));
  });
});
