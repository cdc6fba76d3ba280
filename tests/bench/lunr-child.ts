/**
 * Builds the lunr baseline in a process of its own and prints one JSON line (LunrChildResult).
 * Usage: node --expose-gc --import tsx tests/bench/lunr-child.ts <posts.jsonl> [--serialize]
 * (run.ts starts it that way, through run-child.ts; compare.ts adds --serialize: the size of the index as JSON,
 * measured after the peak resident set is taken.)
 */
import lunr from 'lunr';
import { phraseTokens, tokenize } from '../../src-main/core/tokenize';
import { readPostsFile } from './collect-posts';
import { measureLunrIndex, type LunrChildResult } from './lunr-baseline';
import { QUERY_WORDS } from './query-words';

const file = process.argv[2];
if (!file) {
  console.error('usage: lunr-child.ts <posts.jsonl>');
  process.exit(2);
}

const posts = readPostsFile(file);
const rssBeforeMb = Math.round((process.memoryUsage().rss / 2 ** 20) * 10) / 10;
let tokens = 0;
const counting = (text: string): string[] => {
  const out = tokenize(text);
  tokens += out.length;
  return out;
};
const { index, ...measurement } = measureLunrIndex(posts, counting);

// lunr has no phrase search: a word's bigrams are all required, anywhere in the post (an upper bound on the hits).
const queries = QUERY_WORDS.map(({ word }) => {
  const terms = phraseTokens(word).tokens;
  const run = () =>
    index.query((q) => {
      for (const term of terms) q.term(term, { presence: lunr.Query.presence.REQUIRED, usePipeline: false });
    });
  const times: number[] = [];
  let hits = 0;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    hits = run().length;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { word, hits, ms: Math.round((times[2] ?? 0) * 100) / 100 };
});

const result: LunrChildResult = { ...measurement, posts: posts.length, tokens, rssBeforeMb, queries };
if (process.argv[3] === '--serialize') {
  // At 20,000 synthetic posts lunr's index is past V8's longest string: JSON.stringify throws "Invalid string
  // length" (a site could not ship it). The build's time and memory are still lunr's own: report them, and why
  // there is no size.
  try {
    result.serializedBytes = Buffer.byteLength(JSON.stringify(index));
  } catch (e) {
    result.serializeError = e instanceof Error ? e.message : String(e);
  }
}
console.log(JSON.stringify(result));
