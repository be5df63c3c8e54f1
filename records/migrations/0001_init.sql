-- The record system (台账 ledger), first schema. PostgreSQL dialect: runs on PGlite and PostgreSQL 15.
-- Applied by records/migrate.ts inside one transaction; unqualified names land in the connection's search_path.

CREATE TABLE institutions (
  jurisdiction text NOT NULL,
  id           text NOT NULL,
  name         text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('hospital', 'pharmacy')),
  level        text,
  ownership    text NOT NULL CHECK (ownership IN ('public', 'private')),
  district     text NOT NULL,
  PRIMARY KEY (jurisdiction, id)
);

CREATE TABLE campaigns (
  id           text PRIMARY KEY,
  jurisdiction text NOT NULL,
  kind         text NOT NULL,
  title        text NOT NULL,
  year         integer NOT NULL,
  starts_at    timestamptz NOT NULL,
  due_at       timestamptz NOT NULL,
  draw_seed    text NOT NULL
);

CREATE TABLE inspections (
  id                    text PRIMARY KEY,
  campaign_id           text NOT NULL REFERENCES campaigns (id),
  -- No foreign key to institutions: an inspection row does not carry the jurisdiction half of that key.
  institution_id        text NOT NULL,
  team                  text[] NOT NULL,
  draw_seed             text NOT NULL,
  announced             boolean NOT NULL,
  stage                 text NOT NULL CHECK (stage IN ('assigned', 'overdue', 'compliant', 'rectifying',
                          'rectification-overdue', 'rectified', 'unrectified', 'unreported')),
  due_at                timestamptz NOT NULL,
  rectification_due_at  timestamptz,
  updated_at            timestamptz NOT NULL
);
CREATE INDEX inspections_campaign_idx ON inspections (campaign_id);

-- One row per inspection: the primary key is what makes a retried saveFindings keep the first row.
CREATE TABLE findings (
  inspection_id text PRIMARY KEY REFERENCES inspections (id),
  inspector_id  text NOT NULL,
  inspected_at  timestamptz NOT NULL,
  violation     boolean NOT NULL,
  items         jsonb NOT NULL CHECK (jsonb_typeof(items) = 'array'),
  note          text NOT NULL,
  recorded_at   timestamptz NOT NULL
);

CREATE TABLE notifications (
  key        text PRIMARY KEY,
  channel    text NOT NULL,
  recipient  text NOT NULL,
  subject    text NOT NULL,
  status     text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent')),
  message_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at    timestamptz,
  CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);

CREATE TABLE audit_trail (
  seq          bigserial PRIMARY KEY,
  key          text NOT NULL UNIQUE,
  actor        text NOT NULL,
  action       text NOT NULL,
  subject_type text NOT NULL,
  subject_id   text NOT NULL,
  reason       text NOT NULL,
  detail       jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(detail) = 'object'),
  at           timestamptz NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_trail_subject_idx ON audit_trail (subject_id, seq);

-- The audit trail is append-only: the database itself refuses to change or remove an entry, whoever asks.
CREATE FUNCTION audit_trail_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_trail is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_trail_no_update_delete
  BEFORE UPDATE OR DELETE ON audit_trail
  FOR EACH ROW EXECUTE FUNCTION audit_trail_refuse_change();

CREATE TRIGGER audit_trail_no_truncate
  BEFORE TRUNCATE ON audit_trail
  FOR EACH STATEMENT EXECUTE FUNCTION audit_trail_refuse_change();
