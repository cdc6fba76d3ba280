import fs from 'node:fs';
import path from 'node:path';

/**
 * better-sqlite3 is a native module: Node (tests, CLI) and Electron need different builds. `npm start` builds
 * an Electron copy into build/native/ (scripts/ensure-electron-abi.mjs) and leaves node_modules as Node's,
 * so the tests keep working. The index store picks the file named here (workers inherit the variable).
 * Packaged apps get an Electron build from electron-builder's rebuild and need nothing.
 */
export function useElectronSqliteBinding(isPackaged: boolean, appPath: string): void {
  if (isPackaged || process.env.BACKFILE_SQLITE_BINDING) return;
  const file = path.join(appPath, 'build', 'native', `electron-${process.versions.electron}`, 'better_sqlite3.node');
  if (fs.existsSync(file)) process.env.BACKFILE_SQLITE_BINDING = file;
}
