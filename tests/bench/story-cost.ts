/**
 * What stories (index/story.ts: "collapse versions" in the list) cost, measured in CPU time (process.cpuUsage), not
 * wall time, since the benchmark machine is shared:
 * - the write hook: every post's story made again the way WriteContext.flush makes it (one versions look-up, then
 *   joining), in transactions of 2,000 ids, against the CPU of the cold build of the same archive (parse threads
 *   included); also the schema v6 migration's buildStories on the same index;
 * - the collapsed list: the first page (the whole result read once and grouped), the next page (kept), against the
 *   plain list, for an empty query and a common word.
 *
 *   npx tsx tests/bench/story-cost.ts [--posts 20000] [--dir /tmp/story-bench] [--no-baseline]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { IndexStore } from '../../src-main/node/index/store';
import { updateIndex } from '../../src-main/node/index/update';
import { STORIES_OFF_ENV, buildStories, joinVersions } from '../../src-main/node/index/story';
import { VersionLookup } from '../../src-main/node/index/similar';
import type { ListQuery } from '../../src-main/shared/archive-api';
import { generateReprintArchive } from './reprint-archive';

const { values } = parseArgs({ options: { posts: { type: 'string', default: '20000' }, dir: { type: 'string' }, 'no-baseline': { type: 'boolean', default: false } } });
const posts = Number(values.posts);
const dir = values.dir ?? path.join(os.tmpdir(), `story-bench-${posts}`);
const archive = path.join(dir, 'archive');
const file = path.join(dir, 'index.sqlite');

const cpuMs = (run: () => void): number => {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};
const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

if (!fs.existsSync(archive)) {
  // About a quarter originals with 1-3 reprints each (half the archive), a quarter unrelated posts.
  generateReprintArchive(archive, { seed: 19, originals: Math.round(posts / 4), unrelated: Math.round(posts / 4), corpus: path.join(dir, 'no-corpus') });
}
/** A cold build into `into`: CPU of the whole process (parse threads included) and wall time, ms. */
async function build(into: string): Promise<{ cpuMs: number; wallMs: number }> {
  const store = IndexStore.open(into);
  const start = process.cpuUsage();
  const started = performance.now();
  await updateIndex(store, archive);
  const used = process.cpuUsage(start);
  store.close();
  return { cpuMs: round((used.user + used.system) / 1000), wallMs: round(performance.now() - started) };
}
let buildCpuMs: number | null = null;
let builds: Record<string, { cpuMs: number; wallMs: number }> | null = null;
if (!fs.existsSync(file)) {
  // Without stories first (the baseline), then the real build: the same archive, its files warm both times.
  let without: { cpuMs: number; wallMs: number } | undefined;
  if (!values['no-baseline']) {
    process.env[STORIES_OFF_ENV] = '1';
    without = await build(path.join(dir, 'index-without-stories.sqlite'));
    delete process.env[STORIES_OFF_ENV];
  }
  const withStories = await build(file);
  buildCpuMs = withStories.cpuMs;
  builds = { ...(without ? { withoutStories: without } : {}), withStories };
}

const db = new Database(file);
const statements = new Map<string, Statement>();
const sql = (text: string): Statement => {
  let s = statements.get(text);
  if (!s) statements.set(text, (s = db.prepare(text)));
  return s;
};
const total = db.prepare('SELECT count(*) FROM posts').pluck().get() as number;
const signed = db.prepare('SELECT id FROM post_sig ORDER BY id').pluck().all() as number[];
const before = db.prepare('SELECT id, story FROM post_story ORDER BY id').raw().all();
db.prepare('DELETE FROM post_story').run();
const hookMs = cpuMs(() => {
  for (let start = 0; start < signed.length; start += 2000) {
    db.transaction(() => {
      // As WriteContext.flush does: one look-up for the transaction, its new posts' bucket rows read at once.
      const batch = signed.slice(start, start + 2000);
      const lookup = new VersionLookup(sql);
      lookup.prefetch(batch);
      for (const id of batch) joinVersions(sql, id, lookup);
    })();
  }
});
const sameGroups = (a: unknown[], b: unknown[]): boolean => {
  const key = (rows: unknown[]) => {
    const byStory = new Map<number, number[]>();
    for (const [id, story] of rows as [number, number][]) byStory.set(story, [...(byStory.get(story) ?? []), id]);
    return JSON.stringify([...byStory.values()].map((g) => g.join(',')).sort());
  };
  return key(a) === key(b);
};
const replayed = db.prepare('SELECT id, story FROM post_story ORDER BY id').raw().all();
const migrationMs = cpuMs(() => db.transaction(() => buildStories(sql))());
const migrated = db.prepare('SELECT id, story FROM post_story ORDER BY id').raw().all();
const stories = db.prepare('SELECT count(DISTINCT story) FROM post_story').pluck().get() as number;
db.close();

const store = IndexStore.open(file, { readonly: true });
const listFigures = (q: ListQuery) => {
  let plainTotal = 0;
  const plainMs = cpuMs(() => void (plainTotal = store.list({ ...q, limit: 100 }).total));
  let collapsedTotal = 0;
  const firstMs = cpuMs(() => void (collapsedTotal = store.list({ ...q, collapse: true, limit: 100 }).total));
  const nextMs = cpuMs(() => void store.list({ ...q, collapse: true, offset: 100, limit: 100 }));
  return { query: q.query ?? '', plainTotal, collapsedTotal, plainMs: round(plainMs), collapsedFirstPageMs: round(firstMs), collapsedNextPageMs: round(nextMs) };
};
const lists = [listFigures({ sort: 'date' }), listFigures({ sort: 'oldest' }), listFigures({ query: '市场', sort: 'relevance' }), listFigures({ query: '市场', sort: 'date' })];
store.close();

console.log(JSON.stringify({
  posts: total,
  signed: signed.length,
  postsInStories: migrated.length,
  stories,
  builds,
  buildCpuMs: buildCpuMs === null ? null : round(buildCpuMs),
  buildCpuMsPerPost: buildCpuMs === null ? null : round(buildCpuMs / total, 3),
  storyHookCpuMs: round(hookMs),
  storyHookCpuMsPerPost: round(hookMs / total, 3),
  storyHookShareOfBuild: buildCpuMs === null ? null : round((100 * hookMs) / buildCpuMs, 1),
  hookEqualsBuild: sameGroups(before, replayed),
  migrationCpuMs: round(migrationMs),
  migrationEqualsBuild: sameGroups(before, migrated),
  lists,
  loadAverage: os.loadavg().map((n) => round(n, 2)),
}, null, 1));
