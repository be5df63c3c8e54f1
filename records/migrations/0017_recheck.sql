-- Re-check campaigns (抽查复查 in the 三个三分之一 way, seed 003; domain/recheck.ts): the sample drawn from the year's
-- finished inspections as recorded the first time (seed, rules, pool, each pick and its third: `jianguan draw verify
-- --campaign` re-runs it), and the comparison of the re-check's findings with the district's.
-- A re-check is a further on-site inspection of the year, allowed as the city's check of the district's work: reason
-- 'recheck', with the re-check campaign as its reference.
-- PostgreSQL dialect: runs on PGlite and PostgreSQL 15. Applied by records/migrate.ts inside one transaction.

ALTER TABLE onsite_inspections DROP CONSTRAINT onsite_inspections_reason_check;
ALTER TABLE onsite_inspections ADD CONSTRAINT onsite_inspections_reason_check
  CHECK (reason IN ('clue', 'data-lead', 'look-back', 'recheck'));
ALTER TABLE onsite_inspections ADD CONSTRAINT onsite_inspections_recheck_reference
  CHECK (reason IS DISTINCT FROM 'recheck' OR reference IS NOT NULL);

CREATE TABLE recheck_draws (
  campaign_id text PRIMARY KEY REFERENCES campaign_files (campaign_id),
  seed        text        NOT NULL,
  -- domain/recheck.ts RecheckDraw: algorithm, rules, pool, picks with their thirds, kinds short of their minimum.
  record      jsonb       NOT NULL CHECK (jsonb_typeof(record) = 'object'),
  recorded_at timestamptz NOT NULL
);

CREATE TABLE recheck_summaries (
  campaign_id text PRIMARY KEY REFERENCES recheck_draws (campaign_id),
  -- domain/recheck.ts RecheckSummary: figures by outcome and one line per pick.
  summary     jsonb       NOT NULL CHECK (jsonb_typeof(summary) = 'object'),
  recorded_at timestamptz NOT NULL
);
