/**
 * The indexer as the app ships it: the main-process bundle (`electron-vite build`, out/main/indexer.js) with its
 * index and parse workers as plain JavaScript, under plain Node. The benchmark measures this, not the sources
 * under tsx, where every thread first compiles TypeScript (about 0.5 s a thread here).
 */
import type * as Indexer from '../../src-main/node/index/run-indexer';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type IndexerModule = typeof Indexer;

const repo = fileURLToPath(new URL('../..', import.meta.url));
export const BUILT_INDEXER = fileURLToPath(new URL('../../out/main/indexer.js', import.meta.url));

/** Builds the main-process bundle (about 2 s). */
export function buildMain(): void {
  execFileSync(process.execPath, [fileURLToPath(new URL('../../node_modules/electron-vite/bin/electron-vite.js', import.meta.url)), 'build', '--logLevel', 'warn'], {
    cwd: repo,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

/** The bundled indexer (built by buildMain). */
export async function loadBuiltIndexer(): Promise<IndexerModule> {
  if (!existsSync(BUILT_INDEXER)) throw new Error(`${BUILT_INDEXER} is missing: run the benchmark (it builds it) or npm run build`);
  return (await import(pathToFileURL(BUILT_INDEXER).href)) as IndexerModule;
}
