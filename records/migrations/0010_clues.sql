-- Tip-off clues (举报线索): one row per clue as its workflow records it, the reporters' identities apart and encrypted,
-- and the batches transferred by the national or provincial bureau (weekly table 3 counts clues by batch).
-- PostgreSQL dialect: runs on PGlite and PostgreSQL 15. Applied by records/migrate.ts inside one transaction.
-- The stage list must match domain/clue.ts (ClueStage); the store tests check it.

CREATE TABLE clue_batches (
  jurisdiction text NOT NULL,
  source       text NOT NULL CHECK (source IN ('national', 'provincial')),
  batch_no     text NOT NULL,
  batch_date   date NOT NULL,
  clue_count   integer NOT NULL CHECK (clue_count >= 0),
  received_at  timestamptz NOT NULL,
  PRIMARY KEY (jurisdiction, source, batch_no)
);

CREATE TABLE clues (
  id              text PRIMARY KEY,
  jurisdiction    text NOT NULL,
  clue_no         text NOT NULL,
  year            integer NOT NULL,
  received_at     timestamptz NOT NULL,
  channel         text NOT NULL,
  source          text NOT NULL CHECK (source IN ('local', 'national', 'provincial')),
  batch_no        text,
  batch_date      date,
  institution_id  text,
  subject         text NOT NULL,
  summary         text NOT NULL,
  real_name       boolean NOT NULL,
  -- The reporter as staff see it (张*); the identity is in clue_reporters, encrypted.
  reporter_masked text NOT NULL,
  stage           text NOT NULL CHECK (stage IN ('awaiting-acceptance', 'rejected', 'verifying', 'concluded',
                    'reward-approval', 'reward-claim', 'closed', 'unhandled')),
  overdue         boolean NOT NULL,
  due_at          timestamptz,
  unit_id         text,
  outcome         text CHECK (outcome IN ('verified', 'partly-verified', 'unfounded')),
  verified_fen    bigint NOT NULL DEFAULT 0 CHECK (verified_fen >= 0),
  action          text CHECK (action IN ('case', 'flying-check', 'none')),
  -- 已办结: concluded, or decided not to accept.
  concluded_at    timestamptz,
  case_id         text,
  reward_fen      bigint NOT NULL DEFAULT 0 CHECK (reward_fen >= 0),
  reward_paid_at  timestamptz,
  reward_waived_at timestamptz,
  -- The processing report (处理报告), and when it went upward with the weekly tables (transferred clues).
  report          text,
  report_sent_at  timestamptz,
  updated_at      timestamptz NOT NULL,
  UNIQUE (jurisdiction, clue_no),
  FOREIGN KEY (jurisdiction, source, batch_no) REFERENCES clue_batches (jurisdiction, source, batch_no)
);
CREATE INDEX clues_received ON clues (jurisdiction, received_at);
CREATE INDEX clues_batch ON clues (jurisdiction, source, batch_no);

-- The reporter's identity (name, phone, ID number, address, e-mail), sealed by the application with AES-256-GCM under
-- the key `key_id` before it reaches the database: the ledger, its backups and its logs hold only ciphertext.
CREATE TABLE clue_reporters (
  jurisdiction text NOT NULL,
  clue_no      text NOT NULL,
  key_id       text NOT NULL,
  sealed       text NOT NULL,
  masked       text NOT NULL,
  PRIMARY KEY (jurisdiction, clue_no)
);
