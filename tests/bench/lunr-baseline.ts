/**
 * The baseline the indexer is compared with: a lunr 2.3.9 index of the same posts with the SAME tokens as Backfile
 * (lunr's own tokenizer and stemming pipeline replaced, so only the index structure differs).
 * For a clean memory figure measure in a fresh process: run.ts starts lunr-child.ts with `--expose-gc`.
 */
import { peakRssMb } from './peak-rss';
import lunr from 'lunr';

export interface LunrPost {
  id: string;
  title: string;
  text: string;
}

export interface LunrMeasurement {
  buildMs: number;
  /** Heap retained by the finished index (heap after build minus before, both after a full GC when `gc` is exposed). */
  heapMb: number;
  /** Peak resident set of the whole process so far: meaningful in a process that did nothing else. */
  peakRssMb: number;
}

const MB = 1024 * 1024;

export function buildLunrIndex(posts: readonly LunrPost[], tokenize: (s: string) => string[]): lunr.Index {
  const builder = new lunr.Builder();
  // No stemmer, stop-word filter or trimmer: the tokens are already Backfile's final tokens.
  builder.pipeline.reset();
  builder.searchPipeline.reset();
  builder.tokenizer = Object.assign(
    (value?: unknown) => tokenize(value == null ? '' : String(value)).map((term) => new lunr.Token(term, {})),
    { separator: lunr.tokenizer.separator },
  );
  builder.ref('id');
  builder.field('title');
  builder.field('text');
  for (const post of posts) builder.add(post);
  return builder.build();
}

export function measureLunr(posts: readonly LunrPost[], tokenize: (s: string) => string[]): LunrMeasurement {
  const measured = measureLunrIndex(posts, tokenize);
  return { buildMs: measured.buildMs, heapMb: measured.heapMb, peakRssMb: measured.peakRssMb };
}

/** measureLunr, also handing back the index (to time queries on it). */
export function measureLunrIndex(
  posts: readonly LunrPost[],
  tokenize: (s: string) => string[],
): LunrMeasurement & { index: lunr.Index } {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const index = buildLunrIndex(posts, tokenize);
  const buildMs = performance.now() - started;
  gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  return {
    index,
    buildMs: Math.round(buildMs),
    heapMb: round1((heapAfter - heapBefore) / MB),
    peakRssMb: peakRssMb(),
  };
}

export interface LunrChildResult extends LunrMeasurement {
  posts: number;
  /** Tokens fed to lunr (title and text). */
  tokens: number;
  /** Resident set once the posts were loaded, before the build. */
  rssBeforeMb: number;
  /** Query words from query-words.ts: posts found (every token required) and the median time of 5 runs. */
  queries: { word: string; hits: number; ms: number }[];
  /** With --serialize: the index as JSON (what a site would ship), in bytes. */
  serializedBytes?: number;
  /** With --serialize, when the index cannot be written as JSON at all (V8's string limit): why. */
  serializeError?: string;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;
