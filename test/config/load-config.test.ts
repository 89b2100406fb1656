import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from '../../src/config/definitions.js';
import { loadConfig } from '../../src/config/load-config.js';
import { ValidationError } from '../../src/errors.js';
import { makeTempDir } from '../helpers/temp-dir.js';

/** A project directory with a package.json (where cosmiconfig's project search stops). */
function project(files: Record<string, string> = {}): string {
  const dir = makeTempDir('artifact-cli-config-');
  const all = { 'package.json': '{"name": "some-project"}', ...files };
  for (const [name, text] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('loadConfig', () => {
  it('uses the defaults when there is no file, environment or flag', async () => {
    const cwd = project();
    const config = await loadConfig({}, {}, cwd);
    expect(config.root.endsWith(path.join('artifact-cli'))).toBe(true);
    expect(config.server).toEqual({ host: '127.0.0.1', port: 8573, publicUrl: undefined, maxUploadBytes: 256 * 1024 * 1024, allowAnonymousRead: false });
    expect(config).toMatchObject({ offline: false, upstream: { metadataMaxAgeSeconds: 300, timeoutMs: 30_000 }, externalConnections: {} });
    expect(config.configFile).toBeUndefined();
  });

  it('reads the "artifact-cli" key of package.json', async () => {
    const cwd = project({ 'package.json': JSON.stringify({ name: 'p', 'artifact-cli': { domain: 'from-pkg', server: { port: 9000 } } }) });
    const config = await loadConfig({}, {}, cwd);
    expect(config).toMatchObject({ domain: 'from-pkg', server: { port: 9000, host: '127.0.0.1' }, configFile: path.join(cwd, 'package.json') });
  });

  it('finds .artifact-clirc.json from a subdirectory and resolves a relative root against the file', async () => {
    const cwd = project({ '.artifact-clirc.json': JSON.stringify({ root: 'store', repository: 'repo1', offline: true }) });
    const sub = path.join(cwd, 'deep', 'er');
    mkdirSync(sub, { recursive: true });
    const config = await loadConfig({}, {}, sub);
    expect(config).toMatchObject({ root: path.join(cwd, 'store'), repository: 'repo1', offline: true });
  });

  it.each([
    ['.artifact-clirc', '{"domain": "rc"}'],
    ['.artifact-clirc.yaml', 'domain: yaml-domain\nserver:\n  port: 7000\n'],
    ['.artifact-clirc.yml', 'domain: yml-domain\n'],
    ['.config/artifact-clirc.json', '{"domain": "dot-config"}'],
    ['artifact-cli.config.mjs', 'export default { domain: "from-js" };\n'],
    ['artifact-cli.config.cjs', 'module.exports = { domain: "from-cjs" };\n'],
    ['.artifact-clirc.cjs', 'module.exports = { domain: "rc-cjs" };\n'],
    ['.config/artifact-clirc', '{"domain": "dot-config-rc"}'],
  ])('finds %s', async (name, text) => {
    const cwd = project({ [name]: text });
    const config = await loadConfig({}, {}, cwd);
    expect(config.configFile).toBe(path.join(cwd, name));
    expect(config.domain).toEqual(expect.any(String));
  });

  it('stops at the project root: a config above the nearest package.json is not used', async () => {
    const outer = project({ '.artifact-clirc.json': '{"domain": "outer"}' });
    const inner = path.join(outer, 'packages', 'inner');
    mkdirSync(inner, { recursive: true });
    writeFileSync(path.join(inner, 'package.json'), '{"name": "inner"}');
    expect((await loadConfig({}, {}, inner)).configFile).toBeUndefined();
    // Without a package.json in between, the search goes on up to the outer file.
    const loose = path.join(outer, 'docs', 'deep');
    mkdirSync(loose, { recursive: true });
    expect((await loadConfig({}, {}, loose)).domain).toBe('outer');
  });

  it('layers defaults < config file < environment < --root flag', async () => {
    const cwd = project({ '.artifact-clirc.json': JSON.stringify({ root: '/from/file', domain: 'file-domain', server: { port: 1111 } }) });
    const env = { ARTIFACT_CLI_ROOT: '/from/env', ARTIFACT_CLI_PORT: '2222' };
    expect(await loadConfig({}, {}, cwd)).toMatchObject({ root: path.resolve('/from/file'), domain: 'file-domain', server: { port: 1111 } });
    expect(await loadConfig({}, env, cwd)).toMatchObject({ root: path.resolve('/from/env'), domain: 'file-domain', server: { port: 2222 } });
    expect(await loadConfig({ root: '/from/flag' }, env, cwd)).toMatchObject({ root: path.resolve('/from/flag'), server: { port: 2222 } });
  });

  it('resolves a relative root from the file against the file, and one from env or --root against the working directory', async () => {
    const cwd = project({ '.artifact-clirc.json': JSON.stringify({ root: 'file-store' }) });
    const sub = path.join(cwd, 'sub');
    mkdirSync(sub);
    expect((await loadConfig({}, {}, sub)).root).toBe(path.join(cwd, 'file-store'));
    expect((await loadConfig({}, { ARTIFACT_CLI_ROOT: 'env-store' }, sub)).root).toBe(path.join(sub, 'env-store'));
    expect((await loadConfig({ root: 'flag-store' }, {}, sub)).root).toBe(path.join(sub, 'flag-store'));
  });

  it('reads an explicit --config file instead of searching', async () => {
    const cwd = project({ '.artifact-clirc.json': '{"domain": "searched"}', 'other/settings.json': '{"domain": "explicit"}' });
    expect((await loadConfig({ config: 'other/settings.json' }, {}, cwd)).domain).toBe('explicit');
  });

  it('sets the public URL from --endpoint-url', async () => {
    expect((await loadConfig({ endpointUrl: 'http://127.0.0.1:1234/' }, {}, project())).server.publicUrl).toBe('http://127.0.0.1:1234/');
    await expect(loadConfig({ endpointUrl: 'ftp://x' }, {}, project())).rejects.toThrow(/--endpoint-url/);
  });

  it.each([
    ['--root', { root: '' }],
    ['--host', { host: '' }],
    ['--port', { port: '' }],
    ['--endpoint-url', { endpointUrl: '' }],
  ])('refuses an empty %s instead of falling back to the file, the environment or the default', async (flag, flags) => {
    // `--root "$DIR"` with DIR unset went on with the per-user store.
    const loading = loadConfig(flags, { ARTIFACT_CLI_ROOT: '/from/env' }, project());
    await expect(loading).rejects.toBeInstanceOf(ValidationError);
    await expect(loading).rejects.toThrow(new RegExp(`from ${flag} must be`));
  });

  it('coerces booleans and integers from the environment', async () => {
    const env = { ARTIFACT_CLI_OFFLINE: '1', ARTIFACT_CLI_ALLOW_ANONYMOUS_READ: 'true', ARTIFACT_CLI_MAX_UPLOAD_BYTES: '1024' };
    expect(await loadConfig({}, env, project())).toMatchObject({ offline: true, server: { allowAnonymousRead: true, maxUploadBytes: 1024 } });
  });

  it.each([
    [{ ARTIFACT_CLI_PORT: 'eighty' }, {}, /server\.port from \$ARTIFACT_CLI_PORT/],
    [{ ARTIFACT_CLI_PORT: '-1' }, {}, /server\.port from \$ARTIFACT_CLI_PORT must be an integer from 0 to 65535/],
    [{ ARTIFACT_CLI_OFFLINE: 'maybe' }, {}, /offline/],
    [{}, { server: { port: 1.5 } }, /server\.port from .*\.artifact-clirc\.json/],
    [{}, { domain: 7 }, /domain/],
    [{}, { externalConnections: { 'public:npmjs': 'not a url' } }, /externalConnections\.public:npmjs/],
  ])('refuses bad values with a ValidationError naming the setting (%j, %j)', async (env, file, message) => {
    const cwd = project({ '.artifact-clirc.json': JSON.stringify(file) });
    const loading = loadConfig({}, env, cwd);
    await expect(loading).rejects.toBeInstanceOf(ValidationError);
    await expect(loadConfig({}, env, cwd)).rejects.toThrow(message);
  });

  describe('strict validation of every setting, from the settings table', () => {
    const fileCases: [string, unknown, RegExp][] = [
      ['a group that is a string', { server: 'x' }, /Setting server in .* must be an object/],
      ['the other group as a string', { upstream: 'x' }, /Setting upstream in .* must be an object/],
      ['a group that is a list', { upstream: [1] }, /Setting upstream in .* must be an object/],
      [
        'a timeout of 0, which would mean no limit',
        { upstream: { timeoutMs: 0 } },
        /upstream\.timeoutMs from .* must be an integer from 1 to 2147483647; got 0/,
      ],
      ['a timeout past what a timer holds', { upstream: { timeoutMs: 1e300 } }, /upstream\.timeoutMs from .* must be an integer from 1 to 2147483647/],
      ['a timeout one past the timer limit', { upstream: { timeoutMs: 2_147_483_648 } }, /upstream\.timeoutMs/],
      ['a fractional timeout', { upstream: { timeoutMs: 1.5 } }, /upstream\.timeoutMs/],
      ['a negative metadata age', { upstream: { metadataMaxAgeSeconds: -1 } }, /upstream\.metadataMaxAgeSeconds .* from 0 to 31536000/],
      ['a metadata age over a year', { upstream: { metadataMaxAgeSeconds: 31_536_001 } }, /upstream\.metadataMaxAgeSeconds/],
      ['a port past 65535', { server: { port: 65_536 } }, /server\.port .* from 0 to 65535/],
      ['a port given as text in a file', { server: { port: '8080' } }, /server\.port/],
      ['an upload limit of 0', { server: { maxUploadBytes: 0 } }, /server\.maxUploadBytes .* from 1 to/],
      ['a boolean given as text in a file', { offline: 'true' }, /Setting offline from .* must be true or false/],
      ['a boolean given as a number', { server: { allowAnonymousRead: 1 } }, /server\.allowAnonymousRead/],
      ['an empty host', { server: { host: '' } }, /server\.host .* a host name or IP address; got ""/],
      ['a host with a path', { server: { host: '127.0.0.1/x?' } }, /server\.host .* a host name or IP address/],
      ['a public URL that is not http(s)', { server: { publicUrl: 'ftp://x/' } }, /server\.publicUrl .* http\(s\) URL/],
      ['a public URL that is a number', { server: { publicUrl: 8080 } }, /server\.publicUrl/],
      ['a domain name that is not valid', { domain: 'Not Valid' }, /Setting domain from .* must be a domain name; got "Not Valid"\. Domain name/],
      ['a repository name that is not valid', { repository: '-x' }, /Setting repository from .* must be a repository name/],
      ['an external connection URL that is not a string', { externalConnections: { 'public:npmjs': 5 } }, /externalConnections\.public:npmjs .* http\(s\) URL/],
      ['an external connections list', { externalConnections: ['http://x/'] }, /externalConnections .* object of URLs/],
      ['an external connection URL with a tab in it', { externalConnections: { 'public:npmjs': 'http://127.0.0.1:9/a\tb' } }, /without spaces or control/],
      ['a public URL with a fragment', { server: { publicUrl: 'http://127.0.0.1:9/#x' } }, /server\.publicUrl .* without a query or fragment/],
      ['an unknown top-level key (a typo)', { sever: { port: 1 } }, /unknown setting "sever"/],
      ['an unknown key inside a group', { upstream: { timeout: 5 } }, /unknown setting "upstream\.timeout"/],
      ['a value where a setting is a leaf', { offline: { value: true } }, /Setting offline from .* must be true or false/],
    ];
    it.each(fileCases)('refuses %s in a config file', async (_what, file, message) => {
      const cwd = project({ '.artifact-clirc.json': JSON.stringify(file) });
      const loading = loadConfig({}, {}, cwd);
      await expect(loading).rejects.toBeInstanceOf(ValidationError);
      await expect(loading).rejects.toThrow(message);
    });

    const envCases: [string, NodeJS.ProcessEnv, RegExp][] = [
      ['a timeout of 0', { ARTIFACT_CLI_UPSTREAM_TIMEOUT_MS: '0' }, /upstream\.timeoutMs from \$ARTIFACT_CLI_UPSTREAM_TIMEOUT_MS/],
      ['a timeout written with an exponent', { ARTIFACT_CLI_UPSTREAM_TIMEOUT_MS: '1e300' }, /\$ARTIFACT_CLI_UPSTREAM_TIMEOUT_MS/],
      ['a hexadecimal port', { ARTIFACT_CLI_PORT: '0x50' }, /server\.port from \$ARTIFACT_CLI_PORT/],
      ['an upload limit of 0', { ARTIFACT_CLI_MAX_UPLOAD_BYTES: '0' }, /server\.maxUploadBytes from \$ARTIFACT_CLI_MAX_UPLOAD_BYTES/],
      ['a public URL that is not one', { ARTIFACT_CLI_PUBLIC_URL: 'nope' }, /server\.publicUrl from \$ARTIFACT_CLI_PUBLIC_URL must be an http\(s\) URL/],
      ['a bad domain name', { ARTIFACT_CLI_DOMAIN: 'Bad_Name!' }, /Setting domain from \$ARTIFACT_CLI_DOMAIN must be a domain name/],
      ['a bad repository name', { ARTIFACT_CLI_REPOSITORY: 'x@y' }, /Setting repository from \$ARTIFACT_CLI_REPOSITORY must be a repository name/],
      // It became the host of the URLs login writes: the newline made a line of its own in .npmrc.
      [
        'a host with a newline',
        { ARTIFACT_CLI_HOST: '127.0.0.1\nalways-auth=true' },
        /server\.host from \$ARTIFACT_CLI_HOST must be a host name or IP address/,
      ],
      ['a boolean that is neither', { ARTIFACT_CLI_ALLOW_ANONYMOUS_READ: 'yes' }, /\$ARTIFACT_CLI_ALLOW_ANONYMOUS_READ must be true or false/],
    ];
    it.each(envCases)('refuses %s from the environment, naming the variable and not a flag', async (_what, env, message) => {
      const loading = loadConfig({}, env, project());
      await expect(loading).rejects.toBeInstanceOf(ValidationError);
      await expect(loading).rejects.toThrow(message);
      await expect(loading).rejects.not.toThrow(/--/);
    });

    it('accepts every bound itself', async () => {
      const file = { server: { port: 65_535, maxUploadBytes: 1 }, upstream: { timeoutMs: 2_147_483_647, metadataMaxAgeSeconds: 0 }, $schema: 'x' };
      const config = await loadConfig(
        {},
        { ARTIFACT_CLI_DOMAIN: 'acme', ARTIFACT_CLI_REPOSITORY: 'my_repo.1' },
        project({ '.artifact-clirc.json': JSON.stringify(file) }),
      );
      expect(config).toMatchObject({
        domain: 'acme',
        repository: 'my_repo.1',
        server: { port: 65_535, maxUploadBytes: 1 },
        upstream: { timeoutMs: 2_147_483_647, metadataMaxAgeSeconds: 0 },
      });
      expect((await loadConfig({}, { ARTIFACT_CLI_UPSTREAM_TIMEOUT_MS: '1' }, project())).upstream.timeoutMs).toBe(1);
    });

    it('gives every integer setting bounds', () => {
      for (const setting of SETTINGS.filter((definition) => definition.type === 'integer')) {
        expect(setting.min, setting.key).toBeTypeOf('number');
        expect(setting.max, setting.key).toBeTypeOf('number');
      }
    });
  });

  describe('a config file that does not parse names the line and the column', () => {
    it.each([
      [
        'a trailing comma',
        '.artifact-clirc.json',
        '{\n  "server": {\n    "port": 80,\n  }\n}\n',
        /\.artifact-clirc\.json is not valid JSON: line 4, column 3: /,
      ],
      ['a missing comma', '.artifact-clirc.json', '{\n  "offline": true\n  "domain": "acme"\n}\n', /is not valid JSON: line 3, column 3: /],
      ['a file cut short', '.artifact-clirc.json', '{\n  "server": {\n', /is not valid JSON: line 3, column 1: /],
      ['bad YAML', '.artifact-clirc.yaml', 'server:\n  port: [1,\n', /\.artifact-clirc\.yaml is not valid YAML: line 3, column 1: /],
    ])('%s', async (_what, name, text, message) => {
      const loading = loadConfig({}, {}, project({ [name]: text }));
      await expect(loading).rejects.toBeInstanceOf(ValidationError);
      await expect(loading).rejects.toThrow(message);
    });
  });

  it.each(['artifact-cli.config.ts', '.artifact-clirc.ts', '.config/artifact-clirc.ts'])(
    'refuses a TypeScript config file (%s) with an error that says so',
    async (name) => {
      const cwd = project({ [name]: 'export default { domain: "from-ts" };\n' });
      const loading = loadConfig({}, {}, cwd);
      await expect(loading).rejects.toBeInstanceOf(ValidationError);
      await expect(loading).rejects.toThrow(/is TypeScript, which artifact-cli does not read: write it as \.mjs, \.js or \.json/);
      await expect(loadConfig({ config: path.join(cwd, name) }, {}, makeTempDir())).rejects.toThrow(/is TypeScript/);
    },
  );

  it('refuses a config file that does not parse or is not an object', async () => {
    await expect(loadConfig({}, {}, project({ '.artifact-clirc.json': '{ nope' }))).rejects.toBeInstanceOf(ValidationError);
    await expect(loadConfig({}, {}, project({ '.artifact-clirc.json': '[1, 2]' }))).rejects.toThrow(/must hold an object/);
  });

  it('has a description and a unique env var for every setting', () => {
    const envs = SETTINGS.flatMap((setting) => (setting.env ? [setting.env] : []));
    expect(new Set(envs).size).toBe(envs.length);
    for (const setting of SETTINGS) expect(setting.description.length).toBeGreaterThan(10);
  });
});
