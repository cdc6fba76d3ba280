/**
 * The dossier page's script (core/dossier/dossier-page.ts with the tokenizer, the query parser and stemmer), bundled
 * once per process with esbuild into one IIFE: a page opened from file:// loads classic scripts only. lunr is not
 * bundled: the page loads lunr's own lunr.min.js beside it (copied from node_modules).
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

let cached: Promise<string> | null = null;

export function dossierPageScript(): Promise<string> {
  cached ??= (async () => {
    const { build } = await import('esbuild');
    const entry = fileURLToPath(new URL('../../../core/dossier/dossier-page.ts', import.meta.url));
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      write: false,
      legalComments: 'none',
      logLevel: 'silent',
    });
    return result.outputFiles[0]!.text;
  })();
  cached.catch(() => {
    cached = null;
  });
  return cached;
}

/** lunr's own minified build, as the page loads it. */
export const lunrMinPath = (): string => createRequire(import.meta.url).resolve('lunr/lunr.min.js');
