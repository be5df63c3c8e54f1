// A tiny database adapter so the store's SQL runs unchanged on embedded PGlite or on a PostgreSQL server (pg.Pool).
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Mutex } from 'async-mutex';
import pg from 'pg';
import { serveLedger } from './ledger-server';

export interface Db {
  /** Runs one parameterised statement and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of several statements (no parameters), e.g. a migration file. */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in a transaction: committed when it resolves, rolled back when it throws. Nested calls join the outer one. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** Runs `fn` on one and the same connection (needed for session state such as advisory locks). */
  session<T>(fn: (conn: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** What both a PGlite instance/transaction and a pg client offer; pg's `query(text)` without params also runs scripts. */
interface Queryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** A Db already inside a transaction (or holding one connection): nested transactions and sessions reuse it. */
function joined(q: Queryable, exec: (sql: string) => Promise<unknown>): Db {
  const db: Db = {
    query: async <T>(sql: string, params?: unknown[]) => (await q.query(sql, params)).rows as T[],
    exec: async (sql) => {
      await exec(sql);
    },
    transaction: (fn) => fn(db),
    session: (fn) => fn(db),
    close: async () => {
      throw new Error('close() is not available inside a transaction or session');
    },
  };
  return db;
}

/**
 * Embedded PGlite: persisted in `dataDir`, or in memory when it is undefined. PGlite has a single connection and
 * queues queries and transactions itself. With `servePort`, the ledger is also served to other processes (the CLI) on
 * 127.0.0.1 (./ledger-server.ts): then every query and transaction here first takes the gate that a served client
 * holds for each of its commands, so that neither lands in the middle of the other's.
 */
export async function openPglite(dataDir: string | undefined, servePort?: number): Promise<Db> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const lite = new PGlite(dataDir);
  await lite.waitReady;
  const gate = new Mutex();
  const server =
    servePort === undefined
      ? undefined
      : await serveLedger(lite, gate, servePort).catch(async (error: Error) => {
          await lite.close();
          throw new Error(`cannot serve the ledger on 127.0.0.1:${servePort} (LEDGER_PORT): ${error.message}`);
        });
  const self = joined(lite, (sql) => lite.exec(sql));
  const db: Db = {
    query: (sql, params) => gate.runExclusive(() => self.query(sql, params)),
    exec: (sql) => gate.runExclusive(() => self.exec(sql)),
    transaction: (fn) => gate.runExclusive(() => lite.transaction((tx) => fn(joined(tx, (sql) => tx.exec(sql))))),
    // PGlite is one session already: each statement and transaction takes the gate on its own.
    session: (fn) => fn(db),
    close: async () => {
      await server?.stop();
      await lite.close();
    },
  };
  return db;
}

/**
 * PostgreSQL through a pool. `searchPath`, when given, is set on every pooled connection at connect time, so all
 * unqualified names (tables, the migration table) resolve in that schema. `maxConnections` bounds the pool (a served
 * PGlite ledger takes one client).
 */
export function openPostgres(databaseUrl: string, searchPath?: string, maxConnections?: number): Db {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    ...(searchPath ? { options: `-c search_path=${searchPath}` } : {}),
    ...(maxConnections ? { max: maxConnections } : {}),
  });
  // An idle client losing its server emits 'error' on the pool; without a listener that would crash the process.
  // The next query fails with the real cause, which is where the caller can handle it.
  pool.on('error', () => undefined);

  // `broken` is set when a connection may hold state it must not carry back to the pool (a failed ROLLBACK).
  const onClient = (client: pg.PoolClient, state: { broken?: Error }): Db => {
    const conn = joined(client, (sql) => client.query(sql));
    return {
      ...conn,
      transaction: async (fn) => {
        await client.query('BEGIN');
        try {
          const result = await fn(conn);
          await client.query('COMMIT');
          return result;
        } catch (err) {
          // Keep the original error; a connection that cannot even roll back is discarded, not reused.
          await client.query('ROLLBACK').catch((rollbackErr: Error) => (state.broken = rollbackErr));
          throw err;
        }
      },
    };
  };

  const session = async <T>(fn: (conn: Db) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    const state: { broken?: Error } = {};
    // A checked-out client has no pool listener: its server going away between two statements (57P01 when PostgreSQL
    // shuts down) is emitted on the client, and unheard it would end the process. The statement in flight, or the
    // next one, fails with the cause; the connection is discarded, not pooled again.
    const onError = (err: Error) => (state.broken ??= err);
    client.on('error', onError);
    try {
      return await fn(onClient(client, state));
    } finally {
      client.off('error', onError);
      client.release(state.broken);
    }
  };

  return {
    query: async <T>(sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows as T[],
    exec: async (sql) => {
      await pool.query(sql);
    },
    transaction: (fn) => session((conn) => conn.transaction(fn)),
    session,
    close: () => pool.end(),
  };
}
