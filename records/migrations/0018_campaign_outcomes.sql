-- What a campaign leaves behind (seed 002 建章立制 phase): typical cases published and rules adopted.
-- PostgreSQL dialect: runs on PGlite and PostgreSQL 15. Applied by records/migrate.ts inside one transaction.

-- Typical cases published (曝光典型案例, seed 000 item 15, seed 002 建章立制, seed 003 §6): a closed case a leader approved
-- for publication, with the anonymised text the system wrote from the case's facts (the institution, what was found,
-- the money, the actions: no person is named). One publication per case; the list of a year goes with its statistics.

CREATE TABLE typical_cases (
  case_id      text        PRIMARY KEY REFERENCES cases (id),
  jurisdiction text        NOT NULL,
  -- The year the case was opened: the statistics and the list it belongs to.
  year         integer     NOT NULL,
  campaign_id  text        NULL,
  title        text        NOT NULL CHECK (title <> ''),
  publication  text        NOT NULL CHECK (publication <> ''),
  approved_by  text        NOT NULL,
  approved_at  timestamptz NOT NULL
);
CREATE INDEX typical_cases_year_idx ON typical_cases (jurisdiction, year);

-- Rules adopted (建章立制, seed 002: 创新和完善医保基金管理的制度机制; seed 004 county table 1 note 2: 建章立制名称、数量):
-- a rule, measure or mechanism the bureau adopted, once per name, with the document that issued it where there is one.
CREATE TABLE adopted_rules (
  jurisdiction text        NOT NULL,
  name         text        NOT NULL CHECK (name <> ''),
  document_no  text        NULL,
  -- The start of the local day it was adopted on: the weekly tables count it from then.
  adopted_at   timestamptz NOT NULL,
  adopted_by   text        NOT NULL,
  campaign_id  text        NULL,
  PRIMARY KEY (jurisdiction, name)
);
CREATE INDEX adopted_rules_at_idx ON adopted_rules (jurisdiction, adopted_at);
