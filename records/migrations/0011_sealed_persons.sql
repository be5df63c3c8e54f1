-- The persons a referral flags for the discipline commission (人事同查) are sealed by the application (AES-256-GCM
-- under the payload codec's keys, like a clue's reporter) before they reach the ledger: their number in clear, the
-- list sealed under `persons_key_id`. The 0005 column `persons` keeps only rows saved before this migration; every
-- later save of a referral writes [] there.
-- PostgreSQL dialect: runs on PGlite and PostgreSQL 15. Applied by records/migrate.ts inside one transaction.
ALTER TABLE case_referrals ADD COLUMN persons_count integer NOT NULL DEFAULT 0 CHECK (persons_count >= 0);
ALTER TABLE case_referrals ADD COLUMN persons_key_id text;
ALTER TABLE case_referrals ADD COLUMN persons_sealed text;
ALTER TABLE case_referrals ADD CONSTRAINT case_referrals_sealed_check
  CHECK ((persons_sealed IS NULL) = (persons_key_id IS NULL) AND (persons_sealed IS NOT NULL OR persons_count = 0 OR jsonb_array_length(persons) = persons_count));
UPDATE case_referrals SET persons_count = jsonb_array_length(persons);
