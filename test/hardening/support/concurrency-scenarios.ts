/**
 * Per format: the publishes of the concurrency test (versions of one shared package, and one
 * package each), what a reader checks while they run, and what must be there afterwards. Every
 * read is checked the way a client would: a listed version's file downloads and matches the
 * digest the metadata gave for it.
 */
import { createHash } from 'node:crypto';
import { clientFetch } from './client-fetch.js';
import { basicAuth } from './hardening-server.js';
import { mavenDeploy, npmPublish, nugetPush, pypiUpload, type PlannedRequest } from './publish-requests.js';

export interface FormatScenario {
  format: string;
  /** What publisher `index` of the shared package sends. */
  shared(token: string, index: number): PlannedRequest[];
  /** What publisher `index` of its own package sends. */
  distinct(token: string, index: number): PlannedRequest[];
  /** One reader's round: undefined when everything read was right, else what was wrong. */
  read(base: string, token: string): Promise<string | undefined>;
  /** Versions (as "package@version") that `count` publishers of each kind should have left and a client cannot see. */
  missing(base: string, token: string, count: number): Promise<string[]>;
}

const sharedVersion = (index: number) => `1.0.${index}`;
const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)];
const digest = (algorithm: string, bytes: Buffer, encoding: 'hex' | 'base64' = 'hex') => createHash(algorithm).update(bytes).digest(encoding);

async function get(url: string, token: string, accept?: string): Promise<{ status: number; body: Buffer }> {
  const response = await clientFetch(url, { headers: { authorization: basicAuth(token), ...(accept ? { accept } : {}) } });
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
}

async function missingFrom(expected: Map<string, string[]>, listed: (name: string) => Promise<string[] | undefined>): Promise<string[]> {
  const missing: string[] = [];
  for (const [name, versions] of expected) {
    const seen = new Set(await listed(name));
    for (const version of versions) if (!seen.has(version)) missing.push(`${name}@${version}`);
  }
  return missing;
}

function expectedVersions(sharedName: string, distinctName: (index: number) => string, distinctVersion: string, count: number): Map<string, string[]> {
  const expected = new Map<string, string[]>([[sharedName, Array.from({ length: count + 1 }, (_, index) => sharedVersion(index))]]);
  for (let index = 0; index < count; index++) expected.set(distinctName(index), [distinctVersion]);
  return expected;
}

export const npmScenario: FormatScenario = {
  format: 'npm',
  shared: (token, index) => [npmPublish(token, 'conc-shared', sharedVersion(index))],
  distinct: (token, index) => [npmPublish(token, `conc-pkg-${index}`, '1.0.0')],
  async read(base, token) {
    const abbreviated = Math.random() < 0.5;
    const page = await get(`${base}conc-shared`, token, abbreviated ? 'application/vnd.npm.install-v1+json' : 'application/json');
    if (page.status !== 200) return `packument answered ${page.status}`;
    const document = JSON.parse(page.body.toString('utf8')) as {
      'dist-tags': Record<string, string>;
      versions: Record<string, { dist: { tarball: string; integrity: string } }>;
    };
    const latest = document['dist-tags']?.latest;
    if (!latest || !document.versions[latest]) return `dist-tags.latest ${latest} is not among the versions`;
    const version = pick(Object.keys(document.versions));
    const { dist } = document.versions[version];
    const tarball = await get(dist.tarball, token);
    if (tarball.status !== 200) return `tarball of ${version} answered ${tarball.status}`;
    if (`sha512-${digest('sha512', tarball.body, 'base64')}` !== dist.integrity) return `tarball of ${version} does not match its integrity`;
    return undefined;
  },
  missing: (base, token, count) =>
    missingFrom(
      expectedVersions('conc-shared', (index) => `conc-pkg-${index}`, '1.0.0', count),
      async (name) => {
        const page = await get(`${base}${name}`, token, 'application/json');
        return page.status === 200 ? Object.keys((JSON.parse(page.body.toString('utf8')) as { versions: object }).versions) : undefined;
      },
    ),
};

const PYPI_JSON = 'application/vnd.pypi.simple.v1+json';
interface PypiPage {
  files: { filename: string; url: string; hashes: { sha256: string } }[];
  versions: string[];
}

export const pypiScenario: FormatScenario = {
  format: 'pypi',
  shared: (token, index) => [pypiUpload(token, 'conc-shared', sharedVersion(index))],
  distinct: (token, index) => [pypiUpload(token, `conc-pkg-${index}`, '1.0.0')],
  async read(base, token) {
    const pageUrl = `${base}simple/conc-shared/`;
    const page = await get(pageUrl, token, PYPI_JSON);
    if (page.status !== 200) return `project page answered ${page.status}`;
    const document = JSON.parse(page.body.toString('utf8')) as PypiPage;
    if (document.files.length === 0) return 'the project page lists no files';
    const file = pick(document.files);
    const download = await get(new URL(file.url, pageUrl).href, token);
    if (download.status !== 200) return `${file.filename} answered ${download.status}`;
    if (digest('sha256', download.body) !== file.hashes.sha256) return `${file.filename} does not match its sha256`;
    return undefined;
  },
  missing: (base, token, count) =>
    missingFrom(
      expectedVersions('conc-shared', (index) => `conc-pkg-${index}`, '1.0.0', count),
      async (name) => {
        const page = await get(`${base}simple/${name}/`, token, PYPI_JSON);
        return page.status === 200 ? (JSON.parse(page.body.toString('utf8')) as PypiPage).versions : undefined;
      },
    ),
};

const metadataVersions = (xml: string) => [...xml.matchAll(/<version>([^<]+)<\/version>/g)].map((match) => match[1]);

export const mavenScenario: FormatScenario = {
  format: 'maven',
  shared: (token, index) => mavenDeploy(token, 'com.acme.conc', 'shared', sharedVersion(index)),
  distinct: (token, index) => mavenDeploy(token, 'com.acme.conc', `pkg-${index}`, '1.0'),
  async read(base, token) {
    const metadata = await get(`${base}com/acme/conc/shared/maven-metadata.xml`, token);
    if (metadata.status !== 200) return `maven-metadata.xml answered ${metadata.status}`;
    const versions = metadataVersions(metadata.body.toString('utf8'));
    if (versions.length === 0) return 'maven-metadata.xml lists no versions';
    const version = pick(versions);
    const jarUrl = `${base}com/acme/conc/shared/${version}/shared-${version}.jar`;
    const [jar, sha1] = await Promise.all([get(jarUrl, token), get(`${jarUrl}.sha1`, token)]);
    if (jar.status !== 200 || sha1.status !== 200) return `the jar of listed version ${version} answered ${jar.status}, its .sha1 ${sha1.status}`;
    if (digest('sha1', jar.body) !== sha1.body.toString('utf8').trim()) return `the jar of ${version} does not match its .sha1`;
    return undefined;
  },
  missing: (base, token, count) =>
    missingFrom(
      expectedVersions('shared', (index) => `pkg-${index}`, '1.0', count),
      async (name) => {
        const metadata = await get(`${base}com/acme/conc/${name}/maven-metadata.xml`, token);
        return metadata.status === 200 ? metadataVersions(metadata.body.toString('utf8')) : undefined;
      },
    ),
};

export const nugetScenario: FormatScenario = {
  format: 'nuget',
  shared: (token, index) => [nugetPush(token, 'Conc.Shared', sharedVersion(index))],
  distinct: (token, index) => [nugetPush(token, `Conc.Pkg${index}`, '1.0.0')],
  async read(base, token) {
    const index = await get(`${base}v3/package/conc.shared/index.json`, token);
    if (index.status !== 200) return `the versions index answered ${index.status}`;
    const version = pick((JSON.parse(index.body.toString('utf8')) as { versions: string[] }).versions);
    const nupkg = await get(`${base}v3/package/conc.shared/${version}/conc.shared.${version}.nupkg`, token);
    if (nupkg.status !== 200) return `the nupkg of listed version ${version} answered ${nupkg.status}`;
    if (nupkg.body.subarray(0, 2).toString('latin1') !== 'PK') return `the nupkg of ${version} is not a zip`;
    return undefined;
  },
  missing: (base, token, count) =>
    missingFrom(
      expectedVersions('conc.shared', (index) => `conc.pkg${index}`, '1.0.0', count),
      async (name) => {
        const index = await get(`${base}v3/package/${name}/index.json`, token);
        return index.status === 200 ? (JSON.parse(index.body.toString('utf8')) as { versions: string[] }).versions : undefined;
      },
    ),
};
