/**
 * The server in-process on port 0 with a temp store, set up for Maven: domain "acme" with
 * repositories main -> [shared] -> [central-store], where central-store holds the external
 * connection public:maven-central, played by a FakeMavenRepo; "lonely" has no upstreams. A
 * token for alice; requests use Basic auth the way Maven sends it (user aws, token as password).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { afterAll } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { createDomain } from '../../src/operations/domains.js';
import { associateExternalConnection, createRepository } from '../../src/operations/repositories.js';
import { getAuthorizationToken } from '../../src/operations/tokens.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { openStore, type Store } from '../../src/store/store.js';
import { startFakeMavenRepo, type FakeMavenRepo } from './fake-maven-repo.js';
import { makeTempDir } from './temp-dir.js';
import { TEST_SERVER_OPTIONS } from './server-options.js';

export interface MavenHarness {
  root: string;
  store: Store;
  server: RunningServer;
  central: FakeMavenRepo;
  token: string;
  /** http://127.0.0.1:PORT/acme/maven/<repository>/ */
  endpoint(repository?: string): string;
  /** fetch() of `relative` in a repository (default main) with alice's token unless `token` is null. */
  request(relative: string, init?: RequestInit & { token?: string | null; repository?: string }): Promise<Response>;
  put(relative: string, body: Buffer | string, repository?: string): Promise<Response>;
  /** Uploads the file and its .sha1 and .md5, as mvn deploy does; returns the file's status. */
  deploy(relative: string, body: Buffer | string, repository?: string): Promise<number>;
  /** Every file under blobs/ and domains/ with a digest of its content, to show a refused write changed nothing. */
  storedState(): Record<string, string>;
}

const running: { server: RunningServer; central: FakeMavenRepo }[] = [];
afterAll(async () => {
  await Promise.all(running.splice(0).flatMap(({ server, central }) => [server.close(100), central.close()]));
});

export async function startMavenHarness(options: { maxUploadBytes?: number } = {}): Promise<MavenHarness> {
  const root = makeTempDir('artifact-cli-maven-');
  const store = openStore(root);
  const central = await startFakeMavenRepo(undefined);
  await createDomain(store, { domain: 'acme' });
  await createRepository(store, { domain: 'acme', repository: 'central-store' });
  await associateExternalConnection(store, 'acme', 'central-store', 'public:maven-central');
  await createRepository(store, { domain: 'acme', repository: 'shared', upstreams: ['central-store'] });
  await createRepository(store, { domain: 'acme', repository: 'main', upstreams: ['shared'] });
  await createRepository(store, { domain: 'acme', repository: 'lonely' });
  const { authorizationToken: token } = await getAuthorizationToken(store, { domain: 'acme', principal: 'alice' });
  const config = await loadConfig({ root }, {}, root);
  config.server.port = 0;
  config.externalConnections['public:maven-central'] = central.url;
  if (options.maxUploadBytes) config.server.maxUploadBytes = options.maxUploadBytes;
  const server = await startServer({ ...TEST_SERVER_OPTIONS, store, config, log: () => undefined });
  running.push({ server, central });
  const endpoint = (repository = 'main') => `${server.url}/acme/maven/${repository}/`;

  const request: MavenHarness['request'] = (relative, init = {}) => {
    const { token: given, repository, ...rest } = init;
    const headers = new Headers(rest.headers);
    const secret = given === undefined ? token : given;
    if (secret !== null && !headers.has('authorization')) headers.set('authorization', `Basic ${Buffer.from(`aws:${secret}`).toString('base64')}`);
    return fetch(`${endpoint(repository)}${relative}`, { ...rest, headers });
  };
  const put = (relative: string, body: Buffer | string, repository?: string) =>
    request(relative, { method: 'PUT', body: typeof body === 'string' ? body : new Uint8Array(body), repository });

  return {
    root,
    store,
    server,
    central,
    token,
    endpoint,
    request,
    put,
    async deploy(relative, body, repository) {
      const response = await put(relative, body, repository);
      await response.arrayBuffer();
      for (const algorithm of ['sha1', 'md5']) {
        const sidecar = await put(`${relative}.${algorithm}`, createHash(algorithm).update(body).digest('hex'), repository);
        if (response.ok && sidecar.status !== 201) throw new Error(`PUT ${relative}.${algorithm} answered ${sidecar.status}: ${await sidecar.text()}`);
      }
      return response.status;
    },
    storedState: () => {
      const state: Record<string, string> = {};
      for (const file of [...listFiles(path.join(root, 'blobs')), ...listFiles(path.join(root, 'domains'))]) {
        if (!file.endsWith('.lock')) state[path.relative(root, file)] = createHash('sha256').update(readFileSync(file)).digest('hex');
      }
      return state;
    },
  };
}

/** A small real jar (a zip with a manifest and one entry). */
export function buildJar(entries: Record<string, string> = { 'com/acme/Util.class': 'not really a class' }): Buffer {
  const zip = new AdmZip();
  zip.addFile('META-INF/MANIFEST.MF', Buffer.from('Manifest-Version: 1.0\r\n\r\n'));
  for (const [name, text] of Object.entries(entries)) zip.addFile(name, Buffer.from(text));
  return zip.toBuffer();
}

export interface PomSpec {
  groupId: string;
  artifactId: string;
  version: string;
  description?: string;
  dependencies?: { groupId: string; artifactId: string; version?: string; scope?: string }[];
}

export function buildPom(spec: PomSpec): string {
  const dependencies = (spec.dependencies ?? [])
    .map(
      (dep) =>
        `<dependency><groupId>${dep.groupId}</groupId><artifactId>${dep.artifactId}</artifactId>${dep.version ? `<version>${dep.version}</version>` : ''}${dep.scope ? `<scope>${dep.scope}</scope>` : ''}</dependency>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>${spec.groupId}</groupId>
  <artifactId>${spec.artifactId}</artifactId>
  <version>${spec.version}</version>
  ${spec.description ? `<description>${spec.description}</description>` : ''}
  <licenses><license><name>MIT</name><url>https://opensource.org/licenses/MIT</url></license></licenses>
  <dependencies>${dependencies}</dependencies>
</project>
`;
}

/** Artifact-level maven-metadata.xml as a client writes it after a deploy. */
export function clientMetadata(groupId: string, artifactId: string, versions: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<metadata><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><versioning><latest>${versions.at(-1)}</latest><versions>${versions.map((version) => `<version>${version}</version>`).join('')}</versions><lastUpdated>20240101000000</lastUpdated></versioning></metadata>
`;
}

/** Version-level SNAPSHOT maven-metadata.xml announcing one build. */
export function clientSnapshotMetadata(groupId: string, artifactId: string, version: string, timestamp: string, buildNumber: number): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<metadata modelVersion="1.1.0"><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${version}</version><versioning><snapshot><timestamp>${timestamp}</timestamp><buildNumber>${buildNumber}</buildNumber></snapshot><lastUpdated>${timestamp.replace('.', '')}</lastUpdated></versioning></metadata>
`;
}

function listFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => (entry.isDirectory() ? listFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
}
