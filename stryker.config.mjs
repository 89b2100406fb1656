// Mutation testing (`npm run test:mutation`, docs/testing.md): small bugs are put into the modules
// where a silent one costs users most, one at a time, and the tests must notice each.
// Per-test coverage means each mutant runs only the tests that reach its code.
import { readFileSync } from 'node:fs';

/**
 * `file:first-last` for part of a file, found by its code rather than written as numbers (which
 * drift with every edit above them): from the first line matching `from` to the end of the block
 * opened by the first line matching `toEndOf` at or after it (its `}` at the same indentation).
 */
function span(file, from, toEndOf = from) {
  const lines = readFileSync(new URL(file, import.meta.url), 'utf8').split('\n');
  const first = lines.findIndex((line) => from.test(line));
  const opener = lines.findIndex((line, index) => index >= first && toEndOf.test(line));
  if (first < 0 || opener < 0) throw new Error(`stryker.config.mjs: ${file} has no line matching ${first < 0 ? from : toEndOf}`);
  const indent = /^\s*/.exec(lines[opener])[0];
  const last = lines.findIndex((line, index) => index > opener && line.startsWith(`${indent}}`));
  if (last < 0) throw new Error(`stryker.config.mjs: the block at ${file}:${opener + 1} does not close`);
  return `${file}:${first + 1}-${last + 1}`;
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts', related: false },
  coverageAnalysis: 'perTest',
  mutate: [
    // Tokens and policies at the door; the door memo and the memo checks in the handler.
    'src/server/auth.ts',
    'src/server/policy.ts',
    'src/server/door-memo.ts',
    // handler.ts: the request closure after the API's dispatch (the API has a door of its own)
    // through admitted(); authorizeWithReason() to sameInConstantTime(); authenticate().
    span('src/server/handler.ts', /let epoch: number \| undefined;/, /function admitted\(/),
    span('src/server/handler.ts', /^async function authorizeWithReason\(/, /^function sameInConstantTime\(/),
    span('src/server/handler.ts', /^async function authenticate\(/),
    // tokens.ts: tableOf() and verifyToken().
    span('src/operations/tokens.ts', /^const tables = new WeakMap/, /^export async function verifyToken\(/),
    // Digest checks: what clients upload and what upstreams send.
    span('src/store/fs-blob-store.ts', /^function checkExpected\(/),
    'src/upstream/fetch-asset.ts',
    span('src/formats/npm/publish.ts', /^function checkClientDigests\(/),
    span('src/formats/pypi/upload-checks.ts', /^function checkDigests\(/),
    'src/formats/maven/checksum-upload.ts',
    span('src/formats/ruby/gem-file.ts', /^async function checkChecksums\(/),
    span('src/formats/npm/sync.ts', /^function checkIntegrity\(/),
    // A cold download fed to the client live: the last byte waits for the digest check.
    'src/upstream/live-delivery.ts',
    // Origin controls and package-group enforcement.
    span('src/operations/publish.ts', /^export function checkPublishAllowed\(/),
    'src/operations/ingest.ts',
    'src/operations/origin-configuration.ts',
    'src/operations/package-groups-enforcement.ts',
    'src/core/package-group-origin.ts',
    // JSON files and the locks.
    'src/store/json-file.ts',
    'src/store/lock.ts',
    'src/store/lock-takeover.ts',
    // npm packuments and PyPI simple pages.
    'src/formats/npm/packument.ts',
    'src/formats/pypi/simple-pages.ts',
  ],
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 30_000,
  timeoutFactor: 2,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: null },
  // Stryker rewrites a tsconfig's extends and references through TypeScript's JS API, which the
  // TypeScript 7 package does not have. Ours has neither, so it is pointed at no file at all.
  tsconfigFile: 'no-tsconfig-to-rewrite.json',
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
