// Reading and writing the ledger (台账) from the command line, always as a PostgreSQL client: DATABASE_URL, or without
// it the embedded PGlite ledger that the running worker (`npm start`, `npm run worker`) serves on 127.0.0.1:LEDGER_PORT
// (records/ledger-server.ts). No second process may open PGlite's directory itself (it would corrupt it). When no
// worker serves it, the commands fall back to what Temporal knows (status queries, visibility) and say so.
import type { RuntimeConfig } from '../config';
import { openStore, type Db, type SqlStore } from '../records';
import { openPostgres } from '../records/db';
import { UsageError } from './context';

/** How long the CLI waits for the served ledger while another CLI command holds its one connection. */
const BUSY_WAIT_MS = 15_000;
const BUSY_RETRY_MS = 50;

/** Where the CLI finds the ledger; without DATABASE_URL, the running worker's. */
export function ledgerUrl(config: RuntimeConfig): string {
  return config.databaseUrl ?? `postgres://postgres@127.0.0.1:${config.ledgerPort}/postgres`;
}

/** Where `withLedger` reads, for the commands' notes. */
export function ledgerSource(config: RuntimeConfig): string {
  return config.databaseUrl ? 'the ledger (DATABASE_URL)' : "the running worker's embedded ledger";
}

/** Why the ledger could not be read, for the commands' fallbacks. */
export function noLedgerNote(config: RuntimeConfig): string {
  return `no worker serves its embedded ledger on 127.0.0.1:${config.ledgerPort} (LEDGER_PORT; is \`npm start\` or \`npm run worker\` running?); with DATABASE_URL (PostgreSQL) the CLI reads the ledger itself`;
}

/** Nothing listens on the port: no worker runs with the embedded ledger. */
const nobodyListens = (error: Error & { code?: string }) => error.code === 'ECONNREFUSED';
/** The served ledger takes one client at a time and hung up on this one: another CLI command is using it. */
const busy = (error: Error) => /Connection terminated unexpectedly|ECONNRESET/.test(error.message);

/** The store over the ledger, migrated as every open of a store is. */
const openMigrated = (url: string, maxConnections?: number) => openStore({ databaseUrl: url, maxConnections });

/** The bare ledger, not migrated (nothing written), connected once so that a refusal shows here. */
async function openBare(url: string, maxConnections?: number): Promise<Db> {
  const db = openPostgres(url, undefined, maxConnections);
  try {
    await db.query('SELECT 1');
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}

/**
 * Opens the ledger; undefined when no worker serves the embedded one. One connection: the served ledger takes one
 * client, and waits here, briefly, while another command has it.
 */
async function openLedger<L extends { close(): Promise<void> }>(
  config: RuntimeConfig,
  open: (url: string, maxConnections?: number) => Promise<L>,
): Promise<L | undefined> {
  const deadline = Date.now() + BUSY_WAIT_MS;
  for (;;) {
    try {
      return await open(ledgerUrl(config), config.databaseUrl ? undefined : 1);
    } catch (error) {
      const e = error as Error;
      if (!config.databaseUrl && nobodyListens(e)) return undefined;
      if (!config.databaseUrl && busy(e) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS));
        continue;
      }
      throw new UsageError(`cannot open ${ledgerSource(config)}: ${e.message}`);
    }
  }
}

/**
 * Runs `fn` with the ledger (closed afterwards). Undefined when no worker serves the embedded ledger, so that the
 * caller can fall back to what Temporal knows.
 */
export function withLedger<T>(config: RuntimeConfig, fn: (ledger: SqlStore) => Promise<T>): Promise<T | undefined> {
  return using(openLedger(config, openMigrated), fn);
}

/** `withLedger` for a reader that must write nothing, not even a migration: the bare database. */
export function withLedgerDb<T>(config: RuntimeConfig, fn: (ledger: Db) => Promise<T>): Promise<T | undefined> {
  return using(openLedger(config, openBare), fn);
}

async function using<L extends { close(): Promise<void> }, T>(opening: Promise<L | undefined>, fn: (ledger: L) => Promise<T>) {
  const ledger = await opening;
  if (!ledger) return undefined;
  try {
    return await fn(ledger);
  } finally {
    await ledger.close();
  }
}
