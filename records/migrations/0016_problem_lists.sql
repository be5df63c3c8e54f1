-- The responsible tasks' weekly 问题台账 (seed 002: 各相关股室…于每周四前填写《行业部门集中整治自查发现问题台账》报党建办;
-- workflows/problem-list/): each unit's rows of a week (the last version it submitted before the deadline, with the
-- number of versions), and each week as closed at its deadline: the units that owed one and those missing, when the
-- week's 台账 went to the lead office. A closed week takes no more submissions.
-- PostgreSQL dialect: runs on PGlite and PostgreSQL 15. Applied by records/migrate.ts inside one transaction.

CREATE TABLE problem_lists (
  campaign_id  text        NOT NULL REFERENCES campaign_files (campaign_id),
  week         text        NOT NULL CHECK (week ~ '^[0-9]{4}-W[0-9]{2}$'),
  unit_id      text        NOT NULL,
  submitted_at timestamptz NOT NULL,
  -- 1 for the first submission; one more for each different one that replaced it before the deadline.
  revision     integer     NOT NULL CHECK (revision >= 1),
  -- domain/problem-list.ts ProblemRow[]: problem, measure, deadline, state.
  entries      jsonb       NOT NULL CHECK (jsonb_typeof(entries) = 'array'),
  PRIMARY KEY (campaign_id, week, unit_id)
);

CREATE TABLE problem_list_weeks (
  campaign_id text        NOT NULL REFERENCES campaign_files (campaign_id),
  week        text        NOT NULL CHECK (week ~ '^[0-9]{4}-W[0-9]{2}$'),
  deadline    timestamptz NOT NULL,
  units_due   text[]      NOT NULL,
  missing     text[]      NOT NULL,
  closed_at   timestamptz NOT NULL,
  PRIMARY KEY (campaign_id, week)
);
