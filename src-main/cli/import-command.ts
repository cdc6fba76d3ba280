import path from 'node:path';
import type { ImportProgress } from '../shared/archive-api';
import { ArchiveService } from '../node/archive/archive-service';
import { importPosts, type ImportResult } from '../node/import/import-posts';
import type { CliValues } from './commands';

const print = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

/**
 * `import SOURCE… --into ARCHIVE`: copies, then brings the archive's index up to date so the new posts are
 * searchable at once. Exit code 0 even when single files had problems (the report names them), 1 when no
 * source could be imported at all. Ctrl-C during the copy cancels it cleanly (whole files only).
 */
export async function runImportCommand(sources: string[], into: string, values: CliValues): Promise<number> {
  const archive = path.resolve(into);
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once('SIGINT', onInterrupt);
  const showProgress = !values.json && process.stderr.isTTY;
  let result: ImportResult;
  try {
    result = await importPosts(sources, archive, {
      signal: controller.signal,
      onProgress: showProgress ? (p: ImportProgress) => process.stderr.write(`\r${p.phase}: ${p.scanned} found, ${p.copied} copied   `) : undefined,
    });
  } finally {
    process.off('SIGINT', onInterrupt);
    if (showProgress) process.stderr.write('\n');
  }

  let indexFailed = false;
  if (result.sourcesRead > 0) {
    const service = new ArchiveService();
    try {
      await service.open(archive, { waitForIndex: true, indexFile: values.index });
    } catch (error) {
      indexFailed = true;
      result.problems.push({ path: '.', message: `the files were copied, but the index could not be updated: ${error instanceof Error ? error.message : String(error)}` });
    } finally {
      await service.close();
    }
  }

  const { added, duplicates, renamed, skipped, problems, addedPaths, cancelled } = result;
  if (values.json) print(JSON.stringify({ added, duplicates, renamed, skipped, problems, addedPaths, cancelled }, null, 2));
  else print(formatImport(result, archive));
  return result.sourcesRead === 0 || indexFailed ? 1 : 0;
}

export function formatImport(report: ImportResult, archive: string): string {
  const lines = [
    `${report.cancelled ? 'Import cancelled' : 'Imported'} into ${archive}: ${report.added} posts added` +
      `${report.renamed ? ` (${report.renamed} under a new name, as the name was taken)` : ''}, ` +
      `${report.duplicates} already there (skipped), ${report.skipped} other files left out.`,
  ];
  if (report.problems.length) {
    lines.push('', 'Problems:');
    for (const problem of report.problems) lines.push(`  ${problem.path}: ${problem.message}`);
  }
  return lines.join('\n');
}
