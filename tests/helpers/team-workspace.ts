/**
 * The set-up the team workspace's tests share (issue 15): a real PostgreSQL, a generated archive indexed into its
 * schema `backfile` by the superuser (or a writer role), read-only index roles (some with the README's GRANTs on the ws_* tables), and
 * readers: an ArchiveService with the archive open and the team index connected, with or without the team workspace.
 */
import path from 'node:path';
import type { ArchiveApi } from '../../src-main/shared/archive-api';
import { ArchiveService } from '../../src-main/node/archive/archive-service';
import { createArchiveApi } from '../../src-main/node/archive/create-archive-api';
import { RecentArchives } from '../../src-main/node/recent-archives';
import { openPgConnection } from '../../src-main/node/pg/pg-connection';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { generateArchive } from '../bench/generate-archive';
import { realIfThere } from '../bench/real-paragraphs';
import { startPostgres, type TestPostgres } from './postgres';
import { tempDir } from './temp';

/** The README's GRANTs that let a role keep marks in the team database (schema `backfile` unless said). */
export const WS_GRANTS = (role: string, schema = 'backfile'): string[] => [
  `GRANT SELECT, INSERT, UPDATE, DELETE ON ${['ws_posts', 'ws_labels', 'ws_post_labels', 'ws_highlights', 'ws_saved', 'ws_saved_seen'].map((t) => `${schema}.${t}`).join(', ')} TO ${role}`,
  `GRANT USAGE ON SEQUENCE ${schema}.ws_id TO ${role}`,
];

export interface TeamReader {
  service: ArchiveService;
  api: ArchiveApi;
}

export interface TeamWorkspaceSetup {
  server: TestPostgres;
  /** The temporary folder: the archive, and each reader's index, workspace file and recent list. */
  base: string;
  root: string;
  /** A reader named `name` (its own files) connected as `role`; closed by stop(). */
  reader(name: string, role: string, teamWorkspace: boolean): Promise<TeamReader>;
  /** Closes every reader made, then stops the server. */
  stop(): Promise<void>;
}

export interface TeamWorkspaceOptions {
  /** The temporary folder's prefix. */
  prefix: string;
  /** Posts of the generated archive (`real` kind, `synthetic` without the shared corpora) and its seed. */
  posts: number;
  seed: number;
  /** Read-only index roles made; those in `granted` get the workspace GRANTs (default: all). */
  roles: string[];
  granted?: string[];
  /** A writer role made to index the archive, owning the schema and the ws_* tables (default: the superuser). */
  indexer?: string;
}

export async function startTeamWorkspace(options: TeamWorkspaceOptions): Promise<TeamWorkspaceSetup> {
  const base = tempDir(options.prefix);
  const root = path.join(base, 'archive');
  const server = await startPostgres();
  const services: ArchiveService[] = [];
  try {
    // The shared corpora's real paragraphs when they are beside the repository, else the synthetic posts (a clean clone).
    await generateArchive(root, options.posts, options.seed, realIfThere());
    if (options.indexer !== undefined) await server.createRole(options.indexer, { readOnly: false });
    const writer = await openPgConnection(server.url(options.indexer));
    try {
      await updatePgIndex(writer.pool, 'backfile', root);
    } finally {
      await writer.close();
    }
    for (const role of options.roles) await server.createRole(role, { readOnly: true });
    for (const role of options.granted ?? options.roles) {
      for (const grant of WS_GRANTS(role)) await server.query(grant);
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    server,
    base,
    root,
    async reader(name, role, teamWorkspace) {
      const service = new ArchiveService({ indexPathFor: () => path.join(base, `index-${name}.sqlite`) });
      services.push(service);
      await service.open(root, { waitForIndex: true });
      await service.connectTeamIndex({ url: server.url(role), teamWorkspace }, { pollMs: 0 });
      const api = createArchiveApi(service, { allowedRoots: null, recent: new RecentArchives(path.join(base, `recent-${name}.json`)), workspaceFile: path.join(base, `ws-${name}.sqlite`) });
      return { service, api };
    },
    async stop() {
      for (const service of services) await service.close();
      await server.stop();
    },
  };
}
