/**
 * Stopping a query on the server (issue 15): PostgreSQL's CancelRequest, the message psql sends on Ctrl+C, over a new
 * connection to the same server, naming the backend by its process id and secret key (both sent at login). It needs
 * no login and no free connection slot. Closing or destroying the query's own connection does not stop it: a backend
 * waiting for a lock (or planning, or scanning) does not read its socket, so it finds the client gone only when it
 * answers, and meanwhile holds its snapshot and its place in the lock queue.
 */
import net from 'node:net';
import type pg from 'pg';

/** CancelRequest's code (1234 << 16 | 5678): a 16-byte message in place of a startup message. */
const CANCEL_REQUEST_CODE = 80877102;

/** The parts of pg's Client this needs (pg sets processID and secretKey at login; they are not in its typings). */
type Backend = Pick<pg.Client, 'host' | 'port' | 'connection'> & { processID?: number | null; secretKey?: number | null };

/**
 * Asks the server to cancel the statement `client`'s backend is running (a backend idle then ignores it). Resolves
 * true once the server has taken the request (it closes the cancel connection after signalling the backend), false
 * when it could not be sent within `waitMs` (the network cut, no backend known). Never rejects.
 */
export function cancelBackend(client: pg.Client, waitMs: number): Promise<boolean> {
  const backend = client as unknown as Backend;
  const { processID, secretKey } = backend;
  if (typeof processID !== 'number' || typeof secretKey !== 'number') return Promise.resolve(false);
  // The address the query's connection reached (a host name may resolve to several); else the configured socket.
  const stream = backend.connection?.stream as net.Socket | undefined;
  const remote = stream?.remoteAddress !== undefined && stream.remotePort !== undefined ? { host: stream.remoteAddress, port: stream.remotePort } : null;
  return new Promise((resolve) => {
    let done = false;
    const socket = remote
      ? net.connect(remote.port, remote.host)
      : backend.host?.startsWith('/') ? net.connect(`${backend.host}/.s.PGSQL.${backend.port}`) : net.connect(backend.port, backend.host);
    const finish = (sent: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(sent);
    };
    const timer = setTimeout(() => finish(false), waitMs);
    timer.unref();
    let written = false;
    socket.on('error', () => finish(false));
    socket.on('connect', () => {
      const message = Buffer.alloc(16);
      message.writeInt32BE(16, 0);
      message.writeInt32BE(CANCEL_REQUEST_CODE, 4);
      message.writeInt32BE(processID, 8);
      message.writeInt32BE(secretKey, 12);
      socket.write(message, () => (written = true));
    });
    // The server answers nothing: it signals the backend, then closes the connection.
    socket.on('close', () => finish(written));
    socket.resume();
  });
}

/** Destroys `client`'s socket: every query on it fails at once ("Connection terminated"), the server never told. */
export function cutClient(client: pg.Client): void {
  (client as unknown as Backend).connection?.stream?.destroy();
}
