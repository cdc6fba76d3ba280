import path from 'node:path';
import type { ImportProgress, ImportReport } from '../shared/archive-api';
import { ArchiveService } from '../node/archive/archive-service';
import { isRefusalOf } from '../node/import/prepare';
import type { CliValues } from './commands';
import { storeOptions } from './store-options';

const print = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

/**
 * `import SOURCE… --into ARCHIVE`: the same service call as the desktop app and the browser mode
 * (ArchiveService.importPaths), which copies, then brings the archive's index up to date so the new posts are
 * searchable at once. Exit code 0 even when single files had problems (the report names them), 1 when no
 * source could be imported at all. Ctrl-C during the copy cancels it cleanly (whole files only).
 */
export async function runImportCommand(sources: string[], into: string, values: CliValues): Promise<number> {
  const archive = path.resolve(into);
  const service = new ArchiveService();
  const showProgress = !values.json && process.stderr.isTTY;
  let copied = false;
  const stopListening = service.on('importProgress', (p: ImportProgress) => {
    if (p.phase === 'indexing') copied = true;
    if (showProgress) process.stderr.write(`\r${p.phase}: ${p.scanned} found, ${p.copied} copied   `);
  });
  const onInterrupt = () => service.cancelImport();
  process.once('SIGINT', onInterrupt);
  let report: ImportReport;
  try {
    await service.open(archive, storeOptions(values));
    report = await service.importPaths(sources);
  } catch (error) {
    if (!copied) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`the files were copied, but the index could not be updated: ${message}`, { cause: error });
  } finally {
    process.off('SIGINT', onInterrupt);
    stopListening();
    if (showProgress) process.stderr.write('\n');
    await service.close();
  }

  const { added, duplicates, renamed, skipped, problems, addedPaths, duplicateFiles, cancelled } = report;
  if (values.json) print(JSON.stringify({ added, duplicates, renamed, skipped, problems, addedPaths, duplicateFiles, cancelled }, null, 2));
  else print(formatImport(report, archive));
  const nothingRead = sources.every((source) => problems.some((problem) => isRefusalOf(source, problem)));
  return nothingRead ? 1 : 0;
}

export function formatImport(report: ImportReport, archive: string): string {
  const lines = [
    `${report.cancelled ? 'Import cancelled' : 'Imported'} into ${archive}: ${report.added} posts added` +
      `${report.renamed ? ` (${report.renamed} under a new name, as the name was taken)` : ''}, ` +
      `${report.duplicates} already there (skipped), ${report.skipped} other files left out.`,
  ];
  if (report.duplicateFiles.length) {
    lines.push('', 'Already there (skipped):');
    for (const duplicate of report.duplicateFiles) lines.push(`  ${duplicate.path}: same as ${duplicate.existing}`);
  }
  if (report.problems.length) {
    lines.push('', 'Problems:');
    for (const problem of report.problems) lines.push(`  ${problem.path}: ${problem.message}`);
  }
  return lines.join('\n');
}
