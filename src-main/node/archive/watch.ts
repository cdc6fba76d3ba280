import { watch, type FSWatcher } from 'chokidar';
import path from 'node:path';

const IGNORED_DIRS = new Set(['.git', '.svn', '.hg', '_site', 'node_modules', '.jekyll-cache', '.sass-cache']);
const POST_FILE = /\.(md|markdown|html?)$/i;

export interface ArchiveWatcher {
  /** Resolves once the watcher sees every folder: a change made after it is reported. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Watches an archive for posts added, changed, renamed or deleted by other programs (an editor, a sync client,
 * `git pull`) and calls `onChange` once per burst: after `quietMs` without events, or at the latest `maxWaitMs`
 * after the first one, so thousands of changes become one incremental update.
 */
export function watchArchive(root: string, onChange: (paths: string[]) => void, options: { quietMs?: number; maxWaitMs?: number } = {}): ArchiveWatcher {
  const quietMs = options.quietMs ?? 400;
  const maxWaitMs = options.maxWaitMs ?? 3000;
  let pending = new Set<string>();
  let quietTimer: NodeJS.Timeout | null = null;
  let maxTimer: NodeJS.Timeout | null = null;

  const flush = () => {
    if (quietTimer) clearTimeout(quietTimer);
    if (maxTimer) clearTimeout(maxTimer);
    quietTimer = maxTimer = null;
    const paths = [...pending];
    pending = new Set();
    if (paths.length) onChange(paths);
  };
  const note = (file: string) => {
    pending.add(path.relative(root, file).split(path.sep).join('/'));
    if (quietTimer) clearTimeout(quietTimer);
    quietTimer = setTimeout(flush, quietMs);
    maxTimer ??= setTimeout(flush, maxWaitMs);
  };

  // The site's `_config.yml` is watched too: the caller reads it again (name, URLs, exclude/include).
  const siteConfig = path.join(root, '_config.yml');
  const watcher: FSWatcher = watch(root, {
    ignoreInitial: true,
    followSymlinks: false,
    ignored: (file, stats) => {
      const name = path.basename(file);
      if (file !== root && (IGNORED_DIRS.has(name) || name.startsWith('.'))) return true;
      return Boolean(stats?.isFile() && !POST_FILE.test(name) && file !== siteConfig);
    },
    awaitWriteFinish: { stabilityThreshold: 200, pollInterval: 50 },
  });
  for (const event of ['add', 'change', 'unlink', 'unlinkDir', 'addDir'] as const) watcher.on(event, note);
  watcher.on('error', () => undefined); // an unreadable folder must not stop the app; the next rescan reports it
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));

  return {
    ready,
    close: async () => {
      if (quietTimer) clearTimeout(quietTimer);
      if (maxTimer) clearTimeout(maxTimer);
      await watcher.close();
    },
  };
}
