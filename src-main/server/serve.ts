import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArchiveService } from '../node/archive/archive-service';
import { createArchiveApi } from '../node/archive/create-archive-api';
import { dataDir } from '../node/data-dir';
import { ExportDownloads } from '../node/export/export-downloads';
import { RecentArchives } from '../node/recent-archives';
import { startBrowserServer, type BrowserServer } from './http-server';
import type { TeamIndexRequest } from '../shared/archive-api';
import type { TeamIndexOptions } from '../node/archive/team-index';

/** The built renderer for browser mode (`vite build --config vite.renderer.config.ts`). */
export const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../out/web');

export interface ServeOptions {
  archive: string;
  port?: number;
  indexFile?: string;
  /** A team index on PostgreSQL to read instead of the local index (`--store URL`, `--pg-schema NAME`). */
  team?: TeamIndexRequest & TeamIndexOptions;
  /** The workspace file (`--workspace`); default: one per archive in the data folder. */
  workspaceFile?: string;
  staticDir?: string;
  /** Follow changes on disk (default on). */
  watch?: boolean;
  /** Print the ready line (the CLI does; tests read the returned URL). */
  announce?: boolean;
}

/** Opens the archive, starts the token-guarded server on 127.0.0.1, and says where once it is ready. */
export async function serveArchive(options: ServeOptions): Promise<BrowserServer & { service: ArchiveService }> {
  const staticDir = options.staticDir ?? WEB_DIR;
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) {
    throw new Error(`the browser page is not built (${staticDir}); run \`npm run serve -- ARCHIVE\`, which builds it first`);
  }
  const service = new ArchiveService({
    assetUrl: (p) => `/asset/${p.split('/').map(encodeURIComponent).join('/')}`,
    capabilities: { showInFolder: false, chooseFolder: false, importPaths: false, importFiles: true },
    watch: options.watch ?? true,
  });
  const info = await service.open(options.archive, { indexFile: options.indexFile, ...(options.team ? { team: options.team } : {}) });
  const downloads = await ExportDownloads.create();
  const token = randomBytes(24).toString('base64url');
  let server: BrowserServer;
  try {
    const api = createArchiveApi(service, {
      allowedRoots: [info.root],
      workspaceFile: options.workspaceFile,
      recent: new RecentArchives(path.join(dataDir(), 'recent-browser.json')),
      exportDownloads: downloads,
    });
    server = await startBrowserServer({ api, service, staticDir, token, port: options.port, downloads });
  } catch (error) {
    // The port taken, say: nothing is left open or in the temp folder.
    await service.close();
    await downloads.close();
    throw error;
  }
  if (options.announce !== false) {
    const team = info.index?.kind === 'postgres' ? ` from the team index ${info.index.location}${info.index.readOnly ? ' (read-only)' : ''}` : '';
    process.stdout.write(`Backfile is serving ${info.root}${team} at ${server.url}\n`);
  }
  const close = async () => {
    try {
      await server.close();
      await service.close();
    } finally {
      await downloads.close();
    }
  };
  return { ...server, close, service };
}
