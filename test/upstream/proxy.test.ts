/**
 * Upstream HTTP through a proxy, as on a network that lets nothing out but its proxy: a local
 * proxy on 127.0.0.1 (absolute-form requests for http://, CONNECT tunnels for https://) started
 * here, `artifact-cli serve` started with HTTP_PROXY / HTTPS_PROXY pointing at it, and
 * NO_PROXY set to nothing, so that even the stand-in registries on 127.0.0.1 (which are
 * reached directly by default) are reached through the proxy. The https:// registry has a
 * certificate made here with openssl, trusted by the server through NODE_EXTRA_CA_CERTS.
 */
import { spawnSync } from 'node:child_process';
import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { upstreamGet } from '../../src/upstream/http-client.js';
import { startFakeNpmRegistry } from '../helpers/fake-npm-registry.js';
import { buildNpmTarball } from '../helpers/npm-tarball.js';
import { runCliJson } from '../helpers/run-cli.js';
import { startTestServer } from '../helpers/server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

interface LocalProxy {
  url: string;
  /** "GET http://host/path" and "CONNECT host:port" lines, as the proxy received them. */
  seen: string[];
  authorizations: (string | undefined)[];
  server: Server;
}

const closers: (() => void)[] = [];
afterAll(() => closers.forEach((close) => close()));

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    server.closeAllConnections?.();
    server.close();
  });
  return (server.address() as AddressInfo).port;
}

/** A forwarding proxy: plain requests are passed on, CONNECT opens a tunnel. */
async function startProxy(): Promise<LocalProxy> {
  const seen: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const server = createHttpServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    authorizations.push(req.headers['proxy-authorization']);
    const target = new URL(req.url ?? '');
    const { 'proxy-authorization': _auth, ...headers } = req.headers;
    const forwarded = httpRequest(
      { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers },
      (answer: IncomingMessage) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.writeHead(502).end());
    req.pipe(forwarded);
  });
  server.on('connect', (req: IncomingMessage, client, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    authorizations.push(req.headers['proxy-authorization']);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, seen, authorizations, server };
}

/** A key and self-signed certificate for 127.0.0.1, or undefined (a loud skip; a failure in CI) without openssl. */
function makeCertificate(): { key: string; cert: string; certFile: string } | undefined {
  const dir = makeTempDir('artifact-cli-proxy-tls-');
  const [keyFile, certFile] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { encoding: 'utf8' },
  );
  if (made.status === 0) return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
  const message = `openssl cannot make a test certificate (${made.error?.message ?? made.stderr.trim()}); the HTTPS proxy test is skipped. Install the Debian package openssl.`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`SKIPPED: ${message}`);
  return undefined;
}

/** A root with domain acme, repository npm-store holding public:npmjs at `registryUrl`, and a token. */
async function serveThrough(registryUrl: string, env: NodeJS.ProcessEnv) {
  const root = makeTempDir('artifact-cli-proxy-root-');
  await runCliJson(['create-domain', '--domain', 'acme'], { root });
  await runCliJson(['create-repository', '--domain', 'acme', '--repository', 'npm-store'], { root });
  await runCliJson(['associate-external-connection', '--domain', 'acme', '--repository', 'npm-store', '--external-connection', 'public:npmjs'], { root });
  const { authorizationToken } = await runCliJson<{ authorizationToken: string }>(['get-authorization-token', '--domain', 'acme'], { root });
  const configFile = path.join(root, 'artifact-cli.json');
  writeFileSync(configFile, JSON.stringify({ externalConnections: { 'public:npmjs': registryUrl } }));
  const server = await startTestServer({ root, env, args: ['--config', configFile] });
  const get = async (relative: string) => {
    const response = await fetch(`${server.url}/acme/npm/npm-store/${relative}`, { headers: { authorization: `Bearer ${authorizationToken}` } });
    return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
  };
  return { server, get };
}

describe('artifact-cli serve behind a proxy', () => {
  it('asks an http:// registry through HTTP_PROXY, sending the proxy credentials of its URL', async () => {
    const proxy = await startProxy();
    const registry = await startFakeNpmRegistry();
    closers.push(() => void registry.close());
    const tarball = registry.add({ name: 'proxied-lib', version: '1.0.0' });
    const { get } = await serveThrough(registry.url, { HTTP_PROXY: proxy.url.replace('http://', 'http://me:s3cret@'), NO_PROXY: '' });

    const packument = await get('proxied-lib');
    expect(packument.status).toBe(200);
    const tarballUrl = (JSON.parse(packument.body.toString()) as { versions: Record<string, { dist: { tarball: string } }> }).versions['1.0.0'].dist.tarball;
    const fetched = await get(tarballUrl.slice(tarballUrl.indexOf('proxied-lib/-/')));
    expect(fetched.body.equals(tarball.bytes)).toBe(true);
    const registryOrigin = new URL(registry.url).origin;
    expect(proxy.seen).toEqual([`GET ${registryOrigin}/proxied-lib`, `GET ${registryOrigin}/proxied-lib/-/proxied-lib-1.0.0.tgz`]);
    expect(proxy.authorizations).toEqual(Array(2).fill(`Basic ${Buffer.from('me:s3cret').toString('base64')}`));
  }, 60_000);

  const certificate = makeCertificate();
  it.skipIf(!certificate)(
    'asks an https:// registry through a CONNECT tunnel to HTTPS_PROXY',
    async () => {
      const { key, cert, certFile } = certificate!;
      const proxy = await startProxy();
      const built = buildNpmTarball({ name: 'tunnelled-lib', version: '2.0.0' });
      const seen: string[] = [];
      let origin = '';
      const registry = createHttpsServer({ key, cert }, (req, res) => {
        seen.push(req.url ?? '');
        if (req.url === '/tunnelled-lib') {
          const dist = { tarball: `${origin}/tunnelled-lib/-/tunnelled-lib-2.0.0.tgz`, integrity: built.integrity, shasum: built.shasum };
          const body = JSON.stringify({ name: 'tunnelled-lib', 'dist-tags': { latest: '2.0.0' }, versions: { '2.0.0': { ...built.manifest, dist } } });
          return void res.writeHead(200, { 'content-type': 'application/json' }).end(body);
        }
        if (req.url === '/tunnelled-lib/-/tunnelled-lib-2.0.0.tgz')
          return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(built.bytes);
        res.writeHead(404).end();
      });
      origin = `https://127.0.0.1:${await listen(registry)}`;
      const { get } = await serveThrough(`${origin}/`, { HTTPS_PROXY: proxy.url, NO_PROXY: '', NODE_EXTRA_CA_CERTS: certFile });

      expect((await get('tunnelled-lib')).status).toBe(200);
      expect((await get('tunnelled-lib/-/tunnelled-lib-2.0.0.tgz')).body.equals(built.bytes)).toBe(true);
      expect(seen).toEqual(['/tunnelled-lib', '/tunnelled-lib/-/tunnelled-lib-2.0.0.tgz']);
      // Both requests went through the tunnel (kept open between them, or opened again).
      expect(proxy.seen.length).toBeGreaterThan(0);
      expect(new Set(proxy.seen)).toEqual(new Set([`CONNECT ${origin.slice('https://'.length)}`]));
    },
    60_000,
  );
});

describe('upstreamGet and the proxy variables', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it('goes direct to a host NO_PROXY names, and to the loopback host when NO_PROXY is unset', async () => {
    const proxy = await startProxy();
    const port = await listen(createHttpServer((_req, res) => res.end('direct')));
    delete process.env.http_proxy;
    delete process.env.no_proxy;
    process.env.HTTP_PROXY = proxy.url;
    for (const noProxy of ['127.0.0.1', undefined]) {
      if (noProxy === undefined) delete process.env.NO_PROXY;
      else process.env.NO_PROXY = noProxy;
      const response = await upstreamGet({ url: `http://127.0.0.1:${port}/x`, timeoutMs: 10_000 });
      await response.body.dump();
      expect(response.statusCode).toBe(200);
    }
    expect(proxy.seen).toEqual([]);
    process.env.NO_PROXY = '';
    const proxied = await upstreamGet({ url: `http://127.0.0.1:${port}/x`, timeoutMs: 10_000 });
    await proxied.body.dump();
    expect(proxy.seen).toEqual([`GET http://127.0.0.1:${port}/x`]);
  });

  it('reports a proxy it cannot use as the reason the registry did not answer', async () => {
    delete process.env.http_proxy;
    process.env.HTTP_PROXY = 'socks5://127.0.0.1:1080';
    process.env.NO_PROXY = '';
    await expect(upstreamGet({ url: 'http://127.0.0.1:9/x', timeoutMs: 1000 })).rejects.toThrow(
      /did not answer: http_proxy uses socks5:\/\/; artifact-cli speaks to http:\/\/ proxies only/,
    );
  });

  it('reports a proxy that refuses the tunnel, without the proxy credentials', async () => {
    const refusing = createHttpServer();
    refusing.on('connect', (_req: IncomingMessage, socket) => socket.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n'));
    const port = await listen(refusing);
    delete process.env.https_proxy;
    process.env.HTTPS_PROXY = `http://me:s3cret@127.0.0.1:${port}`;
    process.env.NO_PROXY = '';
    const error = (await upstreamGet({ url: 'https://127.0.0.1:9/x', timeoutMs: 5000 }).catch((caught: unknown) => caught)) as Error;
    expect(error.message).toBe(
      `The upstream registry at https://127.0.0.1:9/x did not answer: the proxy at http://127.0.0.1:${port} answered 407 to CONNECT 127.0.0.1:9.`,
    );
  });
});
