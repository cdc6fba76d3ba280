import path from 'node:path';
import { CITATION_STYLES, type CitationStyle, type ListQuery, type SortOrder } from '../shared/archive-api';
import { ArchiveService } from '../node/archive/archive-service';
import { citeArticle } from '../node/archive/cite-article';
import { formatHits, formatStats, formatArticle } from './format';
import { markClausesOf } from '../node/workspace/mark-filter';
import { storeOptions } from './store-options';

export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `Backfile: read and search offline news archives (folders of Jekyll-style posts).

Usage: npm run --silent cli -- <command> [arguments] [options]

Commands:
  stats  ARCHIVE                 posts, hidden posts, problems, categories, tags and years
  search ARCHIVE QUERY           search the archive (see the README for the query syntax)
  facets ARCHIVE QUERY           the trees' counts for what QUERY ("" for every post) and --tag find
  show   ARCHIVE POSTPATH        one post, rendered and sanitised (POSTPATH relative to ARCHIVE)
  cite   ARCHIVE POSTPATH        one post cited in one line (--style)
  index  ARCHIVE                 build or update the index, then report what changed
  problems ARCHIVE               files that could not be read as intended, and why
  serve  ARCHIVE                 browser mode: serve the reader on http://127.0.0.1 (token-protected)
  import SOURCE… --into ARCHIVE  copy post folders or files into an archive
  export ARCHIVE QUERY --format F --out PATH   the whole result of QUERY ("" for every post) as a file
  timeline ARCHIVE QUERY         posts per day, week, month or year for QUERY (--by; --json)
  batch  ARCHIVE --terms FILE    one search per line of FILE: hits, first and last date (--json, --csv)
  similar ARCHIVE POSTPATH      other versions of a post (reprints, edited copies), best first (--json)
  mark   ARCHIVE POSTPATH        a post's marks; --star|--unstar, --label NAME…, --unlabel NAME…, --note TEXT change them
  marks  ARCHIVE                 every marked post (missing ones too)
  saved  ARCHIVE                 saved searches with their counts; --add NAME --query Q, --remove NAME
  workspace export|import ARCHIVE FILE   the workspace (marks, labels, saved searches) as JSON; import merges
  label share|unshare ARCHIVE NAME       share your label with the team, or take it back (--team-workspace)

Options:
  --index PATH        index file to use (default: a per-user data folder, one index per archive)
  --store URL         read (index: write) the team index on PostgreSQL at postgres://USER@HOST:PORT/DB instead;
                          the password from the URL or PGPASSWORD, never printed
  --pg-schema NAME    with --store: the schema holding the index (default backfile)
  --team-workspace    with --store: stars, labels, notes and saved searches in the team database (this role's)
  --watch             index --store: keep following the archive on disk, updating the team index
  --replace           index --store: update a team index built from another archive anyway (removes its posts)
  --workspace PATH    workspace file to use (default: a per-user data folder, one workspace per archive)
  --json              machine-readable output
  --limit N           search: hits per page (default 20, at most 500)
  --offset N          search: hits to skip (paging)
  --sort relevance|date|oldest   search: order of hits (default relevance; date, newest first, when the query
                          is empty; oldest: date, oldest first)
  --include-hidden    include unpublished posts and drafts
  --tag NAME          search, facets: only posts with this tag (repeat for several: all of them)
  --any-tag           search, facets: posts with any of the --tag tags instead of all
  --collapse          search: one hit per story (other versions of it counted as "versions"; total, --limit and
                      --offset count stories)
  --port N            serve: port on 127.0.0.1 (default: a free one)
  --style gb7714|apa|chicago|markdown   cite: GB/T 7714-2015, APA 7, Chicago (bibliography) or a Markdown link
                          (default gb7714)
  --accessed YYYY-MM-DD   cite: the access date (default: today)
  --format csv|json|ris|csl-json|bibtex|dossier   export: the file format
  --out PATH          export: where to write (outside the archive); an existing file only with --force
  --force             export: replace an existing --out
  --lang en|zh        export: the dossier's language (default en)
  --by day|week|month|year   timeline: bar size (default: chosen from the result's span)
  --terms FILE        batch: the queries, one per line (UTF-8)
  --csv               batch: CSV (term,total,first,last; UTF-8 with BOM) instead of text
  -h, --help          this text
  --                  the rest are arguments, not options (search ARCHIVE -- -foo)
`;

export interface CliValues {
  index?: string;
  store?: string;
  'pg-schema'?: string;
  'team-workspace'?: boolean;
  watch?: boolean;
  workspace?: string;
  star?: boolean;
  unstar?: boolean;
  label?: string[];
  unlabel?: string[];
  note?: string;
  add?: string;
  remove?: string;
  query?: string;
  json?: boolean;
  limit?: string;
  offset?: string;
  sort?: string;
  port?: string;
  into?: string;
  style?: string;
  accessed?: string;
  format?: string;
  out?: string;
  force?: boolean;
  replace?: boolean;
  lang?: string;
  'include-hidden'?: boolean;
  tag?: string[];
  'any-tag'?: boolean;
  collapse?: boolean;
  by?: string;
  terms?: string;
  csv?: boolean;
}

type Handler = (args: string[], values: CliValues) => Promise<number>;

const print = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
const printJson = (value: unknown) => print(JSON.stringify(value, null, 2));

function expectArgs(args: string[], names: string[]): string[] {
  if (args.length < names.length) throw new UsageError(`missing ${names.slice(args.length).join(' and ')}`);
  if (args.length > names.length) throw new UsageError(`unexpected argument: ${args[names.length]}`);
  return args;
}

function integer(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} takes a whole number, not "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}`);
  return n;
}

/** `--accessed YYYY-MM-DD` as that local calendar day. */
function calendarDay(value: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : null;
  if (!date || date.getMonth() !== Number(match?.[2]) - 1) throw new UsageError(`--accessed takes a day as YYYY-MM-DD, not "${value}"`);
  return date;
}

/** Opens the archive and brings its index up to date before answering: the CLI answers from fresh data. */
/** --tag (repeatable) and --any-tag as ListQuery fields. */
function tagOptions(values: CliValues): Pick<ListQuery, 'tags' | 'tagMode'> {
  const tags = values.tag ?? [];
  if (values['any-tag'] && tags.length === 0) throw new UsageError('--any-tag needs --tag');
  return tags.length === 0 ? {} : { tags, ...(values['any-tag'] ? { tagMode: 'any' as const } : {}) };
}

async function withArchive<T>(archive: string, values: CliValues, job: (service: ArchiveService) => Promise<T>): Promise<T> {
  const service = new ArchiveService();
  try {
    await service.open(path.resolve(archive), { waitForIndex: true, ...storeOptions(values) });
    return await job(service);
  } finally {
    await service.close();
  }
}

const commands: Record<string, Handler> = {
  mark: async (args, values) => (await import('./workspace-commands')).markCommand(args, values),
  marks: async (args, values) => (await import('./workspace-commands')).marksCommand(args, values),
  saved: async (args, values) => (await import('./workspace-commands')).savedCommand(args, values),
  workspace: async (args, values) => (await import('./workspace-commands')).workspaceCommand(args, values),
  label: async (args, values) => (await import('./workspace-commands')).labelCommand(args, values),

  timeline: async (args, values) => (await import('./coverage-commands')).timelineCommand(args, values),
  batch: async (args, values) => (await import('./coverage-commands')).batchCommand(args, values),
  similar: async (args, values) => (await import('./similar-command')).similarCommand(args, values),

  async stats(args, values) {
    const [archive] = expectArgs(args, ['ARCHIVE']) as [string];
    const { stats, site } = await withArchive(archive, values, async (s) => ({ stats: await s.stats(), site: s.siteConfig() }));
    if (values.json) printJson({ ...stats, site: { title: site.title, url: site.url ? `${site.url}${site.baseurl}` : null } });
    else print(formatStats(stats));
    return 0;
  },

  /** The tree counts of what a query and --tag find (getFacets). */
  async facets(args, values) {
    const [archive, query] = expectArgs(args, ['ARCHIVE', 'QUERY']) as [string, string];
    const q: ListQuery = { query, ...tagOptions(values), includeHidden: values['include-hidden'] ?? false };
    // Words about the reader's marks (is:starred, label:…) are the workspace's: only the posts passing them count.
    const facets = markClausesOf(query).length > 0
      ? await (await import('./coverage-commands')).withList(archive, values, (s, _list, workspace) => s.facets(q, workspace.pathFilter(q)))
      : await withArchive(archive, values, async (s) => s.facets(q));
    if (values.json) printJson(facets);
    else {
      const categories = (nodes: typeof facets.categories, depth = 0): string[] =>
        nodes.flatMap((n) => [`  ${'  '.repeat(depth)}${n.path.length ? n.name : '(uncategorised)'}  ${n.total}`, ...categories(n.children, depth + 1)]);
      print([
        'Categories:', ...categories(facets.categories),
        'Years:', ...facets.dates.map((d) => `  ${d.year ?? '(undated)'}  ${d.count}`),
        'Tags:', ...facets.tags.map((t) => `  ${t.name || '(untagged)'}  ${t.count}`),
      ].join('\n'));
    }
    return 0;
  },

  async search(args, values) {
    const [archive, query] = expectArgs(args, ['ARCHIVE', 'QUERY']) as [string, string];
    const sort = values.sort;
    if (sort !== undefined && sort !== 'relevance' && sort !== 'date' && sort !== 'oldest') throw new UsageError('--sort is relevance, date or oldest');
    const listQuery: ListQuery = {
      query,
      limit: integer(values.limit, 'limit', 1, 500) ?? 20,
      offset: integer(values.offset, 'offset', 0, 10_000_000) ?? 0,
      sort: (sort as SortOrder | undefined) ?? (query.trim() ? 'relevance' : 'date'),
      includeHidden: values['include-hidden'] ?? false,
      ...tagOptions(values),
      ...(values.collapse ? { collapse: true } : {}),
    };
    // Words about the reader's marks (is:starred, label:…) are the workspace's to answer.
    const withMarks = markClausesOf(query).length > 0 ? (await import('./workspace-commands')).listWithWorkspace : null;
    const result = await withArchive(archive, values, async (s) => (withMarks ? withMarks(s, listQuery, values) : s.list(listQuery)));
    if (values.json) {
      printJson({
        total: result.total,
        hits: result.items.map(({ path: p, title, date, categories, tags, snippet, versions }) =>
          ({ path: p, title, date, categories, tags, snippet, ...(versions !== undefined ? { versions } : {}) })),
        ...(result.notice ? { notice: result.notice } : {}),
      });
    } else print(formatHits(query, result));
    return 0;
  },

  async show(args, values) {
    const [archive, postPath] = expectArgs(args, ['ARCHIVE', 'POSTPATH']) as [string, string];
    const article = await withArchive(archive, values, async (s) => s.getArticle(path.posix.normalize(postPath.split(path.sep).join('/'))));
    if (values.json) {
      const { path: p, title, date, categories, tags, source, url, html, problems, meta } = article;
      printJson({ path: p, title, date, categories, tags, source, url: url ?? null, html, problems, meta });
    } else print(formatArticle(article));
    return 0;
  },

  async cite(args, values) {
    const [archive, postPath] = expectArgs(args, ['ARCHIVE', 'POSTPATH']) as [string, string];
    const style = values.style ?? 'gb7714';
    if (!(CITATION_STYLES as readonly string[]).includes(style)) throw new UsageError(`--style is ${CITATION_STYLES.join(', ')}`);
    const accessed = values.accessed === undefined ? new Date() : calendarDay(values.accessed);
    const line = await withArchive(archive, values, async (s) =>
      citeArticle(s, path.posix.normalize(postPath.split(path.sep).join('/')), style as CitationStyle, accessed),
    );
    print(values.json ? JSON.stringify({ style, citation: line }) : line);
    return 0;
  },

  async index(args, values) {
    const [archive] = expectArgs(args, ['ARCHIVE']) as [string];
    const { team } = storeOptions(values);
    if (team) return (await import('./index-team-command')).indexTeamCommand(path.resolve(archive), team, values);
    if (values.watch) throw new UsageError('--watch needs --store (the team indexer); the app and serve follow the disk by themselves');
    const service = new ArchiveService();
    try {
      await service.open(path.resolve(archive), { indexFile: values.index, waitForIndex: true });
      const summary = service.lastSummary();
      if (!summary) throw new Error('the index update did not finish');
      const info = service.info();
      const result = { ...summary, posts: info.posts, hidden: info.hidden, problems: info.problems, index: info.indexPath };
      if (values.json) printJson(result);
      else {
        print(`Indexed ${info.root} in ${(summary.ms / 1000).toFixed(1)} s: ${summary.updated} read, ${summary.unchanged} unchanged, ${summary.deleted} removed.`);
        print(`${info.posts} posts, ${info.hidden} hidden, ${info.problems} problems. Index: ${info.indexPath}`);
      }
    } finally {
      await service.close();
    }
    return 0;
  },

  async problems(args, values) {
    const [archive] = expectArgs(args, ['ARCHIVE']) as [string];
    const problems = await withArchive(archive, values, async (s) => s.problems());
    if (values.json) printJson(problems);
    else print(problems.length ? problems.map((p) => `${p.severity}: ${p.path}: ${p.message}`).join('\n') : 'No problems.');
    return 0;
  },

  async serve(args, values) {
    const [archive] = expectArgs(args, ['ARCHIVE']) as [string];
    const { serveArchive } = await import('../server/serve');
    const port = integer(values.port, 'port', 0, 65535) ?? 0;
    const { indexFile, team } = storeOptions(values, 2000);
    // Serves until Ctrl-C (SIGINT) or SIGTERM, then closes: the index, and the temp folder of exports not yet
    // downloaded, which an ended process would leave behind. Listening from before the ready line, so a signal sent
    // as soon as it is printed is not lost; a second signal ends the process at once (default handling).
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => {
      stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
    });
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    let served: Awaited<ReturnType<typeof serveArchive>>;
    try {
      served = await serveArchive({ archive: path.resolve(archive), port, indexFile, ...(team ? { team } : {}), workspaceFile: values.workspace });
    } catch (error) {
      stop();
      throw error;
    }
    await stopped;
    await served.close();
    return 0;
  },

  async import(args, values) {
    if (args.length === 0) throw new UsageError('missing SOURCE (a folder or post file to import)');
    if (!values.into) throw new UsageError('missing --into ARCHIVE');
    const { runImportCommand } = await import('./import-command');
    return runImportCommand(args, values.into, values);
  },

  async export(args, values) {
    const { runExportCommand } = await import('./export-command');
    return runExportCommand(args, values);
  },
};

export async function runCommand(command: string, args: string[], values: CliValues): Promise<number> {
  const handler = Object.hasOwn(commands, command) ? commands[command] : undefined;
  if (!handler) throw new UsageError(`unknown command "${command}"`);
  return handler(args, values);
}
