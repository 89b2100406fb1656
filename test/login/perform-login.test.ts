/** The login flow in-process: a real store, fake home and files, so each step can be checked. */
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/config.js';
import { ResourceNotFoundError, ValidationError } from '../../src/errors.js';
import { createDomain } from '../../src/operations/domains.js';
import { createRepository } from '../../src/operations/repositories.js';
import { verifyToken } from '../../src/operations/tokens.js';
import type { LoginContext } from '../../src/login/login-context.js';
import { DRY_RUN_TOKEN, performLogin, type LoginRequest } from '../../src/login/perform-login.js';
import { openStore, type Store } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const NOW = new Date('2030-01-01T00:00:00.000Z');

async function setUp() {
  const root = makeTempDir();
  const store = openStore(root);
  await createDomain(store, { domain: 'acme' });
  await createRepository(store, { domain: 'acme', repository: 'main' });
  const config = { root, server: { host: '127.0.0.1', port: 8573, maxUploadBytes: 1, allowAnonymousRead: false } } as Config;
  const files = new Map<string, string>();
  const context: LoginContext = {
    env: {},
    homeDir: '/home/u',
    now: () => NOW,
    files: {
      read: (file) => Promise.resolve(files.get(file)),
      write: (file, text) => {
        files.set(file, text);
        return Promise.resolve({ path: file });
      },
    },
  };
  return { store, config, files, context };
}

const request = (overrides: Partial<LoginRequest> = {}): LoginRequest => ({
  tool: 'npm',
  domain: 'acme',
  repository: 'main',
  mirror: true,
  dryRun: false,
  ...overrides,
});

/** The token in `text` works, speaks for the local user and expires when the login said. */
async function tokenIn(store: Store, text: string, expiration: string): Promise<string> {
  const token = /acat_[\w-]+/.exec(text)?.[0] ?? '';
  expect(await verifyToken(store, 'acme', token, NOW.getTime())).toEqual({ principal: os.userInfo().username, expiration });
  return token;
}

describe('performLogin', () => {
  it('writes a working token and the endpoint from the configured address', async () => {
    const { store, config, files, context } = await setUp();
    config.server.publicUrl = 'http://repo.test:9000';
    const result = await performLogin(store, config, request({ durationSeconds: '3600' }), context);
    expect(result).toMatchObject({
      tool: 'npm',
      repositoryEndpoint: 'http://repo.test:9000/acme/npm/main/',
      expiration: '2030-01-01T01:00:00.000Z',
      dryRun: false,
      files: [{ path: '/home/u/.npmrc', status: 'created' }],
    });
    expect(JSON.stringify(result)).not.toContain('acat_');
    const npmrc = files.get('/home/u/.npmrc') ?? '';
    expect(npmrc).toContain('registry=http://repo.test:9000/acme/npm/main/\n');
    await tokenIn(store, npmrc, '2030-01-01T01:00:00.000Z');
  });

  it('writes both files for yarn and the pom lines for maven', async () => {
    const { store, config, files, context } = await setUp();
    const yarn = await performLogin(store, config, request({ tool: 'yarn' }), context);
    expect(yarn.files.map((file) => file.path)).toEqual(['/home/u/.yarnrc.yml', '/home/u/.npmrc']);
    const maven = await performLogin(store, config, request({ tool: 'maven' }), context);
    expect(maven.instructions?.join('\n')).toContain('<distributionManagement>');
    expect(files.get(path.join('/home/u', '.m2', 'settings.xml'))).toContain('<mirrorOf>*</mirrorOf>');
  });

  it('for Yarn 2 and later writes .yarnrc.yml only, leaving .npmrc (and its always-auth) to Yarn 1', async () => {
    const { store, config, files, context } = await setUp();
    const modern = await performLogin(store, config, request({ tool: 'yarn' }), { ...context, yarnMajorVersion: () => Promise.resolve(4) });
    expect(modern.files.map((file) => file.path)).toEqual(['/home/u/.yarnrc.yml']);
    expect(files.has('/home/u/.npmrc')).toBe(false);
    const classic = await performLogin(store, config, request({ tool: 'yarn' }), { ...context, yarnMajorVersion: () => Promise.resolve(1) });
    expect(classic.files.map((file) => file.path)).toEqual(['/home/u/.yarnrc.yml', '/home/u/.npmrc']);
    expect(files.get('/home/u/.npmrc')).toContain(':always-auth=true');
  });

  it('on a dry run writes nothing, issues no token and shows the content with a stand-in for it', async () => {
    const { store, config, files, context } = await setUp();
    const result = await performLogin(store, config, request({ tool: 'pip', dryRun: true, durationSeconds: '3600' }), context);
    expect(files.size).toBe(0);
    expect(result.files[0]).toMatchObject({ path: '/home/u/.config/pip/pip.conf', status: 'created' });
    expect(result.files[0].content).toContain(DRY_RUN_TOKEN);
    expect(result.files[0].content).not.toContain('acat_');
    expect(result.expiration).toBe('2030-01-01T01:00:00.000Z');
    expect((await store.index.getTokens('acme')).tokens).toEqual([]);
  });

  it.each([
    [{ tool: 'bower' }, /--tool/],
    [{ tool: 'pip', namespace: 'x' }, /--namespace/],
    [{ durationSeconds: '60' }, /--duration-seconds/],
    [{ durationSeconds: '1e4' }, /--duration-seconds/],
    [{ endpointType: 'ipv6' }, /--endpoint-type/],
    [{ tool: 'gradle', mirror: false }, /--no-mirror/],
  ])('refuses %j before issuing a token', async (overrides, message) => {
    const { store, config, context } = await setUp();
    await expect(performLogin(store, config, request(overrides as Partial<LoginRequest>), context)).rejects.toThrow(message);
    expect((await store.index.getTokens('acme')).tokens).toHaveLength(0);
  });

  it('refuses an unknown repository before issuing a token', async () => {
    const { store, config, context } = await setUp();
    await expect(performLogin(store, config, request({ repository: 'nope' }), context)).rejects.toThrow(ResourceNotFoundError);
    expect((await store.index.getTokens('acme')).tokens).toHaveLength(0);
  });

  it('names the file it cannot understand and writes nothing', async () => {
    const { store, config, files, context } = await setUp();
    files.set('/home/u/.nuget/NuGet/NuGet.Config', '<configuration><packageSources></configuration>');
    const failure = performLogin(store, config, request({ tool: 'dotnet' }), context);
    await expect(failure).rejects.toThrow(ValidationError);
    await expect(failure).rejects.toThrow(/^\/home\/u\/\.nuget\/NuGet\/NuGet\.Config is not well-formed XML/);
    expect(files.get('/home/u/.nuget/NuGet/NuGet.Config')).toBe('<configuration><packageSources></configuration>');
  });

  it('cargo: writes config.toml and credentials.toml under --registry-name, shows both on --dry-run, refuses the flag elsewhere', async () => {
    const { store, config, files, context } = await setUp();
    const dry = await performLogin(store, config, request({ tool: 'cargo', registryName: 'corp', dryRun: true }), context);
    expect(dry.files.map((file) => [file.path, file.status])).toEqual([
      ['/home/u/.cargo/config.toml', 'created'],
      ['/home/u/.cargo/credentials.toml', 'created'],
    ]);
    expect(dry.files[0].content).toContain('[registries.corp]\nindex = "sparse+http://127.0.0.1:8573/acme/cargo/main/"');
    expect(files.size).toBe(0);
    await performLogin(store, config, request({ tool: 'cargo' }), context);
    await tokenIn(store, files.get('/home/u/.cargo/credentials.toml') ?? '', '2030-01-01T12:00:00.000Z');
    expect(files.get('/home/u/.cargo/credentials.toml')).toMatch(/^\[registries\.acme-main\]\ntoken = "acat_/);
    await expect(performLogin(store, config, request({ tool: 'npm', registryName: 'corp' }), context)).rejects.toThrow(
      /--registry-name is only for --tool cargo/,
    );
    await expect(performLogin(store, config, request({ tool: 'cargo', registryName: 'bad name' }), context)).rejects.toThrow(ValidationError);
  });
});
