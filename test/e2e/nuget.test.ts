/**
 * NuGet against a real `artifact-cli serve`, configured the way a user does it: create-domain,
 * create-repository (with a store repository holding public:nuget-org, played by a stand-in),
 * then `login --tool dotnet`, which writes NuGet.Config. Neither dotnet nor a current NuGet client
 * runs on the test machines, so NuGetClient replays the exact exchanges NuGet 6 makes for
 * `dotnet nuget push`, `dotnet restore`, `dotnet package search` and `dotnet nuget delete`, with
 * the source URL and credentials read from that NuGet.Config; every response is checked against
 * the protocol (status, content type, JSON shape, URLs that resolve, casing).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeNuGetServer, type FakeNuGetServer } from '../helpers/fake-nuget-server.js';
import { buildNupkg, type BuiltNupkg } from '../helpers/nupkg.js';
import { NuGetClient, RESOURCE_TYPES, urlsIn, type Exchange } from '../helpers/nuget-client.js';
import { runCli, runCliJson } from '../helpers/run-cli.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { parseJson } from '../helpers/json.js';
import { stringMatching } from '../helpers/matchers.js';

let fake: FakeNuGetServer;
let server: TestServer;
let root: string;
let home: string;
let source: string;
let credentials: { username: string; password: string };
let publicJson: BuiltNupkg;

/** A fresh client per command, as each dotnet invocation is a new process. */
const dotnet = () => new NuGetClient(source, credentials);

/** What the protocol says each kind of URL answers with. */
function expectedContentType(url: string): RegExp {
  if (url.endsWith('.nupkg')) return /^application\/octet-stream$/;
  if (url.endsWith('.nuspec')) return /^application\/xml$/;
  return /^application\/json/;
}

function checkExchanges(exchanges: Exchange[], expected: [method: string, pathEnd: RegExp, status: number][]) {
  expect(exchanges.map((exchange) => [exchange.method, exchange.url, exchange.status])).toEqual(
    expected.map(([method, pathEnd, status]) => [method, stringMatching(pathEnd), status]),
  );
  for (const exchange of exchanges) {
    if (exchange.status === 200) expect(exchange.contentType, exchange.url).toMatch(expectedContentType(new URL(exchange.url).pathname));
  }
}

function readNugetConfig(): { source: string; username: string; password: string } {
  const text = readFileSync(path.join(home, '.nuget', 'NuGet', 'NuGet.Config'), 'utf8');
  const sourceEntry = /<packageSources>[\s\S]*?<add key="acme\/main" value="([^"]+)"/.exec(text);
  const username = /<acme_x002F_main>[\s\S]*?<add key="Username" value="([^"]+)"/.exec(text);
  const password = /<acme_x002F_main>[\s\S]*?<add key="ClearTextPassword" value="([^"]+)"/.exec(text);
  if (!sourceEntry || !username || !password) throw new Error(`NuGet.Config lacks the source or its credentials:\n${text}`);
  return { source: sourceEntry[1], username: username[1], password: password[1] };
}

beforeAll(async () => {
  fake = await startFakeNuGetServer();
  publicJson = fake.add({ id: 'Newtonsoft.Json', version: '13.0.1' });
  fake.add({ id: 'Newtonsoft.Json', version: '13.0.3' });

  root = makeTempDir('nuget-e2e-root-');
  home = makeTempDir('nuget-e2e-home-');
  const configFile = path.join(makeTempDir('nuget-e2e-config-'), 'artifact-cli.config.json');
  writeFileSync(configFile, JSON.stringify({ externalConnections: { 'public:nuget-org': fake.sourceUrl } }));
  await runCliJson(['create-domain', '--domain', 'acme', '--output', 'json'], { root });
  await runCliJson(['create-repository', '--domain', 'acme', '--repository', 'store', '--output', 'json'], { root });
  await runCliJson(
    ['associate-external-connection', '--domain', 'acme', '--repository', 'store', '--external-connection', 'public:nuget-org', '--output', 'json'],
    { root },
  );
  await runCliJson(['create-repository', '--domain', 'acme', '--repository', 'main', '--upstreams', 'repositoryName=store', '--output', 'json'], { root });
  server = await startTestServer({ root, args: ['--config', configFile] });

  const login = await runCli(['login', '--tool', 'dotnet', '--domain', 'acme', '--repository', 'main', '--endpoint-url', server.url], {
    root,
    env: { HOME: home },
  });
  expect(login.code, login.stderr).toBe(0);
  const config = readNugetConfig();
  source = config.source;
  credentials = { username: config.username, password: config.password };
});

afterAll(async () => {
  await fake?.close();
});

describe('NuGet (replayed dotnet 8 / NuGet 6) against artifact-cli serve', () => {
  it('login --tool dotnet points NuGet at the service index this server serves', async () => {
    expect(source).toBe(`${server.url}/acme/nuget/main/v3/index.json`);
    const client = dotnet();
    const index = await client.serviceIndex();
    expect(index.version).toBe('3.0.0');
    // Anonymous first, then Basic with the NuGet.Config credentials after the challenge.
    checkExchanges(client.exchanges, [
      ['GET', /\/v3\/index\.json$/, 401],
      ['GET', /\/v3\/index\.json$/, 200],
    ]);
  });

  it('dotnet nuget push: service index, then a chunked multipart PUT to PackagePublish', async () => {
    const client = dotnet();
    const widgets = buildNupkg({
      id: 'Acme.Widgets',
      version: '1.0.0',
      description: 'Widgets for the e2e test',
      dependencyGroups: [{ targetFramework: 'net8.0', dependencies: [{ id: 'Newtonsoft.Json', version: '13.0.1' }] }],
    });
    const response = await client.push(widgets.bytes);
    expect(response.status).toBe(201);
    checkExchanges(client.exchanges, [
      ['GET', /\/v3\/index\.json$/, 401],
      ['GET', /\/v3\/index\.json$/, 200],
      ['PUT', /\/acme\/nuget\/main\/api\/v2\/package$/, 201],
    ]);
    // `--skip-duplicate` turns this 409 into a warning; without it NuGet prints the status line.
    const duplicate = await dotnet().push(widgets.bytes);
    expect(duplicate.status).toBe(409);
    expect(`${duplicate.status} (${duplicate.statusMessage})`).toMatch(/409 \(Acme\.Widgets 1\.0\.0 already exists/);

    const listed = await runCliJson<{ versions: { version: string; status: string }[] }>(
      ['list-package-versions', '--domain', 'acme', '--repository', 'main', '--format', 'nuget', '--package', 'Acme.Widgets', '--output', 'json'],
      { root },
    );
    expect(listed.versions).toEqual([expect.objectContaining({ version: '1.0.0', status: 'Published' })]);
  });

  it('dotnet restore: flat container versions and nupkg for the package and its public dependency', async () => {
    const client = dotnet();
    const restored = await client.restore([{ id: 'Acme.Widgets', range: '[1.0.0, )' }]);
    expect([...restored].map(([id, entry]) => [id, entry.version])).toEqual([
      ['acme.widgets', '1.0.0'],
      ['newtonsoft.json', '13.0.1'],
    ]);
    expect(restored.get('newtonsoft.json')?.bytes.equals(publicJson.bytes)).toBe(true);
    checkExchanges(client.exchanges, [
      ['GET', /\/v3\/index\.json$/, 401],
      ['GET', /\/v3\/index\.json$/, 200],
      ['GET', /\/v3\/package\/acme\.widgets\/index\.json$/, 200],
      ['GET', /\/v3\/package\/acme\.widgets\/1\.0\.0\/acme\.widgets\.1\.0\.0\.nupkg$/, 200],
      ['GET', /\/v3\/package\/newtonsoft\.json\/index\.json$/, 200],
      ['GET', /\/v3\/package\/newtonsoft\.json\/13\.0\.1\/newtonsoft\.json\.13\.0\.1\.nupkg$/, 200],
    ]);
    // The public package was kept in main (asked) and store (holds the connection).
    for (const repository of ['main', 'store']) {
      const described = await runCliJson<{ packageVersion: { status: string; origin: { originType: string } } }>(
        [
          'describe-package-version',
          '--domain',
          'acme',
          '--repository',
          repository,
          '--format',
          'nuget',
          '--package',
          'newtonsoft.json',
          '--package-version',
          '13.0.1',
          '--output',
          'json',
        ],
        { root },
      );
      expect(described.packageVersion).toMatchObject({ status: 'Published', origin: { originType: 'EXTERNAL' } });
    }
  });

  it('registration (package metadata lookups) agrees with the bytes restore got', async () => {
    const client = dotnet();
    const { leaves } = (await client.registration('Acme.Widgets'))!;
    const restored = await client.restore([{ id: 'Acme.Widgets', range: '1.0.0' }]);
    const { createHash } = await import('node:crypto');
    // What NuGet records as contentHash in packages.lock.json.
    const contentHash = createHash('sha512').update(restored.get('acme.widgets')!.bytes).digest('base64');
    expect(leaves[0].catalogEntry).toMatchObject({ id: 'Acme.Widgets', version: '1.0.0', listed: true, packageHash: contentHash });
  });

  it('every document is of the protocol and every URL it names answers', async () => {
    const client = dotnet();
    const publish = await client.resource(RESOURCE_TYPES.publish);
    const seen = new Set<string>();
    const queue = [source, `${await client.resource(RESOURCE_TYPES.search)}?q=acme&prerelease=true&semVerLevel=2.0.0`];
    while (queue.length && seen.size < 200) {
      const url = queue.shift() as string;
      if (seen.has(url)) continue;
      seen.add(url);
      const response = await client.send('GET', url);
      expect(response.status, url).toBe(200);
      expect(response.headers['content-type'], url).toMatch(expectedContentType(new URL(url).pathname));
      if (!/^application\/json/.test(String(response.headers['content-type']))) continue;
      const document = JSON.parse(response.body.toString('utf8')) as unknown;
      for (const found of urlsIn(document)) {
        // Base addresses (ending in '/') are not documents; the publish URL takes PUT only.
        if (!found.startsWith(server.url) || found.endsWith('/') || found === publish) continue;
        expect(new URL(found).pathname, 'ids and versions are lowercase in URLs').toBe(new URL(found).pathname.toLowerCase());
        queue.push(found);
      }
    }
    expect(seen.size).toBeGreaterThan(8);
  });

  it('dotnet package search: the search resource with the query NuGet 6 sends', async () => {
    const client = dotnet();
    const response = await client.search('widgets');
    expect(response.status).toBe(200);
    const result = parseJson<unknown>(response.body);
    expect(result).toMatchObject({
      totalHits: 1,
      data: [{ id: 'Acme.Widgets', version: '1.0.0', description: 'Widgets for the e2e test', totalDownloads: 0 }],
    });
    checkExchanges(client.exchanges, [
      ['GET', /\/v3\/index\.json$/, 401],
      ['GET', /\/v3\/index\.json$/, 200],
      ['GET', /\/v3\/search\?q=widgets&skip=0&take=20&prerelease=false&semVerLevel=2\.0\.0$/, 200],
    ]);
  });

  it('dotnet nuget delete unlists: hidden from search, still restorable; a wrong key is refused', async () => {
    const wrongKey = await new NuGetClient(source, { username: 'aws', password: 'acat_not-a-token' }).send('GET', source);
    expect(wrongKey.status).toBe(401);

    const client = dotnet();
    expect((await client.delete('Acme.Widgets', '1.0', credentials.password)).status).toBe(204);
    expect(parseJson<{ totalHits: number }>((await dotnet().search('widgets')).body).totalHits).toBe(0);
    const restored = await dotnet().restore([{ id: 'Acme.Widgets', range: '[1.0.0]' }]);
    expect(restored.get('acme.widgets')?.version).toBe('1.0.0');
    const described = await runCliJson<{ packageVersion: { status: string } }>(
      [
        'describe-package-version',
        '--domain',
        'acme',
        '--repository',
        'main',
        '--format',
        'nuget',
        '--package',
        'Acme.Widgets',
        '--package-version',
        '1.0.0',
        '--output',
        'json',
      ],
      { root },
    );
    expect(described.packageVersion.status).toBe('Unlisted');
  });

  it('update-package-versions-status relists and archives, and the feed follows', async () => {
    const setStatus = (status: string) =>
      runCliJson(
        [
          'update-package-versions-status',
          '--domain',
          'acme',
          '--repository',
          'main',
          '--format',
          'nuget',
          '--package',
          'Acme.Widgets',
          '--versions',
          '1.0.0',
          '--target-status',
          status,
          '--output',
          'json',
        ],
        { root },
      );
    await setStatus('Published');
    expect(parseJson<{ totalHits: number }>((await dotnet().search('widgets')).body).totalHits).toBe(1);
    expect((await dotnet().registration('Acme.Widgets'))!.leaves[0].catalogEntry.listed).toBe(true);

    await setStatus('Archived');
    const client = dotnet();
    expect(await client.versions('Acme.Widgets')).toBeUndefined();
    expect((await client.download('Acme.Widgets', '1.0.0')).status).toBe(404);
    await expect(dotnet().restore([{ id: 'Acme.Widgets', range: '[1.0.0]' }])).rejects.toThrow(/NU1101/);
  });
});
