/**
 * Each format's stand-in registry, with a way to offer one file: what the tests that go through
 * an external connection (and a fault proxy) need to know about each format in one place.
 */
import type { PackageKey } from '../../src/core/model.js';
import { buildCrate } from './cargo-crate.js';
import { buildJar } from './maven-harness.js';
import { randomBytes } from 'node:crypto';
import { startFakeCargoIndex } from './fake-cargo-index.js';
import { startFakeMavenRepo } from './fake-maven-repo.js';
import { startFakeNpmRegistry } from './fake-npm-registry.js';
import { startFakeNuGetServer } from './fake-nuget-server.js';
import { startFakePypiIndex } from './fake-pypi-index.js';

/** Text that stays larger than the server's live threshold (256 KiB) once compressed. */
export const bulk = () => randomBytes(400 * 1024).toString('base64');

/** One file the stand-in offers: where the server serves it, its bytes, and its package's key in repository "store". */
export interface Offered {
  path: string;
  bytes: Buffer;
  key: Omit<PackageKey, 'domain' | 'repository'>;
}

export interface Upstream {
  /** The URL the connection is configured with (the stand-in's; the proxy takes its place). */
  url: string;
  /** Adds version `version` of package number `n`. */
  offer(n: number, version: string): Offered;
  close(): Promise<void>;
}

export const STAND_INS: Array<{ format: string; connection: string; start: () => Promise<Upstream> }> = [
  {
    format: 'npm',
    connection: 'public:npmjs',
    async start() {
      const registry = await startFakeNpmRegistry();
      // Off npm's usual place, so the early download of the usual URL finds nothing and the file comes by the ordinary one.
      registry.moveTarballs();
      return {
        url: `${registry.url}/`,
        offer(n, version) {
          const name = `live-${n}`;
          const { bytes } = registry.add({ name, version, files: { 'data.txt': bulk() } });
          return { path: `${name}/-/${name}-${version}.tgz`, bytes, key: { format: 'npm', name } };
        },
        close: () => registry.close(),
      };
    },
  },
  {
    format: 'pypi',
    connection: 'public:pypi',
    async start() {
      const index = await startFakePypiIndex();
      return {
        url: index.url,
        offer(n, version) {
          const dist = index.add({ name: `live-${n}`, version, files: { [`live_${n}/data.txt`]: bulk() } });
          return { path: `simple/live-${n}/${version}/${dist.fileName}`, bytes: dist.bytes, key: { format: 'pypi', name: `live-${n}` } };
        },
        close: () => index.close(),
      };
    },
  },
  {
    format: 'nuget',
    connection: 'public:nuget-org',
    async start() {
      const feed = await startFakeNuGetServer();
      return {
        url: feed.sourceUrl,
        offer(n, version) {
          const { bytes } = feed.add({ id: `Live.P${n}`, version, readme: bulk() });
          return { path: `v3/package/live.p${n}/${version}/live.p${n}.${version}.nupkg`, bytes, key: { format: 'nuget', name: `live.p${n}` } };
        },
        close: () => feed.close(),
      };
    },
  },
  {
    format: 'maven',
    connection: 'public:maven-central',
    async start() {
      const central = await startFakeMavenRepo(undefined);
      return {
        url: central.url,
        offer(n, version) {
          const bytes = buildJar({ [`lib${n}.txt`]: bulk() });
          central.addFile(`org/live/lib${n}/${version}/lib${n}-${version}.jar`, bytes);
          return { path: `org/live/lib${n}/${version}/lib${n}-${version}.jar`, bytes, key: { format: 'maven', namespace: 'org.live', name: `lib${n}` } };
        },
        close: () => central.close(),
      };
    },
  },
  {
    format: 'cargo',
    connection: 'public:crates-io',
    async start() {
      const index = await startFakeCargoIndex();
      return {
        url: index.url,
        offer(n, version) {
          const { bytes } = index.add(`live-${n}`, version, { bytes: buildCrate(`live-${n}`, version, { body: `// ${bulk()}\n` }) });
          return { path: `api/v1/crates/live-${n}/${version}/download`, bytes, key: { format: 'cargo', name: `live-${n}` } };
        },
        close: () => index.close(),
      };
    },
  },
];
