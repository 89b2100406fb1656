/**
 * Publishes that go on after their 202 (registry specification, "asynchronous publication"):
 * the client is given a status URL, <endpoint>submissions/<id>, which answers 202 with
 * Retry-After while the work runs, 301 to the release once it is published, and the problem
 * the publish ended in otherwise. While one runs, another publish of the same release is a 409
 * naming it in Location (a MUST of the specification). Kept in memory: a server restarted
 * meanwhile answers 404, and the release is then there or not, as listing it shows.
 */
import { randomUUID } from 'node:crypto';
import type { PackageKey } from '../../core/model.js';
import { ResourceNotFoundError, toArtifactError, type ArtifactError } from '../../errors.js';
import { redactTokens } from '../../operations/tokens.js';
import type { RequestContext } from '../../server/route.js';
import type { ErrorBody } from '../format.js';
import { renderProblem } from './problem.js';
import { sendEmpty } from './responses.js';

type Submission = { state: 'pending' } | { state: 'published'; location: string } | { state: 'failed'; status: number; problem: ErrorBody; statusUrl: string };

// Finished submissions are forgotten oldest first past this many.
const MAX_KEPT = 1000;
const submissions = new Map<string, Submission>();

function keyOf(context: RequestContext, id: string): string {
  return `${context.domain}/${context.repository.name}/${id}`;
}

function remember(key: string, submission: Submission): void {
  submissions.delete(key);
  submissions.set(key, submission);
  for (const [old, kept] of submissions) {
    if (submissions.size <= MAX_KEPT) break;
    if (kept.state !== 'pending') submissions.delete(old);
  }
}

// The status URL of each release whose publish is still running, by `<repository key>@<version>`.
const running = new Map<string, string>();

/** The key a release's running publish is kept under. */
export function releaseKeyOf(key: PackageKey, version: string): string {
  return `${key.domain}/${key.repository}/${key.namespace}/${key.name}@${version}`;
}

/** The status URL of a publish of this release still running here, if there is one. */
export function runningSubmission(releaseKey: string): string | undefined {
  return running.get(releaseKey);
}

/** Runs `work` after the answer; returns the status URL. */
export function startSubmission(context: RequestContext, releaseKey: string, location: string, work: () => Promise<void>): string {
  const id = randomUUID();
  const key = keyOf(context, id);
  const statusUrl = `${context.endpoint}submissions/${id}`;
  remember(key, { state: 'pending' });
  running.set(releaseKey, statusUrl);
  void work()
    .then(
      () => remember(key, { state: 'published', location }),
      (error: unknown) => {
        const artifactError: ArtifactError = toArtifactError(error);
        if (artifactError !== error)
          context.deps.log(`internal error in an asynchronous swift publish: ${redactTokens((error as Error)?.stack ?? String(error))}`);
        remember(key, { state: 'failed', status: artifactError.httpStatus, problem: renderProblem(artifactError), statusUrl });
      },
    )
    .finally(() => {
      if (running.get(releaseKey) === statusUrl) running.delete(releaseKey);
    });
  return statusUrl;
}

export function handleSubmissionStatus(context: RequestContext, match: RegExpExecArray): void {
  const submission = submissions.get(keyOf(context, match[1]));
  if (!submission) throw new ResourceNotFoundError('No publish with this status URL is known here; list the package to see whether its release arrived.');
  if (submission.state === 'pending') return sendEmpty(context, 202, { 'retry-after': '1' });
  if (submission.state === 'published') return sendEmpty(context, 301, { location: submission.location });
  const body = Buffer.from(submission.problem.body);
  // The specification's failed-status answer names the status resource in Location.
  context.res.writeHead(submission.status, {
    'content-type': submission.problem.contentType,
    'content-length': body.length,
    'cache-control': 'no-store',
    location: submission.statusUrl,
  });
  context.res.end(context.method === 'HEAD' ? undefined : body);
}
