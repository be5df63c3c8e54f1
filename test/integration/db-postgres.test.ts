// The PostgreSQL adapter when its server goes away under it: a connection terminated by the server (57P01, as when
// PostgreSQL shuts down) while a caller holds it between two statements must fail that caller's next statement, never
// the process (an 'error' event nobody hears is an uncaught exception: vitest fails the run on it).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type Db } from '../../records/db';
import { assertPostgresReachable, TEST_DATABASE_URL } from '../helpers/db';

let db: Db;
const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });

beforeAll(async () => {
  await assertPostgresReachable();
  await admin.connect();
  db = openPostgres(TEST_DATABASE_URL);
});

afterAll(async () => {
  await db?.close();
  await admin.end();
});

const terminate = (pid: number) => admin.query('SELECT pg_terminate_backend($1)', [pid]);

describe('a PostgreSQL connection terminated by the server', () => {
  it('fails the statement after it, and the pool goes on with a new connection', async () => {
    const failure = db.session(async (conn) => {
      const [{ pid }] = await conn.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await terminate(pid);
      // Between two statements: the server's goodbye arrives on the idle, checked-out connection.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await conn.query('SELECT 1');
    });
    await expect(failure).rejects.toThrow();
    expect(await db.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('fails a transaction whose connection is terminated mid-way, and rolls it back', async () => {
    await db.exec('CREATE TEMP TABLE IF NOT EXISTS never (x int)');
    const failure = db.transaction(async (tx) => {
      const [{ pid }] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await terminate(pid);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await tx.query('SELECT 1');
    });
    await expect(failure).rejects.toThrow();
    expect(await db.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('survives an idle pooled connection terminated by the server', async () => {
    const [{ pid }] = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    await terminate(pid);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await db.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});
