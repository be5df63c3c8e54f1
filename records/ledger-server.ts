// The embedded PGlite ledger served over the PostgreSQL wire protocol (@electric-sql/pglite-socket), so that the CLI
// reads and writes the running worker's ledger as it would a PostgreSQL server: PGlite takes no lock on its directory
// and a second process opening it would corrupt it (electric-sql/pglite#1106).
//
// PGlite is one database session. The socket server runs each protocol message of a client under PGlite's query lock,
// one message at a time, while the worker's own queries and transactions take PGlite's transaction lock: left alone,
// a worker statement could land between a client's Parse and Bind (replacing its unnamed statement) or inside its
// transaction, and a client's statement inside a worker transaction. And the server's multiplexing of several clients
// has the same flaw between clients (electric-sql/pglite#1046). So:
// - one client at a time (maxConnections 1: a second is refused, and the CLI retries);
// - one gate for the whole session: the worker takes it for each query and each transaction (records/db.ts), a client
//   from its first message until PGlite is back at ReadyForQuery idle ('I': the sequence ended and no transaction is
//   open), or until it has gone away with nothing left open. The worker waits at most for one client command.
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { Mutex } from 'async-mutex';

/** A client idle this long is disconnected (its open transaction rolled back), so it cannot hold the worker up. */
const CLIENT_IDLE_TIMEOUT_MS = 30_000;
/** How often a gate held by a client that may have gone away is checked. */
const ABANDONED_CHECK_MS = 200;

export interface LedgerServer {
  /** `127.0.0.1:PORT` */
  readonly address: string;
  stop(): Promise<void>;
}

/** The transaction status of the last ReadyForQuery ('Z', length 5, status) in a response, if it ends with one. */
function readyStatus(tail: Uint8Array): string | undefined {
  const n = tail.length;
  if (n < 6 || tail[n - 6] !== 0x5a || tail[n - 5] !== 0 || tail[n - 4] !== 0 || tail[n - 3] !== 0 || tail[n - 2] !== 5) return undefined;
  return String.fromCharCode(tail[n - 1]!);
}

/** Serves `lite` on 127.0.0.1:`port`; the worker's own use of `lite` must go through `gate` (records/db.ts). */
export async function serveLedger(lite: PGlite, gate: Mutex, port: number): Promise<LedgerServer> {
  let release: (() => void) | undefined;
  let tail = new Uint8Array(0);
  let terminating = false;
  let watch: NodeJS.Timeout | undefined;
  let checking = false;

  const releaseGate = () => {
    clearInterval(watch);
    watch = undefined;
    const done = release;
    release = undefined;
    done?.();
  };
  // A client gone mid-sequence never reaches ReadyForQuery. The server rolls back a transaction it left open; what
  // it left of an unfinished sequence (an Execute without its Sync) is aborted here by a ROLLBACK, before the worker
  // goes on in the same session.
  const watchAbandoned = () => {
    watch = setInterval(() => {
      if (server.getStats().activeConnections !== 0 || checking) return;
      checking = true;
      lite
        .exec('ROLLBACK')
        .catch(() => undefined)
        .finally(() => {
          checking = false;
          // A client that connected meanwhile goes on with the gate, and releases it at its own ReadyForQuery.
          if (server.getStats().activeConnections === 0) releaseGate();
        });
    }, ABANDONED_CHECK_MS);
    watch.unref();
  };

  // What the socket server sees as its database: PGlite, with its message runs taking the gate first.
  const served = new Proxy(lite, {
    get(target, prop) {
      if (prop === 'runExclusive') {
        return async <T>(fn: () => Promise<T>): Promise<T> => {
          if (!release) {
            release = await gate.acquire();
            watchAbandoned();
          }
          tail = new Uint8Array(0);
          const result = await target.runExclusive(fn);
          // Terminate ('X', the client's goodbye) has no answer; the server rolls back what the client left open.
          if (readyStatus(tail) === 'I' || (terminating && !lite.isInTransaction())) releaseGate();
          return result;
        };
      }
      if (prop === 'execProtocolRawStream') {
        return (message: Uint8Array, options: Parameters<PGlite['execProtocolRawStream']>[1]) => {
          terminating = message[0] === 0x58;
          return target.execProtocolRawStream(message, {
            ...options,
            onRawData: (data: Uint8Array) => {
              // Only the end matters: ReadyForQuery is the last message of a response.
              tail = data.length >= 6 ? data.slice(-6) : Uint8Array.from([...tail, ...data].slice(-6));
              options.onRawData(data);
            },
          });
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });

  const server = new PGLiteSocketServer({ db: served, host: '127.0.0.1', port, maxConnections: 1, idleTimeout: CLIENT_IDLE_TIMEOUT_MS });
  await server.start();
  return {
    address: server.getServerConn(),
    async stop() {
      await server.stop();
      releaseGate();
    },
  };
}
