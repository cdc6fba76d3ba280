/** `--store postgres://…` and `--pg-schema NAME` (issue 15): which index a command reads, as ArchiveService.open takes it. */
import type { TeamIndexRequest } from '../shared/archive-api';
import type { TeamIndexOptions } from '../node/archive/team-index';
import { UsageError, type CliValues } from './commands';

export interface StoreOptions {
  indexFile?: string;
  team?: TeamIndexRequest & TeamIndexOptions;
}

/**
 * The local index file (`--index`) or the team index (`--store URL`, `--pg-schema NAME`; the password from the URL
 * or PGPASSWORD, never printed). `pollMs`: how often a long-running command (serve) looks for the indexer's commits.
 */
export function storeOptions(values: CliValues, pollMs = 0): StoreOptions {
  const store = values.store;
  if (store === undefined) {
    if (values['pg-schema'] !== undefined) throw new UsageError('--pg-schema needs --store postgres://…');
    if (values['team-workspace']) throw new UsageError('--team-workspace needs --store postgres://…');
    return values.index === undefined ? {} : { indexFile: values.index };
  }
  if (values.index !== undefined) throw new UsageError('--store and --index cannot go together (one index at a time)');
  if (!/^postgres(ql)?:\/\/\S+$/.test(store)) throw new UsageError('--store takes a postgres://USER@HOST:PORT/DATABASE address');
  if (values['team-workspace'] && values.workspace !== undefined) throw new UsageError('--team-workspace and --workspace cannot go together (one workspace at a time)');
  const team = values['team-workspace'] ? { teamWorkspace: true } : {};
  return { team: { url: store, ...(values['pg-schema'] !== undefined ? { schema: values['pg-schema'] } : {}), ...team, pollMs } };
}
