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
import { ArchiveError, type IndexInfo, type TeamIndexRequest } from '../../shared/archive-api';
import type { IndexReader, ReadableIndex } from '../index/index-reader';
import { DEFAULT_PG_SCHEMA, openPgConnection, pgError, quoteSchema, type PgConnection } from '../pg/pg-connection';
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
}

/** What the reader did to follow the indexer (for tests and diagnostics): LISTENs taken, notifications heard, refreshes run. */
export interface TeamIndexActivity {
  listens: number;
  notifications: number;
  refreshes: number;
}

type Counts = { posts: number; hidden: number; problems: number };

/** The failure of a team index read, as the contract says it (a schema without Backfile's tables is STORE_UNAVAILABLE). */
function teamError(error: unknown, connection: PgConnection): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === '42P01' || code === '3F000') {
    return new ArchiveError('STORE_UNAVAILABLE', `The team index at ${connection.target.shown} holds no Backfile index in schema ${connection.schema} (index it first: cli index ARCHIVE --store URL).`, { cause: error });
  }
  return pgError(error, connection.target);
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
   * burst is always read and a burst costs two refreshes.
   */
  refresh(): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (!this.refreshing) {
      this.refreshing = this.readGeneration().finally(() => {
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

  private async readGeneration(): Promise<boolean> {
    this.activity.refreshes++;
    const generation = await this.track(this.currentGeneration());
    if (generation === this.generation || this.closed) return false;
    this.counts_ = await this.track(this.reader.counts());
    this.generation = generation;
    if (!this.closed) this.onChanged();
    return true;
  }

  /** The index's generation, read on the listening connection while it is up (no pool connection), else from the pool. */
  private async currentGeneration(): Promise<string> {
    if (this.listener?.state !== 'listening') return this.reader.generation();
    const rows = await this.listener.query<{ value: string }>(`SELECT value FROM ${quoteSchema(this.connection.schema)}.meta WHERE key = 'generation'`);
    return rows[0]?.value ?? '0';
  }

  /** Listens for the indexer's notifications (unless told not to) and polls: slowly while listening, else every `pollMs`. */
  private follow(options: TeamIndexOptions): void {
    this.pollMs = options.pollMs ?? 2000;
    if (this.pollMs <= 0) return;
    this.safetyPollMs = Math.max(this.pollMs, options.safetyPollMs ?? 30_000);
    if (options.listen !== false) {
      const pool = this.connection.pool.options;
      this.listener = new GenerationListener(
        { connectionString: pool.connectionString, connectionTimeoutMillis: 15_000, application_name: 'backfile-listen' },
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
   * Disconnects: new reads fail at once (STORE_UNAVAILABLE), the reads already handed out are let finish, then the
   * pool ends. Ending it first would leave a read that waits for one of its connections unsettled for ever (pg-pool
   * drops its waiting requests), and with it the IPC or HTTP request that asked.
   */
  close(): Promise<void> {
    if (!this.closing) {
      this.closed = true;
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      const listening = this.listener?.close() ?? Promise.resolve();
      this.closing = Promise.allSettled([...this.inFlight, listening]).then(() => this.connection.close().catch(() => undefined));
    }
    return this.closing;
  }
}

