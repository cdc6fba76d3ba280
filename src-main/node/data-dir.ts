import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

/**
 * Where Backfile keeps what it can rebuild (indexes) and what it remembers (recent archives):
 * a per-user data folder, never inside the archive, which may be read-only or shared.
 * `BACKFILE_DATA_DIR` overrides it (tests, portable installs).
 */
export function dataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.BACKFILE_DATA_DIR) return path.resolve(env.BACKFILE_DATA_DIR);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'Backfile');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Backfile');
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'backfile');
}

/** One index file per archive, keyed by the archive's absolute path so two archives never share one. */
export function defaultIndexPath(archiveRoot: string, base: string = dataDir()): string {
  const root = path.resolve(archiveRoot);
  const key = createHash('sha256').update(root).digest('hex').slice(0, 16);
  const name = (path.basename(root) || 'archive').replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 40);
  return path.join(base, 'indexes', `${name}-${key}.sqlite`);
}
