-- Typical cases published (曝光典型案例, seed 000 item 15, seed 002 建章立制, seed 003 §6): a closed case a leader approved
-- for publication, with the anonymised text the system wrote from the case's facts (the institution, what was found,
-- the money, the actions: no person is named). One publication per case; the list of a year goes with its statistics.
-- PostgreSQL dialect: runs on PGlite and PostgreSQL 15. Applied by records/migrate.ts inside one transaction.

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
