// The audit trail (审计留痕): append-only, one entry per key. The other areas append their entries with insertAudit /
// insertAudits on their own transaction, so a write and its audit entry commit together or not at all.
import type { Db } from '../db';
import { iso, json, type Timestamp } from './sql';

export interface AuditEntry {
  /** Idempotency key: appending the same key twice keeps the first entry. */
  key: string;
  /** Who decided: an inspector, leader or administrator id, or `system` for automatic steps. */
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  reason: string;
  detail: Record<string, unknown>;
  /** When it happened (workflow time), ISO-8601. */
  at: string;
}

export interface AuditLedger {
  /** Appends to the audit trail (append-only: the database refuses updates and deletes). */
  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(subjectId: string): Promise<AuditEntry[]>;
}

interface AuditRow {
  key: string;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string;
  reason: string;
  detail: Record<string, unknown>;
  at: Timestamp;
}
const toAudit = (r: AuditRow): AuditEntry => ({
  key: r.key,
  actor: r.actor,
  action: r.action,
  subjectType: r.subject_type,
  subjectId: r.subject_id,
  reason: r.reason,
  detail: r.detail,
  at: iso(r.at),
});

export async function insertAudit(db: Db, e: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_trail (key, actor, action, subject_type, subject_id, reason, detail, at)
     VALUES ($1, $2, $3, $4, $5, $6, ($7::text)::jsonb, $8)
     ON CONFLICT (key) DO NOTHING`,
    [e.key, e.actor, e.action, e.subjectType, e.subjectId, e.reason, json(e.detail ?? {}), e.at],
  );
}

/** Appends many audit entries in one statement (keys already there are kept). */
export async function insertAudits(db: Db, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.query(
    `INSERT INTO audit_trail (key, actor, action, subject_type, subject_id, reason, detail, at)
     SELECT e.key, e.actor, e.action, e.subject_type, e.subject_id, e.reason, COALESCE(e.detail, '{}'::jsonb), e.at
     FROM jsonb_to_recordset(($1::text)::jsonb) AS e(key text, actor text, action text, subject_type text, subject_id text,
                                                       reason text, detail jsonb, at timestamptz)
     ON CONFLICT (key) DO NOTHING`,
    [
      json(
        entries.map((e) => ({
          key: e.key,
          actor: e.actor,
          action: e.action,
          subject_type: e.subjectType,
          subject_id: e.subjectId,
          reason: e.reason,
          detail: e.detail ?? {},
          at: e.at,
        })),
      ),
    ],
  );
}

export function createAuditLedger(db: Db): AuditLedger {
  return {
    async appendAudit(entry) {
      await insertAudit(db, entry);
    },

    async listAudit(subjectId) {
      const rows = await db.query<AuditRow>('SELECT * FROM audit_trail WHERE subject_id = $1 ORDER BY seq', [subjectId]);
      return rows.map(toAudit);
    },
  };
}

/** Runs the INSERT … ON CONFLICT DO NOTHING RETURNING of `sql`, and appends `audit` when it inserted a row: the first write stays. */
export async function insertFirst(db: Db, sql: string, params: unknown[], audit: AuditEntry): Promise<void> {
  await db.transaction(async (tx) => {
    const inserted = await tx.query(sql, params);
    if (inserted.length > 0) await insertAudit(tx, audit);
  });
}
