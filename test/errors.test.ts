import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as errors from '../src/errors.js';
import {
  ArtifactError,
  ERROR_CLASSES,
  InternalError,
  noteStoreRoot,
  storeFailureOf,
  StoreUnavailableError,
  toArtifactError,
  ValidationError,
} from '../src/errors.js';
import { fsError, type StoreErrno } from './helpers/failing-store.js';
import { PROJECT_DIR } from './helpers/run-cli.js';

const instances = ERROR_CLASSES.map((ErrorClass) => new ErrorClass('message'));

describe('the error hierarchy', () => {
  it('gives every class a unique code, exit status and HTTP status', () => {
    const codes = instances.map((error) => error.code);
    const exitCodes = instances.map((error) => error.exitCode);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(exitCodes).size).toBe(exitCodes.length);
    expect(exitCodes.every((code) => Number.isInteger(code) && code >= 1 && code < 126)).toBe(true);
  });

  it('lists every concrete class exported from errors.ts in ERROR_CLASSES', () => {
    const exported = Object.values(errors).filter(
      (value): value is typeof ValidationError => typeof value === 'function' && value.prototype instanceof ArtifactError,
    );
    expect(new Set(ERROR_CLASSES)).toEqual(new Set(exported));
  });

  it('keeps the released codes and statuses that the README documents', () => {
    const table = Object.fromEntries(instances.map((error) => [error.code, [error.exitCode, error.httpStatus]]));
    expect(table).toEqual({
      Validation: [2, 400],
      Unauthorized: [3, 401],
      AccessDenied: [4, 403],
      ResourceNotFound: [5, 404],
      Conflict: [6, 409],
      ServiceQuotaExceeded: [7, 402],
      UpstreamUnavailable: [8, 502],
      PayloadTooLarge: [9, 413],
      IntegrityCheckFailed: [10, 500],
      StoreUnavailable: [11, 503],
      Internal: [1, 500],
    });
    const readme = readFileSync(path.join(PROJECT_DIR, 'README.md'), 'utf8');
    for (const error of instances) expect(readme).toMatch(new RegExp(`\\|\\s*${error.code}\\s*\\|\\s*${error.exitCode}\\s*\\|`));
  });

  it('names each instance after its class and keeps hint, cause and resource', () => {
    const cause = new Error('root cause');
    const error = new ValidationError('bad', { hint: 'do this', cause, resourceType: 'domain', resourceId: 'd' });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ValidationError');
    expect(error).toMatchObject({ hint: 'do this', cause, resourceType: 'domain', resourceId: 'd' });
  });
});

describe('toArtifactError', () => {
  it('passes artifact errors through unchanged', () => {
    const error = new ValidationError('bad');
    expect(toArtifactError(error)).toBe(error);
  });

  it('wraps anything else in an InternalError that keeps the original', () => {
    const foreign = new TypeError('x is undefined');
    const wrapped = toArtifactError(foreign);
    expect(wrapped).toBeInstanceOf(InternalError);
    expect(wrapped.message).toContain('x is undefined');
    expect(wrapped.cause).toBe(foreign);
    expect(wrapped.hint).toMatch(/--debug/);
    expect(toArtifactError('a string').message).toContain('a string');
  });
});

describe('a failed file-system call on the store', () => {
  const root = '/srv/artifact-store-under-test';
  noteStoreRoot(root);
  const file = `${root}/blobs/sha256/ab/cd/tmp-file`;

  it.each([
    ['ENOSPC', 507, /no space left/],
    ['EDQUOT', 507, /quota/],
    ['EROFS', 503, /read-only file system/],
    ['EACCES', 503, /permission denied/],
    ['EPERM', 503, /permission denied/],
    ['EIO', 503, /input\/output error/],
    ['EMFILE', 503, /too many files open/],
    ['ENFILE', 503, /too many files open/],
  ] as [StoreErrno, number, RegExp][])('%s becomes StoreUnavailable %i, told in words without the path', (code, status, words) => {
    for (const cause of [fsError(code, 'open', file), fsError(code, 'write')]) {
      const error = toArtifactError(cause);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(error).toMatchObject({ code: 'StoreUnavailable', exitCode: 11, httpStatus: status, cause });
      expect(error.message).toMatch(words);
      expect(error.message).not.toMatch(/\n/);
      expect(error.hint).toMatch(/\S/);
      expect(`${error.message} ${error.hint}`).not.toContain(root);
    }
  });

  it('leaves other failures alone: a file outside the store, a socket, an errno it does not know, an error already told', () => {
    expect(storeFailureOf(fsError('ENOSPC', 'open', '/home/someone/.npmrc'))).toBeUndefined();
    expect(storeFailureOf(fsError('ENOSPC', 'open', `${root}-other/file`))).toBeUndefined();
    expect(toArtifactError(Object.assign(fsError('EACCES', 'listen'), { message: 'listen EACCES: permission denied 127.0.0.1:80' }))).toBeInstanceOf(
      InternalError,
    );
    expect(toArtifactError(Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT', syscall: 'open', path: file }))).toBeInstanceOf(InternalError);
    expect(toArtifactError(Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' }))).toBeInstanceOf(InternalError);
    const told = new StoreUnavailableError('told', { httpStatus: 507 });
    expect(storeFailureOf(told)).toBe(told);
  });
});
