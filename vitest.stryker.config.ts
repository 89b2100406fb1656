/**
 * The tests Stryker runs against its mutants (stryker.config.mjs): the in-process tests of the
 * modules in the mutation scope. Tests that spawn the built CLI cannot see a mutant (dist/ is
 * not mutated), so they are left out; so is the hardening suite. MUTATION_TESTS (a comma list)
 * narrows the list further for a quick run on part of the scope.
 */
import { defineConfig } from 'vitest/config';

const SCOPE_TESTS = [
  // Tokens, policies, the door and the memo.
  'test/server/door.test.ts',
  'test/server/door-memo.test.ts',
  'test/server/policy.test.ts',
  'test/server/response-memo.test.ts',
  'test/server/response-memo-bounds.test.ts',
  'test/formats/npm/auth.test.ts',
  // A route's second check (RequestContext.authorize), in process.
  'test/formats/npm/write-actions.test.ts',
  'test/core/permissions-policy.test.ts',
  // Digest checks: uploads and upstream fetches.
  'test/store/fs-blob-store.test.ts',
  'test/upstream/fetch-asset.test.ts',
  'test/upstream/fetch-asset-answers.test.ts',
  'test/upstream/fetch-asset-live.test.ts',
  'test/upstream/live-delivery.test.ts',
  'test/formats/ruby/gem-file.test.ts',
  'test/formats/ruby/bad-gems.test.ts',
  'test/formats/npm/sync.test.ts',
  'test/formats/npm/publish.test.ts',
  'test/formats/npm/upstream.test.ts',
  'test/formats/pypi/upload-errors.test.ts',
  'test/formats/pypi/upstream.test.ts',
  'test/formats/maven/hosted.test.ts',
  'test/formats/maven/bad-input.test.ts',
  'test/formats/maven/upstream.test.ts',
  'test/formats/nuget/upstream.test.ts',
  'test/formats/generic.test.ts',
  'test/operations/generic-publish.test.ts',
  // Origin controls and package groups.
  'test/operations/package-groups-enforcement.test.ts',
  'test/operations/ingest.test.ts',
  'test/operations/origin-configuration.test.ts',
  'test/operations/copy-versions.test.ts',
  'test/server/package-groups.test.ts',
  'test/core/package-group-origin.test.ts',
  'test/formats/nuget/push.test.ts',
  // JSON files and locks.
  'test/store/json-file.test.ts',
  'test/store/json-file-failures.test.ts',
  'test/store/lock.test.ts',
  'test/store/lock-behaviour.test.ts',
  'test/store/lock-deferred.test.ts',
  'test/store/lock-no-hard-links.test.ts',
  'test/store/lock-takeover.test.ts',
  'test/store/fs-index-store.test.ts',
  // npm packuments and PyPI simple pages.
  'test/formats/npm/packument.test.ts',
  'test/formats/npm/read.test.ts',
  'test/formats/npm/writes.test.ts',
  'test/formats/pypi/simple-pages.test.ts',
  'test/formats/pypi/hosted.test.ts',
];

export default defineConfig({
  test: {
    include: process.env.MUTATION_TESTS ? process.env.MUTATION_TESTS.split(',') : SCOPE_TESTS,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
