/**
 * Times a CSV export of a common word's result (relevance sort), plain and through the workspace's mark words
 * (`is:starred`, a star on every other post of the result), on an archive made by generate-archive.ts.
 *
 * Run: `npx tsx tests/bench/export-time.ts ARCHIVE INDEX [WORD=市场] [SRC=src-main]` (SRC: another checkout's
 * src-main, to compare before and after a change on the same archive and index).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [archive, indexFile, word = '市场', src = 'src-main'] = process.argv.slice(2);
if (!archive || !indexFile) throw new Error('usage: export-time.ts ARCHIVE INDEX [WORD] [SRC]');
const load = async <T>(rel: string): Promise<T> => (await import(pathToFileURL(path.resolve(src, rel)).href)) as T;

type Service = { open(root: string, o: object): Promise<void>; close(): Promise<void>; list(q: object): { total: number; items: { path: string }[] } };
const { ArchiveService } = await load<{ ArchiveService: new (o: object) => Service }>('node/archive/archive-service.ts');
const { WorkspaceService } = await load<{ WorkspaceService: new (s: Service, o: object) => { api(): { setStar(p: string, s: boolean): Promise<unknown> }; list(q: object): unknown; pathFilter?(q: object): unknown; close(): void } }>('node/workspace/workspace-service.ts');
const { writeExport } = await load<{ writeExport: (s: Service, r: object, t: string, o: object) => Promise<{ count: number; bytes: number }> }>('node/export/write-export.ts');

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'backfile-export-time-'));
const service = new ArchiveService({});
await service.open(path.resolve(archive), { waitForIndex: true, indexFile: path.resolve(indexFile) });
const workspace = new WorkspaceService(service, { workspaceFile: path.join(out, 'workspace.sqlite') });
const query = { query: word, sort: 'relevance' };
const all: string[] = [];
for (let offset = 0; ; offset += 500) {
  const page = service.list({ ...query, sort: 'date', offset, limit: 500 });
  all.push(...page.items.map((i) => i.path));
  if (page.items.length < 500) break;
}
for (let i = 0; i < all.length; i += 2) await workspace.api().setStar(all[i]!, true);

async function time(label: string, request: object, options: object): Promise<void> {
  const started = performance.now();
  const result = await writeExport(service, request, path.join(out, `${label}.csv`), { overwrite: true, ...options });
  const ms = Math.round(performance.now() - started);
  console.log(JSON.stringify({ label, posts: result.count, bytes: result.bytes, ms, heapMB: Math.round(process.memoryUsage().heapUsed / 2 ** 20) }));
}

await time('plain', { format: 'csv', query }, {});
const marked = { ...query, query: `is:starred ${word}` };
// The app's hook: before this change a list (`list`), after it a path filter (`filter`).
const hook = workspace.pathFilter ? { filter: (q: object) => workspace.pathFilter!(q) } : { list: (q: object) => workspace.list(q) };
await time('is:starred', { format: 'csv', query: marked }, hook);
workspace.close();
await service.close();
fs.rmSync(out, { recursive: true, force: true });
