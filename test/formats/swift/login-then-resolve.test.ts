/**
 * From `artifact-cli login --tool swift` to a resolve, the way SwiftPM on Linux chains them: the
 * registry URL comes from registries.json's `[default]` entry, the login type from its
 * `authentication` entry for the host, the secret from the ~/.netrc machine of that host (type
 * `token`: sent as Bearer). The publish and the resolve then go out with what those files say.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcessServer, type InProcessServer } from '../../helpers/in-process-server.js';
import { runCli } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { registryGet, registryPublish, send, sourceArchive, type Credentials, type RegistryJson } from './swiftpm-exchange.js';
import { parseJson } from '../../helpers/json.js';

let harness: InProcessServer;

beforeAll(async () => {
  harness = await startInProcessServer({ tempPrefix: 'artifact-cli-swift-chain-' });
});

afterAll(async () => {
  await harness.server.close(100);
});

/**
 * What SwiftPM reads from the two files (RegistryConfiguration.swift, AuthorizationProvider.swift,
 * RegistryClient.swift): the default registry; the login type from `authentication` keyed by
 * host[:port]; the secret from the last netrc machine named by the host; with no type, login
 * `token` means Bearer. For https, `login` posts to https://host[:port]<loginAPIPath>.
 */
async function swiftpmSettings(home: string): Promise<{ registry: string; loginUrl: string; credentials: Credentials }> {
  const config = parseJson<{ registries: Record<string, { url: string }>; authentication: Record<string, unknown> }>(
    await fs.readFile(path.join(home, '.swiftpm/configuration/registries.json'), 'utf8'),
  );
  const registry = config.registries['[default]'].url;
  const url = new URL(registry);
  const authentication = config.authentication[url.port ? `${url.hostname}:${url.port}` : url.hostname] as { type: string; loginAPIPath?: string } | undefined;
  const words = (await fs.readFile(path.join(home, '.netrc'), 'utf8')).split(/\s+/);
  const at =
    words
      .map((word, index) => (word === 'machine' && words[index + 1]?.toLowerCase() === url.hostname ? index : -1))
      .filter((index) => index >= 0)
      .pop() ?? -1;
  expect(at).toBeGreaterThanOrEqual(0);
  const login = words[words.indexOf('login', at) + 1];
  const password = words[words.indexOf('password', at) + 1];
  const type = authentication?.type ?? (login === 'token' ? 'token' : 'basic');
  const credentials: Credentials = type === 'token' ? { bearer: password } : { basic: { login, password } };
  // Over plain http SwiftPM's `login` cannot run; the check goes to the registry URL's own path.
  const loginPath = authentication?.loginAPIPath ?? url.pathname.replace(/\/$/, '');
  return { registry, loginUrl: new URL(loginPath, registry).href, credentials };
}

describe('login --tool swift, then publish and resolve with what it wrote', () => {
  it('works end to end against the server', async () => {
    const home = makeTempDir('artifact-cli-swift-chain-home-');
    const login = await runCli(['login', '--tool', 'swift', '--domain', 'acme', '--repository', 'main', '--endpoint-url', harness.server.url], {
      root: harness.root,
      env: { HOME: home, XDG_CONFIG_HOME: '' },
    });
    expect(login.code, login.stderr).toBe(0);
    const { registry, loginUrl, credentials } = await swiftpmSettings(home);
    expect(registry).toBe(`${harness.server.url}/acme/swift/main/`);

    // `swift package-registry login` checks the credentials first.
    expect(credentials).toHaveProperty('bearer');
    const check = await send(loginUrl, { method: 'POST', headers: { authorization: `Bearer ${(credentials as { bearer: string }).bearer}` } });
    expect(check.status).toBe(200);

    const archive = sourceArchive('Chain');
    expect((await registryPublish(registry, 'mona', 'Chain', '0.1.0', { archive, metadata: { description: 'chained' } }, credentials)).status).toBe(201);

    // Resolve: releases, the chosen release's metadata, its manifest, its archive.
    const { releases } = parseJson<RegistryJson>((await registryGet(`${registry}mona/Chain`, 'json', credentials)).body);
    const chosen = Object.keys(releases)[0];
    const metadata = parseJson<RegistryJson>((await registryGet(releases[chosen].url, 'json', credentials)).body);
    const manifest = await registryGet(`${releases[chosen].url}/Package.swift`, 'swift', credentials);
    const download = await registryGet(`${releases[chosen].url}.zip`, 'zip', credentials);
    expect([chosen, manifest.status, download.status]).toEqual(['0.1.0', 200, 200]);
    expect(createHash('sha256').update(download.body).digest('hex')).toBe(metadata.resources[0].checksum);
  });
});
