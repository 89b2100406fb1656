/**
 * Well-formed but hostile upstream metadata, for every format that caches it: once a package
 * is cached, the stand-in registry's next answer for it nests 100,000 levels deep in a kept
 * field, holds a lone surrogate, or carries `__proto__` / `constructor` keys. Every read of
 * the package still answers 200 with the cached file's bytes and the versions of the copy
 * that was cached (the stale copy, or an answer trimmed to the same), the server logs no
 * internal error, and nothing it keeps on disk holds what the hostile answer carried.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keptDocumentProblem } from '../../src/upstream/document-checks.js';
import { recordFigures } from './support/figures.js';
import { basicAuth, prepareRoot, startHardeningServer, type HardeningServer, type PreparedRoot } from './support/hardening-server.js';
import { startHostileProxy, type HostileProxy, type Rewrite } from './support/hostile-proxy.js';
import { UPSTREAM_SCENARIOS, type StandIn, type UpstreamScenario } from './support/upstream-scenarios.js';

const DEEP = 100_000;
const deep = (leaf: string) => `${'{"a":'.repeat(DEEP)}${leaf}${'}'.repeat(DEEP)}`;
const LONE = '\\ud800';

/** Per format: which answers are the package's metadata, and the hostile versions of them. */
interface HostileCase {
  name: string;
  rewrite(text: string): string | undefined;
}

/** The upstream documents the cases edit: an npm packument or a PyPI JSON project page. */
interface EditedDocument {
  versions: Record<string, Record<string, unknown>>;
  'dist-tags': Record<string, string>;
  files: Record<string, unknown>[];
}

const jsonEdit =
  (edit: (document: EditedDocument) => void, raw: Record<string, string> = {}) =>
  (text: string) => {
    const document = JSON.parse(text) as EditedDocument;
    edit(document);
    // Placeholders become raw JSON that JSON.stringify could not write (lone surrogates, deep nesting).
    let result = JSON.stringify(document);
    for (const [placeholder, value] of Object.entries(raw)) result = result.split(JSON.stringify(placeholder)).join(value);
    return result;
  };

const CASES: Record<string, { metadataPath: (path: string) => boolean; cases: HostileCase[] }> = {
  npm: {
    metadataPath: (requestPath) => requestPath.split('?')[0] === '/up-cached',
    cases: [
      { name: 'dependencies nested 100,000 deep', rewrite: jsonEdit((doc) => (doc.versions['1.0.0'].dependencies = '@DEEP@'), { '@DEEP@': deep('"1"') }) },
      {
        name: 'a version key with a lone surrogate, tagged latest',
        rewrite: jsonEdit(
          (doc) => {
            doc.versions['@KEY@'] = { ...doc.versions['1.0.0'], version: '1.0.1' };
            doc['dist-tags'].latest = '@KEY@';
          },
          { '@KEY@': `"1.0.1-${LONE}"` },
        ),
      },
      { name: 'a description with a lone surrogate', rewrite: jsonEdit((doc) => (doc.versions['1.0.0'].description = '@S@'), { '@S@': `"x${LONE}"` }) },
      {
        name: 'a __proto__ version',
        rewrite: (text) =>
          text.replace(
            '"versions":{',
            `"versions":{"__proto__":${JSON.stringify({ name: 'up-cached', version: '6.6.6', dist: { tarball: 'http://127.0.0.1:9/x.tgz' } })},`,
          ),
      },
      {
        name: 'a constructor version, tagged latest',
        rewrite: jsonEdit((doc) => {
          // A plain string key: TypeScript reads `.constructor` as Object's own.
          const key: string = 'constructor';
          doc.versions[key] = { ...doc.versions['1.0.0'], version: 'constructor' };
          doc['dist-tags'].latest = 'constructor';
        }),
      },
    ],
  },
  pypi: {
    metadataPath: (requestPath) => requestPath.startsWith('/simple/up-cached'),
    cases: [
      { name: 'core-metadata nested 100,000 deep', rewrite: jsonEdit((doc) => (doc.files[0]['core-metadata'] = '@DEEP@'), { '@DEEP@': deep('1') }) },
      { name: 'requires-python with a lone surrogate', rewrite: jsonEdit((doc) => (doc.files[0]['requires-python'] = '@S@'), { '@S@': `">=3${LONE}"` }) },
      { name: 'a yank reason with a lone surrogate', rewrite: jsonEdit((doc) => (doc.files[0].yanked = '@S@'), { '@S@': `"bad${LONE}"` }) },
      {
        name: '__proto__ and constructor keys',
        rewrite: (text) =>
          text.replace(
            '"files":[{',
            '"__proto__":{"files":[]},"constructor":{"files":[]},"files":[{"__proto__":{"url":"http://127.0.0.1:9/"},"constructor":1,',
          ),
      },
    ],
  },
  nuget: {
    metadataPath: (requestPath) => requestPath.includes('up.cached') && requestPath.endsWith('.json'),
    cases: [
      { name: 'a document nested 100,000 deep', rewrite: (text) => text.replace(/^\{/, `{"nested":${deep('1')},`) },
      { name: 'a version with a lone surrogate', rewrite: (text) => text.replace('"versions":[', `"versions":["2.0.0-x${LONE}",`) },
      {
        name: '__proto__ and constructor keys',
        rewrite: (text) => text.replace(/^\{/, '{"__proto__":{"versions":["9.9.9"]},"constructor":{"versions":["9.9.8"]},'),
      },
    ],
  },
  maven: {
    metadataPath: (requestPath) => requestPath.endsWith('/cached/maven-metadata.xml'),
    cases: [
      { name: 'elements nested 100,000 deep', rewrite: (text) => text.replace('<versioning>', `<versioning>${'<a>'.repeat(DEEP)}${'</a>'.repeat(DEEP)}`) },
      { name: 'a version with a lone surrogate', rewrite: (text) => text.replace('<versions>', '<versions><version>2.0&#xD800;</version>') },
      {
        name: '__proto__ and constructor elements',
        rewrite: (text) =>
          text.replace(
            '<versioning>',
            '<versioning><__proto__><latest>6.6.6</latest></__proto__><constructor><versions><version>6.6.6</version></versions></constructor>',
          ),
      },
    ],
  },
};

let prepared: PreparedRoot;
let server: HardeningServer;
const standIns = new Map<string, StandIn>();
const proxies = new Map<string, HostileProxy>();
const storeOf = (scenario: UpstreamScenario) => `${scenario.format}-hostile`;

beforeAll(async () => {
  const externalConnections: Record<string, string> = {};
  for (const scenario of UPSTREAM_SCENARIOS) {
    const standIn = await scenario.startStandIn();
    const proxy = await startHostileProxy(standIn.origin);
    standIns.set(scenario.format, standIn);
    proxies.set(scenario.format, proxy);
    externalConnections[scenario.connection] = standIn.connectionUrl(proxy.url);
  }
  prepared = await prepareRoot(UPSTREAM_SCENARIOS.map((scenario) => ({ name: storeOf(scenario), externalConnection: scenario.connection })));
  // Every read revalidates, so every read meets the hostile answer.
  server = await startHardeningServer(prepared, { externalConnections, upstream: { metadataMaxAgeSeconds: 0 } });
});

afterAll(async () => {
  await server?.stop();
  await Promise.all([...proxies.values(), ...standIns.values()].map((each) => each.close()));
});

/** The versions a client is shown for the cached package, the way each format lists them. */
async function listedVersions(format: string, endpoint: string, token: string): Promise<string[]> {
  const get = async (url: string, accept?: string) => {
    const response = await fetch(url, { headers: { authorization: basicAuth(token), ...(accept ? { accept } : {}) } });
    expect(response.status, `${url}: ${await response.clone().text()}`).toBe(200);
    return response.text();
  };
  if (format === 'npm') return Object.keys((JSON.parse(await get(`${endpoint}up-cached`, 'application/json')) as { versions: object }).versions);
  if (format === 'pypi')
    return (JSON.parse(await get(`${endpoint}simple/up-cached/`, 'application/vnd.pypi.simple.v1+json')) as { files: Array<{ filename: string }> }).files.map(
      (file) => file.filename,
    );
  if (format === 'nuget') return (JSON.parse(await get(`${endpoint}v3/package/up.cached/index.json`)) as { versions: string[] }).versions;
  return [...(await get(`${endpoint}com/acme/up/cached/maven-metadata.xml`)).matchAll(/<version>([^<]+)<\/version>/g)].map((match) => match[1]);
}

function filesUnder(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

let cases = 0;

describe('hostile but well-formed upstream metadata', () => {
  for (const scenario of UPSTREAM_SCENARIOS) {
    it(`${scenario.format}: the cached copy keeps being served, and nothing hostile is kept`, async () => {
      const { cases: hostile, metadataPath } = CASES[scenario.format];
      const endpoint = server.endpoint(scenario.format, storeOf(scenario));
      const proxy = proxies.get(scenario.format) as HostileProxy;
      const cachedBytes = (standIns.get(scenario.format) as StandIn).files.get(scenario.packages.cached) as Buffer;

      const first = await scenario.read(endpoint, prepared.token, scenario.packages.cached);
      expect(first.status, first.message).toBe(200);
      const staleVersions = await listedVersions(scenario.format, endpoint, prepared.token);
      expect(staleVersions.length).toBeGreaterThan(0);

      for (const hostileCase of hostile) {
        let rewritten = 0;
        const rewrite: Rewrite = (requestPath, text) => {
          if (!metadataPath(requestPath)) return undefined;
          rewritten += 1;
          return hostileCase.rewrite(text);
        };
        proxy.setRewrite(rewrite);
        const read = await scenario.read(endpoint, prepared.token, scenario.packages.cached);
        expect(rewritten, `${hostileCase.name}: the server met the hostile answer`).toBeGreaterThan(0);
        expect(read.status, `${hostileCase.name}: ${read.message}`).toBe(200);
        expect(read.bytes?.equals(cachedBytes), hostileCase.name).toBe(true);
        expect(await listedVersions(scenario.format, endpoint, prepared.token), hostileCase.name).toEqual(staleVersions);
        proxy.setRewrite(undefined);
        cases += 1;
      }

      const external = path.join(prepared.root, 'domains/acme/repositories', storeOf(scenario), 'external');
      for (const file of filesUnder(external).filter((name) => name.endsWith('.json'))) {
        const text = readFileSync(file, 'utf8');
        expect(text, file).not.toMatch(/\\ud800|__proto__|6\.6\.6/i);
        expect(await keptDocumentProblem(JSON.parse(text)), file).toBeUndefined();
      }
      expect(server.output()).not.toMatch(/internal error|RangeError|URIError/);
    });
  }

  afterAll(() => {
    recordFigures('hostile upstream metadata', { 'cases (each format x hostile answer)': cases });
  });
});
