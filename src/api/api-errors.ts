/**
 * Errors in the service's shapes: the HTTP status, the x-amzn-ErrorType header and a JSON body
 * with `message` (and resourceId/resourceType where the model's exception has them). The AWS
 * CLI and the SDKs read the type from the header and print the message.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AccessDeniedError, ArtifactError, StoreUnavailableError, type ErrorCode } from '../errors.js';
import { endAfterBody } from '../server/answer-before-body.js';
import { inMemberWords } from './member-words.js';
import { shapeOf } from './model.js';

/** A request the signature check refused: 403 with one of AWS's authentication error types. */
export class ApiAuthError extends AccessDeniedError {
  constructor(
    readonly awsType: 'MissingAuthenticationTokenException' | 'IncompleteSignatureException' | 'InvalidSignatureException' | 'UnrecognizedClientException',
    message: string,
  ) {
    super(message);
  }
}

/** A path or method the model has no operation for. */
export class UnknownOperationError extends ArtifactError {
  readonly code = 'ResourceNotFound';
  readonly exitCode = 5;
  readonly httpStatus = 404;
}

const TYPE_OF: Record<ErrorCode, { type: string; status: number }> = {
  Validation: { type: 'ValidationException', status: 400 },
  PayloadTooLarge: { type: 'ValidationException', status: 400 },
  Unauthorized: { type: 'AccessDeniedException', status: 403 },
  AccessDenied: { type: 'AccessDeniedException', status: 403 },
  ResourceNotFound: { type: 'ResourceNotFoundException', status: 404 },
  Conflict: { type: 'ConflictException', status: 409 },
  ServiceQuotaExceeded: { type: 'ServiceQuotaExceededException', status: 402 },
  UpstreamUnavailable: { type: 'InternalServerException', status: 500 },
  IntegrityCheckFailed: { type: 'InternalServerException', status: 500 },
  // Its status is the error's own (507 or 503): see apiErrorAnswer.
  StoreUnavailable: { type: 'InternalServerException', status: 503 },
  Internal: { type: 'InternalServerException', status: 500 },
};

const RESOURCE_TYPES = new Set(shapeOf('ResourceType').enum);

export interface ApiErrorAnswer {
  status: number;
  type: string;
  body: Record<string, string>;
}

/**
 * What to answer for an error. Internal failures say nothing of paths or causes; the others
 * name the operation's input members where the CLI's words name flags.
 */
export function apiErrorAnswer(error: ArtifactError, inputShape?: string): ApiErrorAnswer {
  if (error instanceof ApiAuthError) return { status: 403, type: error.awsType, body: { message: error.message } };
  if (error instanceof UnknownOperationError) return { status: 404, type: 'UnknownOperationException', body: { message: error.message } };
  // The model's server-side exception, which every SDK knows, with the error's status (507 is
  // not retried, 503 is) and its words: they name no path, and the caller must know to act.
  if (error instanceof StoreUnavailableError)
    return { status: error.httpStatus, type: 'InternalServerException', body: { message: error.hint ? `${error.message} ${error.hint}` : error.message } };
  const { type, status } = TYPE_OF[error.code];
  if (type === 'InternalServerException') return { status, type, body: { message: 'The server could not complete the request; its log has the details.' } };
  const body: Record<string, string> = { message: inMemberWords(error.message, inputShape) };
  const members = shapeOf(type).members ?? {};
  if ('resourceType' in members && error.resourceType && RESOURCE_TYPES.has(error.resourceType)) body.resourceType = error.resourceType;
  if ('resourceId' in members && error.resourceId) body.resourceId = error.resourceId;
  return { status, type, body };
}

export function sendApiError(req: IncomingMessage, res: ServerResponse, error: ArtifactError, inputShape?: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const answer = apiErrorAnswer(error, inputShape);
  const body = Buffer.from(JSON.stringify(answer.body));
  res.writeHead(answer.status, {
    'content-type': 'application/json',
    'content-length': body.length,
    'x-amzn-errortype': answer.type,
    'cache-control': 'no-store',
  });
  // The rest of a body still coming is drained before the response ends (a reset would lose this answer).
  endAfterBody(req, res, req.method === 'HEAD' ? undefined : body);
}
