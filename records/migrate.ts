// Schema migrations, run by umzug on every open: the .sql files of records/migrations/ in name order, each in its own
// transaction, with the applied names kept in the `schema_migrations` table.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Umzug, type UmzugStorage } from 'umzug';
import type { Db } from './db';

export const MIGRATIONS_DIR = path.join(__dirname, 'migrations');

/** Arbitrary but fixed key of the PostgreSQL advisory lock that serialises migrating processes. */
const MIGRATION_LOCK_KEY = 7_046_213_901;

const recordApplied = (db: Db, name: string) =>
  db.query('INSERT INTO schema_migrations (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', [name]);

/** umzug storage over the `schema_migrations` table of the migrating connection. */
const storage: UmzugStorage<Db> = {
  // Normally already recorded inside the migration's own transaction (see `up` below); kept idempotent for umzug.
  logMigration: async ({ name, context }) => {
    await recordApplied(context, name);
  },
  unlogMigration: async ({ name, context }) => {
    await context.query('DELETE FROM schema_migrations WHERE name = $1', [name]);
  },
  executed: async ({ context }) =>
    (await context.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).map((r) => r.name),
};

export function migrationFiles(dir = MIGRATIONS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
}

/**
 * Brings the schema up to date. On PostgreSQL, `schema` (if any) is created here and the whole run holds an advisory
 * lock, so two processes opening the same database at once migrate one after the other instead of colliding.
 * Returns the names of the migrations applied by this call.
 */
export async function migrate(db: Db, opts: { backend: 'pglite' | 'postgres'; schema?: string }): Promise<string[]> {
  return db.session(async (conn) => {
    const locked = opts.backend === 'postgres';
    if (locked) await conn.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      if (opts.schema) await conn.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(opts.schema)}`);
      await conn.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        name       text PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const umzug = new Umzug<Db>({
        migrations: migrationFiles().map((name) => ({
          name,
          path: path.join(MIGRATIONS_DIR, name),
          // The schema change and its record commit together: a crash can never leave one without the other.
          up: ({ context }) =>
            context.transaction(async (tx) => {
              await tx.exec(readFileSync(path.join(MIGRATIONS_DIR, name), 'utf8'));
              await recordApplied(tx, name);
            }),
        })),
        context: conn,
        storage,
        logger: undefined,
      });
      const applied = await umzug.up();
      return applied.map((m) => m.name);
    } finally {
      if (locked) await conn.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  });
}

/** Schema names come from configuration or tests; accept plain identifiers only, then quote them. */
export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid schema name ${JSON.stringify(name)}: use [a-z_][a-z0-9_]*`);
  return `"${name}"`;
}
