// The record system (台账 ledger) over the Db adapter: one SQL implementation for PGlite and PostgreSQL.
// Every write is idempotent by its business key; every multi-row write runs in one transaction.
import { openPglite, openPostgres, type Db } from './db';
import { migrate, quoteIdent } from './migrate';
import type {
  AuditEntry,
  CampaignMember,
  CampaignProgress,
  CampaignRecord,
  CreditGrade,
  CreditGradeRecord,
  FindingItem,
  FindingsRecord,
  InspectionRecord,
  InspectionStage,
  InstitutionRecord,
  NotificationRecord,
  Store,
  UninspectedMember,
  YearSummary,
} from './types';

export interface StoreOptions {
  /** A PostgreSQL connection string; when set the store runs on PostgreSQL, otherwise on embedded PGlite. */
  databaseUrl?: string;
  /** PGlite data directory (e.g. under var/); in memory when undefined. Ignored on PostgreSQL. */
  dataDir?: string;
  /** PostgreSQL only: schema to keep all tables in (created if missing), e.g. to isolate test runs. Ignored by PGlite. */
  schema?: string;
}

/** The store plus its underlying database, for maintenance and tests (e.g. checking what the database refuses). */
export interface SqlStore extends Store {
  readonly db: Db;
}

export async function openStore(options: StoreOptions = {}): Promise<SqlStore> {
  const backend = options.databaseUrl ? 'postgres' : 'pglite';
  const schema = backend === 'postgres' ? options.schema : undefined;
  if (schema) quoteIdent(schema); // validates before the name reaches the connection options
  const db = options.databaseUrl ? openPostgres(options.databaseUrl, schema) : await openPglite(options.dataDir);
  try {
    await migrate(db, { backend, schema });
  } catch (err) {
    await db.close().catch(() => undefined); // also drops any connection still holding the migration lock
    throw err;
  }
  return createStore(db, backend);
}

// ---- row shapes as the database returns them, and their mapping to the records of types.ts ----

type Timestamp = Date | string;
/** pg and PGlite both return timestamptz as Date; normalise to ISO-8601 whatever arrives. */
const iso = (v: Timestamp): string => new Date(v).toISOString();
const isoOrNull = (v: Timestamp | null): string | null => (v === null ? null : iso(v));
/** jsonb parameters go in as text and are cast in SQL, which both drivers pass through unchanged. */
const json = (v: unknown): string => JSON.stringify(v);

interface InstitutionRow {
  jurisdiction: string;
  id: string;
  name: string;
  kind: InstitutionRecord['kind'];
  level: string | null;
  ownership: InstitutionRecord['ownership'];
  district: string;
  responsible_unit_id: string | null;
  contacts: Array<{ name: string; email: string }>;
}
/** Always carries `responsibleUnitId` (null when none) and `contacts` ([] when none), whatever was upserted. */
const toInstitution = (r: InstitutionRow): InstitutionRecord => ({
  jurisdiction: r.jurisdiction,
  id: r.id,
  name: r.name,
  kind: r.kind,
  level: r.level,
  ownership: r.ownership,
  district: r.district,
  responsibleUnitId: r.responsible_unit_id,
  contacts: r.contacts,
});
const toMember = (r: InstitutionRow & { seq: number }): CampaignMember => ({ ...toInstitution(r), seq: r.seq });

/** Rows per INSERT of upsertInstitutions: large enough to load ~60,000 institutions in a few statements. */
const INSTITUTION_BATCH = 2_000;

/**
 * One institution as the JSON element upsertInstitutions sends. Optional fields that are undefined are left out
 * (JSON.stringify drops them), which the SQL reads as "keep what the ledger has".
 */
const institutionJson = (r: InstitutionRecord) => ({
  jurisdiction: r.jurisdiction,
  id: r.id,
  name: r.name,
  kind: r.kind,
  level: r.level ?? null,
  ownership: r.ownership,
  district: r.district,
  responsibleUnitId: r.responsibleUnitId,
  contacts: r.contacts?.map(({ name, email }) => ({ name, email })),
});

/**
 * One statement cannot update the same row twice, so rows repeated in a batch are merged first, later fields
 * winning (as if they were written one after the other).
 */
function mergeInstitutions(rows: InstitutionRecord[]): ReturnType<typeof institutionJson>[] {
  const byKey = new Map<string, ReturnType<typeof institutionJson>>();
  for (const row of rows) {
    const next = institutionJson(row);
    const key = JSON.stringify([next.jurisdiction, next.id]);
    const prev = byKey.get(key);
    if (!prev) {
      byKey.set(key, next);
      continue;
    }
    const merged: Record<string, unknown> = { ...prev };
    for (const [k, v] of Object.entries(next)) if (v !== undefined) merged[k] = v;
    byKey.set(key, merged as ReturnType<typeof institutionJson>);
  }
  return [...byKey.values()];
}

/** Stages at which an inspection still has to happen (listUninspected). */
const UNINSPECTED_STAGES: InspectionStage[] = ['assigned', 'overdue'];
/** Stages of a case still open after the inspection found violations (listOpenCases). */
const OPEN_CASE_STAGES: InspectionStage[] = ['rectifying', 'rectification-overdue', 'unrectified'];

/**
 * The latest inspection row of each institution in campaign $1. Inspection ids are per campaign and institution by
 * convention only, so should two rows exist for one member, the one updated last counts (never both).
 */
const LATEST_INSPECTIONS = `
  SELECT DISTINCT ON (institution_id) institution_id, stage
  FROM inspections WHERE campaign_id = $1
  ORDER BY institution_id, updated_at DESC, id DESC`;

interface CampaignRow {
  id: string;
  jurisdiction: string;
  kind: string;
  title: string;
  year: number;
  starts_at: Timestamp;
  due_at: Timestamp;
  draw_seed: string;
}
const toCampaign = (r: CampaignRow): CampaignRecord => ({
  id: r.id,
  jurisdiction: r.jurisdiction,
  kind: r.kind,
  title: r.title,
  year: r.year,
  startsAt: iso(r.starts_at),
  dueAt: iso(r.due_at),
  drawSeed: r.draw_seed,
});

interface InspectionRow {
  id: string;
  campaign_id: string;
  institution_id: string;
  team: string[];
  draw_seed: string;
  announced: boolean;
  stage: InspectionStage;
  due_at: Timestamp;
  rectification_due_at: Timestamp | null;
  updated_at: Timestamp;
}
const toInspection = (r: InspectionRow): InspectionRecord => ({
  id: r.id,
  campaignId: r.campaign_id,
  institutionId: r.institution_id,
  team: r.team,
  drawSeed: r.draw_seed,
  announced: r.announced,
  stage: r.stage,
  dueAt: iso(r.due_at),
  rectificationDueAt: isoOrNull(r.rectification_due_at),
  updatedAt: iso(r.updated_at),
});

interface FindingsRow {
  inspection_id: string;
  inspector_id: string;
  inspected_at: Timestamp;
  violation: boolean;
  items: FindingItem[];
  note: string;
  recorded_at: Timestamp;
}
const toFindings = (r: FindingsRow): FindingsRecord => ({
  inspectionId: r.inspection_id,
  inspectorId: r.inspector_id,
  inspectedAt: iso(r.inspected_at),
  violation: r.violation,
  items: r.items,
  note: r.note,
  recordedAt: iso(r.recorded_at),
});

interface NotificationRow {
  key: string;
  channel: string;
  recipient: string;
  subject: string;
  status: NotificationRecord['status'];
  message_id: string | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
}
const toNotification = (r: NotificationRow): NotificationRecord => ({
  key: r.key,
  channel: r.channel,
  recipient: r.recipient,
  subject: r.subject,
  status: r.status,
  messageId: r.message_id,
  createdAt: iso(r.created_at),
  sentAt: isoOrNull(r.sent_at),
});

interface CreditGradeRow {
  jurisdiction: string;
  institution_id: string;
  year: number;
  grade: CreditGrade;
  inspection_id: string;
  decided_at: Timestamp;
}
const toCreditGrade = (r: CreditGradeRow): CreditGradeRecord => ({
  jurisdiction: r.jurisdiction,
  institutionId: r.institution_id,
  year: r.year,
  grade: r.grade,
  inspectionId: r.inspection_id,
  decidedAt: iso(r.decided_at),
});

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

// ---- statements shared by several methods (always run on the caller's transaction) ----

async function insertAudit(db: Db, e: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_trail (key, actor, action, subject_type, subject_id, reason, detail, at)
     VALUES ($1, $2, $3, $4, $5, $6, ($7::text)::jsonb, $8)
     ON CONFLICT (key) DO NOTHING`,
    [e.key, e.actor, e.action, e.subjectType, e.subjectId, e.reason, json(e.detail ?? {}), e.at],
  );
}

async function upsertInspection(db: Db, r: InspectionRecord): Promise<void> {
  await db.query(
    `INSERT INTO inspections (id, campaign_id, institution_id, team, draw_seed, announced, stage, due_at,
                              rectification_due_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (id) DO UPDATE SET
       campaign_id = EXCLUDED.campaign_id, institution_id = EXCLUDED.institution_id, team = EXCLUDED.team,
       draw_seed = EXCLUDED.draw_seed, announced = EXCLUDED.announced, stage = EXCLUDED.stage,
       due_at = EXCLUDED.due_at, rectification_due_at = EXCLUDED.rectification_due_at,
       updated_at = EXCLUDED.updated_at`,
    [r.id, r.campaignId, r.institutionId, r.team, r.drawSeed, r.announced, r.stage, r.dueAt, r.rectificationDueAt, r.updatedAt],
  );
}

export function createStore(db: Db, backend: 'pglite' | 'postgres'): SqlStore {
  return {
    backend,
    db,
    close: () => db.close(),

    async upsertInstitutions(rows) {
      const merged = mergeInstitutions(rows);
      if (merged.length === 0) return;
      await db.transaction(async (tx) => {
        for (let i = 0; i < merged.length; i += INSTITUTION_BATCH) {
          // A row that leaves out responsibleUnitId or contacts keeps the ledger's value (e.g. a campaign registering
          // its institutions without them must not erase what the plan loaded); null / [] given explicitly clear it.
          await tx.query(
            `INSERT INTO institutions (jurisdiction, id, name, kind, level, ownership, district, responsible_unit_id, contacts)
             SELECT e->>'jurisdiction', e->>'id', e->>'name', e->>'kind', e->>'level', e->>'ownership', e->>'district',
                    CASE WHEN e ? 'responsibleUnitId' THEN e->>'responsibleUnitId' ELSE old.responsible_unit_id END,
                    COALESCE(e->'contacts', old.contacts, '[]'::jsonb)
             FROM jsonb_array_elements(($1::text)::jsonb) AS e
             LEFT JOIN institutions old ON old.jurisdiction = e->>'jurisdiction' AND old.id = e->>'id'
             ON CONFLICT (jurisdiction, id) DO UPDATE SET
               name = EXCLUDED.name, kind = EXCLUDED.kind, level = EXCLUDED.level,
               ownership = EXCLUDED.ownership, district = EXCLUDED.district,
               responsible_unit_id = EXCLUDED.responsible_unit_id, contacts = EXCLUDED.contacts`,
            [json(merged.slice(i, i + INSTITUTION_BATCH))],
          );
        }
      });
    },

    async listInstitutions(jurisdiction) {
      const rows = await db.query<InstitutionRow>('SELECT * FROM institutions WHERE jurisdiction = $1 ORDER BY id', [jurisdiction]);
      return rows.map(toInstitution);
    },

    async ensureCampaign(c) {
      return db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO campaigns (id, jurisdiction, kind, title, year, starts_at, due_at, draw_seed)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (id) DO NOTHING`,
          [c.id, c.jurisdiction, c.kind, c.title, c.year, c.startsAt, c.dueAt, c.drawSeed],
        );
        const [row] = await tx.query<CampaignRow>('SELECT * FROM campaigns WHERE id = $1', [c.id]);
        return toCampaign(row);
      });
    },

    async getCampaign(id) {
      const [row] = await db.query<CampaignRow>('SELECT * FROM campaigns WHERE id = $1', [id]);
      return row && toCampaign(row);
    },

    async saveInspection(row, audit) {
      await db.transaction(async (tx) => {
        await upsertInspection(tx, row);
        await insertAudit(tx, audit);
      });
    },

    async getInspection(id) {
      const [row] = await db.query<InspectionRow>('SELECT * FROM inspections WHERE id = $1', [id]);
      return row && toInspection(row);
    },

    async listInspections(campaignId) {
      const rows = await db.query<InspectionRow>('SELECT * FROM inspections WHERE campaign_id = $1 ORDER BY id', [campaignId]);
      return rows.map(toInspection);
    },

    async saveFindings(f, inspection, audit) {
      await db.transaction(async (tx) => {
        // The inspection row first: the findings row references it.
        await upsertInspection(tx, inspection);
        // Once per inspection: a retried (or repeated) call keeps the first findings and does not fail.
        await tx.query(
          `INSERT INTO findings (inspection_id, inspector_id, inspected_at, violation, items, note, recorded_at)
           VALUES ($1, $2, $3, $4, ($5::text)::jsonb, $6, $7)
           ON CONFLICT (inspection_id) DO NOTHING`,
          [f.inspectionId, f.inspectorId, f.inspectedAt, f.violation, json(f.items), f.note, f.recordedAt],
        );
        await insertAudit(tx, audit);
      });
    },

    async getFindings(inspectionId) {
      const [row] = await db.query<FindingsRow>('SELECT * FROM findings WHERE inspection_id = $1', [inspectionId]);
      return row && toFindings(row);
    },

    async claimNotification(n) {
      return db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO notifications (key, channel, recipient, subject) VALUES ($1, $2, $3, $4)
           ON CONFLICT (key) DO NOTHING`,
          [n.key, n.channel, n.recipient, n.subject],
        );
        const [row] = await tx.query<{ status: NotificationRecord['status'] }>('SELECT status FROM notifications WHERE key = $1', [n.key]);
        return row.status === 'sent' ? 'sent' : 'claimed';
      });
    },

    async markNotificationSent(key, messageId) {
      await db.transaction(async (tx) => {
        // Only a pending row moves: a retried call after success keeps the first message id and sent time.
        const updated = await tx.query(
          `UPDATE notifications SET status = 'sent', message_id = $2, sent_at = now()
           WHERE key = $1 AND status = 'pending' RETURNING key`,
          [key, messageId],
        );
        if (updated.length > 0) return;
        const [exists] = await tx.query('SELECT 1 FROM notifications WHERE key = $1', [key]);
        if (!exists) throw new Error(`notification ${key} was never claimed`);
      });
    },

    async getNotification(key) {
      const [row] = await db.query<NotificationRow>('SELECT * FROM notifications WHERE key = $1', [key]);
      return row && toNotification(row);
    },

    async listNotifications(filter) {
      const rows = await db.query<NotificationRow>(
        `SELECT * FROM notifications WHERE ($1::text IS NULL OR starts_with(key, $1::text)) ORDER BY created_at, key`,
        [filter?.keyPrefix ?? null],
      );
      return rows.map(toNotification);
    },

    async addCampaignMembers(campaignId, jurisdiction) {
      return db.transaction(async (tx) => {
        // Locking the campaign row serialises concurrent freezes of the same campaign (PostgreSQL; PGlite has one
        // connection anyway), so the second one finds the members of the first instead of colliding with them.
        const [campaign] = await tx.query<{ jurisdiction: string }>('SELECT jurisdiction FROM campaigns WHERE id = $1 FOR UPDATE', [campaignId]);
        if (!campaign) throw new Error(`campaign ${campaignId} is not in the ledger: ensureCampaign first`);
        if (campaign.jurisdiction !== jurisdiction) {
          throw new Error(`campaign ${campaignId} belongs to jurisdiction ${campaign.jurisdiction}, not ${jurisdiction}`);
        }
        const [existing] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM campaign_members WHERE campaign_id = $1', [campaignId]);
        if (existing.n > 0) return existing.n;
        // One statement for the whole membership; ids numbered in byte order (COLLATE "C"), the same on every server.
        const [inserted] = await tx.query<{ n: number }>(
          `WITH added AS (
             INSERT INTO campaign_members (campaign_id, seq, institution_id)
             SELECT $1, (row_number() OVER (ORDER BY id COLLATE "C"))::int - 1, id
             FROM institutions WHERE jurisdiction = $2
             RETURNING 1
           )
           SELECT count(*)::int AS n FROM added`,
          [campaignId, jurisdiction],
        );
        return inserted.n;
      });
    },

    async listCampaignMembers(campaignId, fromSeq, limit) {
      const rows = await db.query<InstitutionRow & { seq: number }>(
        `SELECT i.*, m.seq
         FROM campaign_members m
         JOIN campaigns c ON c.id = m.campaign_id
         JOIN institutions i ON i.jurisdiction = c.jurisdiction AND i.id = m.institution_id
         WHERE m.campaign_id = $1 AND m.seq >= $2::int AND m.seq < $2::int + $3::int
         ORDER BY m.seq`,
        [campaignId, fromSeq, Math.max(0, limit)],
      );
      return rows.map(toMember);
    },

    async campaignProgress(campaignId) {
      // One statement, so members, stages and notStarted come from the same snapshot and always add up.
      const rows = await db.query<{ stage: InspectionStage | null; n: number }>(
        `WITH latest AS (${LATEST_INSPECTIONS})
         SELECT l.stage, count(*)::int AS n
         FROM campaign_members m LEFT JOIN latest l ON l.institution_id = m.institution_id
         WHERE m.campaign_id = $1
         GROUP BY l.stage`,
        [campaignId],
      );
      const progress: CampaignProgress = { members: 0, byStage: {}, notStarted: 0 };
      for (const { stage, n } of rows) {
        progress.members += n;
        if (stage === null) progress.notStarted = n;
        else progress.byStage[stage] = n;
      }
      return progress;
    },

    async listUninspected(campaignId) {
      const rows = await db.query<{ institution_id: string; name: string; responsible_unit_id: string | null; stage: InspectionStage | null }>(
        `WITH latest AS (${LATEST_INSPECTIONS})
         SELECT m.institution_id, COALESCE(i.name, m.institution_id) AS name, i.responsible_unit_id, l.stage
         FROM campaign_members m
         JOIN campaigns c ON c.id = m.campaign_id
         LEFT JOIN institutions i ON i.jurisdiction = c.jurisdiction AND i.id = m.institution_id
         LEFT JOIN latest l ON l.institution_id = m.institution_id
         WHERE m.campaign_id = $1 AND (l.stage IS NULL OR l.stage = ANY ($2::text[]))
         ORDER BY m.seq`,
        [campaignId, UNINSPECTED_STAGES],
      );
      return rows.map(
        (r): UninspectedMember => ({ institutionId: r.institution_id, name: r.name, responsibleUnitId: r.responsible_unit_id, stage: r.stage }),
      );
    },

    async claimOnSiteInspection({ jurisdiction, institutionId, year, inspectionId, reason }) {
      return db.transaction(async (tx) => {
        // Serialises claims for the same institution and year (on PostgreSQL two could otherwise both see "none yet"
        // and both insert). The institution row may not be in the ledger, so a transaction-scoped advisory lock on
        // the key rather than a row lock; a hash collision only makes unrelated claims wait for each other.
        await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [JSON.stringify(['onsite', jurisdiction, institutionId, year])]);
        const list = async () =>
          (
            await tx.query<{ inspection_id: string }>(
              `SELECT inspection_id FROM onsite_inspections
               WHERE jurisdiction = $1 AND institution_id = $2 AND year = $3
               ORDER BY recorded_at, inspection_id COLLATE "C"`,
              [jurisdiction, institutionId, year],
            )
          ).map((r) => r.inspection_id);
        const before = await list();
        if (before.includes(inspectionId)) return { allowed: true, inspections: before }; // a retry: already recorded
        if (before.length > 0 && !reason) return { allowed: false, inspections: before };
        await tx.query(
          `INSERT INTO onsite_inspections (jurisdiction, institution_id, year, inspection_id, reason)
           VALUES ($1, $2, $3, $4, $5)`,
          [jurisdiction, institutionId, year, inspectionId, reason ?? null],
        );
        return { allowed: true, inspections: await list() };
      });
    },

    async saveCreditGrade(row, audit) {
      await db.transaction(async (tx) => {
        // The latest decision wins; a retried save of an earlier decision (older decided_at) does not undo a later one.
        await tx.query(
          `INSERT INTO credit_grades (jurisdiction, institution_id, year, grade, inspection_id, decided_at)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (jurisdiction, institution_id, year) DO UPDATE SET
             grade = EXCLUDED.grade, inspection_id = EXCLUDED.inspection_id, decided_at = EXCLUDED.decided_at
           WHERE credit_grades.decided_at <= EXCLUDED.decided_at`,
          [row.jurisdiction, row.institutionId, row.year, row.grade, row.inspectionId, row.decidedAt],
        );
        await insertAudit(tx, audit);
      });
    },

    async getCreditGrade(jurisdiction, institutionId, year) {
      const [row] = await db.query<CreditGradeRow>(
        'SELECT * FROM credit_grades WHERE jurisdiction = $1 AND institution_id = $2 AND year = $3',
        [jurisdiction, institutionId, year],
      );
      return row && toCreditGrade(row);
    },

    async upsertRiskSignals(rows) {
      if (rows.length === 0) return;
      await db.query(
        `INSERT INTO risk_signals (jurisdiction, institution_id, year, clues, data_anomalies)
         SELECT e->>'jurisdiction', e->>'institutionId', (e->>'year')::integer, (e->>'clues')::integer, (e->>'dataAnomalies')::integer
         FROM jsonb_array_elements(($1::text)::jsonb) AS e
         ON CONFLICT (jurisdiction, institution_id, year) DO UPDATE SET
           clues = EXCLUDED.clues, data_anomalies = EXCLUDED.data_anomalies, updated_at = now()`,
        [json(rows)],
      );
    },

    async flyingPool(jurisdiction, year) {
      const rows = await db.query<{
        id: string;
        name: string;
        kind: InstitutionRecord['kind'];
        responsible_unit_id: string | null;
        contacts: Array<{ name: string; email: string }>;
        clues: number;
        data_anomalies: number;
        last_year_findings: number;
        credit_grade: CreditGrade | null;
      }>(
        `SELECT i.id, i.name, i.kind, i.responsible_unit_id, i.contacts,
                COALESCE(r.clues, 0) AS clues, COALESCE(r.data_anomalies, 0) AS data_anomalies,
                (SELECT count(*)::integer FROM findings f
                   JOIN inspections x ON x.id = f.inspection_id
                   JOIN campaigns c ON c.id = x.campaign_id
                  WHERE c.jurisdiction = i.jurisdiction AND c.year = $2 - 1 AND x.institution_id = i.id AND f.violation) AS last_year_findings,
                (SELECT g.grade FROM credit_grades g
                  WHERE g.jurisdiction = i.jurisdiction AND g.institution_id = i.id AND g.year < $2
                  ORDER BY g.year DESC LIMIT 1) AS credit_grade
         FROM institutions i
         LEFT JOIN risk_signals r ON r.jurisdiction = i.jurisdiction AND r.institution_id = i.id AND r.year = $2
         WHERE i.jurisdiction = $1
         ORDER BY i.id COLLATE "C"`,
        [jurisdiction, year],
      );
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        kind: r.kind,
        responsibleUnitId: r.responsible_unit_id,
        contacts: r.contacts,
        risk: { clues: r.clues, dataAnomalies: r.data_anomalies, lastYearFindings: r.last_year_findings, creditGrade: r.credit_grade },
      }));
    },

    async listOpenCases(jurisdiction, year) {
      const rows = await db.query<InspectionRow>(
        `SELECT i.* FROM inspections i JOIN campaigns c ON c.id = i.campaign_id
         WHERE c.jurisdiction = $1 AND c.year = $2 AND i.stage = ANY ($3::text[])
         ORDER BY i.id COLLATE "C"`,
        [jurisdiction, year, OPEN_CASE_STAGES],
      );
      return rows.map(toInspection);
    },

    async yearSummary(jurisdiction, year) {
      // One statement: every figure from the same snapshot.
      const [row] = await db.query<{
        campaigns: number;
        inspections: number;
        by_stage: Partial<Record<InspectionStage, number>>;
        with_violations: number;
        loss_fen: string;
        notifications_sent: number;
        grades: Partial<Record<CreditGrade, number>>;
      }>(
        `WITH camp AS (SELECT id FROM campaigns WHERE jurisdiction = $1 AND year = $2),
              insp AS (SELECT i.id, i.stage FROM inspections i JOIN camp ON camp.id = i.campaign_id),
              viol AS (SELECT f.items FROM findings f JOIN insp ON insp.id = f.inspection_id WHERE f.violation)
         SELECT
           (SELECT count(*)::int FROM camp) AS campaigns,
           (SELECT count(*)::int FROM insp) AS inspections,
           (SELECT COALESCE(jsonb_object_agg(stage, n), '{}'::jsonb)
              FROM (SELECT stage, count(*)::int AS n FROM insp GROUP BY stage) s) AS by_stage,
           (SELECT count(*)::int FROM viol) AS with_violations,
           (SELECT COALESCE(sum((item->>'amountFen')::numeric), 0)::text
              FROM viol CROSS JOIN LATERAL jsonb_array_elements(viol.items) AS item) AS loss_fen,
           (SELECT count(*)::int FROM notifications n
              WHERE n.status = 'sent' AND EXISTS (SELECT 1 FROM camp WHERE starts_with(n.key, 'inspection:' || camp.id || ':'))
           ) AS notifications_sent,
           (SELECT COALESCE(jsonb_object_agg(grade, n), '{}'::jsonb)
              FROM (SELECT grade, count(*)::int AS n FROM credit_grades WHERE jurisdiction = $1 AND year = $2 GROUP BY grade) g
           ) AS grades`,
        [jurisdiction, year],
      );
      const summary: YearSummary = {
        jurisdiction,
        year,
        campaigns: row.campaigns,
        inspections: row.inspections,
        byStage: row.by_stage,
        withViolations: row.with_violations,
        lossFen: Number(row.loss_fen),
        notificationsSent: row.notifications_sent,
        grades: row.grades,
      };
      return summary;
    },

    async appendAudit(entry) {
      await insertAudit(db, entry);
    },

    async listAudit(subjectId) {
      const rows = await db.query<AuditRow>('SELECT * FROM audit_trail WHERE subject_id = $1 ORDER BY seq', [subjectId]);
      return rows.map(toAudit);
    },
  };
}
