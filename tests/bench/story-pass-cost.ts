/**
 * What the story pass (core/similarity/story-pass.ts via story.ts runStoryPass) costs at the end of a big build, alone:
 * an index of POSTS seeded signatures (a share of them near-duplicates of 2,000 families, the rest strangers) gets
 * every bucket row and story made in one transaction. Prints CPU and wall milliseconds, the checkpoint after, and the
 * process's resident set before and at its peak (docs/BENCHMARKS.md, stop 21).
 *
 *   node --import tsx tests/bench/story-pass-cost.ts INDEX.sqlite [posts=100000] [share of near-duplicates=0.5]
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { peakRssMb } from './peak-rss';
import { IndexStore } from '../../src-main/node/index/store';
import { runStoryPass } from '../../src-main/node/index/story';
const [file, nArg = '100000', familyShare = '0.5'] = process.argv.slice(2);
if (!file) throw new Error('usage: story-pass-cost.ts INDEX.sqlite [posts] [share]');
const n = Number(nArg);
for (const s of ['', '-wal', '-shm']) fs.rmSync(file + s, { force: true });
IndexStore.open(file).close();
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
let s = 7;
const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 16);
const families = Array.from({ length: 2000 }, () => Uint16Array.from({ length: 64 }, next));
const ins = db.prepare('INSERT INTO post_sig (id, sig) VALUES (?, ?)');
db.transaction(() => {
  for (let i = 0; i < n; i++) {
    const sig = Uint16Array.from({ length: 64 }, next);
    if (next() / 65536 < Number(familyShare)) {
      const base = families[next() % families.length]!;
      for (let k = 0; k < 50; k++) { const at = next() % 64; sig[at] = base[at]!; }
    }
    ins.run(1000 + i * 3, Buffer.from(sig.buffer)); // ids with gaps, as a build's are
  }
})();
const sql = (t: string) => db.prepare(t);
const rss0 = process.memoryUsage().rss;
const cpu = process.cpuUsage();
const t0 = performance.now();
const r = db.transaction(() => runStoryPass(sql))();
const used = process.cpuUsage(cpu);
const t1 = performance.now();
db.pragma('wal_checkpoint(TRUNCATE)');
console.log(JSON.stringify({ ...r, wallMs: Math.round(t1 - t0), cpuMs: Math.round((used.user + used.system) / 1000), checkpointMs: Math.round(performance.now() - t1), rssBeforeMb: Math.round(rss0 / 2 ** 20), peakRssMb: peakRssMb() }));
db.close();
