-- The figures of seed 004 table 1 that the ledger lacked: an institution's monthly turnover (月营业额, from the plan; a
-- suspension or termination decision may state it too, in its audit entry), and money recovered for patients
-- (为患者追回资金) on a case, apart from the payments to the fund.
-- PostgreSQL dialect: runs on PGlite and PostgreSQL 15. Applied by records/migrate.ts inside one transaction.

ALTER TABLE institutions ADD COLUMN monthly_turnover_fen bigint NULL CHECK (monthly_turnover_fen >= 0);

CREATE TABLE case_patient_refunds (
  case_id     text        NOT NULL REFERENCES cases (id),
  -- The refund's reference (退款凭证号): one row per case and reference, so a retried record adds nothing.
  reference   text        NOT NULL,
  amount_fen  bigint      NOT NULL CHECK (amount_fen > 0),
  refunded_at timestamptz NOT NULL,
  recorded_by text        NOT NULL,
  PRIMARY KEY (case_id, reference)
);
CREATE INDEX case_patient_refunds_at_idx ON case_patient_refunds (refunded_at);
