/**
 * The real `artifact-cli serve` as a child process (its memory can be read and it can be killed),
 * on a root prepared in-process: domain "acme", the repositories asked for, a token. The root sits
 * in a parent folder of its own, beside an empty "sentinel" folder, so a test can show that nothing
 * was ever written outside the root.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createDomain } from '../../../src/operations/domains.js';
import { associateExternalConnection, createRepository } from '../../../src/operations/repositories.js';
import { getAuthorizationToken } from '../../../src/operations/tokens.js';
import { openStore, type Store } from '../../../src/store/store.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

export const DOMAIN = 'acme';

export interface RepositorySpec {
  name: string;
  upstreams?: string[];
  externalConnection?: string;
}

export interface PreparedRoot {
  /** The folder holding root/ and sentinel/ and nothing else. */
  parent: string;
  root: string;
  sentinel: string;
  store: Store;
  token: string;
}

/** A new root with domain acme, the repositories (default: "main") and a token. */
export async function prepareRoot(repositories: RepositorySpec[] = [{ name: 'main' }]): Promise<PreparedRoot> {
  const parent = makeTempDir('artifact-cli-hardening-');
  const root = path.join(parent, 'root');
  const sentinel = path.join(parent, 'sentinel');
  mkdirSync(sentinel);
  const store = openStore(root);
  await createDomain(store, { domain: DOMAIN });
  // Upstreams must exist before a repository names them: create in reverse order.
  for (const spec of [...repositories].reverse()) {
    await createRepository(store, { domain: DOMAIN, repository: spec.name, upstreams: spec.upstreams });
    if (spec.externalConnection) await associateExternalConnection(store, DOMAIN, spec.name, spec.externalConnection);
  }
  const { authorizationToken: token } = await getAuthorizationToken(store, { domain: DOMAIN, principal: 'hardening' });
  return { parent, root, sentinel, store, token };
}

export interface HardeningServer extends TestServer {
  prepared: PreparedRoot;
  pid: number;
  port: number;
  /** `${url}/acme/<format>/<repository>/` */
  endpoint(format: string, repository?: string): string;
  /** Resident and peak resident memory of the server process, in KiB (from /proc). */
  memory(): { rssKb: number; peakKb: number };
  /**
   * What of the RSS is malloc's main arena (the `[heap]` mapping), in KiB: freed memory there
   * stays resident until the top of the arena is free, and Node has no way to call malloc_trim.
   */
  mallocArenaKb(): number;
  /** SIGKILL: no shutdown code runs, as in a power cut or the OOM killer. */
  kill(): Promise<void>;
}

/** Starts serve on the prepared root; `settings` go into a config file (e.g. externalConnections). */
export async function startHardeningServer(
  prepared: PreparedRoot,
  settings: Record<string, unknown> = {},
  env: NodeJS.ProcessEnv = {},
): Promise<HardeningServer> {
  const configFile = path.join(makeTempDir('artifact-cli-hardening-config-'), 'artifact-cli.config.json');
  writeFileSync(configFile, JSON.stringify(settings));
  const server = await startTestServer({ root: prepared.root, args: ['--config', configFile], env });
  const pid = server.child.pid as number;
  return Object.assign(server, {
    prepared,
    pid,
    port: Number(new URL(server.url).port),
    endpoint: (format: string, repository = 'main') => `${server.url}/${DOMAIN}/${format}/${repository}/`,
    memory: () => readMemory(pid),
    mallocArenaKb: () => readMallocArenaKb(pid),
    async kill() {
      server.child.kill('SIGKILL');
      await server.stop();
    },
  });
}

function readMemory(pid: number): { rssKb: number; peakKb: number } {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    // The process is gone; the caller's check of its exit shows why.
    return { rssKb: Number.NaN, peakKb: Number.NaN };
  }
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssKb: field('VmRSS'), peakKb: field('VmHWM') };
}

function readMallocArenaKb(pid: number): number {
  let smaps: string;
  try {
    smaps = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  } catch {
    return Number.NaN;
  }
  const arena = /^[0-9a-f]+-[0-9a-f]+ .*\[heap\]\n(?:(?![0-9a-f]+-[0-9a-f]+ ).*\n)*?Rss:\s+(\d+) kB/m.exec(smaps);
  return arena ? Number(arena[1]) : 0;
}

export function basicAuth(token: string): string {
  return `Basic ${Buffer.from(`aws:${token}`).toString('base64')}`;
}
