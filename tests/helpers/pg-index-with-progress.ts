/**
 * Indexes an archive into a team index on PostgreSQL (updatePgIndex) and prints one JSON line on stdout per
 * progress event, so that a test can kill it at a chosen point of its work (tests/node/pg-kill.test.ts).
 *
 * Run: `node --import tsx tests/helpers/pg-index-with-progress.ts URL SCHEMA ARCHIVE`.
 */
import path from 'node:path';
import { openPgStore, updatePgIndex } from '../../src-main/node/pg';

const [url, schema, archive] = process.argv.slice(2);
if (!url || !schema || !archive) throw new Error('usage: pg-index-with-progress URL SCHEMA ARCHIVE');

const store = await openPgStore(url, schema);
try {
  await updatePgIndex(store.pool, schema, path.resolve(archive), {
    onProgress: (progress) => process.stdout.write(`${JSON.stringify(progress)}\n`),
  });
  process.stdout.write(`${JSON.stringify({ phase: 'done' })}\n`);
} finally {
  await store.close();
}
