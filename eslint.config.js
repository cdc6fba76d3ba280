import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'build/', 'test-output/', 'posts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The core is pure TypeScript: it runs in plain Node, in a worker, in tests. No Electron, no file system, no database.
    files: ['src-main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['electron', 'better-sqlite3', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises'],
        patterns: ['../node/*', '../electron/*', '../server/*', '../cli/*'],
      }],
    },
  },
  {
    // Only the thin Electron layer may import electron.
    files: ['src-main/node/**/*.ts', 'src-main/cli/**/*.ts', 'src-main/server/**/*.ts', 'src-main/shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['electron'] }] },
  },
  {
    // The renderer is a browser page: it imports only types from the main side.
    files: ['src-renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['electron', 'better-sqlite3', 'node:fs', 'fs'],
        patterns: [{ group: ['**/src-main/**', '../src-main/*', '../../src-main/*'], allowTypeImports: true, message: 'The renderer imports only types from src-main.' }],
      }],
    },
  },
);
