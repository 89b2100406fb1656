#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli/main.js, from tsc) into dist/bundle/, which bin/artifact-cli.js
// runs. Why: on Node 20 every ES module costs a resolve, a read and a link, and commander (CommonJS)
// goes through the CommonJS translator; `list-domains` loaded 45 files and spent about half of its
// own start-up on that. One file per command group keeps the lazy loading of main.ts: each
// `import()` there becomes a chunk that is read only when its command runs.
//
// commander is bundled because every command loads it; the other dependencies stay external
// (left to Node), as each is loaded only by the commands that use it.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const PROJECT_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const DIST = path.join(PROJECT_DIR, 'dist');
const OUT_DIR = path.join(DIST, 'bundle');
const BUNDLED_DEPENDENCIES = new Set(['commander']);

const { dependencies = {}, optionalDependencies = {} } = JSON.parse(readFileSync(path.join(PROJECT_DIR, 'package.json'), 'utf8'));
const external = Object.keys({ ...dependencies, ...optionalDependencies })
  .filter((name) => !BUNDLED_DEPENDENCIES.has(name))
  .flatMap((name) => [name, `${name}/*`]);

// commander requires node:child_process at load, for executable subcommands, which this CLI has
// none of; loading it (with net and stream) costs every command about 3 ms. commander gets a
// stand-in that loads the real module the first time anything is taken from it.
const lateChildProcess = {
  name: 'late-child-process-for-commander',
  setup(builder) {
    builder.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'late' } : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: 'late' }, () => ({
      loader: 'js',
      contents: "let real; module.exports = new Proxy({}, { get: (_, key) => (real ??= require('node:child_process'))[key] });",
    }));
  },
};

rmSync(OUT_DIR, { recursive: true, force: true });
await build({
  entryPoints: {
    main: path.join(DIST, 'cli', 'main.js'),
    // Started as a worker thread by xml-off-thread.js, found next to it: new URL('./xml-worker.js').
    'xml-worker': path.join(DIST, 'formats', 'maven', 'xml-worker.js'),
  },
  outdir: OUT_DIR,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  // commander calls require() for Node's own modules; an ES module has no require of its own.
  banner: { js: "import { createRequire as __artifactCliRequire } from 'node:module'; const require = __artifactCliRequire(import.meta.url);" },
  // Chunks sit beside main.js, so xml-off-thread's URL relative to its chunk finds xml-worker.js.
  chunkNames: '[name]-[hash]',
  plugins: [lateChildProcess],
  logLevel: 'warning',
});
