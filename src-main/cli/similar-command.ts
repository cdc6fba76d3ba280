/** `similar ARCHIVE POSTPATH`: other versions of a story (issue 14 part 3), as getSimilar finds them in the index. */
import path from 'node:path';
import { SIMILAR_THRESHOLD, type SimilarResult } from '../shared/archive-api';
import { ArchiveService } from '../node/archive/archive-service';
import { UsageError, type CliValues } from './commands';
import { storeOptions } from './store-options';

const print = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

/** Text output: one line a version, `score  date  categories  title  (path)`, best first. */
export function formatSimilar(result: SimilarResult): string {
  if (result.similar.length === 0) return `No other versions of ${result.path} (none scores ${SIMILAR_THRESHOLD} or more).`;
  const lines = result.similar.map((s) =>
    `${s.score.toFixed(2)}  ${(s.date ?? 'undated').slice(0, 10).padEnd(10)}  ${(s.categories.join('/') || '-').padEnd(12)}  ${s.title}  (${s.path})`);
  return [`${result.similar.length} other version${result.similar.length === 1 ? '' : 's'} of ${result.path}:`, ...lines].join('\n');
}

export async function similarCommand(args: string[], values: CliValues): Promise<number> {
  if (args.length < 2) throw new UsageError(`missing ${args.length === 0 ? 'ARCHIVE and POSTPATH' : 'POSTPATH'}`);
  if (args.length > 2) throw new UsageError(`unexpected argument: ${args[2]}`);
  const [archive, postPath] = args as [string, string];
  const service = new ArchiveService();
  let result: SimilarResult;
  try {
    await service.open(path.resolve(archive), { waitForIndex: true, ...storeOptions(values) });
    result = await service.similar(path.posix.normalize(postPath.split(path.sep).join('/')), values['include-hidden'] ?? false);
  } finally {
    await service.close();
  }
  if (values.json) {
    print(JSON.stringify({ path: result.path, similar: result.similar.map(({ path: p, title, date, score }) => ({ path: p, title, date, score })) }, null, 2));
  } else print(formatSimilar(result));
  return 0;
}
