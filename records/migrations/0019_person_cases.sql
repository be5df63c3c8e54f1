-- Cases against insured persons (参保人员) and 职业骗保人 (issue 13 item 1; seed 004 表二): the case as its workflow
-- records it, each action once (with its fen amounts), and the person sealed by the application (AES-256-GCM under the
-- payload codec's keys, like clue_reporters): no name, ID number or insurance number in clear anywhere in the ledger.
-- The case number is a business key without personal data; table 2 counts a person by it.
-- PostgreSQL dialect: runs on PGlite and PostgreSQL 15. Applied by records/migrate.ts inside one transaction.

CREATE TABLE person_cases (
  id                   text        PRIMARY KEY,
  jurisdiction         text        NOT NULL,
  case_no              text        NOT NULL,
  year                 integer     NOT NULL,
  source_kind          text        NOT NULL CHECK (source_kind IN ('clue', 'inspection', 'data')),
  source_ref           text        NOT NULL,
  -- The person as staff see it (张*); the person is in person_case_subjects, sealed.
  person_masked        text        NOT NULL,
  professional         boolean     NOT NULL,
  stage                text        NOT NULL CHECK (stage IN ('open', 'closed', 'left-open')),
  open                 boolean     NOT NULL,
  overdue              boolean     NOT NULL,
  opened_at            timestamptz NOT NULL,
  due_at               timestamptz,
  amount_fen           bigint      NOT NULL CHECK (amount_fen >= 0),
  card_suspended_until timestamptz,
  outcome              text,
  updated_at           timestamptz NOT NULL,
  UNIQUE (jurisdiction, case_no)
);

CREATE TABLE person_case_actions (
  case_id     text        NOT NULL REFERENCES person_cases (id),
  key         text        NOT NULL,
  action      text        NOT NULL CHECK (action IN ('interview', 'suspend-card', 'card-lifted', 'penalty', 'refer', 'other', 'recover')),
  -- The column of table 2 it counts in, if any (domain/person-case.ts table2Action).
  table2      text        CHECK (table2 IN ('interview', 'card-suspension', 'penalty', 'judicial-referral', 'other')),
  decided_by  text        NOT NULL,
  at          timestamptz NOT NULL,
  months      integer     CHECK (months BETWEEN 1 AND 12),
  fine_fen    bigint      NOT NULL DEFAULT 0 CHECK (fine_fen >= 0),
  -- 责令退回 of a penalty, or the money of a recovery (追回骗取医保基金).
  amount_fen  bigint      NOT NULL DEFAULT 0 CHECK (amount_fen >= 0),
  agency      text,
  note        text        NOT NULL,
  PRIMARY KEY (case_id, key)
);
CREATE INDEX person_case_actions_at_idx ON person_case_actions (at);

CREATE TABLE person_case_subjects (
  jurisdiction text NOT NULL,
  case_no      text NOT NULL,
  key_id       text NOT NULL,
  sealed       text NOT NULL,
  PRIMARY KEY (jurisdiction, case_no)
);
