// A copy of a ledger into another, for a rehearsal seeded with the bureau's own history (`--from-ledger`): last year's
// open cases for the closure review, risk signals and credit grades for the draws, the year's finished inspections for
// a re-check. The source is only read, in one read-only transaction (a consistent snapshot on PostgreSQL), and must
// be at the same migration as this jianguan: copying rows between two schemas would misplace columns.
import type { Db } from './db';
import { quoteIdent } from './migrate';

/** Tables the target keeps its own of: its migrations, and its identity (a copy is not the ledger it came from). */
const OWN_TABLES = new Set(['schema_migrations', 'ledger_identity']);
/** Rows sent to the target per statement: JSON parameters of a few megabytes at most. */
const CHUNK = 2_000;

export interface LedgerCopy {
  tables: number;
  rows: number;
}

const tablesOf = async (db: Db) =>
  (
    await db.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
    )
  ).map((t) => t.name);

const migrationsOf = async (db: Db) =>
  (await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).map((m) => m.name);

/** The source's migrations must be exactly the target's; otherwise says which side is behind. */
function sameSchema(source: string[], target: string[]): void {
  const last = (names: string[]) => names.at(-1) ?? 'none';
  if (source.join() === target.join()) return;
  throw new Error(
    `the ledger is at migration ${last(source)} and this jianguan at ${last(target)}: ` +
      (source.length < target.length ? 'start the worker once so that it migrates the ledger' : 'update jianguan'),
  );
}

/**
 * Copies every table of `source` into the freshly migrated, empty `target`, foreign keys and triggers off while the
 * rows go in (the order of the tables does not matter then), and moves the target's sequences past the copied keys.
 */
export async function copyLedger(source: Db, target: Db): Promise<LedgerCopy> {
  return source.transaction(async (from) => {
    await from.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    sameSchema(await migrationsOf(from), await migrationsOf(target));
    const tables = (await tablesOf(from)).filter((t) => !OWN_TABLES.has(t));
    return target.transaction(async (to) => {
      await to.exec('SET LOCAL session_replication_role = replica');
      let rows = 0;
      for (const table of tables) rows += await copyTable(from, to, table);
      await moveSequences(to);
      return { tables: tables.length, rows };
    });
  });
}

/** One table's rows, as JSON (bytea, timestamps and numbers round-trip through their text forms). */
async function copyTable(from: Db, to: Db, table: string): Promise<number> {
  const name = quoteIdent(table);
  const rows = await from.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${name} t`);
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = `[${rows
      .slice(i, i + CHUNK)
      .map((r) => r.row)
      .join(',')}]`;
    await to.query(`INSERT INTO ${name} SELECT * FROM json_populate_recordset(NULL::${name}, $1::json)`, [chunk]);
  }
  return rows.length;
}

/** Each sequence-backed column's sequence set past the largest key copied, so that new rows do not collide. */
async function moveSequences(to: Db): Promise<void> {
  const serials = await to.query<{ table: string; column: string; sequence: string }>(
    `SELECT table_name AS table, column_name AS column, pg_get_serial_sequence(quote_ident(table_name), column_name) AS sequence
       FROM information_schema.columns
      WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'`,
  );
  for (const { table, column, sequence } of serials)
    await to.query(`SELECT setval($1, GREATEST((SELECT max(${quoteIdent(column)}) FROM ${quoteIdent(table)}), 1))`, [sequence]);
}
