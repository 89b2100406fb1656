import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PackageRecord, VersionRecord } from '../../../src/core/model.js';
import { PUBLISHED_FIRST } from '../../../src/operations/publish.js';
import { buildNpmTarball } from '../../helpers/npm-tarball.js';
import { startHarness, type Harness } from './npm-registry-harness.js';
import { parseJson } from '../../helpers/json.js';

let registry: Harness;

beforeAll(async () => {
  registry = await startHarness({ headersTimeoutMs: 500, requestTimeoutMs: 1000 });
  expect((await registry.publish(buildNpmTarball({ name: 'safe', version: '1.0.0' }))).status).toBe(201);
  // Something a path trick would love to reach.
  writeFileSync(path.join(registry.root, '..', `secret-${path.basename(registry.root)}.json`), '{"secret": true}');
});

/** A GET whose path goes out exactly as written: fetch() would resolve '..' first. */
function rawGet(rawPath: string): Promise<{ status: number; body: string }> {
  const url = new URL(registry.registry);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: `${url.pathname}${rawPath}`, headers: { authorization: `Bearer ${registry.token}` } },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('path tricks in package names', () => {
  it.each(
    [
      '..',
      '%2e%2e',
      '%2E%2E/secret',
      '..%2f..%2fsecret',
      'safe%2f..%2f..%2fsecret',
      'foo%2fbar',
      '@acme%2f..',
      '@..%2fsafe',
      '@acme%2fsafe%2f..',
      'safe%00',
      '%00',
      '.hidden',
      '_private',
      'bad%zz',
      'a'.repeat(5000),
      `@${'a'.repeat(300)}%2fb`,
      'safe/-/..%2f..%2f..%2fsecret.tgz',
      'safe/-/safe-1.0.0.tgz%00',
      '..%2f..%2f..%2f..%2fetc%2fpasswd/-/passwd-1.0.0.tgz',
    ].map((rawPath) => [rawPath.length > 60 ? `${rawPath.slice(0, 12)}... (${rawPath.length} characters)` : rawPath, rawPath]),
  )('%s is refused with a JSON 400 or 404', async (_label, rawPath) => {
    const response = await rawGet(rawPath);
    expect([400, 404]).toContain(response.status);
    expect(parseJson<{ error: unknown }>(response.body).error).toEqual(expect.any(String));
    expect(response.body).not.toMatch(/secret"?:\s*true/);
  });

  it('still serves the real package', async () => {
    expect((await rawGet('safe')).status).toBe(200);
  });
});

describe('a package with 3,000 versions', () => {
  it('renders reasonably fast the first time and from memory after that', async () => {
    const asset = (await registry.store.index.getPackage({ domain: 'acme', repository: 'main', format: 'npm', name: 'safe' }))!.versions['1.0.0'].assets[0];
    const versions: Record<string, VersionRecord> = {};
    for (let index = 0; index < 3000; index += 1) {
      const version = `${Math.floor(index / 100)}.${index % 100}.0`;
      versions[version] = {
        version,
        status: 'Published',
        revision: version,
        publishedTime: new Date(Date.UTC(2020, 0, 1) + index * 60_000).toISOString(),
        origin: { domainEntryPoint: { repositoryName: 'main' }, originType: 'INTERNAL' },
        assets: [asset],
        formatMetadata: { name: 'huge', version, description: 'many versions', dependencies: { safe: '^1.0.0', 'left-pad-lite': '^1.0.0' }, main: 'index.js' },
      };
    }
    const record: PackageRecord = {
      format: 'npm',
      name: 'huge',
      originConfiguration: { restrictions: PUBLISHED_FIRST },
      formatMetadata: { 'dist-tags': { latest: '29.99.0' } },
      versions,
    };
    await registry.store.index.updatePackage({ domain: 'acme', repository: 'main', format: 'npm', name: 'huge' }, () => record);

    const timed = async (accept?: string) => {
      const started = performance.now();
      const response = await registry.request('huge', { headers: accept ? { accept } : {} });
      const document = await response.json();
      return { ms: performance.now() - started, document };
    };
    const first = await timed();
    expect(Object.keys(first.document.versions)).toHaveLength(3000);
    expect(first.document['dist-tags'].latest).toBe('29.99.0');
    const abbreviated = await timed('application/vnd.npm.install-v1+json');
    expect(Object.keys(abbreviated.document.versions)).toHaveLength(3000);
    const again = await timed();
    expect(first.ms).toBeLessThan(5000);
    expect(again.ms).toBeLessThan(Math.max(150, first.ms));
  });
});

describe('slow clients', () => {
  it('cuts off a client that dribbles its headers, while others are served promptly', async () => {
    const url = new URL(registry.registry);
    const socket = connect(Number(url.port), url.hostname);
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(performance.now())));
    socket.on('error', () => undefined);
    const started = performance.now();
    socket.write(`GET ${url.pathname}safe HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
    const dribble = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 100);
    try {
      const pingStarted = performance.now();
      const ping = await registry.request('-/ping');
      expect(ping.status).toBe(200);
      expect(performance.now() - pingStarted).toBeLessThan(1500);
      const closedAt = await closed;
      expect(closedAt - started).toBeLessThan(5_000);
    } finally {
      clearInterval(dribble);
      socket.destroy();
    }
  });

  it('cuts off a publish whose body never finishes, and stores nothing', async () => {
    const before = registry.storedFiles();
    const url = new URL(registry.registry);
    const socket = connect(Number(url.port), url.hostname);
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
    socket.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write(
      `PUT ${url.pathname}stalled HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${registry.token}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"name":"stalled",`,
    );
    const ping = await registry.request('-/ping');
    expect(ping.status).toBe(200);
    await closed;
    expect(answer === '' || /^HTTP\/1\.1 408/.test(answer)).toBe(true);
    expect(registry.storedFiles()).toEqual(before);
  });
});
