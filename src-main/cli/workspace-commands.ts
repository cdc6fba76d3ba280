/**
 * The workspace's commands (issue 13): `mark`, `marks`, `saved`, `workspace export|import`. Each opens the archive
 * (index brought up to date, so marks follow moved posts first) and its workspace (`--workspace PATH`, else the
 * one in the data folder), over the same services as the desktop app and browser mode.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ArchiveError, type ListQuery, type ListResult } from '../shared/archive-api';
import type { MarkedPost, PostMarks, SavedSearch, WorkspaceImportReport } from '../shared/workspace-api';
import { ArchiveService } from '../node/archive/archive-service';
import { isInside } from '../node/fs-safety';
import { exportWorkspace } from '../node/workspace/exchange';
import { addSavedSearch, listSavedSearches, removeSavedSearch } from '../node/workspace/saved-searches';
import { WorkspaceService } from '../node/workspace/workspace-service';
import { UsageError, type CliValues } from './commands';
import { storeOptions } from './store-options';

const print = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
const printJson = (value: unknown) => print(JSON.stringify(value, null, 2));
const postPathOf = (arg: string) => path.posix.normalize(arg.split(path.sep).join('/'));

function expectArgs(args: string[], names: string[]): string[] {
  if (args.length < names.length) throw new UsageError(`missing ${names.slice(args.length).join(' and ')}`);
  if (args.length > names.length) throw new UsageError(`unexpected argument: ${args[names.length]}`);
  return args;
}

async function withWorkspace<T>(archive: string, values: CliValues, job: (workspace: WorkspaceService, service: ArchiveService) => T | Promise<T>): Promise<T> {
  const service = new ArchiveService();
  const workspace = new WorkspaceService(service, { workspaceFile: values.workspace });
  try {
    await service.open(path.resolve(archive), { waitForIndex: true, ...storeOptions(values) });
    await workspace.reconcile();
    return await job(workspace, service);
  } finally {
    workspace.close();
    await service.close();
  }
}

function formatMarks(m: PostMarks | MarkedPost): string {
  const lines = [`${'title' in m ? `${m.title} · ` : ''}${m.path}${'missing' in m && m.missing ? ' (missing)' : ''}`];
  if (m.starred) lines.push('  ★ starred');
  if (m.labels.length) lines.push(`  Labels: ${m.labels.join(', ')}`);
  if (m.note) lines.push(...m.note.split('\n').map((line, i) => (i === 0 ? `  Note: ${line}` : `        ${line}`)));
  for (const h of m.highlights) lines.push(`  Highlight: “${h.exact}”${h.comment ? ` — ${h.comment}` : ''}`);
  if (lines.length === 1) lines.push('  (no marks)');
  return lines.join('\n');
}

/** `search`'s list when the query names marks (`is:starred`, `label:`, `has:note`, `has:highlight`): the workspace applies them. */
export async function listWithWorkspace(service: ArchiveService, query: ListQuery, values: CliValues): Promise<ListResult> {
  const workspace = new WorkspaceService(service, { workspaceFile: values.workspace });
  try {
    await workspace.reconcile();
    return await workspace.list(query);
  } finally {
    workspace.close();
  }
}

/** `mark ARCHIVE POSTPATH [--star|--unstar] [--label NAME]… [--unlabel NAME]… [--note TEXT]`: one transaction, then the post's marks. */
export async function markCommand(args: string[], values: CliValues): Promise<number> {
  const [archive, postArg] = expectArgs(args, ['ARCHIVE', 'POSTPATH']) as [string, string];
  if (values.star && values.unstar) throw new UsageError('--star and --unstar cannot go together');
  const marks = await withWorkspace(archive, values, (workspace) => workspace.change(async (store) => {
    const post = await workspace.post(postPathOf(postArg));
    const changes = values.star || values.unstar || values.label?.length || values.unlabel?.length || values.note !== undefined;
    if (!changes) return store.getMarks(post.path);
    return store.mark(post, (id) => {
      if (values.star || values.unstar) store.setStar(id, Boolean(values.star));
      for (const name of values.label ?? []) store.addLabel(id, name);
      for (const name of values.unlabel ?? []) store.removeLabel(id, name);
      if (values.note !== undefined) store.setNote(id, values.note);
    });
  }));
  if (values.json) printJson(marks);
  else print(formatMarks(marks));
  return 0;
}

/** `marks ARCHIVE`: every marked post, missing ones too. */
export async function marksCommand(args: string[], values: CliValues): Promise<number> {
  const [archive] = expectArgs(args, ['ARCHIVE']) as [string];
  const marks = await withWorkspace(archive, values, (workspace) => workspace.workspace().listMarks());
  if (values.json) {
    printJson({ marks: marks.map(({ path: p, title, starred, labels, note, highlights, missing }) => ({ path: p, title, starred, labels, note, highlights, missing })) });
  } else print(marks.length ? marks.map(formatMarks).join('\n\n') : 'No marks yet.');
  return 0;
}

const savedJson = (s: SavedSearch) => ({ name: s.name, query: s.query.query ?? '', total: s.total, new: s.new });

/** `saved ARCHIVE [--add NAME --query Q | --remove NAME]`: the saved searches with their counts. */
export async function savedCommand(args: string[], values: CliValues): Promise<number> {
  const [archive] = expectArgs(args, ['ARCHIVE']) as [string];
  if (values.add !== undefined && values.remove !== undefined) throw new UsageError('--add and --remove cannot go together');
  if (values.add !== undefined && values.query === undefined) throw new UsageError('--add NAME needs --query Q');
  if (values.query !== undefined && values.add === undefined) throw new UsageError('--query goes with --add NAME');
  const saved = await withWorkspace(archive, values, (workspace) => workspace.change(async (store) => {
    if (values.add !== undefined) await addSavedSearch(store, values.add, { query: values.query!, ...(values['include-hidden'] ? { includeHidden: true } : {}) }, workspace.findPaths);
    if (values.remove !== undefined && !removeSavedSearch(store, values.remove)) throw new ArchiveError('NOT_FOUND', `no saved search "${values.remove}"`);
    return listSavedSearches(store, workspace.findPaths);
  }));
  if (values.json) printJson({ saved: saved.map(savedJson) });
  else print(saved.length ? saved.map((s) => `${s.name}: ${JSON.stringify(s.query.query ?? '')} · ${s.total} posts, ${s.new} new`).join('\n') : 'No saved searches.');
  return 0;
}

function formatImport(report: WorkspaceImportReport): string {
  const lines = [`Imported ${report.merged} marked posts (${report.missing} not in this archive, kept as missing), ${report.labels} new labels, ${report.saved} saved searches.`];
  if (report.conflicts.length) {
    lines.push('', 'Conflicts (this workspace kept its own):');
    for (const c of report.conflicts) lines.push(`  ${c.kind} ${c.name}: ${c.message}`);
  }
  return lines.join('\n');
}

/** `label share|unshare ARCHIVE NAME`: shares one's own label with the team (team workspace), then the labels. */
export async function labelCommand(args: string[], values: CliValues): Promise<number> {
  const [action, archive, name] = expectArgs(args, ['share or unshare', 'ARCHIVE', 'NAME']) as [string, string, string];
  if (action !== 'share' && action !== 'unshare') throw new UsageError(`label takes share or unshare, not "${action}"`);
  const labels = await withWorkspace(archive, values, (workspace) => workspace.api().setLabelShared(name, action === 'share'));
  if (values.json) printJson({ labels });
  else print(labels.map((l) => `${l.name}: ${l.count} posts${l.owner !== undefined ? ` · shared by ${l.owner}` : l.shared ? ' · shared with the team' : ''}`).join('\n'));
  return 0;
}

/** `workspace export|import ARCHIVE FILE`. */
export async function workspaceCommand(args: string[], values: CliValues): Promise<number> {
  const [action, archive, file] = expectArgs(args, ['export or import', 'ARCHIVE', 'FILE']) as [string, string, string];
  if (action !== 'export' && action !== 'import') throw new UsageError(`workspace takes export or import, not "${action}"`);
  const target = path.resolve(file);
  if (action === 'export') {
    const count = await withWorkspace(archive, values, (workspace, service) => {
      if (isInside(service.root!, target)) throw new ArchiveError('UNSAFE_PATH', `Backfile never writes into the archive: ${target}`);
      const data = exportWorkspace(workspace.workspace());
      // Written beside the target and renamed into place: a crash leaves the old file or the new one, never half.
      const temp = `${target}.${process.pid}.tmp`;
      fs.writeFileSync(temp, `${JSON.stringify(data, null, 2)}\n`);
      fs.renameSync(temp, target);
      return data.marks.length;
    });
    if (values.json) printJson({ file: target, marks: count });
    else print(`Exported ${count} marked posts to ${target}`);
    return 0;
  }
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(target, 'utf8'));
  } catch (error) {
    throw new ArchiveError('INVALID_ARGUMENT', `cannot read ${target} as JSON: ${(error as Error).message}`);
  }
  const report = await withWorkspace(archive, values, (workspace) => workspace.importData(data));
  if (values.json) printJson(report);
  else print(formatImport(report));
  return 0;
}
