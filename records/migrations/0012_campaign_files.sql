-- Campaigns launched from a file (`jianguan campaign start FILE`): the file as validated, its phases with their dates
-- fixed when it was recorded, its responsible tasks (责任分工), and its cancellation with the reason. The targets the
-- file's selectors picked are the campaign's frozen membership (campaign_members, 0002).
-- PostgreSQL dialect: runs on PGlite and PostgreSQL 15. Applied by records/migrate.ts inside one transaction.

CREATE TABLE campaign_files (
  campaign_id   text PRIMARY KEY,
  jurisdiction  text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('targeted', 'special', 'recheck')),
  title         text NOT NULL,
  year          integer NOT NULL,
  definition    jsonb NOT NULL CHECK (jsonb_typeof(definition) = 'object'),
  recorded_at   timestamptz NOT NULL,
  cancelled_at  timestamptz,
  cancelled_by  text,
  cancel_reason text,
  CHECK ((cancelled_at IS NULL) = (cancel_reason IS NULL) AND (cancelled_at IS NULL) = (cancelled_by IS NULL))
);
CREATE INDEX campaign_files_jurisdiction_idx ON campaign_files (jurisdiction, year);

CREATE TABLE campaign_phases (
  campaign_id text NOT NULL REFERENCES campaign_files (campaign_id),
  seq         integer NOT NULL CHECK (seq >= 0),
  name        text NOT NULL,
  starts_on   date NOT NULL,
  ends_on     date NOT NULL CHECK (ends_on >= starts_on),
  PRIMARY KEY (campaign_id, seq)
);

CREATE TABLE campaign_tasks (
  campaign_id text NOT NULL REFERENCES campaign_files (campaign_id),
  seq         integer NOT NULL CHECK (seq >= 0),
  content     text NOT NULL,
  measures    jsonb NOT NULL CHECK (jsonb_typeof(measures) = 'array'),
  leader_id   text NOT NULL,
  unit_ids    text[] NOT NULL,
  deadline    date NOT NULL,
  ongoing     boolean NOT NULL,
  PRIMARY KEY (campaign_id, seq)
);
