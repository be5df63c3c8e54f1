// What the bad-input tests compare before and after a refusal: the number of rows of every table of a ledger, on
// PGlite or PostgreSQL alike.
import type { Db } from '../../records/db';

/** Rows of each table in the ledger's schema, by table name. */
export async function rowCounts(db: Db): Promise<Record<string, number>> {
  const tables = await db.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}"`);
    counts[name] = row!.n;
  }
  return counts;
}
