/** `timeline` and `batch` (issue 14): a result's coverage over time, and many searches at once. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MAX_BATCH_TERMS, TIMELINE_UNITS, type ListQuery, type ListResult, type Timeline, type TimelineUnit } from '../shared/archive-api';
import { ArchiveService } from '../node/archive/archive-service';
import { WorkspaceService } from '../node/workspace/workspace-service';
import { batchSearch } from '../node/analysis/batch-search';
import { batchCsv, termsFromText } from '../shared/batch';
import { UsageError, type CliValues } from './commands';
import { storeOptions } from './store-options';

const print = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

/** The archive opened with a fresh index and the reader's workspace (for is:starred, label:), closed afterwards. */
export async function withList<T>(archive: string, values: CliValues, job: (service: ArchiveService, list: (q: ListQuery) => Promise<ListResult>, workspace: WorkspaceService) => T | Promise<T>): Promise<T> {
  const service = new ArchiveService();
  try {
    await service.open(path.resolve(archive), { waitForIndex: true, ...storeOptions(values) });
    const workspace = new WorkspaceService(service, { workspaceFile: values.workspace });
    try {
      await workspace.reconcile();
      return await job(service, (q) => workspace.list(q), workspace);
    } finally {
      workspace.close();
    }
  } finally {
    await service.close();
  }
}

/** Text output: one line per bucket, `period  count  ####`. */
function formatTimeline(query: string, t: Timeline): string {
  const max = Math.max(1, ...t.buckets.map((b) => b.count));
  const width = Math.max(0, ...t.buckets.map((b) => String(b.count).length));
  const lines = t.buckets.map((b) => `${b.period.padEnd(10)}  ${String(b.count).padStart(width)}  ${'#'.repeat(Math.round((b.count / max) * 40))}`);
  return [`${t.total} posts for ${JSON.stringify(query)} by ${t.by}, ${t.undated} undated`, ...lines].join('\n');
}

export async function timelineCommand(args: string[], values: CliValues): Promise<number> {
  if (args.length < 2) throw new UsageError(`missing ${args.length === 0 ? 'ARCHIVE and QUERY' : 'QUERY'}`);
  if (args.length > 2) throw new UsageError(`unexpected argument: ${args[2]}`);
  const [archive, query] = args as [string, string];
  const by = values.by;
  if (by !== undefined && !(TIMELINE_UNITS as readonly string[]).includes(by)) throw new UsageError(`--by is ${TIMELINE_UNITS.join(', ')}`);
  const q: ListQuery = { query, includeHidden: values['include-hidden'] ?? false };
  const unit = by as TimelineUnit | undefined;
  // Mark words (is:starred, label:…) are the workspace's: the index counts only the hits that pass their test.
  const timeline = await withList(archive, values, (service, _list, workspace) => service.timeline(q, unit, workspace.pathFilter(q)));
  const { total, undated, buckets } = timeline;
  print(values.json ? JSON.stringify({ total, undated, by: timeline.by, buckets }, null, 2) : formatTimeline(query, timeline));
  return 0;
}

export async function batchCommand(args: string[], values: CliValues): Promise<number> {
  if (args.length === 0) throw new UsageError('missing ARCHIVE');
  if (args.length > 1) throw new UsageError(`unexpected argument: ${args[1]}`);
  if (!values.terms) throw new UsageError('missing --terms FILE (one query per line)');
  if (values.json && values.csv) throw new UsageError('--json and --csv cannot go together');
  const terms = termsFromText(await readFile(values.terms, 'utf8'));
  const result = await withList(args[0]!, values, async (_service, list) => {
    const out = [];
    for (let i = 0; i < terms.length; i += MAX_BATCH_TERMS) out.push(...(await batchSearch(terms.slice(i, i + MAX_BATCH_TERMS), list)).terms);
    return out;
  });
  if (values.csv) process.stdout.write(batchCsv(result));
  else if (values.json) print(JSON.stringify({ terms: result }, null, 2));
  else {
    const width = Math.max(4, ...result.map((t) => t.term.length));
    print(result.map((t) => `${t.term.padEnd(width)}  ${String(t.total).padStart(7)}  ${(t.first ?? '-').slice(0, 10)}  ${(t.last ?? '-').slice(0, 10)}`).join('\n') || 'No terms.');
  }
  return 0;
}
