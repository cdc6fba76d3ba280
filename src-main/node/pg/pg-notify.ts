/**
 * How readers of a team index hear of the indexer's commits (issue 15) without asking: every transaction that gives
 * the index a new `generation` (meta) also sends `NOTIFY` on the schema's channel with the new generation as payload,
 * which PostgreSQL delivers only if and when the transaction commits (never for one rolled back). A reader keeps one
 * connection of its own (outside its pool, so it never takes a slot from reads) that LISTENs on the channel, and
 * reconnects with back-off when the server goes away. LISTEN needs no grant: a read-only role may listen.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';

/** PostgreSQL's identifiers (and channel names) are at most 63 bytes (NAMEDATALEN - 1); pg_notify refuses longer. */
const CHANNEL_MAX = 63;

/**
 * The channel the writer notifies after each committed change (payload: the new generation): `backfile_<schema>`,
 * or, for a schema name too long for that to fit in 63 bytes, its first 40 characters and a hash of the whole name.
 * Schema names are checked ([a-z0-9_], pg-connection.ts quoteSchema), so the channel needs no escaping beyond quotes.
 */
export function notifyChannel(schema: string): string {
  const plain = `backfile_${schema}`;
  if (plain.length <= CHANNEL_MAX) return plain;
  return `backfile_${schema.slice(0, 40)}_${createHash('sha256').update(schema).digest('hex').slice(0, 12)}`;
}

/**
 * Inside the writer's transaction: `generation` + 1 and the NOTIFY of the new value (sent on COMMIT only). `s` is the
 * quoted schema, `schema` its plain name. Returns the new generation.
 */
export async function bumpGeneration(client: pg.ClientBase, s: string, schema: string): Promise<string> {
  const { rows } = await client.query<{ value: string }>(`UPDATE ${s}.meta SET value = (value::bigint + 1)::text
    WHERE key = 'generation' RETURNING value`);
  const generation = rows[0]?.value ?? '';
  await notifyGeneration(client, schema, generation);
  return generation;
}

/** Inside a transaction that set `generation` (a new or rebuilt index): its NOTIFY, sent on COMMIT only. */
export async function notifyGeneration(client: pg.ClientBase, schema: string, generation: string): Promise<void> {
  await client.query('SELECT pg_notify($1, $2)', [notifyChannel(schema), generation]);
}

/**
 * Where a listener is: `listening` (notifications flow), `down` (no connection: the server restarting, the network),
 * `refused` (connected, but the server refused LISTEN: a hot-standby replica, or a pooler that cannot keep it),
 * `connecting`, `closed`.
 */
export type ListenState = 'connecting' | 'listening' | 'down' | 'refused' | 'closed';

export interface ListenerHandlers {
  /** A notification on the channel (its payload: the new generation). */
  notify(payload: string): void;
  /** The state changed; `listening` again after a loss means commits may have been missed meanwhile. */
  state(state: ListenState): void;
}

export interface ListenerOptions {
  /**
   * The first wait before connecting again after a loss or a refusal, in ms (doubled each time, default 1000; each
   * wait is drawn between half and all of it).
   */
  retryMs?: number;
  /** The longest wait between attempts, in ms (default 60000). */
  maxRetryMs?: number;
}

/** A connection-level failure (the server went away, the network): reconnecting may help. Others are the server's no. */
const connectionLost = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code) || code.startsWith('08') || code.startsWith('57P');
};

/**
 * One LISTEN connection on one channel. It never throws or emits an unhandled 'error': every failure of the
 * connection (at connect, at LISTEN, or later: a restart ends it with 57P01, a cut with ECONNRESET) becomes the state
 * `down` or `refused` and another attempt after a back-off, until close().
 */
export class GenerationListener {
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private attempts = 0;
  private closed = false;
  private current: ListenState = 'connecting';

  constructor(
    private readonly config: pg.ClientConfig,
    readonly channel: string,
    private readonly handlers: ListenerHandlers,
    private readonly options: ListenerOptions = {},
  ) {}

  get state(): ListenState {
    return this.current;
  }

  /** Connects and listens (in the background: the outcome is told through `handlers.state`). */
  start(): void {
    void this.attempt();
  }

  private setState(state: ListenState): void {
    if (this.current === state) return;
    this.current = state;
    this.handlers.state(state);
  }

  private async attempt(): Promise<void> {
    if (this.closed) return;
    this.timer = null;
    this.setState('connecting');
    // A connection that died without a word (a cut network) is found by TCP keep-alive, and a query on it gives up.
    const client = new pg.Client({ keepAliveInitialDelayMillis: 10_000, query_timeout: 15_000, ...this.config, keepAlive: true });
    this.client = client;
    // Attached before anything can fail: an 'error' without a listener would crash the app.
    client.on('error', () => this.lost(client, 'down'));
    client.on('end', () => this.lost(client, 'down'));
    client.on('notification', (message) => {
      if (!this.closed && client === this.client && message.channel === this.channel) this.handlers.notify(message.payload ?? '');
    });
    try {
      await client.connect();
    } catch {
      this.lost(client, 'down');
      return;
    }
    try {
      await client.query(`LISTEN "${this.channel}"`);
    } catch (error) {
      this.lost(client, connectionLost(error) ? 'down' : 'refused');
      return;
    }
    if (this.closed || client !== this.client) {
      await client.end().catch(() => undefined);
      return;
    }
    this.attempts = 0;
    this.setState('listening');
  }

  /** The connection `client` failed or ended: let it go, say so, and try again later (once per connection). */
  private lost(client: pg.Client, state: 'down' | 'refused'): void {
    if (client !== this.client) return;
    this.client = null;
    void client.end().catch(() => undefined);
    if (this.closed) return;
    this.setState(state);
    const first = this.options.retryMs ?? 1000;
    const ceiling = Math.min(this.options.maxRetryMs ?? 60_000, first * 2 ** Math.min(this.attempts, 16));
    // Between half the wait and all of it: readers that lost the server together do not all come back in one second.
    const delay = Math.min(2 ** 31 - 1, ceiling / 2 + Math.random() * (ceiling / 2));
    this.attempts++;
    this.timer = setTimeout(() => void this.attempt(), delay);
    this.timer.unref();
  }

  /**
   * A query runner pinned to the listening connection as it is now (a reader's session, pg-read.ts, runs its
   * transaction through it): each query fails once that connection is lost or replaced, so a transaction begun on one
   * connection never carries on, unknowing, on the next. Failures of the connection itself set the state `down`.
   * `client` is that connection (a refresh that gives up on its read cancels the read there: team-index.ts).
   */
  pinned(): Pick<pg.ClientBase, 'query'> & { readonly client: pg.Client } {
    const client = this.client;
    if (!client || this.current !== 'listening') throw new Error('not listening');
    const query = async (text: string, params: unknown[] = []) => {
      if (client !== this.client || this.current !== 'listening') throw new Error('not listening');
      try {
        return await client.query(text, params);
      } catch (error) {
        if (connectionLost(error)) this.lost(client, 'down');
        throw error;
      }
    };
    return { query, client } as unknown as Pick<pg.ClientBase, 'query'> & { readonly client: pg.Client };
  }

  /** Stops listening and ends the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const client = this.client;
    this.client = null;
    this.current = 'closed';
    if (client) await client.end().catch(() => undefined);
  }
}
