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

  it('coerces booleans and integers from the environment', async () => {
    const env = { ARTIFACT_CLI_OFFLINE: '1', ARTIFACT_CLI_ALLOW_ANONYMOUS_READ: 'true', ARTIFACT_CLI_MAX_UPLOAD_BYTES: '1024' };
    expect(await loadConfig({}, env, project())).toMatchObject({ offline: true, server: { allowAnonymousRead: true, maxUploadBytes: 1024 } });
  });

  it.each([
    [{ ARTIFACT_CLI_PORT: 'eighty' }, {}, /server\.port from \$ARTIFACT_CLI_PORT/],
    [{ ARTIFACT_CLI_PORT: '-1' }, {}, /non-negative integer/],
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
