/**
 * The worker side of xml-off-thread.ts: reads POMs and maven-metadata.xml documents sent to
 * it and answers with what the repository keeps of them (small), or with the reason they
 * could not be read.
 */
import { parentPort } from 'node:worker_threads';
import { parseMetadata } from './metadata-xml.js';
import { XmlProblem } from './maven-xml.js';
import { readPom } from './pom.js';

export type XmlJobKind = 'pom' | 'metadata';

export interface XmlJob {
  id: number;
  kind: XmlJobKind;
  text: string;
}

export type XmlAnswer = { id: number; value: unknown } | { id: number; problem: string } | { id: number; failure: string };

parentPort?.on('message', ({ id, kind, text }: XmlJob) => {
  let answer: XmlAnswer;
  try {
    answer = { id, value: kind === 'pom' ? readPom(text) : parseMetadata(text) };
  } catch (error) {
    answer = error instanceof XmlProblem ? { id, problem: error.message } : { id, failure: String((error as Error)?.message ?? error) };
  }
  parentPort?.postMessage(answer);
});
