/** The one error hierarchy: every expected failure is an ArtifactError with a stable code. */

export type ErrorCode =
  | 'Validation'
  | 'Unauthorized'
  | 'AccessDenied'
  | 'ResourceNotFound'
  | 'Conflict'
  | 'ServiceQuotaExceeded'
  | 'UpstreamUnavailable'
  | 'PayloadTooLarge'
  | 'IntegrityCheckFailed'
  | 'StoreUnavailable'
  | 'Internal';

export type ResourceType = 'domain' | 'repository' | 'package' | 'package-version' | 'asset' | 'file' | 'token';

export interface ErrorDetails {
  hint?: string;
  cause?: unknown;
  resourceType?: ResourceType;
  resourceId?: string;
}

/** Base class: code, one-sentence message, optional hint, and the exit/HTTP mappings. */
export abstract class ArtifactError extends Error {
  abstract readonly code: ErrorCode;
  abstract readonly exitCode: number;
  abstract readonly httpStatus: number;
  readonly hint?: string;
  readonly resourceType?: ResourceType;
  readonly resourceId?: string;

  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.hint = details.hint;
    this.resourceType = details.resourceType;
    this.resourceId = details.resourceId;
  }
}

export class ValidationError extends ArtifactError {
  readonly code = 'Validation';
  readonly exitCode = 2;
  readonly httpStatus = 400;
}

export class UnauthorizedError extends ArtifactError {
  readonly code = 'Unauthorized';
  readonly exitCode = 3;
  readonly httpStatus = 401;
}

export class AccessDeniedError extends ArtifactError {
  readonly code = 'AccessDenied';
  readonly exitCode = 4;
  readonly httpStatus = 403;
}

export class ResourceNotFoundError extends ArtifactError {
  readonly code = 'ResourceNotFound';
  readonly exitCode = 5;
  readonly httpStatus = 404;
}

export class ConflictError extends ArtifactError {
  readonly code = 'Conflict';
  readonly exitCode = 6;
  readonly httpStatus = 409;
}

export class QuotaExceededError extends ArtifactError {
  readonly code = 'ServiceQuotaExceeded';
  readonly exitCode = 7;
  readonly httpStatus = 402;
}

export class UpstreamError extends ArtifactError {
  readonly code = 'UpstreamUnavailable';
  readonly exitCode = 8;
  readonly httpStatus = 502;
}

export class PayloadTooLargeError extends ArtifactError {
  readonly code = 'PayloadTooLarge';
  readonly exitCode = 9;
  readonly httpStatus = 413;
}

/** Stored bytes or indexes are damaged: `verify` found problems, or a blob no longer matches its digest. */
export class IntegrityError extends ArtifactError {
  readonly code = 'IntegrityCheckFailed';
  readonly exitCode = 10;
  readonly httpStatus = 500;
}

/**
 * The store's own files could not be written or read (a full disk, a read-only mount, missing
 * permissions): the server's fault, not the client's or an upstream's. 507 when space ran out,
 * 503 otherwise (docs/store-failures.md says why). Built by storeFailureOf.
 */
export class StoreUnavailableError extends ArtifactError {
  readonly code = 'StoreUnavailable';
  readonly exitCode = 11;
  readonly httpStatus: number;

  constructor(message: string, details: ErrorDetails & { httpStatus?: 503 | 507 } = {}) {
    super(message, details);
    this.httpStatus = details.httpStatus ?? 503;
  }
}

export class InternalError extends ArtifactError {
  readonly code = 'Internal';
  readonly exitCode = 1;
  readonly httpStatus = 500;
}

/** Every concrete class, so tests and docs can check codes and exit statuses stay unique. */
export const ERROR_CLASSES = [
  ValidationError,
  UnauthorizedError,
  AccessDeniedError,
  ResourceNotFoundError,
  ConflictError,
  QuotaExceededError,
  UpstreamError,
  PayloadTooLargeError,
  IntegrityError,
  StoreUnavailableError,
  InternalError,
] as const;

/**
 * Anything foreign becomes an InternalError that keeps the original as its cause, except a
 * failed file-system call on the store, which becomes a StoreUnavailableError.
 */
export function toArtifactError(error: unknown): ArtifactError {
  if (error instanceof ArtifactError) return error;
  const storeFailure = storeFailureOf(error);
  if (storeFailure) return storeFailure;
  const message = error instanceof Error ? error.message : String(error);
  return new InternalError(`Unexpected failure: ${message}`, {
    cause: error,
    hint: 'Run again with --debug for the stack trace, and report it if it repeats.',
  });
}

/** What each errno that means "the store cannot be used" tells the person who runs the server. */
const STORE_FAILURES: Record<string, { status: 503 | 507; message: string; hint: string }> = {
  ENOSPC: {
    status: 507,
    message: 'The store has no space left on its device.',
    hint: 'Free space on the disk that holds the store (`artifact-cli gc` removes what nothing uses), then try again.',
  },
  EDQUOT: {
    status: 507,
    message: 'The store has used up its disk quota.',
    hint: 'Raise the quota of the user running artifact-cli or free space in the store, then try again.',
  },
  EROFS: {
    status: 503,
    message: 'The store is on a read-only file system.',
    hint: 'Mount it writable (or point artifact-cli at a writable root), then try again; `artifact-cli verify` checks what is stored.',
  },
  EACCES: {
    status: 503,
    message: "The server may not read or write the store's files (permission denied).",
    hint: 'Check that the user running artifact-cli owns the store root and everything under it; `artifact-cli verify` checks what is stored.',
  },
  EIO: {
    status: 503,
    message: "The store's device reported an input/output error.",
    hint: 'Check the disk (the kernel log tells more), then run `artifact-cli verify`.',
  },
  EMFILE: {
    status: 503,
    message: 'The server has too many files open to use the store.',
    hint: 'Raise the open-file limit (`ulimit -n`) or try again once fewer requests are running.',
  },
};
STORE_FAILURES.EPERM = STORE_FAILURES.EACCES;
STORE_FAILURES.ENFILE = STORE_FAILURES.EMFILE;

// Node's fs calls name these in `syscall`; a socket's failures (listen, connect, spawn) are not the store's.
const FILE_SYSCALLS = new Set([
  'open',
  'close',
  'read',
  'write',
  'writev',
  'fsync',
  'fdatasync',
  'rename',
  'mkdir',
  'mkdtemp',
  'rmdir',
  'rm',
  'unlink',
  'link',
  'symlink',
  'utime',
  'futime',
  'lutime',
  'chmod',
  'fchmod',
  'copyfile',
  'scandir',
  'opendir',
  'stat',
  'lstat',
  'fstat',
  'ftruncate',
  'truncate',
  'access',
  'realpath',
  'readlink',
  'chown',
  'fchown',
]);

/** The roots of the stores this process opened (openStore notes each): failures of files elsewhere are not the store's. */
const storeRoots = new Set<string>();

export function noteStoreRoot(root: string): void {
  storeRoots.add(root.endsWith('/') ? root : `${root}/`);
}

/**
 * The StoreUnavailableError for a failed file-system call on a store of this process (its
 * `path` under a store root, or on an open file, which names none), or undefined for anything
 * else. The message names no path: it may reach an HTTP client; the cause keeps the original.
 */
export function storeFailureOf(error: unknown): StoreUnavailableError | undefined {
  if (error instanceof StoreUnavailableError) return error;
  if (!(error instanceof Error) || storeRoots.size === 0) return undefined;
  const { code, syscall, path } = error as NodeJS.ErrnoException;
  const failure = code === undefined ? undefined : STORE_FAILURES[code];
  if (!failure || syscall === undefined || !FILE_SYSCALLS.has(syscall)) return undefined;
  if (typeof path === 'string' && ![...storeRoots].some((root) => `${path}/`.startsWith(root))) return undefined;
  return new StoreUnavailableError(failure.message, { cause: error, hint: failure.hint, httpStatus: failure.status });
}

/** The message of an error's cause (a failed call's code and file), for the operator's log only. */
export function describeCause(error: ArtifactError): string {
  return error.cause instanceof Error ? error.cause.message : error.message;
}
