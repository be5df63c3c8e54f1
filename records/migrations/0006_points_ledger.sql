-- Practitioner points (医保支付资格记分): each practitioner's standing per calendar year, as the entity workflow
-- `points:{practitionerId}:{year}` last wrote it: points, eligibility, the end of a suspension or of the re-registration
-- bar, and whether the year is closed (its points reset; a restriction still running handed to next year). The ledger's
-- answer when the workflow is gone; every change is also in the audit trail (subject: the practitioner).
-- PostgreSQL dialect: runs on PGlite and PostgreSQL 15. Eligibility values must match domain/points.ts (Eligibility).
CREATE TABLE points_status (
  practitioner_id  text        NOT NULL,
  year             integer     NOT NULL,
  total            integer     NOT NULL CHECK (total >= 0),
  eligibility      text        NOT NULL CHECK (eligibility IN ('eligible', 'suspended', 'ended')),
  suspended_until  timestamptz NULL,
  barred_until     timestamptz NULL,
  closed           boolean     NOT NULL DEFAULT false,
  -- The workflow's count of state changes: a late retry of an older save changes nothing.
  version          integer     NOT NULL CHECK (version >= 0),
  updated_at       timestamptz NOT NULL,
  PRIMARY KEY (practitioner_id, year),
  CHECK ((eligibility = 'suspended') = (suspended_until IS NOT NULL)),
  CHECK ((eligibility = 'ended') = (barred_until IS NOT NULL))
);
