import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { putPackageOriginConfiguration } from '../../../src/operations/origin-configuration.js';
import { buildNupkg, nuspecXml } from '../../helpers/nupkg.js';
import { DOMAIN, startNuGetServer, type NuGetTestServer } from '../../helpers/nuget-server.js';
import { objectContaining } from '../../helpers/matchers.js';

let server: NuGetTestServer;

beforeAll(async () => {
  server = await startNuGetServer({ repositories: [{ name: 'repo' }], maxUploadBytes: 256 * 1024 });
});

async function versionsOf(name: string) {
  const record = await server.store.index.getPackage({ domain: DOMAIN, repository: 'repo', format: 'nuget', name });
  return record ? Object.values(record.versions) : [];
}

describe('NuGet push', () => {
  it('stores a pushed package under its lowercased id and normalised version, keeping the casing for display', async () => {
    const client = server.client('repo');
    const built = buildNupkg({
      id: 'Acme.Casing',
      version: '01.2.0.0+build.7',
      readme: '# Acme',
      licenseExpression: 'MIT',
      dependencyGroups: [{ targetFramework: 'net8.0', dependencies: [{ id: 'Acme.Other', version: '1.0' }] }],
    });
    const response = await client.push(built.bytes, server.token);
    expect(response.status).toBe(201);

    const [version] = await versionsOf('acme.casing');
    expect(version).toMatchObject({
      version: '1.2.0',
      status: 'Published',
      origin: { originType: 'INTERNAL', domainEntryPoint: { repositoryName: 'repo' } },
      readme: '# Acme',
      licenses: [{ name: 'MIT' }],
      dependencies: [{ dependencyType: 'net8.0', package: 'acme.other', versionRequirement: '[1.0.0, )' }],
      formatMetadata: { id: 'Acme.Casing', version: '1.2.0', fullVersion: '1.2.0+build.7', isSemVer2: true },
    });
    expect(version.assets).toEqual([
      objectContaining({ name: 'acme.casing.1.2.0.nupkg', size: built.bytes.length, hashes: objectContaining({ 'SHA-256': built.sha256 }) }),
    ]);

    const download = await client.download('Acme.Casing', '1.2.0');
    expect(download.status).toBe(200);
    expect(download.body.equals(built.bytes)).toBe(true);
  });

  it('answers 409 for a version that exists, however the id and version are written', async () => {
    const client = server.client('repo');
    expect((await client.push(buildNupkg({ id: 'Acme.Dup', version: '1.0.0-Beta' }).bytes)).status).toBe(201);
    for (const [id, version] of [
      ['Acme.Dup', '1.0.0-Beta'],
      ['acme.dup', '1.0.0-beta'],
      ['ACME.DUP', '1.0.0.0-BETA+other'],
    ]) {
      const response = await client.push(buildNupkg({ id, version }).bytes);
      expect(response.status).toBe(409);
      // NuGet prints the status line: the reason phrase carries the explanation.
      expect(response.statusMessage).toMatch(/already exists/);
    }
    expect((await versionsOf('acme.dup')).map((entry) => entry.version)).toEqual(['1.0.0-beta']);
  });

  it('lets one of two simultaneous pushes of a version win; the other gets 409', async () => {
    const statuses = await Promise.all([1, 2].map(() => server.client('repo').push(buildNupkg({ id: 'Acme.Race', version: '1.0.0' }).bytes)));
    expect(statuses.map((response) => response.status).sort()).toEqual([201, 409]);
    expect(await versionsOf('acme.race')).toHaveLength(1);
  });

  it('refuses a push of a package set to publish=BLOCK with 403 and records nothing', async () => {
    const client = server.client('repo');
    expect((await client.push(buildNupkg({ id: 'Acme.Blocked', version: '1.0.0' }).bytes)).status).toBe(201);
    await putPackageOriginConfiguration(
      server.store,
      { domain: DOMAIN, repository: 'repo', format: 'nuget', name: 'acme.blocked' },
      { publish: 'BLOCK', upstream: 'ALLOW' },
    );
    const response = await client.push(buildNupkg({ id: 'Acme.Blocked', version: '1.1.0' }).bytes);
    expect(response.status).toBe(403);
    expect(response.statusMessage).toMatch(/publish=BLOCK/);
    expect((await versionsOf('acme.blocked')).map((entry) => entry.version)).toEqual(['1.0.0']);
  });

  it('takes the API key alone (X-NuGet-ApiKey) when no source credentials are configured', async () => {
    const anonymous = await startNuGetServer({ repositories: [{ name: 'repo' }], allowAnonymousRead: true });
    const client = anonymous.client('repo', { anonymous: true });
    const response = await client.push(buildNupkg({ id: 'Key.Only', version: '1.0.0' }).bytes, anonymous.token);
    expect(response.status).toBe(201);
    expect(client.exchanges.every((exchange) => !exchange.authenticated)).toBe(true);
  });

  it('accepts a file part with any name, after other fields', async () => {
    const built = buildNupkg({ id: 'Other.Client', version: '1.0.0' });
    const boundary = '----other-client';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="comment"\r\n\r\nhello\r\n`),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="upload"; filename="Other.Client.1.0.0.nupkg"\r\nContent-Type: application/zip\r\n\r\n`,
      ),
      built.bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const response = await raw('PUT', 'api/v2/package', body, { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-nuget-apikey': server.token });
    expect(response.status).toBe(201);
  });
});

describe('NuGet push refusals store nothing', () => {
  const cases: { what: string; status: number; reason: RegExp; send: () => Promise<{ status: number; statusMessage: string }> }[] = [
    {
      what: 'a body that is not multipart',
      status: 400,
      reason: /not multipart\/form-data/,
      send: () =>
        raw('PUT', 'api/v2/package', buildNupkg({ id: 'Raw.Body', version: '1.0.0' }).bytes, {
          'content-type': 'application/octet-stream',
          'x-nuget-apikey': server.token,
        }),
    },
    {
      what: 'a multipart body without a file',
      status: 400,
      reason: /no file part/,
      send: () =>
        raw('PUT', 'api/v2/package', Buffer.from('--b\r\nContent-Disposition: form-data; name="x"\r\n\r\ny\r\n--b--\r\n'), {
          'content-type': 'multipart/form-data; boundary=b',
          'x-nuget-apikey': server.token,
        }),
    },
    {
      what: 'a multipart body that stops early',
      status: 400,
      reason: /multipart/,
      send: () =>
        raw(
          'PUT',
          'api/v2/package',
          Buffer.from('--b\r\nContent-Disposition: form-data; name="p"; filename="p.nupkg"\r\n\r\nPK\u0003\u0004 and then nothing'),
          { 'content-type': 'multipart/form-data; boundary=b', 'x-nuget-apikey': server.token },
        ),
    },
    {
      what: 'a file that is not a zip',
      status: 400,
      reason: /not a zip archive/,
      send: () => server.client('repo').push(Buffer.from('this is a text file, not a package')),
    },
    {
      what: 'a package without a .nuspec',
      status: 400,
      reason: /no .nuspec/,
      send: () => server.client('repo').push(buildNupkg({ id: 'No.Nuspec', version: '1.0.0', omitNuspec: true }).bytes),
    },
    {
      what: 'a package with two .nuspec files',
      status: 400,
      reason: /2 .nuspec files/,
      send: () =>
        server
          .client('repo')
          .push(buildNupkg({ id: 'Two.Nuspecs', version: '1.0.0', extraEntries: { 'Second.nuspec': nuspecXml({ id: 'Second', version: '1.0.0' }) } }).bytes),
    },
    {
      what: 'a .nuspec that is not XML',
      status: 400,
      reason: /not well-formed XML/,
      send: () => server.client('repo').push(buildNupkg({ id: 'Bad.Xml', version: '1.0.0', nuspecText: '<package><metadata><id>Bad.Xml</id>' }).bytes),
    },
    {
      what: 'an invalid id',
      status: 400,
      reason: /package id "Bad Id!" is not valid/,
      send: () => server.client('repo').push(buildNupkg({ id: 'Bad Id!', version: '1.0.0', nuspecName: 'bad.nuspec' }).bytes),
    },
    {
      what: 'an id with a path in it',
      status: 400,
      reason: /package id/,
      send: () => server.client('repo').push(buildNupkg({ id: '../../etc', version: '1.0.0', nuspecName: 'etc.nuspec' }).bytes),
    },
    {
      what: 'an invalid version',
      status: 400,
      reason: /not a valid NuGet version/,
      send: () => server.client('repo').push(buildNupkg({ id: 'Bad.Version', version: '1.0.0-beta..1' }).bytes),
    },
    {
      what: 'an unreplaced version token',
      status: 400,
      reason: /not a valid NuGet version/,
      send: () => server.client('repo').push(buildNupkg({ id: 'Token.Version', version: '$version$' }).bytes),
    },
    {
      what: 'an invalid dependency id',
      status: 400,
      reason: /package id/,
      send: () =>
        server
          .client('repo')
          .push(buildNupkg({ id: 'Bad.Dep', version: '1.0.0', dependencyGroups: [{ dependencies: [{ id: 'no good', version: '1.0' }] }] }).bytes),
    },
    {
      what: 'a symbol package (.snupkg), which would take the place of the package it belongs to',
      status: 400,
      reason: /symbol package/,
      send: () => server.client('repo').push(buildNupkg({ id: 'With.Symbols', version: '1.0.0', packageTypes: ['SymbolsPackage'] }).bytes),
    },
    {
      what: 'an upload over the size limit (chunked)',
      status: 413,
      reason: /larger than this server's limit/,
      send: () =>
        server.client('repo').push(buildNupkg({ id: 'Too.Big', version: '1.0.0', extraEntries: { 'content/blob.bin': randomBytes(400 * 1024) } }).bytes),
    },
    {
      what: 'an upload whose declared length is over the limit',
      status: 413,
      reason: /larger than this server's limit/,
      send: () => raw('PUT', 'api/v2/package', Buffer.alloc(400 * 1024), { 'content-type': 'multipart/form-data; boundary=b', 'x-nuget-apikey': server.token }),
    },
    {
      what: 'a wrong API key',
      status: 401,
      reason: /Unauthorized/,
      send: () =>
        raw('PUT', 'api/v2/package', pushBody(buildNupkg({ id: 'Wrong.Key', version: '1.0.0' }).bytes), {
          'content-type': 'multipart/form-data; boundary=b',
          'x-nuget-apikey': 'acat_wrong',
        }),
    },
    {
      what: 'no API key and no credentials',
      status: 401,
      reason: /Unauthorized/,
      send: () => raw('PUT', 'api/v2/package', Buffer.from('--b--\r\n'), { 'content-type': 'multipart/form-data; boundary=b' }),
    },
  ];

  it.each(cases)('$what -> $status', async ({ status, reason, send }) => {
    const before = await server.snapshot();
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.statusMessage).toMatch(reason);
    expect(await server.snapshot()).toEqual(before);
    const staged = (await fs.readdir(path.join(server.root, 'tmp')).catch(() => [])).filter((name) => name.startsWith('nuget-push-'));
    expect(staged).toEqual([]);
  });

  it('an upload cut off by the client leaves nothing behind', async () => {
    const before = await server.snapshot();
    const staged = async () => (await fs.readdir(path.join(server.root, 'tmp')).catch(() => [] as string[])).filter((name) => name.startsWith('nuget-push-'));
    const built = buildNupkg({ id: 'Cut.Off', version: '1.0.0', extraEntries: { 'content/blob.bin': randomBytes(100 * 1024) } });
    const req = http.request(`${server.url}/${DOMAIN}/nuget/repo/api/v2/package`, {
      method: 'PUT',
      headers: { 'content-type': 'multipart/form-data; boundary=b', 'x-nuget-apikey': server.token, 'transfer-encoding': 'chunked' },
    });
    req.on('error', () => undefined);
    req.write(pushBody(built.bytes).subarray(0, 50 * 1024));
    // Cut off only once the server is staging the upload, so its clean-up is what is tested.
    await vi.waitFor(async () => expect(await staged()).toHaveLength(1), { timeout: 30_000, interval: 20 });
    req.destroy();
    // The server notices the closed connection on its own schedule: its log line says when.
    await vi.waitFor(() => expect(server.log.some((line) => /^PUT \/acme\/nuget\/repo\/api\/v2\/package closed by the client/.test(line))).toBe(true), {
      timeout: 30_000,
      interval: 20,
    });
    await vi.waitFor(async () => expect(await staged()).toEqual([]), { timeout: 30_000, interval: 20 });
    expect(await server.snapshot()).toEqual(before);
  });

  it('keeps the server answering after a refused upload', async () => {
    expect((await server.client('repo').push(buildNupkg({ id: 'After.Refusals', version: '1.0.0' }).bytes)).status).toBe(201);
  });
});

function pushBody(nupkg: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from('--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: form-data; name=package; filename=package.nupkg\r\n\r\n'),
    nupkg,
    Buffer.from('\r\n--b--\r\n'),
  ]);
}

/** A request the NuGet client would not make, to reach the server's checks directly. */
function raw(method: string, path: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; statusMessage: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${server.url}/${DOMAIN}/nuget/repo/${path}`,
      { method, headers: { ...headers, 'content-length': String(body.length) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? '', body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
