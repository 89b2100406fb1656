// Mutation testing (`npm run test:mutation`, docs/testing.md): small bugs are put into the modules
// where a silent one costs users most, one at a time, and the tests must notice each.
// Per-test coverage means each mutant runs only the tests that reach its code.
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
    // Line ranges: keep them on the functions named when handler.ts or tokens.ts change.
    // handler.ts: the request closure after the API's dispatch (the API has a door of its own)
    // and admitted(); authorizeWithReason() to sameInConstantTime(); authenticate().
    // tokens.ts: tableOf() and verifyToken().
    'src/server/handler.ts:53-89',
    'src/server/handler.ts:197-260',
    'src/server/handler.ts:267-280',
    'src/operations/tokens.ts:119-146',
    // Digest checks: what clients upload and what upstreams send.
    'src/store/fs-blob-store.ts:203-215',
    'src/upstream/fetch-asset.ts',
    'src/formats/npm/publish.ts:125-138',
    'src/formats/pypi/upload-checks.ts:56-75',
    'src/formats/maven/checksum-upload.ts',
    'src/formats/ruby/gem-file.ts:34-51',
    'src/formats/npm/sync.ts:90-96',
    // A cold download fed to the client live: the last byte waits for the digest check.
    'src/upstream/live-delivery.ts',
    // Origin controls and package-group enforcement.
    'src/operations/publish.ts:52-62',
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
