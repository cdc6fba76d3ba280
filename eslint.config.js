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
    files: ['src-main/node/**/*.ts', 'src-main/cli/**/*.ts', 'src-main/server/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['electron'] }] },
  },
  {
    // The contract and the pure helpers both sides use (VS Code's common/): the renderer imports them, so no Node,
    // no Electron, no database, and nothing from the host's other layers.
    files: ['src-main/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['electron', 'better-sqlite3', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'path', 'node:path', 'node:crypto'],
        patterns: ['../core/*', '../node/*', '../electron/*', '../server/*', '../cli/*', 'node:*'],
      }],
    },
  },
  {
    // The renderer is a browser page: it imports only types from the main side.
    files: ['src-renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['electron', 'better-sqlite3', 'node:fs', 'fs'],
        // …except src-main/shared, which is pure (the contract's constants, CSV, batch terms, label rules).
        patterns: [{ group: ['**/src-main/**', '!**/src-main/shared/**', '../src-main/*', '!../src-main/shared', '../../src-main/*', '!../../src-main/shared'], allowTypeImports: true, message: 'The renderer imports only types from src-main, and code from src-main/shared.' }],
      }],
    },
  },
);
