import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';

/**
 * `npm run dev` only: Vite's dev server injects inline styles, the React refresh script and a websocket,
 * which the page's strict CSP refuses. Built bundles keep the strict policy.
 */
const relaxCspForDevServer = (): Plugin => ({
  name: 'backfile-dev-csp',
  apply: 'serve',
  transformIndexHtml: (html) =>
    html
      .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
      .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
      .replace("connect-src 'self'", "connect-src 'self' ws: http://localhost:*"),
});

/**
 * Three bundles: the main process (with the indexing and parse workers as further entries, and the indexer on
 * its own for the benchmark and tests/node/built-indexer.test.ts, which run the bundled workers under plain
 * Node), the preload (CommonJS: a sandboxed preload cannot be an ES module), and the renderer.
 * Shared chunks go next to the entries, not into a `chunks/` folder: spawn-worker.ts, which lands in a shared
 * chunk, finds the workers relative to its own file.
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src-main/electron/main.ts'),
          'index-worker': resolve(import.meta.dirname, 'src-main/node/index/index-worker.ts'),
          'parse-worker': resolve(import.meta.dirname, 'src-main/node/index/parse-worker.ts'),
          indexer: resolve(import.meta.dirname, 'src-main/node/index/run-indexer.ts'),
        },
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: true,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src-main/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src-renderer'),
    plugins: [react(), relaxCspForDevServer()],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: resolve(import.meta.dirname, 'src-renderer/index.html') },
    },
  },
});
