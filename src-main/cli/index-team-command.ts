/**
 * `index ARCHIVE --store postgres://… [--pg-schema NAME] [--watch] [--replace]` (issue 15): the team's indexer. Brings the team
 * index in step with the archive on disk (pg/pg-update.ts: the SQLite store's update loop over the PostgreSQL
 * writer, one transaction per batch, safe to kill), then, with --watch, follows the disk as the app does (the same
 * watcher; changes seen during an update make one more update). The password comes from the URL or PGPASSWORD and
 * is never printed: messages show the URL without it.
 */
import { ArchiveError, type TeamIndexRequest } from '../shared/archive-api';
import { matchArchive, replaceNeededReason } from '../node/archive/team-archive-check';
import { resolveArchiveRoot } from '../node/fs-safety';
import { watchArchive } from '../node/archive/watch';
import { DEFAULT_PG_SCHEMA, openPgConnection, type PgConnection } from '../node/pg/pg-connection';
import { PgIndexReader } from '../node/pg/pg-read';
import { updatePgIndex, type PgUpdateSummary } from '../node/pg/pg-update';
import type { CliValues } from './commands';

const print = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

async function report(connection: PgConnection, root: string, summary: PgUpdateSummary, values: CliValues): Promise<void> {
  const counts = await connection.call(() => new PgIndexReader(connection.pool, connection.schema).counts());
  const location = `${connection.target.shown} schema ${connection.schema}`;
  if (values.json) {
    print(JSON.stringify({ ...summary, ...counts, index: location }, null, values.watch ? 0 : 2));
    return;
  }
  print(`Indexed ${root} in ${(summary.ms / 1000).toFixed(1)} s: ${summary.updated} read, ${summary.unchanged} unchanged, ${summary.deleted} removed.`);
  print(`${counts.posts} posts, ${counts.hidden} hidden, ${counts.problems} problems. Team index: ${location}`);
  if (summary.notVacuumed) print(`Note: ${summary.notVacuumed}.`);
}

export async function indexTeamCommand(archive: string, team: TeamIndexRequest, values: CliValues): Promise<number> {
  const root = await resolveArchiveRoot(archive);
  const schema = team.schema ?? DEFAULT_PG_SCHEMA;
  const connection = await openPgConnection(team.url, schema, team.password !== undefined ? { password: team.password } : {});
  try {
    // A team index built from another folder: updating it from this one would remove every post not here.
    if (!values.replace) {
      const match = await connection.call(() => matchArchive(connection.pool, schema, root));
      const reason = replaceNeededReason(match, root);
      if (reason) throw new ArchiveError('INVALID_ARGUMENT', `${connection.target.shown} schema ${schema}: ${reason}`);
    }
    const update = async (paths?: readonly string[]) => {
      const summary = await updatePgIndex(connection.pool, schema, root, paths ? { paths } : {});
      await report(connection, root, summary, values);
    };
    if (!values.watch) {
      await update();
      return 0;
    }
    return await followDisk(root, update);
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/**
 * Watches the archive first (so nothing written during the first update is missed), brings the index up to date,
 * then updates again for every change until Ctrl-C (SIGINT/SIGTERM): one update at a time, bursts coalesced.
 */
async function followDisk(root: string, update: (paths?: readonly string[]) => Promise<void>): Promise<number> {
  let pending: Set<string> | null = null;
  let running: Promise<void> | null = null;
  let started = false;
  const run = (): void => {
    if (!started || running || !pending) return;
    const paths = [...pending];
    pending = null;
    running = update(paths)
      .catch((error: unknown) => {
        process.stderr.write(`backfile: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}\n`);
      })
      .finally(() => {
        running = null;
        run();
      });
  };
  const watcher = watchArchive(root, (paths) => {
    pending = new Set([...(pending ?? []), ...paths]);
    run();
  });
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  try {
    await watcher.ready;
    await update();
    started = true;
    process.stderr.write(`Watching ${root} for changes (Ctrl-C stops).\n`);
    run();
    await stopped;
  } finally {
    await watcher.close();
    await running;
  }
  return 0;
}
