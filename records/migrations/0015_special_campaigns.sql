-- Special campaigns (专项整治, seed 002; workflows/special-campaign/): the self-check reports of the 自查自纠 phase with
-- the money refunded to the fund in integer fen, the recorded selection of the 严肃查处 phase's on-site inspections
-- (seed, rules, pool and why each target was picked, so anyone can re-draw it), and the 建章立制 summary's figures.
-- The targets are the campaign's frozen membership (campaign_members, 0002); the inspections are those of the derived
-- campaign `{campaignId}-inspection` (0001).
-- PostgreSQL dialect: runs on PGlite and PostgreSQL 15. Applied by records/migrate.ts inside one transaction.

CREATE TABLE selfcheck_reports (
  campaign_id    text        NOT NULL REFERENCES campaigns (id),
  institution_id text        NOT NULL,
  submitted_at   timestamptz NOT NULL,
  late           boolean     NOT NULL,
  refunded_fen   bigint      NOT NULL CHECK (refunded_fen >= 0),
  -- The report as validated (items, measures with deadlines, note, who filed it).
  report         jsonb       NOT NULL CHECK (jsonb_typeof(report) = 'object'),
  PRIMARY KEY (campaign_id, institution_id)
);

-- What the data estimates an institution should refund (the campaign file's selfCheck.estimates, with its source).
CREATE TABLE selfcheck_estimates (
  campaign_id    text   NOT NULL REFERENCES campaigns (id),
  institution_id text   NOT NULL,
  estimate_fen   bigint NOT NULL CHECK (estimate_fen >= 0),
  source         text   NOT NULL,
  PRIMARY KEY (campaign_id, institution_id)
);

CREATE TABLE special_investigations (
  campaign_id text PRIMARY KEY REFERENCES campaigns (id),
  seed        text        NOT NULL,
  -- domain/self-check.ts InvestigationSelection: algorithm, rules, random pool and count, targets with reasons.
  selection   jsonb       NOT NULL CHECK (jsonb_typeof(selection) = 'object'),
  recorded_at timestamptz NOT NULL
);

CREATE TABLE special_summaries (
  campaign_id text PRIMARY KEY REFERENCES campaigns (id),
  -- domain/self-check.ts SpecialCampaignFigures.
  figures     jsonb       NOT NULL CHECK (jsonb_typeof(figures) = 'object'),
  recorded_at timestamptz NOT NULL
);
