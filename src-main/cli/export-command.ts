import path from 'node:path';
import { EXPORT_FORMATS, type ExportFormat, type ExportProgress, type ExportRequest, type ListQuery, type SortOrder } from '../shared/archive-api';
import { ArchiveService } from '../node/archive/archive-service';
import { writeExport } from '../node/export/write-export';
import { markClausesOf } from '../node/workspace/mark-filter';
import { WorkspaceService } from '../node/workspace/workspace-service';
import { UsageError, type CliValues } from './commands';
import { storeOptions } from './store-options';

const print = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

/**
 * `export ARCHIVE QUERY --format F --out PATH [--force]`: the whole result of QUERY (the search syntax; `""` for
 * every post) written as the desktop app and browser mode write it (writeExport: temporary name, then renamed;
 * never inside the archive). An existing --out is refused unless --force. Ctrl-C cancels and leaves no file.
 */
export async function runExportCommand(args: string[], values: CliValues): Promise<number> {
  if (args.length < 2) throw new UsageError(`missing ${['ARCHIVE', 'QUERY'].slice(args.length).join(' and ')} (QUERY may be "" for every post)`);
  if (args.length > 2) throw new UsageError(`unexpected argument: ${args[2]}`);
  const [archive, query] = args as [string, string];
  const format = values.format;
  if (!format) throw new UsageError(`missing --format ${EXPORT_FORMATS.join('|')}`);
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format is ${EXPORT_FORMATS.join(', ')}`);
  if (!values.out) throw new UsageError('missing --out PATH');
  const sort = values.sort;
  if (sort !== undefined && sort !== 'relevance' && sort !== 'date' && sort !== 'oldest') throw new UsageError('--sort is relevance, date or oldest');
  const lang = values.lang;
  if (lang !== undefined && lang !== 'en' && lang !== 'zh') throw new UsageError('--lang is en or zh');

  const request: ExportRequest = {
    format: format as ExportFormat,
    query: { query, sort: (sort as SortOrder | undefined) ?? (query.trim() ? 'relevance' : 'date'), includeHidden: values['include-hidden'] ?? false },
    ...(lang ? { lang } : {}),
  };
  const service = new ArchiveService();
  // Words about the reader's marks (is:starred, label:…) are the workspace's to answer, as in `search`.
  const workspace = markClausesOf(query).length > 0 ? new WorkspaceService(service, { workspaceFile: values.workspace }) : null;
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  const showProgress = !values.json && process.stderr.isTTY;
  process.once('SIGINT', onInterrupt);
  try {
    await service.open(path.resolve(archive), { waitForIndex: true, ...storeOptions(values) });
    await workspace?.reconcile();
    const result = await writeExport(service, request, path.resolve(values.out), {
      overwrite: values.force ?? false,
      ...(workspace ? { filter: (q: ListQuery) => workspace.pathFilter(q) } : {}),
      signal: controller.signal,
      onProgress: (p: ExportProgress) => {
        if (showProgress && p.phase === 'writing') process.stderr.write(`\rWriting ${p.written} of ${p.total}…   `);
      },
    });
    if (showProgress) process.stderr.write('\n');
    if (values.json) print(JSON.stringify(result));
    else if (result.cancelled) print('Export cancelled; nothing was written.');
    else print(`Exported ${result.count} ${result.count === 1 ? 'post' : 'posts'} to ${result.path} (${result.bytes} bytes).`);
    return result.cancelled ? 1 : 0;
  } finally {
    process.off('SIGINT', onInterrupt);
    workspace?.close();
    await service.close();
  }
}
