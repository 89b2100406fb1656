/** DoorMemo on its own: who passed which door, until their token expires or the epoch moves on. */
import { describe, expect, it } from 'vitest';
import { DoorMemo } from '../../src/server/door-memo.js';

const READ = 'codeartifact:ReadFromRepository';
const PUBLISH = 'codeartifact:PublishPackageVersion';

describe('DoorMemo', () => {
  it('lets a remembered credential through the same door until its token expires', () => {
    const doors = new DoorMemo();
    expect(doors.passUntil('acme', 'main', READ, 'alice', 1, 0)).toBeUndefined();
    doors.remember('acme', 'main', READ, 'alice', 1, 1_000);
    expect(doors.passUntil('acme', 'main', READ, 'alice', 1, 999)).toBe(1_000);
    expect(doors.passUntil('acme', 'main', READ, 'alice', 1, 1_000)).toBeUndefined();
  });

  it('keeps each door apart: another credential, repository, domain or action is not let through', () => {
    const doors = new DoorMemo();
    doors.remember('acme', 'main', READ, 'alice', 1, 1_000);
    expect(doors.passUntil('acme', 'main', READ, 'bob', 1, 0)).toBeUndefined();
    expect(doors.passUntil('acme', 'other', READ, 'alice', 1, 0)).toBeUndefined();
    expect(doors.passUntil('other', 'main', READ, 'alice', 1, 0)).toBeUndefined();
    expect(doors.passUntil('acme', 'main', PUBLISH, 'alice', 1, 0)).toBeUndefined();
    // Parts that would run together if joined without a separator stay apart.
    doors.remember('ab', 'c', READ, 'x', 1, 1_000);
    expect(doors.passUntil('a', 'bc', READ, 'x', 1, 0)).toBeUndefined();
  });

  it('forgets every pass when the epoch moves on, and ignores passes decided in an older epoch', () => {
    const doors = new DoorMemo();
    doors.remember('acme', 'main', READ, 'alice', 1, 1_000);
    expect(doors.passUntil('acme', 'main', READ, 'alice', 2, 0)).toBeUndefined();
    // The epoch is now 2: asking again in it still finds nothing from epoch 1.
    expect(doors.passUntil('acme', 'main', READ, 'alice', 2, 0)).toBeUndefined();
    doors.remember('acme', 'main', READ, 'alice', 1, 1_000);
    expect(doors.passUntil('acme', 'main', READ, 'alice', 2, 0)).toBeUndefined();
    doors.remember('acme', 'main', READ, 'alice', 2, 1_000);
    expect(doors.passUntil('acme', 'main', READ, 'alice', 2, 0)).toBe(1_000);
    // A pass decided in a newer epoch starts afresh.
    doors.remember('acme', 'main', READ, 'bob', 3, 1_000);
    expect(doors.passUntil('acme', 'main', READ, 'bob', 3, 0)).toBe(1_000);
    expect(doors.passUntil('acme', 'main', READ, 'alice', 3, 0)).toBeUndefined();
  });

  it('remembers nothing without an epoch', () => {
    const doors = new DoorMemo();
    doors.remember('acme', 'main', READ, 'alice', undefined, 1_000);
    expect(doors.passUntil('acme', 'main', READ, 'alice', undefined, 0)).toBeUndefined();
    doors.remember('acme', 'main', READ, 'alice', 1, 1_000);
    expect(doors.passUntil('acme', 'main', READ, 'alice', undefined, 0)).toBeUndefined();
    expect(doors.passUntil('acme', 'main', READ, 'alice', 1, 0)).toBe(1_000);
  });

  it('starts afresh beyond 10,000 passes, keeping the newest', () => {
    const doors = new DoorMemo();
    for (let i = 0; i < 10_000; i++) doors.remember('acme', 'main', READ, `token-${i}`, 1, 1_000);
    expect(doors.passUntil('acme', 'main', READ, 'token-0', 1, 0)).toBe(1_000);
    expect(doors.passUntil('acme', 'main', READ, 'token-9999', 1, 0)).toBe(1_000);
    doors.remember('acme', 'main', READ, 'newest', 1, 1_000);
    expect(doors.passUntil('acme', 'main', READ, 'token-0', 1, 0)).toBeUndefined();
    expect(doors.passUntil('acme', 'main', READ, 'newest', 1, 0)).toBe(1_000);
  });
  it('keeps the passes of the current epoch when a slow request from an older one, or one without an epoch, finishes', () => {
    const doors = new DoorMemo();
    doors.remember('acme', 'main', READ, 'alice', 2, 1_000);
    doors.remember('acme', 'main', READ, 'slow', 1, 1_000);
    doors.remember('acme', 'main', READ, 'unsure', undefined, 1_000);
    expect(doors.passUntil('acme', 'main', READ, 'alice', 2, 0)).toBe(1_000);
    expect(doors.passUntil('acme', 'main', READ, 'slow', 2, 0)).toBeUndefined();
    expect(doors.passUntil('acme', 'main', READ, 'unsure', 2, 0)).toBeUndefined();
  });
});
