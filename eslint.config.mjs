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
  ['process', 'console', 'URL', 'URLSearchParams', 'Buffer', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'performance', 'fetch', 'AbortController', 'TextEncoder', 'TextDecoder', 'structuredClone', 'queueMicrotask'].map((name) => [name, 'readonly']),
);

export default tseslint.config(
  { ignores: ['dist/', '**/node_modules/', 'fixtures/', 'test/fixtures/', 'bench/results/', '**/*.d.ts'] },
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
      // Found too often to fix safely in one go (mostly JSON.parse results and test bodies read
      // as `any`); warnings until they are worked off. docs/architecture.md has the counts.
      '@typescript-eslint/no-unsafe-assignment': 'warn',
      '@typescript-eslint/no-unsafe-member-access': 'warn',
      '@typescript-eslint/no-unsafe-argument': 'warn',
      '@typescript-eslint/no-unsafe-return': 'warn',
      '@typescript-eslint/no-unsafe-call': 'warn',
      // Async functions without await that implement an async interface (route handlers, stores).
      '@typescript-eslint/require-await': 'warn',
      '@typescript-eslint/unbound-method': 'warn',
      '@typescript-eslint/no-base-to-string': 'warn',
      '@typescript-eslint/prefer-promise-reject-errors': 'warn',
      '@typescript-eslint/only-throw-error': 'warn',
      '@typescript-eslint/no-explicit-any': 'warn',
    },
  },
  {
    // Tests are held to the same rules, but what they break is a warning for now (counts in
    // docs/architecture.md): the suite is being changed by several branches at once.
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-misused-promises': 'warn',
      '@typescript-eslint/restrict-template-expressions': 'warn',
      '@typescript-eslint/restrict-plus-operands': 'warn',
      '@typescript-eslint/no-redundant-type-constituents': 'warn',
      '@typescript-eslint/no-unnecessary-type-assertion': 'warn',
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'prefer-const': 'warn',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: NODE_GLOBALS },
  },
);
