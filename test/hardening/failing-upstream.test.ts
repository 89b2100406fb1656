/**
 * A failing upstream: for each format, the stand-in public registry behind a repository's
 * external connection goes down, turns slow (past the time limit), flaps, and serves corrupt
 * bytes. Throughout, a package fetched before keeps being served intact (metadata revalidates on
 * every read here, so each read meets the fault); a package never fetched answers either its
 * real bytes or a 502 with a message, never anything else and never wrong bytes; once the
 * registry recovers it is served; and `verify` finds nothing corrupt stored. npm installs the
 * cached package with the registry down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyStore } from '../../src/operations/verify.js';
import { startFaultProxy, type FaultProxy, type ProxyFault } from './support/fault-proxy.js';
import { recordFigures } from './support/figures.js';
import { prepareRoot, startHardeningServer, type HardeningServer, type PreparedRoot } from './support/hardening-server.js';
import { round } from './support/load.js';
import { npmInstall, npmIsUsable } from './support/npm-install.js';
import { FAULT_NAMES, UPSTREAM_SCENARIOS, type StandIn, type UpstreamScenario } from './support/upstream-scenarios.js';

const TIMEOUT_MS = 1500;
const FAULTS = FAULT_NAMES as ProxyFault[];
const CACHED_READS_PER_FAULT = 2;
// A read may wait for the time limit on its metadata and on its file, plus the machine's jitter.
const MAX_READ_MS = 4 * TIMEOUT_MS + 3000;

let prepared: PreparedRoot;
let server: HardeningServer;
const standIns = new Map<string, StandIn>();
const proxies = new Map<string, FaultProxy>();
const storeOf = (scenario: UpstreamScenario) => `${scenario.format}-store`;

beforeAll(async () => {
  const externalConnections: Record<string, string> = {};
  for (const scenario of UPSTREAM_SCENARIOS) {
    const standIn = await scenario.startStandIn();
    const proxy = await startFaultProxy(standIn.origin, TIMEOUT_MS + 1000);
    standIns.set(scenario.format, standIn);
    proxies.set(scenario.format, proxy);
    externalConnections[scenario.connection] = standIn.connectionUrl(proxy.url);
  }
  prepared = await prepareRoot(UPSTREAM_SCENARIOS.map((scenario) => ({ name: storeOf(scenario), externalConnection: scenario.connection })));
  server = await startHardeningServer(prepared, { externalConnections, upstream: { timeoutMs: TIMEOUT_MS, metadataMaxAgeSeconds: 0 } });
});

afterAll(async () => {
  await server?.stop();
  await Promise.all([...proxies.values(), ...standIns.values()].map((each) => each.close()));
});

describe('a failing public registry', () => {
  for (const scenario of UPSTREAM_SCENARIOS) {
    it(`${scenario.format}: cached packages keep being served, others fail cleanly with 502, nothing corrupt is stored`, async () => {
      const endpoint = server.endpoint(scenario.format, storeOf(scenario));
      const { token } = prepared;
      const standIn = standIns.get(scenario.format) as StandIn;
      const proxy = proxies.get(scenario.format) as FaultProxy;
      const problems: string[] = [];
      const timed = async (name: string) => {
        const started = performance.now();
        const result = await scenario.read(endpoint, token, name);
        return { ...result, ms: performance.now() - started };
      };

      const first = await timed(scenario.packages.cached);
      expect(first.status, first.message).toBe(200);
      const cachedBytes = standIn.files.get(scenario.packages.cached) as Buffer;
      expect(first.bytes?.equals(cachedBytes)).toBe(true);

      let cachedReads = 0;
      let cachedIntact = 0;
      let slowestCachedRead = 0;
      const newPackageOutcomes: string[] = [];
      let sampleMessage = '';
      for (const fault of FAULTS) {
        proxy.setFault(fault);
        for (let index = 0; index < CACHED_READS_PER_FAULT; index++) {
          const read = await timed(scenario.packages.cached);
          cachedReads += 1;
          slowestCachedRead = Math.max(slowestCachedRead, read.ms);
          if (read.status === 200 && read.bytes?.equals(cachedBytes)) cachedIntact += 1;
          else problems.push(`${fault}: the cached package answered ${read.status} ${read.message}`);
          if (read.ms > MAX_READ_MS) problems.push(`${fault}: the cached package took ${round(read.ms)} ms`);
        }
        const uncached = scenario.packages.uncached(fault);
        const read = await timed(uncached);
        const outcome =
          read.status === 200 ? (read.bytes?.equals(standIn.files.get(uncached) as Buffer) ? '200 intact' : '200 WRONG BYTES') : String(read.status);
        newPackageOutcomes.push(`${fault} ${outcome}`);
        if (read.status === 502) sampleMessage ||= read.message;
        if (outcome !== '200 intact' && read.status !== 502) problems.push(`${fault}: the uncached package answered ${outcome} ${read.message}`);
        if (read.status === 502 && read.message.trim().length < 20) problems.push(`${fault}: the 502 says too little: ${JSON.stringify(read.message)}`);
        if (read.ms > MAX_READ_MS) problems.push(`${fault}: the uncached package took ${round(read.ms)} ms`);
      }
      proxy.setFault('none');
      for (const fault of FAULTS) {
        const uncached = scenario.packages.uncached(fault);
        const recovered = await timed(uncached);
        if (recovered.status !== 200 || !recovered.bytes?.equals(standIn.files.get(uncached) as Buffer))
          problems.push(`after recovery ${uncached} answered ${recovered.status} ${recovered.message}`);
      }

      const install = scenario.format === 'npm' ? await npmInstallWhileDown(endpoint, token, proxy) : undefined;
      if (install) problems.push(...install.problems);
      const report = await verifyStore(prepared.store);
      recordFigures(`failing upstream ${scenario.format}`, {
        'faults (each: 2 cached reads, 1 new package)': FAULTS.join(', '),
        'cached reads served intact': `${cachedIntact} of ${cachedReads}`,
        'slowest cached read (ms)': round(slowestCachedRead),
        'new package under each fault': newPackageOutcomes.join('; '),
        'a 502 says': sampleMessage.replace(/\s+/g, ' ').slice(0, 90),
        'requests that reached the registry': proxy.requests(),
        ...(install ? { 'npm install of the cached package, registry down': install.outcome } : {}),
        'verify problems': report.problems.length,
      });
      expect(problems).toEqual([]);
      expect(report.problems).toEqual([]);
    });
  }
});

/** The real npm client installs the cached package while the registry is down. */
async function npmInstallWhileDown(registry: string, token: string, proxy: FaultProxy): Promise<{ problems: string[]; outcome: string }> {
  if (!npmIsUsable('an install with the registry down')) return { problems: [], outcome: 'skipped (no npm)' };
  proxy.setFault('down');
  try {
    const failure = await npmInstall(registry, token, 'up-cached@1.0.0');
    return failure ? { problems: [failure], outcome: 'failed' } : { problems: [], outcome: 'installed' };
  } finally {
    proxy.setFault('none');
  }
}
