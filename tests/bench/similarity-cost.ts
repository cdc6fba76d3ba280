/**
 * What "other versions of a story" (issue 14 part 3) costs an index: the bytes of its two tables (post_sig,
 * sig_buckets) against the rest of the file, and the time of getSimilar's look-up. The build-time cost is measured
 * by run.ts as a second cold build with SIMILARITY_OFF_ENV set (no signatures computed or written), compared with the real one.
 */
import Database from 'better-sqlite3';
import { IndexStore } from '../../src-main/node/index/store';

export { SIMILARITY_OFF_ENV } from '../../src-main/node/index/similar';

export interface SimilarityCost {
  /** Bytes of post_sig and sig_buckets, and of the whole file (after a checkpoint). */
  similarBytes: number;
  fileBytes: number;
  /** How much larger the file is for them: similarBytes / (fileBytes - similarBytes). */
  growth: number;
  /** p95 and max of getSimilar's look-up over `lookups` posts spread over the archive, ms. */
  lookupP95Ms: number;
  lookupMaxMs: number;
  lookups: number;
  /** Posts with a signature, and the share of looked-up posts that found another version. */
  signed: number;
  withVersions: number;
}

export function similarityCost(file: string, lookups = 200): SimilarityCost {
  const db = new Database(file);
  let similarBytes: number;
  let fileBytes: number;
  let signed: number;
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = db.prepare("SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name").all() as { name: string; bytes: number }[];
    similarBytes = bytes.filter((r) => r.name === 'post_sig' || r.name === 'sig_buckets').reduce((sum, r) => sum + r.bytes, 0);
    fileBytes = (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
    signed = db.prepare('SELECT count(*) FROM post_sig').pluck().get() as number;
  } finally {
    db.close();
  }
  const store = IndexStore.open(file, { readonly: true });
  const times: number[] = [];
  let withVersions = 0;
  try {
    const paths = [...store.fileStates().keys()].sort();
    const step = Math.max(1, Math.floor(paths.length / lookups));
    for (let i = 0; i < paths.length && times.length < lookups; i += step) {
      const started = performance.now();
      const found = store.similar(paths[i]!) ?? [];
      times.push(performance.now() - started);
      if (found.length > 0) withVersions++;
    }
  } finally {
    store.close();
  }
  times.sort((a, b) => a - b);
  const round2 = (n: number) => Math.round(n * 100) / 100;
  return {
    similarBytes, fileBytes, growth: round2(similarBytes / Math.max(1, fileBytes - similarBytes)),
    lookupP95Ms: round2(times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)] ?? 0),
    lookupMaxMs: round2(times[times.length - 1] ?? 0), lookups: times.length, signed, withVersions,
  };
}
