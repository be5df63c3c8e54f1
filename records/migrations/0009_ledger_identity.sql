-- The ledger's identity: one random id, written once when the ledger is created. Workers of one task queue compare it
-- (workers/ledger-identity.ts), so a worker that opened another ledger (an empty embedded one, a wrong DATABASE_URL)
-- is refused before it takes any task, instead of finishing campaigns as if their members did not exist.
-- PostgreSQL dialect: runs on PGlite and PostgreSQL 15. Applied by records/migrate.ts inside one transaction.

CREATE TABLE ledger_identity (
  id         uuid        PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Exactly one row.
  only_row   boolean     NOT NULL DEFAULT true UNIQUE CHECK (only_row)
);

INSERT INTO ledger_identity (id) VALUES (gen_random_uuid());
