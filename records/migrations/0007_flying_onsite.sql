-- Flying checks under the one-on-site-inspection-a-year rule (DESIGN §2), with their draw recorded for publication.
--   * onsite_inspections: a second on-site inspection of a year names what requires it (`reference`: the clue numbers
--     or data-anomaly ids, or for a look-back the inspection whose findings it follows); 'look-back' is a reason.
--   * risk_signal_items: single risk signals (a clue, a data anomaly) with their reference, imported by
--     `jianguan risk import`; idempotent by (jurisdiction, reference). They add to the counts of risk_signals.
--   * flying_draws / flying_targets: a flying campaign's draw as recorded the first time (first writer wins), and its
--     targets in draw order, which the campaign pages through to start and follow them.
-- PostgreSQL dialect: runs on PGlite and PostgreSQL 15. Applied by records/migrate.ts inside one transaction.

ALTER TABLE onsite_inspections DROP CONSTRAINT onsite_inspections_reason_check;
ALTER TABLE onsite_inspections ADD CONSTRAINT onsite_inspections_reason_check CHECK (reason IN ('clue', 'data-lead', 'look-back'));
ALTER TABLE onsite_inspections ADD COLUMN reference text NULL CHECK (reference <> '');
-- A look-back is allowed because it follows findings: it must say whose.
ALTER TABLE onsite_inspections ADD CONSTRAINT onsite_inspections_look_back_reference
  CHECK (reason IS DISTINCT FROM 'look-back' OR reference IS NOT NULL);

CREATE TABLE risk_signal_items (
  jurisdiction   text    NOT NULL,
  reference      text    NOT NULL CHECK (reference <> ''),
  institution_id text    NOT NULL,
  kind           text    NOT NULL CHECK (kind IN ('clue', 'data-anomaly')),
  signal_date    date    NOT NULL,
  -- The year whose flying checks the signal weighs in (the signal's own year).
  year           integer NOT NULL,
  note           text    NOT NULL DEFAULT '',
  imported_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (jurisdiction, reference),
  CHECK (year = extract(year FROM signal_date))
);
CREATE INDEX risk_signal_items_institution_idx ON risk_signal_items (jurisdiction, year, institution_id);

CREATE TABLE flying_draws (
  campaign_id  text PRIMARY KEY REFERENCES campaigns (id),
  jurisdiction text    NOT NULL,
  year         integer NOT NULL,
  seed         text    NOT NULL,
  -- The whole draw as published: algorithm, weights, requested and drawn counts, eligible pool with risk figures,
  -- excluded institutions with why, the result. `jianguan draw export` writes it out, `draw verify --draw` re-runs it.
  record       jsonb   NOT NULL CHECK (jsonb_typeof(record) = 'object'),
  recorded_at  timestamptz NOT NULL
);

CREATE TABLE flying_targets (
  campaign_id    text    NOT NULL REFERENCES flying_draws (campaign_id),
  seq            integer NOT NULL CHECK (seq >= 0),
  institution_id text    NOT NULL,
  how            text    NOT NULL CHECK (how IN ('random', 'risk')),
  score          integer NOT NULL,
  -- What makes the target eligible for a further on-site inspection this year, frozen at the draw.
  reason         text    NULL CHECK (reason IN ('clue', 'data-lead')),
  refs           text[]  NOT NULL DEFAULT '{}',
  -- Set when the campaign claimed the on-site inspection: the year's first, a further one (with reason), or refused.
  claim          text    NULL CHECK (claim IN ('first', 'extra', 'refused')),
  -- The look-back workflow ordered for the target's findings.
  look_back_id   text    NULL,
  PRIMARY KEY (campaign_id, seq),
  UNIQUE (campaign_id, institution_id),
  CHECK ((reason IS NULL) = (cardinality(refs) = 0))
);
