/**
 * A team index on PostgreSQL (issue 15) as the service reads it: the same `read((reader) => …)` shape as the local
 * LiveIndex, over the PostgreSQL store's reader (pg/pg-read.ts), with PostgreSQL's failures turned into the
 * contract's errors (STORE_UNAVAILABLE, READ_ONLY). It notices the team indexer's commits as they happen: the indexer
 * sends NOTIFY with the new `generation` (meta, +1 per committed batch) on commit, and one LISTEN connection of this
 * reader's own (pg/pg-notify.ts, outside the pool) hears it; then it reads the generation and the counts again and
 * tells the service, which raises `archiveChanged` as after a local update. A slow poll of the generation is the safety
 * net; where LISTEN cannot be had (the listener's connection lost, a hot-standby replica refusing it) the quick poll
 * takes over. This app never writes the team index by itself; the indexer (`cli index --store`) does.
 */
import type pg from 'pg';
import { ArchiveError, type IndexInfo, type TeamIndexRequest } from '../../shared/archive-api';
import type { IndexReader, ReadableIndex } from '../index/index-reader';
import { cancelBackend, cutClient } from '../pg/pg-cancel';
import { DEFAULT_PG_SCHEMA, openPgConnection, pgError, quoteSchema, withoutSqlState, type PgConnection } from '../pg/pg-connection';
import { checkSchemaReadable } from '../pg/pg-schema-check';
import { notifyChannel, GenerationListener, type ListenState } from '../pg/pg-notify';
import { PgIndexReader } from '../pg/pg-read';
import { PgWorkspaceStore } from '../workspace/pg-workspace-store';
import { COLD_BUILD_META, pgPostsAt, pgPostsWithHashes, type PgPostIdentity } from '../pg/pg-workspace';

export interface TeamIndexOptions {
  /**
   * How often to look for the indexer's commits while no LISTEN connection is up, in ms (default 2000); 0: never, and
   * no listening either (a CLI command reads once).
   */
  pollMs?: number;
  /** How often to look anyway while listening (the safety net: a notification lost with a silent network), default 30000. */
  safetyPollMs?: number;
  /** Listen for the indexer's NOTIFY (default true); false: poll every `pollMs` only. */
  listen?: boolean;
  /** The listener's first wait before it connects again after a loss, in ms (default 1000, doubled up to a minute). */
  listenRetryMs?: number;
  /**
   * After a refresh that found a change, the next one starts no sooner than this, in ms (default 2000): an indexer
   * commits a batch every moment, and each change makes every window read its trees, list and article again.
   * The last commit is still read (one refresh waits out the gap).
   */
  refreshGapMs?: number;
  /**
   * A refresh's read that has not answered after this, in ms, is cancelled on the server (default 15000): a read
   * waiting on a lock, or stuck on a cut network (its connection is then cut, at most 2 s later).
   */
  refreshTimeoutMs?: number;
  /** close() waits this long, in ms, for reads under way before it cuts their connections (default 5000). */
  closeWaitMs?: number;
  /** How the gap is waited out (tests hand their own; default a timer that close() cuts short). */
  wait?: (ms: number) => Promise<void>;
}

/** What the reader did to follow the indexer (for tests and diagnostics): LISTENs taken, notifications heard, refreshes run. */
export interface TeamIndexActivity {
  listens: number;
  notifications: number;
  refreshes: number;
}

type Counts = { posts: number; hidden: number; problems: number };

/** One refresh's read: the connection it runs on (once it has one), and whether its deadline has passed. */
interface RefreshRun {
  client: pg.Client | null;
  expired: boolean;
}

/** After a cancel, how long a read is given to end before its connection is cut, in ms (at most the deadline). */
const CANCEL_GRACE_MS = 2000;

/** The failure of a team index read, as the contract says it (a schema without Backfile's tables is STORE_UNAVAILABLE). */
function teamError(error: unknown, connection: PgConnection): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === '42P01' || code === '3F000') {
    return new ArchiveError('STORE_UNAVAILABLE', `The team index at ${connection.target.shown} holds no Backfile index in schema ${connection.schema} (index it first: cli index ARCHIVE --store URL).`, { cause: error });
  }
  return pgError(error, connection.target);
}

/**
 * Destroys the socket of every connection of `pool` (pg-pool keeps them in `_clients`, not in its typings): a query
 * on one fails at once ("Connection terminated"), where `end()` would wait for a reply a cut network never brings.
 */
function cutConnections(pool: pg.Pool): void {
  for (const client of (pool as unknown as { _clients?: pg.Client[] })._clients ?? []) cutClient(client);
}

export class TeamIndex implements ReadableIndex {
  /** Called after the indexer committed a change (a new generation), once the counts are read again. */
  onChanged: () => void = () => undefined;
  private timer: NodeJS.Timeout | null = null;
  private pollMs = 0;
  private safetyPollMs = 0;
  private listener: GenerationListener | null = null;
  /** The refresh running, and at most one asked meanwhile (a burst of notifications costs two refreshes). */
  private refreshing: Promise<boolean> | null = null;
  private queued: Promise<boolean> | null = null;
  readonly activity: TeamIndexActivity = { listens: 0, notifications: 0, refreshes: 0 };
  private closed = false;
  private closing: Promise<void> | null = null;
  /** The reads handed out and not settled yet: close() waits for them before it ends the pool (see close). */
  private readonly inFlight = new Set<Promise<unknown>>();
  private refreshGapMs = 0;
  private refreshTimeoutMs = 15_000;
  private closeWaitMs = 5000;
  private wait: ((ms: number) => Promise<void>) | null = null;
  /** When the last refresh that found a change ended (performance.now()), or null. */
  private changedAt: number | null = null;
  /** The gap's timer and the resolver of its wait (close() ends both). */
  private gapTimer: { timer: NodeJS.Timeout; done: () => void } | null = null;
  /** The team workspace (the reader's marks in the team database), when the connection asked for it. */
  workspace: PgWorkspaceStore | null = null;

  private constructor(
    private readonly connection: PgConnection,
    private readonly reader: PgIndexReader,
    readonly readOnly: boolean,
    private generation: string,
    private counts_: Counts,
  ) {}

  /**
   * Connects to the team index of `request` (the password from the request, else the URL's, else PGPASSWORD as the
   * driver reads it) and proves it holds a Backfile index: STORE_UNAVAILABLE otherwise.
   */
  static async connect(request: TeamIndexRequest, options: TeamIndexOptions = {}): Promise<TeamIndex> {
    const schema = request.schema ?? DEFAULT_PG_SCHEMA;
    const quoted = quoteSchema(schema);
    const connection = await openPgConnection(request.url, schema, request.password !== undefined ? { password: request.password } : {});
    try {
      await connection.call(() => checkSchemaReadable(connection.pool, schema));
      const reader = new PgIndexReader(connection.pool, schema);
      const [generation, counts, writable] = await connection.call(async () => {
        try {
          return await Promise.all([
            reader.generation(),
            reader.counts(),
            // A role that may not insert into the posts cannot index or import: a "read-only team index".
            connection.pool.query<{ w: boolean }>(`SELECT has_table_privilege(current_user, $1, 'INSERT') AS w`, [`${quoted}.posts`]).then((r) => r.rows[0]?.w === true),
          ]);
        } catch (error) {
          throw teamError(error, connection);
        }
      });
      const index = new TeamIndex(connection, reader, !writable, generation, counts);
      if (request.teamWorkspace === true) {
        index.workspace = new PgWorkspaceStore(connection);
        await connection.call(() => index.workspace!.check());
      }
      index.follow(options);
      return index;
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
  }

  /** The pool and schema (the check that the index is the open archive's: team-archive-check.ts). */
  get pg(): PgConnection {
    return this.connection;
  }

  /** Runs one read; a failure of PostgreSQL becomes the contract's error (the reader's answers are promises). */
  read<T>(run: (reader: IndexReader) => T): T {
    if (this.closed) throw new ArchiveError('STORE_UNAVAILABLE', 'the team index was disconnected');
    const result = run(this.reader);
    if (!(result instanceof Promise)) return result;
    return this.track(result.catch((error: unknown) => Promise.reject(teamError(error, this.connection)))) as T;
  }

  /** The posts at these paths as the workspace follows them (path, content hash, title, date): pg/pg-workspace.ts. */
  postsAt(paths: readonly string[]): Promise<PgPostIdentity[]> {
    return this.read(() => pgPostsAt(this.connection.pool, this.connection.schema, paths));
  }

  /** Every post with one of these content hashes (a mark that lost its path finds its post by them). */
  postsWithHashes(hashes: readonly string[]): Promise<PgPostIdentity[]> {
    return this.read(() => pgPostsWithHashes(this.connection.pool, this.connection.schema, hashes));
  }

  /** A cold build is under way (or was killed and not yet finished): the index holds only part of the archive. */
  async partial(): Promise<boolean> {
    return (await this.read((reader) => reader.getMeta(COLD_BUILD_META))) !== undefined;
  }

  /** Holds `promise` in `inFlight` until it settles. */
  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    const forget = () => this.inFlight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  /** Posts, hidden posts and problems as last read (at connect and after each change): ArchiveInfo's counts. */
  get counts(): Counts {
    return this.counts_;
  }

  info(): IndexInfo {
    const url = new URL(this.connection.target.shown);
    return {
      kind: 'postgres',
      readOnly: this.readOnly,
      location: `${this.connection.target.shown} schema ${this.connection.schema}`,
      team: {
        host: url.hostname,
        port: Number(url.port || 5432),
        database: decodeURIComponent(url.pathname.replace(/^\//, '')),
        schema: this.connection.schema,
        user: this.connection.target.role,
        ...(this.workspace ? { workspace: 'team' as const } : {}),
      },
    };
  }

  /** The generation last read (at connect and after each change). */
  get seenGeneration(): string {
    return this.generation;
  }

  /** Where the LISTEN connection is (`closed` when this reader does not listen). */
  get listenState(): ListenState {
    return this.listener?.state ?? 'closed';
  }

  /**
   * Looks for a new generation now (a notification or the poll asks this); true when the index changed. One refresh
   * runs at a time; asked meanwhile, one more runs after it (however often it was asked), so the last commit of a
   * burst is always read. After a refresh that found a change, the next one starts `refreshGapMs` after it at the
   * soonest: an indexer's run (a commit a batch) costs a change every gap, not one a commit.
   */
  refresh(): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (!this.refreshing) {
      this.refreshing = this.afterGap().then(() => this.readWithin()).finally(() => {
        this.refreshing = null;
      });
      return this.refreshing;
    }
    this.queued ??= this.refreshing.catch(() => false).then(() => {
      this.queued = null;
      return this.refresh();
    });
    return this.queued;
  }

  /** Waits out what is left of the gap after the last change (nothing when none, or the gap is over). */
  private async afterGap(): Promise<void> {
    if (this.changedAt === null || this.refreshGapMs <= 0) return;
    const left = this.refreshGapMs - (performance.now() - this.changedAt);
    if (left <= 0 || this.closed) return;
    if (this.wait) return this.wait(left);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.gapTimer = null;
        resolve();
      }, Math.min(2 ** 31 - 1, left));
      timer.unref();
      this.gapTimer = { timer, done: resolve };
    });
  }

  /**
   * One refresh, with a deadline (`refreshTimeoutMs`). A read still under way then is cancelled ON THE SERVER
   * (pg-cancel.ts: a read waiting on a lock, or a slow plan, stops there), and its connection is cut if the read has
   * not ended a moment later (a network cut without a word, which no cancel reaches). The refresh ends when its read
   * has: giving a read up while its backend kept waiting would let each later refresh add one more to a sick server,
   * and `refreshing` (so one refresh at a time) would be cleared with a read still under way.
   */
  private readWithin(): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    const run: RefreshRun = { client: null, expired: false };
    const ms = this.refreshTimeoutMs;
    const read = this.readGeneration(run);
    let givenUp: Promise<void> = Promise.resolve();
    const timer = setTimeout(() => {
      run.expired = true;
      givenUp = this.giveUp(run, read);
    }, ms);
    timer.unref();
    return read
      .catch((error: unknown) => {
        throw run.expired ? new Error(`the team index did not answer within ${ms} ms (refresh given up)`, { cause: error }) : error;
      })
      .finally(async () => {
        clearTimeout(timer);
        // Until the cancel is sent or given up: a cancel that reached the server late would stop a later statement.
        await givenUp;
      });
  }

  /**
   * The deadline passed with `read` under way: cancels it on its connection, and cuts that connection when the read
   * has not ended within the grace, or the cancel was not known to reach the server (it may yet, and stop another
   * statement there). A read still waiting for a pool connection has nothing to cancel: it gives up when it gets one.
   */
  private async giveUp(run: RefreshRun, read: Promise<unknown>): Promise<void> {
    const client = run.client;
    if (!client) return;
    const grace = Math.min(this.refreshTimeoutMs, CANCEL_GRACE_MS);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), grace);
      timer.unref();
    });
    const ended = read.then(() => true, () => true);
    const [landed, over] = await Promise.all([cancelBackend(client, grace), Promise.race([ended, late])]);
    clearTimeout(timer);
    if (!landed || !over) cutClient(client);
  }

  private readGeneration(run: RefreshRun): Promise<boolean> {
    this.activity.refreshes++;
    return this.track(this.withRefreshReader(run, async (reader) => {
      const generation = await reader.generation();
      if (generation === this.generation || this.closed) return false;
      this.counts_ = await reader.counts();
      this.generation = generation;
      this.changedAt = performance.now();
      if (!this.closed) this.onChanged();
      return true;
    }));
  }

  /**
   * A refresh's reads: while listening, over the listening connection (TCP keep-alive, and no pool connection the
   * pool may have closed or the network cut meanwhile); else over one pool connection, which leaves the pool when it
   * failed or its read was cancelled. `run.client` is the connection, for the deadline's cancel (readWithin).
   */
  private async withRefreshReader<T>(run: RefreshRun, work: (reader: PgIndexReader) => Promise<T>): Promise<T> {
    if (this.listener?.state === 'listening') {
      const pinned = this.listener.pinned();
      run.client = pinned.client;
      return work(new PgIndexReader(pinned, this.connection.schema));
    }
    const client = await this.connection.pool.connect();
    if (run.expired) {
      client.release();
      throw new Error('no pool connection before the deadline');
    }
    run.client = client;
    let broken: Error | undefined;
    try {
      return await work(new PgIndexReader(client, this.connection.schema));
    } catch (error) {
      // The server's no (an SQLSTATE) leaves the connection sound; a lost connection does not.
      if (withoutSqlState(error)) broken = error;
      throw error;
    } finally {
      // A connection the deadline's cancel was sent to is not handed to another read (the cancel may land late).
      client.release(broken ?? (run.expired ? new Error('refresh cancelled') : undefined));
    }
  }

  /** Listens for the indexer's notifications (unless told not to) and polls: slowly while listening, else every `pollMs`. */
  private follow(options: TeamIndexOptions): void {
    this.pollMs = options.pollMs ?? 2000;
    this.closeWaitMs = options.closeWaitMs ?? 5000;
    if (this.pollMs <= 0) return;
    this.safetyPollMs = Math.max(this.pollMs, options.safetyPollMs ?? 30_000);
    this.refreshGapMs = options.refreshGapMs ?? 2000;
    this.refreshTimeoutMs = options.refreshTimeoutMs ?? 15_000;
    this.wait = options.wait ?? null;
    if (options.listen !== false) {
      const pool = this.connection.pool.options;
      this.listener = new GenerationListener(
        {
          connectionString: pool.connectionString,
          connectionTimeoutMillis: 15_000,
          application_name: 'backfile-listen',
          // A backstop only: a refresh's read there is cancelled at its deadline (readWithin), its connection cut soon after.
          query_timeout: 2 * this.refreshTimeoutMs + CANCEL_GRACE_MS,
        },
        notifyChannel(this.connection.schema),
        {
          notify: (payload) => {
            this.activity.notifications++;
            if (payload !== this.generation) this.refreshQuietly();
          },
          state: (state) => {
            this.schedulePoll();
            // Listening (again): a commit made before LISTEN took hold, or while the connection was down, sent no
            // notification that reached us.
            if (state !== 'listening') return;
            this.activity.listens++;
            this.refreshQuietly();
          },
        },
        options.listenRetryMs !== undefined ? { retryMs: options.listenRetryMs } : {},
      );
      this.listener.start();
    }
    this.schedulePoll();
  }

  /** A failed refresh (the server restarting) is tried again at the next notification or poll; reads report it meanwhile. */
  private refreshQuietly(): void {
    void this.refresh().catch(() => undefined);
  }

  /** The next poll: after `safetyPollMs` while the listener hears, else after `pollMs`. */
  private schedulePoll(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.closed || this.pollMs <= 0) return;
    // setTimeout takes at most 2^31 - 1 ms (about 24 days); longer would fire at once.
    const ms = Math.min(2 ** 31 - 1, this.listener?.state === 'listening' ? this.safetyPollMs : this.pollMs);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.refresh().catch(() => undefined).finally(() => {
        if (!this.timer) this.schedulePoll();
      });
    }, ms);
    this.timer.unref();
  }

  /**
   * Disconnects: new reads fail at once (STORE_UNAVAILABLE), the reads already handed out are let finish (for
   * `closeWaitMs` at most), then the pool ends. Ending it first would leave a read that waits for one of its
   * connections unsettled for ever (pg-pool drops its waiting requests), and with it the IPC or HTTP request that
   * asked. A read still under way after the wait (stuck on a connection the network cut) has its socket destroyed:
   * it fails, and its connection leaves the pool, which can then end.
   */
  close(): Promise<void> {
    if (!this.closing) {
      this.closed = true;
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      if (this.gapTimer) {
        clearTimeout(this.gapTimer.timer);
        this.gapTimer.done();
        this.gapTimer = null;
      }
      const listening = this.listener?.close() ?? Promise.resolve();
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), this.closeWaitMs);
      });
      const settled = Promise.allSettled([...this.inFlight, listening]);
      this.closing = Promise.race([settled, waited]).then((outcome) => {
        clearTimeout(timer);
        if (outcome === 'late') cutConnections(this.connection.pool);
        return this.connection.close().catch(() => undefined);
      });
    }
    return this.closing;
  }
}

