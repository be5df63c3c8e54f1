-- Flying checks (飞行检查): the institution may state its case on fed-back findings (stage 'stating-case'), and the
-- risk signals that weight the risk-targeted draw (open clues, smart-monitoring data anomalies) per institution and year.

ALTER TABLE inspections DROP CONSTRAINT inspections_stage_check;
ALTER TABLE inspections ADD CONSTRAINT inspections_stage_check CHECK (stage IN ('assigned', 'overdue', 'compliant',
  'stating-case', 'rectifying', 'rectification-overdue', 'rectified', 'unrectified', 'unreported'));

CREATE TABLE risk_signals (
  jurisdiction    text    NOT NULL,
  institution_id  text    NOT NULL,
  year            integer NOT NULL,
  clues           integer NOT NULL DEFAULT 0 CHECK (clues >= 0),
  data_anomalies  integer NOT NULL DEFAULT 0 CHECK (data_anomalies >= 0),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (jurisdiction, institution_id, year)
);
