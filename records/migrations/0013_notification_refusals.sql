-- A mail server's permanent refusal (a 5xx reply) ends a notice as `undeliverable`, with the refusal (the SMTP command,
-- reply code and enhanced status code: never the server's text, which quotes addresses); a notice delivered while the
-- server refused some of its recipients records those in `refused`. Nothing is retried for ever, and nothing is lost
-- silently: the leadership group's mailbox hears of both (activities/notifications.ts).
-- PostgreSQL dialect: runs on PGlite and PostgreSQL 15. Applied by records/migrate.ts inside one transaction.
ALTER TABLE notifications DROP CONSTRAINT notifications_status_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_status_check CHECK (status IN ('pending', 'sent', 'undeliverable'));
ALTER TABLE notifications ADD COLUMN refusal text;
ALTER TABLE notifications ADD COLUMN refused text[] NOT NULL DEFAULT '{}';
ALTER TABLE notifications ADD CONSTRAINT notifications_refusal_check CHECK ((status = 'undeliverable') = (refusal IS NOT NULL));
