/**
 * Indexes an archive on THIS thread (no worker), for `node --cpu-prof`:
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx tests/bench/profile-index.ts <archive> [index.sqlite]
 * Then summarise the profile with `npx tsx tests/bench/summarise-profile.ts /tmp/prof/<file>.cpuprofile`.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { IndexStore } from '../../src-main/node/index/store';
import { updateIndex } from '../../src-main/node/index/update';

const [root, file = path.join(os.tmpdir(), `backfile-profile-${process.pid}.sqlite`)] = process.argv.slice(2);
if (!root) {
  console.error('usage: profile-index.ts <archive> [index.sqlite]');
  process.exit(2);
}
for (const suffix of ['', '-wal', '-shm']) await fs.rm(file + suffix, { force: true });
const store = IndexStore.open(file);
try {
  const summary = await updateIndex(store, root);
  console.log(JSON.stringify(summary));
} finally {
  store.close();
  for (const suffix of ['', '-wal', '-shm']) await fs.rm(file + suffix, { force: true });
}
