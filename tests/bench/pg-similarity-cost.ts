/**
 * What other versions and stories (pg-similar.ts, schema v2) add to a cold index on PostgreSQL: the same generated
 * archive indexed twice into a throwaway PostgreSQL (tests/helpers/postgres.ts), once with signatures off
 * (similar.ts SIMILARITY_OFF_ENV: no signature, so no buckets and no stories) and once as the app does, posts read
 * on the indexing thread. Prints CPU seconds of this process and of the server's processes for each run, the
 * difference per post, and the load average. Run: `npx tsx tests/bench/pg-similarity-cost.ts [posts=20000] [real|synthetic]`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateArchive, type Corpus } from './generate-archive';
import { openPgStore, updatePgIndex } from '../../src-main/node/pg';
import { SIMILARITY_OFF_ENV } from '../../src-main/node/index/similar';
import { startPostgres } from '../helpers/postgres';
import { serverCpuMs } from './pg-server-cpu';

const posts = Number(process.argv[2] ?? 20000);
const corpus = (process.argv[3] ?? 'real') as Corpus;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backfile-pg-simcost-'));
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function main() {
  const archive = path.join(dir, 'archive');
  await generateArchive(archive, posts, 42, corpus);
  const result: Record<string, unknown> = { posts, corpus, loadavgBefore: os.loadavg().map((l) => l.toFixed(2)) };
  const server = await startPostgres();
  try {
    const pid = Number(fs.readFileSync(path.join(server.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const store = await openPgStore(server.adminUrl, 'backfile');
    for (const [name, off] of [['without', true], ['with', false]] as const) {
      if (off) process.env[SIMILARITY_OFF_ENV] = '1';
      else delete process.env[SIMILARITY_OFF_ENV];
      const schema = `s_${name}`;
      const s0 = serverCpuMs(pid) ?? 0;
      const c0 = cpu();
      const w0 = performance.now();
      await updatePgIndex(store.pool, schema, archive, { parseThreads: 0 });
      const stories = (await store.pool.query<{ n: string; m: string }>(`SELECT count(DISTINCT story) AS n, count(*) AS m FROM ${schema}.post_story`)).rows[0];
      result[name] = {
        nodeCpuS: (cpu() - c0) / 1000, serverCpuS: ((serverCpuMs(pid) ?? 0) - s0) / 1000, wallS: (performance.now() - w0) / 1000,
        stories: Number(stories?.n), postsInStories: Number(stories?.m),
      };
    }
    const [a, b] = [result.without as { nodeCpuS: number; serverCpuS: number }, result.with as { nodeCpuS: number; serverCpuS: number }];
    result.addedMsPerPost = { node: ((b.nodeCpuS - a.nodeCpuS) * 1000) / posts, server: ((b.serverCpuS - a.serverCpuS) * 1000) / posts };
    await store.close();
  } finally {
    await server.stop();
  }
  result.loadavgAfter = os.loadavg().map((l) => l.toFixed(2));
  console.log(JSON.stringify(result, null, 2));
}

main().finally(() => fs.rmSync(dir, { recursive: true, force: true })).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
