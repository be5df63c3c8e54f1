-- An inspection of a campaign claims the institution's on-site inspection of the year at its visit (when its findings
-- are recorded), no longer at its start; when another inspection (an unannounced flying check) had the year's first, it
-- ends at stage 'covered' instead of visiting a second time (domain/onsite.ts).
-- PostgreSQL dialect: runs on PGlite and PostgreSQL 15. Applied by records/migrate.ts inside one transaction.
-- The stage list must match domain/inspection.ts (INSPECTION_STAGES); the store tests check it.
ALTER TABLE inspections DROP CONSTRAINT inspections_stage_check;
ALTER TABLE inspections ADD CONSTRAINT inspections_stage_check CHECK (stage IN ('assigned', 'overdue', 'compliant',
  'stating-case', 'rectifying', 'rectification-overdue', 'rectified', 'unrectified', 'unreported', 'case-opened',
  'covered'));
