/**
 * Real clients against a cold download that goes wrong while it streams (server/live-download.ts):
 * npm and pip see a broken transfer and either retry or fail with nothing installed; the server
 * stores nothing from the bad transfer, and the next install gets the real file.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClient } from '../helpers/run-client.js';
import { findClient } from './helpers/npm-clients.js';
import { findPythonClients } from '../helpers/pypi-clients.js';
import { startFakeNpmRegistry, type FakeNpmRegistry } from '../helpers/fake-npm-registry.js';
import { startFakePypiIndex, type FakePypiIndex } from '../helpers/fake-pypi-index.js';
import { startFaultProxyServer, type FaultProxyServer } from '../helpers/fault-proxy-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

// Larger than the 256 KiB below which a file is checked whole before it is served.
const bulk = () => randomBytes(400 * 1024).toString('base64');
const npm = findClient('npm');
const python = findPythonClients().python;

describe.skipIf(!npm)('npm and a cold download that breaks while it streams', () => {
  let registry: FakeNpmRegistry;
  let h: FaultProxyServer;
  beforeAll(async () => {
    registry = await startFakeNpmRegistry();
    registry.moveTarballs();
    h = await startFaultProxyServer('npm', 'public:npmjs', `${registry.url}/`);
  });
  afterAll(async () => {
    await h.close();
    await registry.close();
  });

  const install = (name: string) => {
    const project = makeTempDir('live-npm-project-');
    const home = makeTempDir('live-npm-home-');
    const host = h.endpoint.replace(/^http:/, '');
    writeFileSync(
      path.join(project, '.npmrc'),
      `registry=${h.endpoint}\n${host}:_authToken=${h.token}\nfetch-retries=2\nfetch-retry-mintimeout=100\nfetch-retry-maxtimeout=200\n`,
    );
    writeFileSync(
      path.join(project, 'package.json'),
      JSON.stringify({ name: 'live-project', version: '1.0.0', private: true, dependencies: { [name]: '1.0.0' } }),
    );
    const env = { PATH: process.env.PATH, HOME: home, npm_config_cache: path.join(home, 'cache'), npm_config_update_notifier: 'false' };
    return { project, result: runClient(npm as string, ['install', '--no-audit', '--no-fund'], project, env) };
  };

  it('retries or fails cleanly after a transfer that failed its digest, and installs the real file after', async () => {
    registry.add({ name: 'live-retried', version: '1.0.0', files: { 'data.txt': bulk() } });
    h.proxy.setFault('lie', 1);
    const first = install('live-retried');
    const { code } = await first.result;
    expect(h.proxy.faulted).toBe(1);
    const installed = path.join(first.project, 'node_modules', 'live-retried', 'data.txt');
    // npm retries a transfer broken off mid-body or gives up with an error; either way never a wrong file.
    if (code === 0) expect(readFileSync(installed, 'utf8').length).toBeGreaterThan(400 * 1024);
    else expect(existsSync(installed)).toBe(false);
    const again = install('live-retried');
    const retried = await again.result;
    expect(retried.code, retried.stderr).toBe(0);
    expect(readFileSync(path.join(again.project, 'node_modules', 'live-retried', 'data.txt'), 'utf8').length).toBeGreaterThan(400 * 1024);
  }, 120_000);

  it('fails the install, with nothing installed or stored, while the upstream keeps lying', async () => {
    registry.add({ name: 'live-lying', version: '1.0.0', files: { 'data.txt': bulk() } });
    h.proxy.setFault('lie');
    try {
      const { project, result } = install('live-lying');
      const { code } = await result;
      expect(code).not.toBe(0);
      expect(existsSync(path.join(project, 'node_modules', 'live-lying', 'data.txt'))).toBe(false);
      expect(await h.store.index.getPackage({ domain: 'acme', repository: 'store', format: 'npm', name: 'live-lying' })).toBeUndefined();
    } finally {
      h.proxy.setFault('none');
    }
  }, 120_000);
});

describe.skipIf(!python)('pip and a cold download that breaks while it streams', () => {
  let index: FakePypiIndex;
  let h: FaultProxyServer;
  beforeAll(async () => {
    index = await startFakePypiIndex();
    h = await startFaultProxyServer('pypi', 'public:pypi', index.url);
  });
  afterAll(async () => {
    await h.close();
    await index.close();
  });

  const download = (project: string) => {
    const dest = makeTempDir('live-pip-dest-');
    const home = makeTempDir('live-pip-home-');
    const indexUrl = h.endpoint.replace('http://', `http://aws:${h.token}@`) + 'simple/';
    const env = {
      PATH: process.env.PATH,
      HOME: home,
      PIP_DISABLE_PIP_VERSION_CHECK: '1',
      PIP_NO_INPUT: '1',
      PYTHON_KEYRING_BACKEND: 'keyring.backends.null.Keyring',
    };
    const args = ['-m', 'pip', 'download', '--no-cache-dir', '--no-deps', '--retries', '2', '--index-url', indexUrl, '-d', dest, `${project}==1.0`];
    return { dest, result: runClient('python3', args, home, env) };
  };

  it('fails cleanly on a cut-off transfer, keeps no partial file, and gets the real one next time', async () => {
    const dist = index.add({ name: 'live-pip', version: '1.0', files: { 'live_pip/data.txt': bulk() } });
    h.proxy.setFault('cut');
    const first = download('live-pip');
    const failed = await first.result;
    expect(failed.code).not.toBe(0);
    expect(existsSync(path.join(first.dest, dist.fileName))).toBe(false);
    expect(await h.store.index.getPackage({ domain: 'acme', repository: 'store', format: 'pypi', name: 'live-pip' })).toBeUndefined();
    h.proxy.setFault('none');
    const second = download('live-pip');
    const ok = await second.result;
    expect(ok.code, ok.stderr).toBe(0);
    expect(readFileSync(path.join(second.dest, dist.fileName)).equals(dist.bytes)).toBe(true);
  }, 120_000);
});
