-- Cases, second step: two more stages of the ladder, and the persons a referral flags for the discipline commission.
-- PostgreSQL dialect: runs on PGlite and PostgreSQL 15. Applied by records/migrate.ts inside one transaction.
-- The stage list must match domain/case.ts (CASE_STAGES); the store tests check it.

-- 'suspension-lifted': the suspension's months are over (services run again) and the recheck decision is awaited;
-- 'rectified': the ladder ended with the institution rectified, while money or referrals may keep the case open.
ALTER TABLE cases DROP CONSTRAINT cases_stage_check;
ALTER TABLE cases ADD CONSTRAINT cases_stage_check CHECK (stage IN ('rectifying', 'rectification-overdue', 'interview',
  'suspended', 'suspension-lifted', 'terminated', 'blacklisted', 'rectified', 'closed', 'withdrawn'));

-- Persons flagged for the discipline commission (人事同查) by a referral: [{ "name": …, "role": … }], as the decision
-- named them. Personal data: kept in the ledger only (never in search attributes or logs). Rows of 0004 get [].
ALTER TABLE case_referrals ADD COLUMN persons jsonb NOT NULL DEFAULT '[]'::jsonb
  CONSTRAINT case_referrals_persons_check CHECK (jsonb_typeof(persons) = 'array');
