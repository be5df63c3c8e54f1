// Test helpers for the record system: isolated stores on either backend.
// PostgreSQL tests never skip: an unreachable server is a failure with a message saying what to start.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Db } from '../../records/db';
import type { StoreOptions } from '../../records/store';

export type Backend = 'pglite' | 'postgres';
export const BACKENDS: Backend[] = ['pglite', 'postgres'];

/** The PostgreSQL server the integration tests use (see DESIGN.md: local, trust auth, database `test`). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Fails (never skips) with a clear message when the test PostgreSQL server cannot be reached. */
export async function assertPostgresReachable(url = TEST_DATABASE_URL): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable at ${url} (${(err as Error).message}). ` +
        'Start the local server (127.0.0.1:5432, trust auth, database "test") or point TEST_DATABASE_URL at one.',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A fresh, isolated place for a store on `backend`: a unique schema on the test PostgreSQL, or a temporary PGlite
 * data directory. `options` may be opened (and re-opened) any number of times; `cleanup` drops it all.
 */
export async function isolatedStoreOptions(backend: Backend): Promise<{ options: StoreOptions; cleanup: () => Promise<void> }> {
  if (backend === 'pglite') {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'jianguan-pglite-'));
    return { options: { dataDir }, cleanup: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  await assertPostgresReachable();
  const schema = `store_test_${randomBytes(6).toString('hex')}`;
  return {
    options: { databaseUrl: TEST_DATABASE_URL, schema },
    // DROP does not fire the audit trail's row/TRUNCATE triggers, so the append-only table goes with its schema.
    cleanup: () => adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`),
  };
}

/** Runs one statement on the test PostgreSQL server in a connection of its own. */
async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A database of the test's own on the test PostgreSQL server (a random name after `prefix`), for a ledger that starts
 * empty. `drop()` removes it, closing what is still connected to it.
 */
export async function freshDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  await assertPostgresReachable();
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/** Every table's rows, each as its JSON text, sorted: what a copy must reproduce. */
export async function ledgerContents(db: Db): Promise<Record<string, string[]>> {
  const tables = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
        AND table_name NOT IN ('schema_migrations', 'ledger_identity') ORDER BY table_name`,
  );
  const all: Record<string, string[]> = {};
  for (const { name } of tables)
    all[name] = (await db.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${name}" t`)).map((r) => r.row).sort();
  return all;
}
