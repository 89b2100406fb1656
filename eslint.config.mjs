// ESLint for src/, test/, scripts/ and bench/, with typescript-eslint's type-aware rules. The
// linters live in tools/lint with their own lockfile (tools/lint/run.mjs installs them):
// typescript-eslint needs TypeScript's JavaScript API, which TypeScript 7 (the project's
// compiler) no longer has, so they get TypeScript 6 there.
import { createRequire } from 'node:module';

const lintRequire = createRequire(new URL('./tools/lint/package.json', import.meta.url));
const js = lintRequire('@eslint/js');
const tseslint = lintRequire('typescript-eslint');

// Node's globals for the plain JavaScript files (bin/, scripts/, bench/).
const NODE_GLOBALS = Object.fromEntries(
  [
    'process',
    'console',
    'URL',
    'URLSearchParams',
    'Buffer',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'performance',
    'fetch',
    'AbortController',
    'TextEncoder',
    'TextDecoder',
    'structuredClone',
    'queueMicrotask',
  ].map((name) => [name, 'readonly']),
);

export default tseslint.config(
  { ignores: ['dist/', '**/node_modules/', 'fixtures/', 'test/fixtures/', 'bench/results/', '**/*.d.ts', '.stryker-tmp*/', 'reports/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['vitest.config.ts', 'vitest.hardening.config.ts', 'eslint.config.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // `const { tags: _tags, ...rest } = x` leaves a field out on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Passing on a caught error (typed unknown) is fine, as only-throw-error lets a rethrow be.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: NODE_GLOBALS },
  },
);
