/**
 * Hostile input: thousands of generated requests per format against one running server: tricks
 * in paths, broken and hostile headers, HTTP bent out of shape, bodies cut short, oversized or
 * damaged, and each format's own poison (archives with escaping paths, links and bombs, deep and
 * entity-laden XML and JSON, broken multipart forms). No answer may be a 5xx (no upstream is
 * involved, so none is called for), every well-formed request gets an answer, the server stays
 * up and responsive, nothing is written outside the root, `verify` stays clean and the server's
 * memory comes back near where it started.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyStore } from '../../src/operations/verify.js';
import { clientFetch } from './support/client-fetch.js';
import { recordFigures } from './support/figures.js';
import { FORMAT_FUZZERS } from './support/fuzz-formats.js';
import { createHeapProbe } from './support/heap-snapshot.js';
import { bodyCases, headerCases, pathCases, protocolCases, type FuzzCase, type FuzzContext } from './support/fuzz-mutations.js';
import { prepareRoot, startHardeningServer, type HardeningServer, type PreparedRoot } from './support/hardening-server.js';
import { percentile, readWhile, round } from './support/load.js';
import { sendPlanned } from './support/publish-requests.js';
import { sendRaw } from './support/raw-client.js';

const DAMAGED = Number(process.env.HARDENING_FUZZ_DAMAGED ?? 700);
const PARALLEL = 6;
const MAX_UPLOAD_BYTES = 16 * 1024 * 1024;
const SEED = Number(process.env.HARDENING_SEED ?? Date.now() % 1_000_000);
const MARKER = `hardening-escape-${SEED}`;
// "Back near its level", measured three ways once the traffic stops:
// - the live heap (what a full collection leaves) within HEAP_SLACK_BYTES of where it was, plus
//   HEAP_ROUND_BYTES for every round after the first: that is what a leak of objects or buffers
//   would grow. What does grow is the bounded caches filling with the packages each round
//   stores (the small-blob cache: 32 MiB; parsed index files: 5,000; Ruby info views: 5,000;
//   remembered answers: 10,000) and the code V8 optimizes. One round leaves about 6.5 MiB more
//   than the start, each further one 1.7-2.1 MiB (28 MiB after six rounds from 12.9). A leak of
//   20 MiB read 38.5 MiB against the 29 allowed after one round; with this per-round allowance it
//   still fails up to eight rounds. Before kept blobs got memory of their own (own-memory.ts),
//   each held a whole 8 or 16 KiB buffer and a round added 4 MiB;
// - everything resident but malloc's main arena within REST_SLACK_KB of where it was, both read
//   right after a full collection (the heap snapshot makes one, in V8's memory-reducing mode):
//   V8's pages, which that collection hands back when they are free, plus the thread arenas and
//   the code. Left alone, an idle server gets its free pages back only when V8's memory reducer
//   runs, and that is V8's timing, not the server's: it judges the allocation rate by the last
//   collection, so an idle process looks busy and it waits for its watchdog, 100 s after the
//   last full collection, or does not start at all when it ran shortly before. Waiting up to
//   150 s for it failed this check now and then (the rest at 177 MiB), though nothing was kept:
//   right after the traffic the rest reads 127-174 MiB, and a collection takes it to 92-94;
// - malloc's main arena under ARENA_LIMIT_KB. glibc returns only the free top of it; fragments
//   below stay resident, and Node cannot ask for malloc_trim, so it keeps a high-water mark of
//   the bodies and buffers a burst had alive at once. It was 75-95 MiB after one round and
//   climbed by 10-25 MiB with every further round, until two causes were found (see tar-feed.ts
//   and MAX_DEPENDENCIES_PER_VERSION in publish.ts); now, measured without heap snapshots, one
//   round leaves 34-40 MiB and eight rounds in one server about 60, with the stored data growing
//   every round.
//   Here it reads higher after one round, about 60 MiB: the heap snapshot taken for the
//   baseline leaves 55-60 MiB in the arena itself (the figures show it), and the fuzzing reuses
//   that room before it needs more. It is read before the final snapshot, which takes more.
const HEAP_SLACK_BYTES = 16 * 1024 * 1024;
const HEAP_ROUND_BYTES = 3 * 1024 * 1024;
const REST_SLACK_KB = 48 * 1024;
const ARENA_LIMIT_KB = 96 * 1024;
// The server closes what the fuzzing left open before the collection; the pages a collection
// frees are unmapped by a background task, which the reading waits for (it ends once the check holds).
const QUIET_MS = 5_000;
const RELEASE_MS = 30_000;
const ROUNDS = Math.max(1, Number(process.env.HARDENING_FUZZ_ROUNDS ?? 1));
const heapProbe = createHeapProbe();

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
}
const random = seeded(SEED);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** What is resident but malloc's main arena: see REST_SLACK_KB. */
const restOf = (rssKb: number, arenaKb: number) => rssKb - arenaKb;

let prepared: PreparedRoot;
let server: HardeningServer;
let baselineKb = 0;
let baselineHeap = 0;
let baselineArenaKb = 0;
let arenaAfterSnapshotKb = 0;
let baselineRestKb = 0;
let totalRequests = 0;
let serverCwd = '';

beforeAll(async () => {
  prepared = await prepareRoot();
  server = await startHardeningServer(prepared, { server: { maxUploadBytes: MAX_UPLOAD_BYTES } }, heapProbe.env);
  serverCwd = readlinkSync(`/proc/${server.pid}/cwd`);
  for (const fuzz of FORMAT_FUZZERS) {
    for (const request of fuzz.seed(prepared.token)) expect((await sendPlanned(server.endpoint(fuzz.format), request)).status).toBeLessThan(300);
  }
  // Warm every route once so the baseline includes loaded code and caches, not just start-up.
  for (const fuzz of FORMAT_FUZZERS) {
    for (const template of fuzz.templates(contextFor(fuzz.format)))
      await sendRaw(
        server.port,
        [
          Buffer.from(
            `${template.request.method} ${template.request.target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ${prepared.token}\r\n\r\n`,
          ),
        ],
        { endAfterSend: true },
      );
  }
  baselineKb = server.memory().rssKb;
  baselineArenaKb = server.mallocArenaKb();
  baselineHeap = await heapProbe.liveHeapBytes(server.pid);
  // Writing the heap snapshot takes its own tens of MiB from malloc and leaves them in the arena.
  arenaAfterSnapshotKb = server.mallocArenaKb();
  // After the snapshot's collection, as at the end.
  baselineRestKb = restOf(server.memory().rssKb, arenaAfterSnapshotKb);
});

afterAll(async () => {
  await server?.stop();
});

function contextFor(format: string): FuzzContext {
  return { port: server.port, prefix: `/acme/${format}/main/`, token: prepared.token, random, marker: MARKER, maxUploadBytes: MAX_UPLOAD_BYTES };
}

function shuffle<T>(items: T[]): T[] {
  for (let index = items.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [items[index], items[other]] = [items[other], items[index]];
  }
  return items;
}

/** Sends every case, PARALLEL at a time; returns what went wrong and the count per outcome. */
async function runCases(cases: FuzzCase[]): Promise<{ problems: string[]; outcomes: Record<string, number> }> {
  const problems: string[] = [];
  const outcomes: Record<string, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const item = cases[next++];
      const result = await sendRaw(server.port, item.chunks, { endAfterSend: item.endAfterSend, timeoutMs: 30_000 });
      const key = result.status ? `${Math.floor(result.status / 100)}xx` : result.outcome;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
      const what = `${item.category} | ${item.label}`;
      if (result.status >= 500) problems.push(`${what}: ${result.status} ${result.body.toString('utf8').slice(0, 200)}`);
      else if (result.outcome === 'timeout') problems.push(`${what}: no answer in 30 s`);
      else if (item.mustAnswer && result.status === 0) problems.push(`${what}: connection ${result.outcome} without an answer`);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return { problems, outcomes };
}

describe('hostile input', () => {
  const rounds = Array.from({ length: ROUNDS }, (_, index) => FORMAT_FUZZERS.map((fuzz) => ({ fuzz, pass: index + 1 }))).flat();
  for (const { fuzz, pass } of rounds) {
    it(`${fuzz.format}: survives thousands of broken and malicious requests${ROUNDS > 1 ? ` (round ${pass})` : ''}`, async () => {
      const context = contextFor(fuzz.format);
      const templates = fuzz.templates(context);
      const cases = shuffle([
        ...pathCases(context, templates),
        ...headerCases(context, templates),
        ...protocolCases(context, templates[0]),
        ...fuzz.writeTemplates(context).flatMap((template) => bodyCases(context, template, DAMAGED)),
        ...(await fuzz.structured(context, DAMAGED)),
      ]);
      const started = performance.now();
      const heartbeats: number[] = [];
      const tally = await readWhile(runCases(cases), 1, async () => {
        const begun = performance.now();
        const response = await clientFetch(`${server.url}/health`);
        await response.arrayBuffer();
        heartbeats.push(performance.now() - begun);
        await sleep(100);
        return response.status === 200 ? undefined : `health answered ${response.status}`;
      });
      const { problems, outcomes } = tally.result;
      expect(
        server.child.exitCode ?? server.child.signalCode,
        `the server died (replay with HARDENING_SEED=${SEED}): ${server.output().slice(-3000)}`,
      ).toBeNull();
      totalRequests += cases.length;
      const memory = server.memory();
      recordFigures(`hostile input ${fuzz.format}${ROUNDS > 1 ? ` ${pass}` : ''}`, {
        requests: cases.length,
        ...Object.fromEntries(
          Object.entries(outcomes)
            .sort()
            .map(([key, count]) => [`answered ${key}`, count]),
        ),
        'problems (5xx, no answer)': problems.length,
        'health check p99 / max (ms)': `${round(percentile(heartbeats, 99))} / ${round(Math.max(...heartbeats))}`,
        'server RSS now / peak (MiB)': `${round(memory.rssKb / 1024)} / ${round(memory.peakKb / 1024)}`,
        'malloc arena now (MiB)': round(server.mallocArenaKb() / 1024),
        'duration (s)': round((performance.now() - started) / 1000),
      });
      expect(problems.slice(0, 40), `replay with HARDENING_SEED=${SEED}`).toEqual([]);
      expect(tally.failures).toEqual([]);
    });
  }

  it('wrote nothing outside the root, kept the store intact and gave its memory back', async () => {
    // Whatever a bomb or a big body made the server hold must be released once the traffic stops
    // (see REST_SLACK_KB for why after a full collection).
    const rssRightAfterKb = server.memory().rssKb;
    const arenaKb = server.mallocArenaKb();
    await sleep(QUIET_MS);
    const liveHeap = await heapProbe.liveHeapBytes(server.pid);
    const collected = performance.now();
    const restNow = () => restOf(server.memory().rssKb, server.mallocArenaKb());
    let restKb = restNow();
    while (performance.now() - collected < RELEASE_MS && restKb > baselineRestKb + REST_SLACK_KB) {
      await sleep(500);
      restKb = restNow();
    }
    const releaseSeconds = round((performance.now() - collected) / 1000);
    const rssKb = server.memory().rssKb;
    const outside = readdirSync(prepared.parent).sort();
    const sentinel = readdirSync(prepared.sentinel);
    const markers = [os.tmpdir(), serverCwd, path.dirname(serverCwd)].flatMap((dir) =>
      readdirSync(dir)
        .filter((name) => name.includes(MARKER))
        .map((name) => path.join(dir, name)),
    );
    const report = await verifyStore(prepared.store);
    const internalErrors = server
      .output()
      .split(/\n(?=\S)/)
      .filter((entry) => entry.startsWith('internal error'));
    recordFigures('hostile input, afterwards', {
      'requests in all': totalRequests,
      'seed (HARDENING_SEED replays the run)': SEED,
      'server RSS before / right after / after a full GC (MiB)': `${round(baselineKb / 1024)} / ${round(rssRightAfterKb / 1024)} / ${round(rssKb / 1024)}`,
      'of which malloc arena before / after the heap snapshot / right after (MiB)': `${round(baselineArenaKb / 1024)} / ${round(arenaAfterSnapshotKb / 1024)} / ${round(arenaKb / 1024)}`,
      'the rest before / right after / after, after a full GC (MiB)': `${round(baselineRestKb / 1024)} / ${round(restOf(rssRightAfterKb, arenaKb) / 1024)} / ${round(restKb / 1024)}`,
      'seconds from the GC to the RSS reading': releaseSeconds,
      'live heap before / after, after a full GC (MiB)': `${round(baselineHeap / 2 ** 20)} / ${round(liveHeap / 2 ** 20)}`,
      'server peak RSS (MiB)': round(server.memory().peakKb / 1024),
      'rounds of the whole corpus (HARDENING_FUZZ_ROUNDS)': ROUNDS,
      'files outside the root': sentinel.length + markers.length + outside.length - 2,
      'verify problems': report.problems.length,
      'internal errors logged': internalErrors.length,
    });
    expect(outside).toEqual(['root', 'sentinel']);
    expect(sentinel).toEqual([]);
    expect(markers).toEqual([]);
    expect(readdirSync(serverCwd)).toEqual([]);
    expect(report.problems).toEqual([]);
    expect(internalErrors.slice(0, 20)).toEqual([]);
    expect(liveHeap).toBeLessThan(baselineHeap + HEAP_SLACK_BYTES + (ROUNDS - 1) * HEAP_ROUND_BYTES);
    expect(restKb).toBeLessThan(baselineRestKb + REST_SLACK_KB);
    expect(arenaKb).toBeLessThan(ARENA_LIMIT_KB);
  });
});
