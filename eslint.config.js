// ESLint (flat config): JavaScript's and typescript-eslint's recommended rules for the Node code,
// the browser bundles, the tests, the bench and the scripts. Layout is Prettier's business
// (.prettierrc.json), not ESLint's. `npm run lint:code` runs it; CI runs it before the tests.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bench-out/', 'templates/', 'test/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // `_name` marks a parameter a signature needs but the body does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Terminal output (ANSI escapes) and binary formats are matched on purpose.
      'no-control-regex': 'off',
      // `ok && run()` and `cond ? a() : b()` as statements are the house style; a bare `x;` is still an error.
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
      // `catch { /* why */ }` documents an ignored failure; an empty block elsewhere is still an error.
      'no-empty': ['error', { allowEmptyCatch: true }],
      // A `let` read by closures made before its one assignment (a handle created later) stays a `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Browser bundles; the bench and tests hand functions to page.evaluate, which run in a page.
    files: ['runtime/**/*.ts', 'preview/**/*.ts', 'bench/**/*.mjs', 'scripts/**/*.mjs', 'test/**/*.ts'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
);
