/**
 * The CLI's `index` command (cli/commands.ts) plus one JSON line on stdout per progress event, so that a test
 * can kill it at a chosen point of its work (tests/node/index-crash.test.ts) instead of after a guessed delay.
 *
 * Run: `node --import tsx tests/helpers/index-with-progress.ts ARCHIVE INDEXFILE`.
 */
import path from 'node:path';
import { ArchiveService } from '../../src-main/node/archive/archive-service';

const [archive, indexFile] = process.argv.slice(2);
if (!archive || !indexFile) throw new Error('usage: index-with-progress ARCHIVE INDEXFILE');

const service = new ArchiveService();
service.on('indexProgress', (progress) => process.stdout.write(`${JSON.stringify(progress)}\n`));
try {
  await service.open(path.resolve(archive), { indexFile, waitForIndex: true });
  process.stdout.write(`${JSON.stringify({ phase: 'done' })}\n`);
} finally {
  await service.close();
}
