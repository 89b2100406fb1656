/**
 * Registry errors as SwiftPM reads them: an RFC 7807 problem document (application/problem+json)
 * whose `detail` SwiftPM prints, and the two statuses the registry specification uses that the
 * shared error classes have no name for (415 for a media type or API version it cannot serve,
 * 410 for a release that is gone, 422 for a publish whose archive, metadata or form parts the
 * registry refuses). See docs/formats/swift.md.
 */
import { ArtifactError } from '../../errors.js';
import type { ErrorBody } from '../format.js';
import { API_VERSION } from './media-types.js';

export class UnsupportedMediaTypeError extends ArtifactError {
  readonly code = 'Validation';
  readonly exitCode = 2;
  readonly httpStatus = 415;
}

/** The specification's answer to a publish it refuses (a bad archive, metadata or form body). */
export class UnprocessableError extends ArtifactError {
  readonly code = 'Validation';
  readonly exitCode = 2;
  readonly httpStatus = 422;
}

export class GoneError extends ArtifactError {
  readonly code = 'ResourceNotFound';
  readonly exitCode = 5;
  readonly httpStatus = 410;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  507: 'Insufficient Storage',
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The problem document for an error; the hint goes into `detail`, which is what people see. */
export function renderProblem(error: ArtifactError): ErrorBody {
  const status = error.httpStatus;
  const detail = error.hint ? `${error.message} ${error.hint}` : error.message;
  return {
    contentType: PROBLEM_CONTENT_TYPE,
    body: JSON.stringify({ type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail }),
    headers: { 'content-version': API_VERSION },
  };
}
