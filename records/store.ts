// The record system (台账 ledger) over the Db adapter: one SQL implementation for PGlite and PostgreSQL.
// Every write is idempotent by its business key; every multi-row write runs in one transaction.
import { INSPECTION_STAGE_RANKS } from '../domain/inspection-progress';
import { openPglite, openPostgres, type Db } from './db';
import { LedgerConflictError, LedgerDataError } from './errors';
import { migrate, quoteIdent } from './migrate';
import type {
  AuditEntry,
  CampaignMember,
  CampaignProgress,
  CampaignRecord,
  CaseFilter,
  CaseRecord,
  CaseStage,
  ClosureCase,
  ClosureDeadlineRecord,
  CreditGrade,
  CreditGradeRecord,
  FindingItem,
  FindingsRecord,
  FlyingDrawRecord,
  FlyingTargetRecord,
  InspectionRecord,
  InspectionStage,
  InstitutionRecord,
  NotificationRecord,
  OnSiteInspectionRecord,
  PaymentRecord,
  PointsDeductionRecord,
  PointsStatusRecord,
  ReferralRecord,
  RiskImportResult,
  RiskSignalItem,
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
  /** PGlite only: also serve the ledger to other processes on 127.0.0.1 at this port (records/ledger-server.ts). */
  servePort?: number;
  /** PostgreSQL only: at most this many connections (1 for a served PGlite ledger). */
  maxConnections?: number;
}

/** The store plus its underlying database, for maintenance and tests (e.g. checking what the database refuses). */
export interface SqlStore extends Store {
  readonly db: Db;
}

export async function openStore(options: StoreOptions = {}): Promise<SqlStore> {
  const backend = options.databaseUrl ? 'postgres' : 'pglite';
  const schema = backend === 'postgres' ? options.schema : undefined;
  if (schema) quoteIdent(schema); // validates before the name reaches the connection options
  const db = options.databaseUrl ? openPostgres(options.databaseUrl, schema, options.maxConnections) : await openPglite(options.dataDir, options.servePort);
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
const STAGE_RANKS = json(INSPECTION_STAGE_RANKS);

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

/**
 * An amount in fen as a JS number. bigint columns arrive as strings (pg), numbers or bigints (PGlite), sums as numeric
 * strings; anything beyond Number.MAX_SAFE_INTEGER would lose precision, so it is refused rather than rounded.
 */
function toFen(v: string | number | bigint, what = 'amount'): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new LedgerDataError(`${what} ${String(v)} fen is not a safe integer`);
  return n;
}
/** An amount about to be written: an integer the database can hold exactly and JS can read back exactly. */
function fenParam(v: number, what: string): number {
  if (!Number.isSafeInteger(v)) throw new LedgerDataError(`${what} must be a safe integer amount in fen, got ${String(v)}`);
  return v;
}

interface CaseRow {
  id: string;
  jurisdiction: string;
  case_no: string;
  year: number;
  institution_id: string;
  inspection_id: string | null;
  campaign_id: string | null;
  stage: CaseStage;
  overdue: boolean;
  open: boolean;
  opened_at: Timestamp;
  due_at: Timestamp | null;
  loss_fen: string | number | bigint;
  fine_fen: string | number | bigint;
  paid_fen: string | number | bigint;
  outcome: string | null;
  updated_at: Timestamp;
}
const toCase = (r: CaseRow): CaseRecord => ({
  id: r.id,
  jurisdiction: r.jurisdiction,
  caseNo: r.case_no,
  year: r.year,
  institutionId: r.institution_id,
  inspectionId: r.inspection_id,
  campaignId: r.campaign_id,
  stage: r.stage,
  overdue: r.overdue,
  open: r.open,
  openedAt: iso(r.opened_at),
  dueAt: isoOrNull(r.due_at),
  lossFen: toFen(r.loss_fen, `case ${r.id} lossFen`),
  fineFen: toFen(r.fine_fen, `case ${r.id} fineFen`),
  paidFen: toFen(r.paid_fen, `case ${r.id} paidFen`),
  outcome: r.outcome,
  updatedAt: iso(r.updated_at),
});

interface PaymentRow {
  key: string;
  case_id: string;
  amount_fen: string | number | bigint;
  paid_at: Timestamp;
  reference: string;
  recorded_by: string;
}
const toPayment = (r: PaymentRow): PaymentRecord => ({
  key: r.key,
  caseId: r.case_id,
  amountFen: toFen(r.amount_fen, `payment ${r.key}`),
  paidAt: iso(r.paid_at),
  reference: r.reference,
  recordedBy: r.recorded_by,
});

interface ReferralRow {
  case_id: string;
  agency: ReferralRecord['agency'];
  reason: string;
  status: ReferralRecord['status'];
  sent_at: Timestamp;
  due_at: Timestamp;
  acknowledged_at: Timestamp | null;
  acknowledged_by: string | null;
  reference: string | null;
  persons: Array<{ name: string; role: string }>;
}
const toReferral = (r: ReferralRow): ReferralRecord => ({
  caseId: r.case_id,
  agency: r.agency,
  reason: r.reason,
  status: r.status,
  sentAt: iso(r.sent_at),
  dueAt: iso(r.due_at),
  acknowledgedAt: isoOrNull(r.acknowledged_at),
  acknowledgedBy: r.acknowledged_by,
  reference: r.reference,
  persons: r.persons,
});


interface PointsDeductionRow {
  key: string;
  practitioner_id: string;
  year: number;
  tier: number;
  points: number;
  case_id: string | null;
  reason: string;
  decided_by: string;
  decided_at: Timestamp;
}
const toPointsDeduction = (r: PointsDeductionRow): PointsDeductionRecord => ({
  key: r.key,
  practitionerId: r.practitioner_id,
  year: r.year,
  tier: r.tier,
  points: r.points,
  caseId: r.case_id,
  reason: r.reason,
  decidedBy: r.decided_by,
  decidedAt: iso(r.decided_at),
});

interface PointsStatusRow {
  practitioner_id: string;
  year: number;
  total: number;
  eligibility: PointsStatusRecord['eligibility'];
  suspended_until: Timestamp | null;
  barred_until: Timestamp | null;
  closed: boolean;
  version: number;
  updated_at: Timestamp;
}
const toPointsStatus = (r: PointsStatusRow): PointsStatusRecord => ({
  practitionerId: r.practitioner_id,
  year: r.year,
  total: r.total,
  eligibility: r.eligibility,
  suspendedUntil: isoOrNull(r.suspended_until),
  barredUntil: isoOrNull(r.barred_until),
  closed: r.closed,
  version: r.version,
  updatedAt: iso(r.updated_at),
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

/**
 * Cases as the closure review sees them (ClosureCase): case records, and inspections whose rectification was open, with
 * what keeps them open. `open`: a year's open ones ($1 jurisdiction, $2 year of the cases, $3 the open inspection
 * stages). `review`: those of review $1 whatever they are now ($2 the open inspection stages).
 */
function closureStateSql(scope: 'open' | 'review'): string {
  const stages = scope === 'open' ? '$3' : '$2';
  const cases = scope === 'open' ? 'c.jurisdiction = $1 AND c.year = $2 AND c.open' : `c.id IN (SELECT subject_id FROM closure_deadlines WHERE review_id = $1 AND subject_type = 'case')`;
  const inspections =
    scope === 'open'
      ? 'k.jurisdiction = $1 AND k.year = $2 AND x.stage = ANY ($3::text[])'
      : `x.id IN (SELECT subject_id FROM closure_deadlines WHERE review_id = $1 AND subject_type = 'inspection')`;
  return `
  SELECT 'case'::text AS subject_type, c.id AS subject_id, c.case_no, c.institution_id, c.jurisdiction,
         c.open, c.stage, c.overdue, c.due_at AS step_due_at, c.loss_fen, c.fine_fen, c.paid_fen,
         (c.fine_fen > 0 OR EXISTS (SELECT 1 FROM audit_trail a WHERE a.subject_id = c.id AND a.action = 'penalty-decided')) AS penalty_decided,
         ARRAY(SELECT r.agency FROM case_referrals r WHERE r.case_id = c.id AND r.status <> 'acknowledged' ORDER BY r.agency COLLATE "C") AS unacknowledged
  FROM cases c WHERE ${cases}
  UNION ALL
  SELECT 'inspection'::text, x.id, x.campaign_id || '.' || x.institution_id, x.institution_id, k.jurisdiction,
         x.stage = ANY (${stages}::text[]), x.stage, x.stage IN ('rectification-overdue', 'unrectified'), x.rectification_due_at,
         0, 0, 0, false, ARRAY[]::text[]
  FROM inspections x JOIN campaigns k ON k.id = x.campaign_id WHERE ${inspections}`;
}

interface ClosureStateRow {
  subject_type: 'case' | 'inspection';
  subject_id: string;
  case_no: string;
  institution_id: string;
  institution_name: string | null;
  responsible_unit_id: string | null;
  open: boolean;
  stage: ClosureCase['stage'];
  overdue: boolean;
  step_due_at: Timestamp | null;
  loss_fen: string | number | bigint;
  fine_fen: string | number | bigint;
  paid_fen: string | number | bigint;
  penalty_decided: boolean;
  unacknowledged: ClosureCase['unacknowledgedReferrals'];
}
const toClosureCase = (r: ClosureStateRow): ClosureCase => ({
  subjectType: r.subject_type,
  subjectId: r.subject_id,
  caseNo: r.case_no,
  institutionId: r.institution_id,
  institutionName: r.institution_name ?? r.institution_id,
  responsibleUnitId: r.responsible_unit_id,
  open: r.open,
  stage: r.stage,
  overdue: r.overdue,
  stepDueAt: isoOrNull(r.step_due_at),
  lossFen: toFen(r.loss_fen, `case ${r.subject_id} lossFen`),
  fineFen: toFen(r.fine_fen, `case ${r.subject_id} fineFen`),
  paidFen: toFen(r.paid_fen, `case ${r.subject_id} paidFen`),
  penaltyDecided: r.penalty_decided,
  unacknowledgedReferrals: r.unacknowledged,
});

interface ClosureDeadlineRow {
  review_id: string;
  jurisdiction: string;
  review_year: number;
  subject_type: 'case' | 'inspection';
  subject_id: string;
  case_no: string;
  institution_id: string;
  due_at: Timestamp;
  set_at: Timestamp;
  result: ClosureDeadlineRecord['result'];
  outstanding: ClosureDeadlineRecord['outstanding'];
  reviewed_at: Timestamp | null;
}
const toClosureDeadline = (r: ClosureDeadlineRow): ClosureDeadlineRecord => ({
  reviewId: r.review_id,
  jurisdiction: r.jurisdiction,
  reviewYear: r.review_year,
  subjectType: r.subject_type,
  subjectId: r.subject_id,
  caseNo: r.case_no,
  institutionId: r.institution_id,
  dueAt: iso(r.due_at),
  setAt: iso(r.set_at),
  result: r.result,
  outstanding: r.outstanding,
  reviewedAt: isoOrNull(r.reviewed_at),
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

/** Appends many audit entries in one statement (keys already there are kept). */
async function insertAudits(db: Db, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.query(
    `INSERT INTO audit_trail (key, actor, action, subject_type, subject_id, reason, detail, at)
     SELECT e.key, e.actor, e.action, e.subject_type, e.subject_id, e.reason, COALESCE(e.detail, '{}'::jsonb), e.at
     FROM jsonb_to_recordset(($1::text)::jsonb) AS e(key text, actor text, action text, subject_type text, subject_id text,
                                                       reason text, detail jsonb, at timestamptz)
     ON CONFLICT (key) DO NOTHING`,
    [json(entries.map((e) => ({ key: e.key, actor: e.actor, action: e.action, subject_type: e.subjectType, subject_id: e.subjectId, reason: e.reason, detail: e.detail ?? {}, at: e.at })))],
  );
}

/** Writes an inspection's row; a row already at a later stage is kept as it is (the stage never moves backwards). */
async function upsertInspection(db: Db, r: InspectionRecord): Promise<void> {
  await db.query(
    `INSERT INTO inspections (id, campaign_id, institution_id, team, draw_seed, announced, stage, due_at,
                              rectification_due_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (id) DO UPDATE SET
       campaign_id = EXCLUDED.campaign_id, institution_id = EXCLUDED.institution_id, team = EXCLUDED.team,
       draw_seed = EXCLUDED.draw_seed, announced = EXCLUDED.announced, stage = EXCLUDED.stage,
       due_at = EXCLUDED.due_at, rectification_due_at = EXCLUDED.rectification_due_at,
       updated_at = EXCLUDED.updated_at
     WHERE (($11::text)::jsonb ->> EXCLUDED.stage)::int >= (($11::text)::jsonb ->> inspections.stage)::int`,
    [r.id, r.campaignId, r.institutionId, r.team, r.drawSeed, r.announced, r.stage, r.dueAt, r.rectificationDueAt, r.updatedAt, STAGE_RANKS],
  );
}

/**
 * Locks case `id` for the rest of the transaction (a no-op on PGlite's single connection) and tells whether it exists.
 * Writers that derive a case figure from other rows (paid_fen from payments) take it first, so that on PostgreSQL each
 * sees the rows of the writer before it: under READ COMMITTED a statement started before the other committed would not.
 */
async function lockCase(db: Db, id: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM cases WHERE id = $1 FOR UPDATE', [id])).length > 0;
}

export function createStore(db: Db, backend: 'pglite' | 'postgres'): SqlStore {
  /** Only the filters given become conditions, so each combination can use the indexes of 0004. */
  async function listCases(filter: CaseFilter): Promise<CaseRecord[]> {
    const where = ['jurisdiction = $1'];
    const params: unknown[] = [filter.jurisdiction];
    const add = (column: string, value: unknown) => {
      params.push(value);
      where.push(`${column} = $${params.length}`);
    };
    if (filter.year !== undefined) add('year', filter.year);
    if (filter.open !== undefined) add('open', filter.open);
    if (filter.institutionId !== undefined) add('institution_id', filter.institutionId);
    const rows = await db.query<CaseRow>(`SELECT * FROM cases WHERE ${where.join(' AND ')} ORDER BY opened_at, id COLLATE "C"`, params);
    return rows.map(toCase);
  }

  return {
    backend,
    db,
    close: () => db.close(),

    async ledgerId() {
      const [row] = await db.query<{ id: string }>('SELECT id::text AS id FROM ledger_identity');
      return row.id;
    },

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

    async listUninspected(campaignId, options = {}) {
      const rows = await db.query<{ institution_id: string; name: string; responsible_unit_id: string | null; stage: InspectionStage | null }>(
        `WITH latest AS (${LATEST_INSPECTIONS})
         SELECT m.institution_id, COALESCE(i.name, m.institution_id) AS name, i.responsible_unit_id, l.stage
         FROM campaign_members m
         JOIN campaigns c ON c.id = m.campaign_id
         LEFT JOIN institutions i ON i.jurisdiction = c.jurisdiction AND i.id = m.institution_id
         LEFT JOIN latest l ON l.institution_id = m.institution_id
         WHERE m.campaign_id = $1 AND (l.stage IS NULL OR l.stage = ANY ($2::text[]))
         ORDER BY m.seq`,
        [campaignId, options.givenUp ? [...UNINSPECTED_STAGES, 'unreported'] : UNINSPECTED_STAGES],
      );
      return rows.map(
        (r): UninspectedMember => ({ institutionId: r.institution_id, name: r.name, responsibleUnitId: r.responsible_unit_id, stage: r.stage }),
      );
    },

    async claimOnSiteInspection({ jurisdiction, institutionId, year, inspectionId, reason, reference }) {
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
          `INSERT INTO onsite_inspections (jurisdiction, institution_id, year, inspection_id, reason, reference)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [jurisdiction, institutionId, year, inspectionId, reason ?? null, reference || null],
        );
        return { allowed: true, inspections: await list() };
      });
    },

    async listOnSiteInspections(jurisdiction, institutionId, year) {
      const rows = await db.query<{ inspection_id: string; reason: OnSiteInspectionRecord['reason']; reference: string | null; recorded_at: Timestamp }>(
        `SELECT inspection_id, reason, reference, recorded_at FROM onsite_inspections
         WHERE jurisdiction = $1 AND institution_id = $2 AND year = $3
         ORDER BY recorded_at, inspection_id COLLATE "C"`,
        [jurisdiction, institutionId, year],
      );
      return rows.map((r) => ({ jurisdiction, institutionId, year, inspectionId: r.inspection_id, reason: r.reason, reference: r.reference, recordedAt: iso(r.recorded_at) }));
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
        counted: boolean;
        last_year_findings: number;
        credit_grade: CreditGrade | null;
        refs: string[];
        onsite: string[];
      }>(
        // Counts set without references (risk_signals) and single imported signals (risk_signal_items) add up.
        `SELECT i.id, i.name, i.kind, i.responsible_unit_id, i.contacts,
                (COALESCE(r.clues, 0) + (SELECT count(*) FROM risk_signal_items s
                   WHERE s.jurisdiction = i.jurisdiction AND s.institution_id = i.id AND s.year = $2 AND s.kind = 'clue'))::integer AS clues,
                (COALESCE(r.data_anomalies, 0) + (SELECT count(*) FROM risk_signal_items s
                   WHERE s.jurisdiction = i.jurisdiction AND s.institution_id = i.id AND s.year = $2 AND s.kind = 'data-anomaly'))::integer AS data_anomalies,
                COALESCE(r.clues > 0 OR r.data_anomalies > 0, false) AS counted,
                (SELECT count(*)::integer FROM findings f
                   JOIN inspections x ON x.id = f.inspection_id
                   JOIN campaigns c ON c.id = x.campaign_id
                  WHERE c.jurisdiction = i.jurisdiction AND c.year = $2 - 1 AND x.institution_id = i.id AND f.violation) AS last_year_findings,
                (SELECT g.grade FROM credit_grades g
                  WHERE g.jurisdiction = i.jurisdiction AND g.institution_id = i.id AND g.year < $2
                  ORDER BY g.year DESC LIMIT 1) AS credit_grade,
                COALESCE((SELECT array_agg(s.reference ORDER BY s.signal_date, s.reference COLLATE "C") FROM risk_signal_items s
                  WHERE s.jurisdiction = i.jurisdiction AND s.institution_id = i.id AND s.year = $2), '{}'::text[]) AS refs,
                COALESCE((SELECT array_agg(o.inspection_id ORDER BY o.recorded_at, o.inspection_id COLLATE "C") FROM onsite_inspections o
                  WHERE o.jurisdiction = i.jurisdiction AND o.institution_id = i.id AND o.year = $2), '{}'::text[]) AS onsite
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
        onsite: r.onsite,
        references: [...r.refs, ...(r.counted ? [`risk_signals:${r.id}:${year}`] : [])],
      }));
    },

    async importRiskSignals(items) {
      const result: RiskImportResult = { inserted: [], unchanged: [], conflicts: [] };
      if (items.length === 0) return result;
      const keys = items.map((i) => JSON.stringify([i.jurisdiction, i.reference]));
      const repeated = keys.find((k, n) => keys.indexOf(k) < n);
      if (repeated) throw new Error(`importRiskSignals: reference ${repeated} given twice in one import`);
      return db.transaction(async (tx) => {
        // Serialises imports of a jurisdiction, so two at once cannot both judge a reference new.
        for (const jurisdiction of new Set(items.map((i) => i.jurisdiction))) {
          await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [JSON.stringify(['risk-signals', jurisdiction])]);
        }
        const recorded = await tx.query<{ jurisdiction: string; reference: string; institution_id: string; kind: RiskSignalItem['kind']; signal_date: string; note: string }>(
          `SELECT s.jurisdiction, s.reference, s.institution_id, s.kind, to_char(s.signal_date, 'YYYY-MM-DD') AS signal_date, s.note
           FROM risk_signal_items s
           JOIN jsonb_array_elements(($1::text)::jsonb) AS e ON s.jurisdiction = e->>'jurisdiction' AND s.reference = e->>'reference'`,
          [json(items.map(({ jurisdiction, reference }) => ({ jurisdiction, reference })))],
        );
        const byKey = new Map(recorded.map((r) => [JSON.stringify([r.jurisdiction, r.reference]), r]));
        const fresh: RiskSignalItem[] = [];
        for (const item of items) {
          const r = byKey.get(JSON.stringify([item.jurisdiction, item.reference]));
          if (!r) fresh.push(item);
          // The same signal again (its note may have been edited since: the first note stays).
          else if (r.institution_id === item.institutionId && r.kind === item.kind && r.signal_date === item.date) result.unchanged.push(item.reference);
          else result.conflicts.push({ reference: item.reference, recorded: { reference: r.reference, institutionId: r.institution_id, kind: r.kind, date: r.signal_date, note: r.note } });
        }
        if (result.conflicts.length > 0) return result;
        if (fresh.length > 0) {
          await tx.query(
            `INSERT INTO risk_signal_items (jurisdiction, reference, institution_id, kind, signal_date, year, note)
             SELECT e->>'jurisdiction', e->>'reference', e->>'institutionId', e->>'kind', (e->>'date')::date,
                    extract(year FROM (e->>'date')::date)::integer, COALESCE(e->>'note', '')
             FROM jsonb_array_elements(($1::text)::jsonb) AS e`,
            [json(fresh)],
          );
        }
        result.inserted = fresh.map((i) => i.reference);
        return result;
      });
    },

    async recordFlyingDraw(draw, audit) {
      return db.transaction(async (tx) => {
        const inserted = await tx.query(
          `INSERT INTO flying_draws (campaign_id, jurisdiction, year, seed, record, recorded_at)
           VALUES ($1, $2, $3, $4, ($5::text)::jsonb, $6)
           ON CONFLICT (campaign_id) DO NOTHING RETURNING campaign_id`,
          [draw.campaignId, draw.jurisdiction, draw.year, draw.seed, json(draw), draw.recordedAt],
        );
        if (inserted.length > 0) {
          const pool = new Map(draw.pool.map((c) => [c.id, c]));
          const targets = [...draw.result.random.map((id) => ({ id, how: 'random' })), ...draw.result.risk.map((id) => ({ id, how: 'risk' }))].map(({ id, how }, seq) => {
            const candidate = pool.get(id);
            if (!candidate) throw new Error(`recordFlyingDraw: target ${id} is not in the draw's pool`);
            const reason = candidate.clues > 0 ? 'clue' : candidate.dataAnomalies > 0 ? 'data-lead' : null;
            if (reason && candidate.references.length === 0) throw new Error(`recordFlyingDraw: target ${id} has risk signals but no reference`);
            return { seq, id, how, score: draw.scores[id] ?? 0, reason, refs: reason ? candidate.references : [] };
          });
          await tx.query(
            `INSERT INTO flying_targets (campaign_id, seq, institution_id, how, score, reason, refs)
             SELECT $1, (e->>'seq')::integer, e->>'id', e->>'how', (e->>'score')::integer, e->>'reason',
                    ARRAY(SELECT jsonb_array_elements_text(e->'refs'))
             FROM jsonb_array_elements(($2::text)::jsonb) AS e`,
            [draw.campaignId, json(targets)],
          );
          await insertAudit(tx, audit);
        }
        const [row] = await tx.query<{ record: FlyingDrawRecord }>('SELECT record FROM flying_draws WHERE campaign_id = $1', [draw.campaignId]);
        return row.record;
      });
    },

    async getFlyingDraw(campaignId) {
      const [row] = await db.query<{ record: FlyingDrawRecord }>('SELECT record FROM flying_draws WHERE campaign_id = $1', [campaignId]);
      return row?.record;
    },

    async listFlyingTargets(campaignId, fromSeq, limit) {
      const rows = await db.query<{
        campaign_id: string;
        seq: number;
        institution_id: string;
        how: FlyingTargetRecord['how'];
        score: number;
        reason: FlyingTargetRecord['reason'];
        refs: string[];
        claim: FlyingTargetRecord['claim'];
        look_back_id: string | null;
        name: string;
        kind: InstitutionRecord['kind'];
        contacts: Array<{ name: string; email: string }>;
        responsible_unit_id: string | null;
        stage: InspectionStage | null;
        violation: boolean | null;
        findings_at: Timestamp | null;
      }>(
        `SELECT t.campaign_id, t.seq, t.institution_id, t.how, t.score, t.reason, t.refs, t.claim, t.look_back_id,
                COALESCE(i.name, t.institution_id) AS name, COALESCE(i.kind, 'hospital') AS kind,
                COALESCE(i.contacts, '[]'::jsonb) AS contacts, i.responsible_unit_id,
                x.stage, f.violation, f.recorded_at AS findings_at
         FROM flying_targets t
         JOIN flying_draws d ON d.campaign_id = t.campaign_id
         LEFT JOIN institutions i ON i.jurisdiction = d.jurisdiction AND i.id = t.institution_id
         LEFT JOIN LATERAL (SELECT id, stage FROM inspections
                            WHERE campaign_id = t.campaign_id AND institution_id = t.institution_id
                            ORDER BY updated_at DESC, id DESC LIMIT 1) x ON true
         LEFT JOIN findings f ON f.inspection_id = x.id
         WHERE t.campaign_id = $1 AND t.seq >= $2::int AND t.seq < $2::int + $3::int
         ORDER BY t.seq`,
        [campaignId, fromSeq, Math.max(0, limit)],
      );
      return rows.map((r) => ({
        campaignId: r.campaign_id,
        seq: r.seq,
        institutionId: r.institution_id,
        how: r.how,
        score: r.score,
        reason: r.reason,
        references: r.refs,
        claim: r.claim,
        lookBackId: r.look_back_id,
        institution: { name: r.name, kind: r.kind, contacts: r.contacts, responsibleUnitId: r.responsible_unit_id },
        inspection: { stage: r.stage, violation: r.violation, findingsAt: isoOrNull(r.findings_at) },
      }));
    },

    async setFlyingTargetClaim(campaignId, institutionId, claim, audit) {
      await db.transaction(async (tx) => {
        const updated = await tx.query('UPDATE flying_targets SET claim = $3 WHERE campaign_id = $1 AND institution_id = $2 RETURNING seq', [campaignId, institutionId, claim]);
        if (updated.length === 0) throw new Error(`${institutionId} is not a target of ${campaignId}`);
        if (audit) await insertAudit(tx, audit);
      });
    },

    async setFlyingTargetLookBack(campaignId, institutionId, lookBackId) {
      const updated = await db.query(
        'UPDATE flying_targets SET look_back_id = COALESCE(look_back_id, $3) WHERE campaign_id = $1 AND institution_id = $2 RETURNING seq',
        [campaignId, institutionId, lookBackId],
      );
      if (updated.length === 0) throw new Error(`${institutionId} is not a target of ${campaignId}`);
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

    async saveCase(c, audit) {
      const amounts = [fenParam(c.lossFen, 'lossFen'), fenParam(c.fineFen, 'fineFen'), fenParam(c.paidFen, 'paidFen')];
      await db.transaction(async (tx) => {
        await lockCase(tx, c.id);
        // The identity columns keep their first values; a save older than the row (a late retry) changes nothing.
        // Once the case has payments, paid_fen is their sum whatever the caller believed it to be.
        await tx.query(
          `INSERT INTO cases (id, jurisdiction, case_no, year, institution_id, inspection_id, campaign_id, stage, overdue,
                              open, opened_at, due_at, loss_fen, fine_fen, paid_fen, outcome, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
           ON CONFLICT (id) DO UPDATE SET
             stage = EXCLUDED.stage, overdue = EXCLUDED.overdue, open = EXCLUDED.open, due_at = EXCLUDED.due_at,
             loss_fen = EXCLUDED.loss_fen, fine_fen = EXCLUDED.fine_fen,
             paid_fen = COALESCE((SELECT sum(p.amount_fen) FROM case_payments p WHERE p.case_id = cases.id), EXCLUDED.paid_fen),
             outcome = EXCLUDED.outcome, updated_at = EXCLUDED.updated_at
           WHERE cases.updated_at <= EXCLUDED.updated_at`,
          [c.id, c.jurisdiction, c.caseNo, c.year, c.institutionId, c.inspectionId, c.campaignId, c.stage, c.overdue,
            c.open, c.openedAt, c.dueAt, ...amounts, c.outcome, c.updatedAt],
        );
        await insertAudit(tx, audit);
      });
    },

    async getCase(id) {
      const [row] = await db.query<CaseRow>('SELECT * FROM cases WHERE id = $1', [id]);
      return row && toCase(row);
    },

    listCases,

    async listOpenCaseRecords(jurisdiction, year) {
      return listCases({ jurisdiction, year, open: true });
    },

    async listClosureCandidates(jurisdiction, year) {
      const rows = await db.query<ClosureStateRow>(
        `SELECT s.*, i.name AS institution_name, i.responsible_unit_id
         FROM (${closureStateSql('open')}) s
         LEFT JOIN institutions i ON i.jurisdiction = s.jurisdiction AND i.id = s.institution_id
         ORDER BY s.case_no COLLATE "C", s.subject_id COLLATE "C"`,
        [jurisdiction, year, OPEN_CASE_STAGES],
      );
      return rows.map(toClosureCase);
    },

    async saveClosureDeadlines(rows, audits) {
      if (rows.length === 0 && audits.length === 0) return [];
      const reviewIds = [...new Set(rows.map((r) => r.reviewId))];
      if (reviewIds.length > 1) throw new Error(`saveClosureDeadlines: rows of one review at a time, got ${reviewIds.join(', ')}`);
      return db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO closure_deadlines (review_id, jurisdiction, review_year, subject_type, subject_id, case_no, institution_id, due_at, set_at)
           SELECT d.review_id, d.jurisdiction, d.review_year, d.subject_type, d.subject_id, d.case_no, d.institution_id, d.due_at, d.set_at
           FROM jsonb_to_recordset(($1::text)::jsonb) AS d(review_id text, jurisdiction text, review_year integer, subject_type text,
                                                           subject_id text, case_no text, institution_id text, due_at timestamptz, set_at timestamptz)
           ON CONFLICT (review_id, subject_id) DO NOTHING`,
          [json(rows.map((r) => ({ review_id: r.reviewId, jurisdiction: r.jurisdiction, review_year: r.reviewYear, subject_type: r.subjectType, subject_id: r.subjectId, case_no: r.caseNo, institution_id: r.institutionId, due_at: r.dueAt, set_at: r.setAt })))],
        );
        await insertAudits(tx, audits);
        if (reviewIds.length === 0) return [];
        const kept = await tx.query<ClosureDeadlineRow>('SELECT * FROM closure_deadlines WHERE review_id = $1 ORDER BY case_no COLLATE "C", subject_id COLLATE "C"', [reviewIds[0]]);
        return kept.map(toClosureDeadline);
      });
    },

    async listClosureCases(reviewId) {
      const rows = await db.query<ClosureStateRow & { deadline: ClosureDeadlineRow }>(
        `SELECT s.*, i.name AS institution_name, i.responsible_unit_id, to_jsonb(d.*) AS deadline
         FROM closure_deadlines d
         JOIN (${closureStateSql('review')}) s ON s.subject_type = d.subject_type AND s.subject_id = d.subject_id
         LEFT JOIN institutions i ON i.jurisdiction = s.jurisdiction AND i.id = s.institution_id
         WHERE d.review_id = $1
         ORDER BY d.case_no COLLATE "C", d.subject_id COLLATE "C"`,
        [reviewId, OPEN_CASE_STAGES],
      );
      return rows.map((r) => ({ ...toClosureCase(r), deadline: toClosureDeadline(r.deadline) }));
    },

    async saveClosureResults(reviewId, results, audits) {
      await db.transaction(async (tx) => {
        if (results.length > 0) {
          await tx.query(
            `UPDATE closure_deadlines d SET result = r.result, outstanding = r.outstanding, reviewed_at = r.reviewed_at
             FROM jsonb_to_recordset(($2::text)::jsonb) AS r(subject_id text, result text, outstanding jsonb, reviewed_at timestamptz)
             WHERE d.review_id = $1 AND d.subject_id = r.subject_id AND d.result IS NULL`,
            [reviewId, json(results.map((r) => ({ subject_id: r.subjectId, result: r.result, outstanding: r.outstanding, reviewed_at: r.reviewedAt })))],
          );
        }
        await insertAudits(tx, audits);
      });
    },

    async listClosureDeadlines(subjectId) {
      const rows = await db.query<ClosureDeadlineRow>('SELECT * FROM closure_deadlines WHERE subject_id = $1 ORDER BY review_year, review_id COLLATE "C"', [subjectId]);
      return rows.map(toClosureDeadline);
    },

    async recordPayment(p, audit) {
      const amount = fenParam(p.amountFen, 'amountFen');
      return db.transaction(async (tx) => {
        if (!(await lockCase(tx, p.caseId))) throw new Error(`case ${p.caseId} is not in the ledger: saveCase first`);
        await tx.query(
          `INSERT INTO case_payments (key, case_id, amount_fen, paid_at, reference, recorded_by)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (key) DO NOTHING`,
          [p.key, p.caseId, amount, p.paidAt, p.reference, p.recordedBy],
        );
        // A retry finds its own row; the same key for another payment is a caller's mistake, not a retry: a
        // LedgerConflictError, which no retry can mend (the case activity turns it into a non-retryable failure).
        const [kept] = await tx.query<PaymentRow>('SELECT * FROM case_payments WHERE key = $1', [p.key]);
        if (kept.case_id !== p.caseId || toFen(kept.amount_fen) !== amount) {
          throw new LedgerConflictError(`payment key ${p.key} is already recorded for case ${kept.case_id} (${String(kept.amount_fen)} fen); use a new key`);
        }
        const [row] = await tx.query<{ paid_fen: string }>(
          `UPDATE cases SET paid_fen = (SELECT COALESCE(sum(amount_fen), 0) FROM case_payments WHERE case_id = $1)
           WHERE id = $1 RETURNING paid_fen::text`,
          [p.caseId],
        );
        await insertAudit(tx, audit);
        return toFen(row.paid_fen, `case ${p.caseId} paidFen`);
      });
    },

    async listPayments(caseId) {
      const rows = await db.query<PaymentRow>('SELECT * FROM case_payments WHERE case_id = $1 ORDER BY paid_at, key COLLATE "C"', [caseId]);
      return rows.map(toPayment);
    },

    async saveReferral(r, audit) {
      await db.transaction(async (tx) => {
        if (!(await lockCase(tx, r.caseId))) throw new Error(`case ${r.caseId} is not in the ledger: saveCase first`);
        // An acknowledgement is final: a later save with another status (a late retry of 'sent') leaves it as it is.
        // The flagged persons (0005) follow the latest save like the other columns.
        await tx.query(
          `INSERT INTO case_referrals (case_id, agency, reason, status, sent_at, due_at, acknowledged_at, acknowledged_by, reference, persons)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, ($10::text)::jsonb)
           ON CONFLICT (case_id, agency) DO UPDATE SET
             reason = EXCLUDED.reason, status = EXCLUDED.status, sent_at = EXCLUDED.sent_at, due_at = EXCLUDED.due_at,
             acknowledged_at = EXCLUDED.acknowledged_at, acknowledged_by = EXCLUDED.acknowledged_by,
             reference = EXCLUDED.reference, persons = EXCLUDED.persons, updated_at = now()
           WHERE case_referrals.status <> 'acknowledged' OR EXCLUDED.status = 'acknowledged'`,
          [r.caseId, r.agency, r.reason, r.status, r.sentAt, r.dueAt, r.acknowledgedAt, r.acknowledgedBy, r.reference, json(r.persons ?? [])],
        );
        await insertAudit(tx, audit);
      });
    },

    async listReferrals(caseId) {
      const rows = await db.query<ReferralRow>('SELECT * FROM case_referrals WHERE case_id = $1 ORDER BY sent_at, agency COLLATE "C"', [caseId]);
      return rows.map(toReferral);
    },

    async recordPointsDeduction(d, audit) {
      return db.transaction(async (tx) => {
        // Serialises deductions of one practitioner and year, so each returned total counts every deduction before it
        // (the thresholds that suspend or end billing eligibility are decided on it).
        await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [JSON.stringify(['points', d.practitionerId, d.year])]);
        await tx.query(
          `INSERT INTO points_deductions (key, practitioner_id, year, tier, points, case_id, reason, decided_by, decided_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (key) DO NOTHING`,
          [d.key, d.practitionerId, d.year, d.tier, d.points, d.caseId, d.reason, d.decidedBy, d.decidedAt],
        );
        const [kept] = await tx.query<PointsDeductionRow>('SELECT * FROM points_deductions WHERE key = $1', [d.key]);
        if (kept.practitioner_id !== d.practitionerId || kept.year !== d.year || kept.points !== d.points) {
          throw new Error(`points deduction key ${d.key} is already recorded for another deduction (${kept.practitioner_id}, ${kept.year}, ${kept.points} points); use a new key`);
        }
        const [total] = await tx.query<{ n: number }>(
          'SELECT COALESCE(sum(points), 0)::int AS n FROM points_deductions WHERE practitioner_id = $1 AND year = $2',
          [d.practitionerId, d.year],
        );
        await insertAudit(tx, audit);
        return total.n;
      });
    },

    async listPointsDeductions(practitionerId, year) {
      const rows = await db.query<PointsDeductionRow>(
        'SELECT * FROM points_deductions WHERE practitioner_id = $1 AND year = $2 ORDER BY decided_at, key COLLATE "C"',
        [practitionerId, year],
      );
      return rows.map(toPointsDeduction);
    },

    async savePointsStatus(p, audit) {
      await db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO points_status (practitioner_id, year, total, eligibility, suspended_until, barred_until, closed, version, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (practitioner_id, year) DO UPDATE SET
             total = EXCLUDED.total, eligibility = EXCLUDED.eligibility, suspended_until = EXCLUDED.suspended_until,
             barred_until = EXCLUDED.barred_until, closed = EXCLUDED.closed, version = EXCLUDED.version,
             updated_at = EXCLUDED.updated_at
           WHERE points_status.version <= EXCLUDED.version`,
          [p.practitionerId, p.year, p.total, p.eligibility, p.suspendedUntil, p.barredUntil, p.closed, p.version, p.updatedAt],
        );
        if (audit) await insertAudit(tx, audit);
      });
    },

    async getPointsStatus(practitionerId, year) {
      const [row] = await db.query<PointsStatusRow>('SELECT * FROM points_status WHERE practitioner_id = $1 AND year = $2', [practitionerId, year]);
      return row && toPointsStatus(row);
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
        cases_opened: number;
        cases_open: number;
        cases_closed: number;
        cases_withdrawn: number;
        cases_loss_fen: string;
        cases_fine_fen: string;
        cases_paid_fen: string;
        case_referrals: number;
      }>(
        `WITH camp AS (SELECT id FROM campaigns WHERE jurisdiction = $1 AND year = $2),
              cs AS (SELECT id, stage, open, loss_fen, fine_fen, paid_fen FROM cases WHERE jurisdiction = $1 AND year = $2),
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
           ) AS grades,
           (SELECT count(*)::int FROM cs) AS cases_opened,
           (SELECT count(*)::int FROM cs WHERE open) AS cases_open,
           (SELECT count(*)::int FROM cs WHERE stage = 'closed') AS cases_closed,
           (SELECT count(*)::int FROM cs WHERE stage = 'withdrawn') AS cases_withdrawn,
           (SELECT COALESCE(sum(loss_fen), 0)::text FROM cs) AS cases_loss_fen,
           (SELECT COALESCE(sum(fine_fen), 0)::text FROM cs) AS cases_fine_fen,
           (SELECT COALESCE(sum(paid_fen), 0)::text FROM cs) AS cases_paid_fen,
           (SELECT count(*)::int FROM case_referrals r JOIN cs ON cs.id = r.case_id) AS case_referrals`,
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
        cases: {
          opened: row.cases_opened,
          open: row.cases_open,
          closed: row.cases_closed,
          withdrawn: row.cases_withdrawn,
          lossFen: toFen(row.cases_loss_fen, 'cases lossFen'),
          fineFen: toFen(row.cases_fine_fen, 'cases fineFen'),
          paidFen: toFen(row.cases_paid_fen, 'cases paidFen'),
          referrals: row.case_referrals,
        },
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
