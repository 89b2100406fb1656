import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/config.js';
import { UpstreamError } from '../../src/errors.js';
import { externalConnectionUrl } from '../../src/upstream/external-urls.js';
import { pointsAtSelf } from '../../src/upstream/self-reference.js';

function config(server: Partial<Config['server']> = {}, externalConnections: Record<string, string> = {}): Config {
  return {
    root: '/unused',
    server: { host: '127.0.0.1', port: 8573, maxUploadBytes: 1, allowAnonymousRead: false, ...server },
    offline: false,
    upstream: { metadataMaxAgeSeconds: 300, timeoutMs: 1000, assetOrigins: [] },
    externalConnections,
  };
}

describe('pointsAtSelf', () => {
  it('sees the server in every loopback spelling of its own port', () => {
    for (const url of [
      'http://127.0.0.1:8573/local/npm/default/',
      'http://localhost:8573/',
      'http://127.1.2.3:8573/x',
      'http://[::1]:8573/',
      'http://LOCALHOST:8573/',
    ]) {
      expect(pointsAtSelf(config(), url), url).toBe(true);
    }
  });

  it('lets other ports and other hosts through', () => {
    for (const url of ['http://127.0.0.1:4873/', 'http://127.0.0.1/', 'https://registry.example.test:8573/', 'not a url']) {
      expect(pointsAtSelf(config(), url), url).toBe(false);
    }
  });

  it('sees any address of this machine when the server binds to all of them', () => {
    expect(pointsAtSelf(config({ host: '0.0.0.0' }), 'http://127.0.0.1:8573/')).toBe(true);
    expect(pointsAtSelf(config({ host: '10.1.2.3' }), 'http://10.1.2.3:8573/')).toBe(true);
  });

  it('leaves loopback alone when the server binds to another address only', () => {
    expect(pointsAtSelf(config({ host: '10.1.2.3' }), 'http://127.0.0.1:8573/')).toBe(false);
    expect(pointsAtSelf(config({ host: 'localhost' }), 'http://127.0.0.1:8573/')).toBe(true);
  });

  it('sees URLs under the public URL, and only under its path', () => {
    const behindProxy = config({ publicUrl: 'https://artifacts.example.test/repo/' });
    expect(pointsAtSelf(behindProxy, 'https://artifacts.example.test/repo/local/npm/default/')).toBe(true);
    expect(pointsAtSelf(behindProxy, 'https://artifacts.example.test:443/repo')).toBe(true);
    expect(pointsAtSelf(behindProxy, 'https://artifacts.example.test/other/')).toBe(false);
    expect(pointsAtSelf(config({ publicUrl: 'http://cache.example.test:9000' }), 'http://cache.example.test:9000/local/pypi/default/simple/')).toBe(true);
  });
});

describe('externalConnectionUrl', () => {
  it('refuses a configured URL that is this server, saying so and naming where it came from', async () => {
    const error = await externalConnectionUrl(config({}, { 'public:pypi': 'http://localhost:8573/local/pypi/default/simple/' }), 'public:pypi').catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).message).toMatch(
      /public:pypi points at this artifact-cli server itself \(http:\/\/localhost:8573\/local\/pypi\/default\/simple\/\), taken from externalConnections\["public:pypi"\]/,
    );
    expect((error as UpstreamError).hint).toContain('externalConnections["public:pypi"]');
  });

  it('passes a configured URL elsewhere, with its trailing slash added', async () => {
    await expect(externalConnectionUrl(config({}, { 'public:maven-central': 'http://127.0.0.1:4000/maven2' }), 'public:maven-central')).resolves.toBe(
      'http://127.0.0.1:4000/maven2/',
    );
  });
});
