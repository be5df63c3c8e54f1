-- Cases (案件): the escalation ladder after an inspection found violations (rectification → interview → suspension →
-- termination → blacklist, closure or withdrawal), the money recovered on them, their referrals to other agencies, and
-- practitioners' points deductions (医保支付资格记分).
-- PostgreSQL dialect: runs on PGlite and PostgreSQL 15. Applied by records/migrate.ts inside one transaction.
-- The stage and agency lists must match domain/case.ts (CASE_STAGES, REFERRAL_AGENCIES); the store tests check both.

-- An inspection whose violations opened a case ends at stage 'case-opened' (domain/inspection.ts INSPECTION_STAGES).
ALTER TABLE inspections DROP CONSTRAINT inspections_stage_check;
ALTER TABLE inspections ADD CONSTRAINT inspections_stage_check CHECK (stage IN ('assigned', 'overdue', 'compliant',
  'stating-case', 'rectifying', 'rectification-overdue', 'rectified', 'unrectified', 'unreported', 'case-opened'));

CREATE TABLE cases (
  -- The case workflow id, `case:{jurisdiction}:{caseNo}`.
  id             text    PRIMARY KEY,
  jurisdiction   text    NOT NULL,
  case_no        text    NOT NULL,
  -- The year the case was opened (the closure review of the next March lists the open ones).
  year           integer NOT NULL,
  -- No foreign keys to institutions / inspections / campaigns: a case may come from a clue rather than an inspection,
  -- and an inspection row does not carry the jurisdiction half of the institution key.
  institution_id text    NOT NULL,
  inspection_id  text    NULL,
  campaign_id    text    NULL,
  stage          text    NOT NULL CHECK (stage IN ('rectifying', 'rectification-overdue', 'interview', 'suspended',
                           'terminated', 'blacklisted', 'closed', 'withdrawn')),
  overdue        boolean NOT NULL DEFAULT false,
  -- Open until closed or withdrawn; kept as a column so the open cases of a year are one index range.
  open           boolean NOT NULL,
  opened_at      timestamptz NOT NULL,
  -- The deadline of the current step, if any.
  due_at         timestamptz NULL,
  -- Integer fen. paid_fen is the sum of the case's payments once it has any (see store.recordPayment).
  loss_fen       bigint  NOT NULL DEFAULT 0 CHECK (loss_fen >= 0),
  fine_fen       bigint  NOT NULL DEFAULT 0 CHECK (fine_fen >= 0),
  paid_fen       bigint  NOT NULL DEFAULT 0 CHECK (paid_fen >= 0),
  outcome        text    NULL,
  updated_at     timestamptz NOT NULL,
  UNIQUE (jurisdiction, case_no),
  CONSTRAINT cases_id_check CHECK (id = 'case:' || jurisdiction || ':' || case_no),
  CONSTRAINT cases_open_check CHECK (open = (stage NOT IN ('closed', 'withdrawn')))
);
-- The open cases of a jurisdiction's year (closure review, year-end figures), and an institution's cases.
CREATE INDEX cases_jurisdiction_year_open_idx ON cases (jurisdiction, year, open);
CREATE INDEX cases_institution_idx ON cases (jurisdiction, institution_id);

-- Money paid on a case (recovered fund money and fines), one row per payment, keyed so a retried record adds nothing.
CREATE TABLE case_payments (
  key          text   PRIMARY KEY,
  case_id      text   NOT NULL REFERENCES cases (id),
  amount_fen   bigint NOT NULL CHECK (amount_fen > 0),
  paid_at      timestamptz NOT NULL,
  reference    text   NOT NULL,
  recorded_by  text   NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_payments_case_idx ON case_payments (case_id, paid_at);

-- Referrals (移送) of a case, at most one per agency; each awaits the agency's acknowledgement by due_at.
CREATE TABLE case_referrals (
  case_id          text NOT NULL REFERENCES cases (id),
  agency           text NOT NULL CHECK (agency IN ('public-security', 'health', 'market', 'drug', 'discipline', 'judiciary')),
  reason           text NOT NULL,
  status           text NOT NULL CHECK (status IN ('sent', 'overdue', 'acknowledged', 'unacknowledged')),
  sent_at          timestamptz NOT NULL,
  due_at           timestamptz NOT NULL,
  acknowledged_at  timestamptz NULL,
  acknowledged_by  text NULL,
  reference        text NULL,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, agency),
  CHECK (due_at >= sent_at),
  -- Acknowledged exactly when the acknowledgement (when, by whom) is recorded.
  CHECK ((status = 'acknowledged') = (acknowledged_at IS NOT NULL)),
  CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL))
);

-- Practitioners' points deductions per calendar year (reset each January), keyed so a retried deduction counts once.
-- case_id is informational (no foreign key): a deduction may be decided outside a case of this ledger.
CREATE TABLE points_deductions (
  key              text    PRIMARY KEY,
  practitioner_id  text    NOT NULL,
  year             integer NOT NULL,
  tier             integer NOT NULL CHECK (tier BETWEEN 1 AND 4),
  points           integer NOT NULL CHECK (points BETWEEN 1 AND 12),
  case_id          text    NULL,
  reason           text    NOT NULL,
  decided_by       text    NOT NULL,
  decided_at       timestamptz NOT NULL,
  recorded_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX points_deductions_practitioner_year_idx ON points_deductions (practitioner_id, year);
