/**
 * Big POMs and maven-metadata.xml documents are read on a worker thread. Validating and
 * parsing a 4 MB document of small elements takes about a second, and on the event loop that
 * second would be every other client's too: a hostile upload could stall the server at will.
 * Documents up to INLINE_MAX_CHARS and INLINE_MAX_MARKUP (real ones nearly always) are read
 * inline, where a worker round trip would cost more than the parse. Markup is what a parse
 * costs, not bytes: 120 KB of processing instructions with attributes takes a quarter second,
 * and twenty of them uploaded at once would hold the event loop for seconds.
 *
 * One worker serves the process, started on first need and stopped after a while idle, so its
 * memory is given back. It has a heap limit of its own: a document that exhausts it kills the
 * worker, not the server, and is refused as unreadable. When the worker script is not there
 * (the sources run directly, as under the test runner) documents are read inline.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { markupCount } from '../../core/markup-count.js';
import { parseMetadata, type ParsedMetadata } from './metadata-xml.js';
import { XmlProblem } from './maven-xml.js';
import { readPom, type Pom } from './pom.js';
import type { XmlAnswer, XmlJob, XmlJobKind } from './xml-worker.js';

const INLINE_MAX_CHARS = 128 * 1024;
// A POM with a hundred dependencies has about 1,000 '<'; a few milliseconds' parse.
const INLINE_MAX_MARKUP = 2_000;
const IDLE_MS = 10_000;
// A document within parseXml's limits (4 MB, 200,000 tags) needs a few tens of MB.
const WORKER_HEAP_MB = 64;
const WORKER_SCRIPT = new URL('./xml-worker.js', import.meta.url);

export function readPomOffThread(text: string): Promise<Pom> {
  return cheapToParse(text) ? Promise.resolve().then(() => readPom(text)) : run<Pom>('pom', text, readPom);
}

export function parseMetadataOffThread(text: string): Promise<ParsedMetadata> {
  return cheapToParse(text) ? Promise.resolve().then(() => parseMetadata(text)) : run<ParsedMetadata>('metadata', text, parseMetadata);
}

/** True for a document small and plain enough to parse on the event loop. */
export function cheapToParse(text: string): boolean {
  return text.length <= INLINE_MAX_CHARS && markupCount(text) <= INLINE_MAX_MARKUP;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** The worker with the jobs it has been given; a stopped or dead one fails only its own. */
interface Running {
  worker: Worker;
  pending: Map<number, Pending>;
  idleTimer?: NodeJS.Timeout;
}

let current: Running | undefined;
let nextId = 0;
let scriptPresent: boolean | undefined;

function run<T>(kind: XmlJobKind, text: string, inline: (text: string) => T): Promise<T> {
  scriptPresent ??= existsSync(fileURLToPath(WORKER_SCRIPT));
  if (!scriptPresent) return Promise.resolve().then(() => inline(text));
  const slot = running();
  const id = nextId++;
  const answer = new Promise<T>((resolve, reject) => slot.pending.set(id, { resolve, reject }));
  const job: XmlJob = { id, kind, text };
  slot.worker.postMessage(job);
  return answer;
}

function running(): Running {
  if (current) {
    clearTimeout(current.idleTimer);
    current.idleTimer = undefined;
  } else {
    // No inherited Node flags: they are the parent's business (profiling, --input-type, ...).
    const worker = new Worker(WORKER_SCRIPT, { execArgv: [], resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 8 } });
    const slot: Running = { worker, pending: new Map() };
    slot.worker.on('message', (answer: XmlAnswer) => settle(slot, answer));
    // A worker that dies (its heap exhausted by a document) fails what it had; the next job starts another.
    slot.worker.on('error', () => undefined);
    slot.worker.on('exit', () => {
      if (current === slot) current = undefined;
      for (const job of slot.pending.values()) job.reject(new XmlProblem('it is too large or too intricate to read'));
      slot.pending.clear();
    });
    current = slot;
  }
  // Held while it has work: a command waiting for an answer must not exit under it.
  current.worker.ref();
  return current;
}

function settle(slot: Running, answer: XmlAnswer): void {
  const job = slot.pending.get(answer.id);
  if (!job) return;
  slot.pending.delete(answer.id);
  if ('value' in answer) job.resolve(answer.value);
  else if ('problem' in answer) job.reject(new XmlProblem(answer.problem));
  else job.reject(new Error(answer.failure));
  if (slot.pending.size > 0 || current !== slot) return;
  slot.worker.unref();
  slot.idleTimer = setTimeout(() => {
    // Jobs that come from now on start a new worker; this one has none left.
    if (current === slot) current = undefined;
    void slot.worker.terminate();
  }, IDLE_MS);
  slot.idleTimer.unref();
}
