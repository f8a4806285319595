// eslint (flat config) for the TypeScript facade and the JavaScript around it (tests,
// scripts, bench, examples). Style questions are settled here, not in review.
import { fileURLToPath } from 'node:url';
import { includeIgnoreFile } from '@eslint/compat';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // What git ignores is build output wherever it sits (bench/native/*/build's CMake files
  // include compiler_depend.ts, which is not TypeScript): one list, .gitignore.
  includeIgnoreFile(fileURLToPath(new URL('.gitignore', import.meta.url))),
  { ignores: ['bench/results/**', '**/*.d.ts'] },
  js.configs.recommended,
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', ecmaVersion: 2023, globals: { ...globals.node, ...globals.mocha } },
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', ecmaVersion: 2023, globals: globals.node },
  },
  ...tseslint.configs.recommended.map((config) => ({ ...config, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `x as unknown as T` and `x as never` switch the type checker off for a value; type it
      // instead (the native binding's shape is declared once, in lib/binding.ts).
      'no-restricted-syntax': [
        'error',
        {
          selector:
            ":matches(TSAsExpression, TSTypeAssertion) > :matches(TSAsExpression, TSTypeAssertion)[typeAnnotation.type='TSUnknownKeyword']",
          message: 'No `as unknown as T`: type the value (native calls are typed in lib/binding.ts).',
        },
        {
          selector: ":matches(TSAsExpression, TSTypeAssertion)[typeAnnotation.type='TSNeverKeyword']",
          message: 'No `as never`: type the value (native calls are typed in lib/binding.ts).',
        },
      ],
    },
  },
);
