-- Full coverage (全覆盖): responsible units and contacts of institutions, frozen campaign memberships, the
-- one-on-site-inspection-a-year rule, credit grades, and indexes for the year-end figures.
-- PostgreSQL dialect: runs on PGlite and PostgreSQL 15. Applied by records/migrate.ts inside one transaction.

-- Rows loaded before this migration get no responsible unit and no contacts (the constant default adds no rewrite).
ALTER TABLE institutions
  ADD COLUMN responsible_unit_id text NULL,
  ADD COLUMN contacts jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(contacts) = 'array');

-- A campaign's membership, frozen when the campaign starts and numbered 0..n-1 (by institution id) so shards can
-- page through it. The institution's jurisdiction is the campaign's.
CREATE TABLE campaign_members (
  campaign_id    text NOT NULL REFERENCES campaigns (id),
  seq            integer NOT NULL CHECK (seq >= 0),
  institution_id text NOT NULL,
  PRIMARY KEY (campaign_id, seq),
  UNIQUE (campaign_id, institution_id)
);

-- On-site inspections per institution and year: one a year, another only for a clue or a data lead (DESIGN §2).
CREATE TABLE onsite_inspections (
  jurisdiction   text NOT NULL,
  institution_id text NOT NULL,
  year           integer NOT NULL,
  inspection_id  text NOT NULL,
  reason         text NULL CHECK (reason IN ('clue', 'data-lead')),
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (jurisdiction, institution_id, year, inspection_id)
);

-- One credit grade per institution and year; the latest decision replaces an earlier one.
CREATE TABLE credit_grades (
  jurisdiction   text NOT NULL,
  institution_id text NOT NULL,
  year           integer NOT NULL,
  grade          text NOT NULL CHECK (grade IN ('A', 'B', 'C', 'D', 'E')),
  inspection_id  text NOT NULL,
  decided_at     timestamptz NOT NULL,
  PRIMARY KEY (jurisdiction, institution_id, year)
);
CREATE INDEX credit_grades_year_idx ON credit_grades (jurisdiction, year);

-- Progress and open cases filter a campaign's inspections by stage; (campaign_id, stage) also serves what the
-- campaign_id-only index of 0001 did, so that one goes.
CREATE INDEX inspections_campaign_stage_idx ON inspections (campaign_id, stage);
DROP INDEX inspections_campaign_idx;

-- The year-end figures start from a jurisdiction's campaigns of a year.
CREATE INDEX campaigns_jurisdiction_year_idx ON campaigns (jurisdiction, year);
