import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { userYarnrcPath, yarnrcWriter } from '../../src/login/yarnrc.js';
import { sampleInput, TOKEN } from './sample-input.js';

interface Yarnrc {
  npmRegistryServer?: string;
  npmScopes: Record<string, Record<string, unknown>>;
  npmRegistries: Record<string, unknown>;
  unsafeHttpWhitelist?: string[];
}

const parse = (text: string) => parseYaml(text) as Yarnrc;

const ENDPOINT = 'http://127.0.0.1:8573/acme/npm/main/';
const REGISTRY_KEY = '//127.0.0.1:8573/acme/npm/main';

describe('yarnrc writer', () => {
  it('writes the registry, its credentials and the http allow-list into a new file', () => {
    const text = yarnrcWriter.render(undefined, sampleInput());
    expect(parse(text)).toEqual({
      npmRegistryServer: ENDPOINT,
      npmRegistries: { [REGISTRY_KEY]: { npmAlwaysAuth: true, npmAuthToken: TOKEN } },
      // Setting the list replaces Yarn's default, so localhost stays in it.
      unsafeHttpWhitelist: ['localhost', '127.0.0.1'],
    });
  });

  it('keeps comments and unrelated settings, and replaces entries for the same registry however they were spelled', () => {
    const before = [
      '# managed by hand',
      'nodeLinker: node-modules # keep me',
      'npmRegistryServer: "http://old.example/"',
      'npmRegistries:',
      '  "http://127.0.0.1:8573/acme/npm/main/":',
      '    npmAuthToken: old',
      '  "//other.example/npm":',
      '    npmAuthToken: other',
      'unsafeHttpWhitelist:',
      '  - "*.internal"',
      '',
    ].join('\n');
    const text = yarnrcWriter.render(before, sampleInput());
    expect(text).toContain('# managed by hand');
    expect(text).toContain('nodeLinker: node-modules # keep me');
    expect(parse(text)).toEqual({
      nodeLinker: 'node-modules',
      npmRegistryServer: ENDPOINT,
      npmRegistries: {
        '//other.example/npm': { npmAuthToken: 'other' },
        [REGISTRY_KEY]: { npmAlwaysAuth: true, npmAuthToken: TOKEN },
      },
      unsafeHttpWhitelist: ['*.internal', '127.0.0.1'],
    });
  });

  it('configures only the scope with --namespace', () => {
    const before = 'npmRegistryServer: "http://mirror.example/"\nnpmScopes:\n  acme:\n    npmPublishRegistry: "http://publish.example/"\n';
    const config = parse(yarnrcWriter.render(before, sampleInput({ namespace: '@acme' })));
    expect(config.npmRegistryServer).toBe('http://mirror.example/');
    expect(config.npmScopes).toEqual({
      acme: { npmPublishRegistry: 'http://publish.example/', npmRegistryServer: ENDPOINT, npmAlwaysAuth: true, npmAuthToken: TOKEN },
    });
  });

  it('leaves a second login with one entry per registry', () => {
    const once = yarnrcWriter.render(undefined, sampleInput({ token: 'first' }));
    const twice = yarnrcWriter.render(once, sampleInput());
    expect(Object.keys(parse(twice).npmRegistries)).toEqual([REGISTRY_KEY]);
    expect(parse(twice).unsafeHttpWhitelist).toEqual(['localhost', '127.0.0.1']);
    expect(twice).not.toContain('first');
  });

  it('writes no allow-list for https or for localhost', () => {
    expect(parse(yarnrcWriter.render(undefined, sampleInput({ endpoint: 'https://repo.test/acme/npm/main/' }))).unsafeHttpWhitelist).toBeUndefined();
    expect(parse(yarnrcWriter.render(undefined, sampleInput({ endpoint: 'http://localhost:1/acme/npm/main/' }))).unsafeHttpWhitelist).toBeUndefined();
  });

  it('fills settings left empty and refuses ones of the wrong shape', () => {
    const config = parse(yarnrcWriter.render('npmRegistries:\nnpmScopes:\n  acme:\n', sampleInput({ namespace: '@acme' })));
    expect(config.npmScopes.acme.npmAuthToken).toBe(TOKEN);
    expect(Object.keys(config.npmRegistries)).toEqual([REGISTRY_KEY]);
    expect(() => yarnrcWriter.render('npmRegistries: [a]\n', sampleInput())).toThrow(/npmRegistries set to something other than a mapping/);
  });

  it('refuses a file that is not YAML rather than overwrite it', () => {
    expect(() => yarnrcWriter.render('a: [\n', sampleInput())).toThrow(/not valid YAML/);
    expect(() => yarnrcWriter.render('- a list\n', sampleInput())).toThrow(/mapping/);
  });

  it('finds the file in the home directory, renamed by YARN_RC_FILENAME', () => {
    expect(userYarnrcPath({ env: {}, homeDir: '/home/u' })).toBe('/home/u/.yarnrc.yml');
    expect(userYarnrcPath({ env: { YARN_RC_FILENAME: '.yarnrc-ci.yml' }, homeDir: '/home/u' })).toBe('/home/u/.yarnrc-ci.yml');
  });
});
