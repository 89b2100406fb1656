/**
 * CodeArtifact's control-plane API on the server's port (docs/api.md). A request is an API
 * call when its path starts with /v1/ and its second segment is not a package format: a
 * domain named v1 keeps its package endpoints (/v1/npm/<repo>/...), and no API path has a
 * format name there. The call is matched to the model's operation by method and path, its
 * signature checked, its input read and checked against the model, the permissions policies
 * asked, and then the operation the CLI runs is run.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ArtifactError, StoreUnavailableError, ValidationError, toArtifactError } from '../errors.js';
import { readAccessKeys } from '../operations/access-keys.js';
import { readBody } from '../server/body.js';
import type { ServerDeps } from '../server/route.js';
import { logStoreFailure } from '../server/store-failure-log.js';
import type { ApiCall, ApiHandler, Input } from './api-call.js';
import { ApiAuthError, UnknownOperationError, sendApiError } from './api-errors.js';
import { authorizeCall } from './authorize.js';
import { DOMAIN_HANDLERS } from './handlers-domains.js';
import { GROUP_HANDLERS } from './handlers-groups.js';
import { PACKAGE_HANDLERS } from './handlers-packages.js';
import { findOperation, shapeOf, type OperationSpec } from './model.js';
import { readInput } from './parse-input.js';
import { renderOutput } from './render-output.js';
import { readSignature } from './sigv4.js';

export const API_HANDLERS: Record<string, ApiHandler> = { ...DOMAIN_HANDLERS, ...PACKAGE_HANDLERS, ...GROUP_HANDLERS };

// JSON inputs are small (a policy document is at most 5 KB); anything much larger is not a call.
const MAX_JSON_BODY_BYTES = 1024 * 1024;

export async function handleApiRequest(deps: ServerDeps, req: IncomingMessage, res: ServerResponse, baseUrl: string): Promise<void> {
  let operation: OperationSpec | undefined;
  try {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    operation = findOperation(method, url.pathname);
    if (!operation) throw new UnknownOperationError(`No CodeArtifact operation is served at ${method} ${url.pathname.slice(0, 200)}.`);
    const inputShape = operation.input ? shapeOf(operation.input.shape) : undefined;
    const streams = Boolean(inputShape?.payload && shapeOf(inputShape.members![inputShape.payload].shape).type === 'blob');
    const body = streams ? undefined : await readBody(req, MAX_JSON_BODY_BYTES);

    const signature = readSignature(req, body);
    // Looked up on every call: a key deleted a moment ago signs nothing more.
    const key = (await readAccessKeys(deps.store)).find((candidate) => candidate.accessKeyId === signature.accessKeyId);
    if (!key) throw new ApiAuthError('UnrecognizedClientException', 'The security token included in the request is invalid.');
    signature.verify(key.secretAccessKey);

    const stream = body === undefined ? bodyMatching(req, signature.payloadHash) : req;
    const input = readInput(operation.input?.shape, req, url.searchParams, body === undefined ? undefined : parseJsonBody(body), stream);
    await authorizeCall(deps.store, operation.name, input, key.principal);
    const handler = API_HANDLERS[operation.name];
    if (!handler) throw new UnknownOperationError(`${operation.name} is not served by this server yet.`);
    const call: ApiCall = { store: deps.store, config: { ...deps.config, server: { ...deps.config.server, publicUrl: baseUrl } }, principal: key.principal };
    // readInput checked the input against the operation's shape, the one the handler reads.
    const result = (await handler(input as unknown as Input, call)) as Record<string, unknown> | undefined;
    await sendOutput(deps, req, res, operation, result);
  } catch (error) {
    const artifactError = toArtifactError(error);
    if (artifactError instanceof StoreUnavailableError) logStoreFailure(deps.log, `in ${operation?.name ?? 'an API call'}`, artifactError);
    else if (!(error instanceof ArtifactError)) deps.log(`internal error in ${operation?.name ?? 'an API call'}: ${(error as Error)?.stack ?? String(error)}`);
    // A streamed body the operation left unread stays piped into its hashing stream, whose full
    // buffer would stop the drain that the answer waits for (and the client be cut off).
    req.unpipe();
    sendApiError(req, res, artifactError, operation?.input?.shape);
  }
}

/**
 * A streamed body, hashed on the way: bytes that are not the ones the signature declared end
 * the stream with the signature error, so whatever reads it stores nothing.
 */
function bodyMatching(req: IncomingMessage, declaredSha256: string): Readable {
  const hash = createHash('sha256');
  const checked = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      if (hash.digest('hex') === declaredSha256) done();
      else done(new ApiAuthError('InvalidSignatureException', "The provided 'x-amz-content-sha256' header does not match what was computed."));
    },
  });
  req.on('error', (error) => checked.destroy(error));
  // A small body can end, and fail the check, before the reader starts: the reader sees the
  // error all the same, and until then it must not count as unheard.
  checked.on('error', () => undefined);
  return req.pipe(checked);
}

function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new ValidationError(`The request body is not valid JSON: ${(error as Error).message}`);
  }
}

async function sendOutput(
  deps: ServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  operation: OperationSpec,
  result: Record<string, unknown> | undefined,
): Promise<void> {
  const output = renderOutput(operation.output?.shape, result);
  const status = operation.http.responseCode ?? 200;
  if (output.body) {
    const bytes = Buffer.from(JSON.stringify(output.body));
    res.writeHead(status, { ...output.headers, 'content-type': 'application/json', 'content-length': bytes.length, 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : bytes);
    return;
  }
  // The one streaming answer: an asset's bytes from the blob store.
  const blob = output.payload as { sha256: string; size: number };
  res.writeHead(status, { ...output.headers, 'content-type': 'application/octet-stream', 'content-length': blob.size, 'cache-control': 'no-store' });
  if (req.method === 'HEAD' || blob.size === 0) {
    res.end();
    return;
  }
  await pipeline(deps.store.blobs.open(blob.sha256), res).catch(() => res.destroy());
}
