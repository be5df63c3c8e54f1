-- Closure review (结案检查, seed 000 item 5): the closing deadline each of last year's open cases gets in March, and
-- what the review found at its end. One row per review and case, written once when the review sets the deadline (a
-- retry keeps the first row) and completed once at the end (result, outstanding, reviewed_at).
-- PostgreSQL dialect: runs on PGlite and PostgreSQL 15. Applied by records/migrate.ts inside one transaction.

CREATE TABLE closure_deadlines (
  -- The closure review workflow id, `closure-review:{jurisdiction}:{year}`.
  review_id       text    NOT NULL,
  jurisdiction    text    NOT NULL,
  -- The year of the review; its cases are of the year before.
  review_year     integer NOT NULL,
  -- A case of the case workflow (subject_id = cases.id), or a rectification still open in an inspection from before
  -- cases existed (subject_id = inspections.id). No foreign keys: the subject is one table or the other.
  subject_type    text    NOT NULL CHECK (subject_type IN ('case', 'inspection')),
  subject_id      text    NOT NULL,
  -- 案件编号: the case's number; `{campaignId}.{institutionId}` for an inspection's rectification.
  case_no         text    NOT NULL,
  institution_id  text    NOT NULL,
  -- The closing deadline (结案期限) and when it was set.
  due_at          timestamptz NOT NULL,
  set_at          timestamptz NOT NULL,
  -- At the end of the review: 'closed' (closed, withdrawn or rectified by then) or 'open', what was still outstanding
  -- (domain/closure-review.ts ClosureOutstanding) and when it was recorded.
  result          text    NULL CHECK (result IN ('closed', 'open')),
  outstanding     jsonb   NULL CHECK (outstanding IS NULL OR jsonb_typeof(outstanding) = 'object'),
  reviewed_at     timestamptz NULL,
  PRIMARY KEY (review_id, subject_id),
  CHECK ((result IS NULL) = (reviewed_at IS NULL))
);
-- A case's closing deadlines (case show), and a jurisdiction's reviews of a year.
CREATE INDEX closure_deadlines_subject_idx ON closure_deadlines (subject_id);
CREATE INDEX closure_deadlines_jurisdiction_year_idx ON closure_deadlines (jurisdiction, review_year);
