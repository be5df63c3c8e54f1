// Institutions (定点医药机构) of a jurisdiction as the plan loads them, and their yearly credit grades (信用评级).
import type { Db } from '../db';
import { insertAudit, type AuditEntry } from './audit';
import { iso, json, toFen, type FenColumn, type Timestamp } from './sql';

export type InstitutionKind = 'hospital' | 'pharmacy';

export interface InstitutionRecord {
  jurisdiction: string;
  id: string;
  name: string;
  kind: InstitutionKind;
  level: string | null;
  ownership: 'public' | 'private';
  district: string;
  /** The responsible unit (责任单位) that receives this institution's reminders; null for rows loaded before 0002. */
  responsibleUnitId?: string | null;
  /** Contacts that receive notices and rectification orders. */
  contacts?: Array<{ name: string; email: string }>;
  /** 月营业额 as the plan states it (fen); left out keeps the ledger's, null clears it. */
  monthlyTurnoverFen?: number | null;
}

export type CreditGrade = 'A' | 'B' | 'C' | 'D' | 'E';

export interface CreditGradeRecord {
  jurisdiction: string;
  institutionId: string;
  year: number;
  grade: CreditGrade;
  inspectionId: string;
  decidedAt: string;
}

export interface InstitutionLedger {
  upsertInstitutions(rows: InstitutionRecord[]): Promise<void>;
  listInstitutions(jurisdiction: string): Promise<InstitutionRecord[]>;

  /** Sets the institution's credit grade for the year (the latest inspection's grade wins). */
  saveCreditGrade(row: CreditGradeRecord, audit: AuditEntry): Promise<void>;
  getCreditGrade(jurisdiction: string, institutionId: string, year: number): Promise<CreditGradeRecord | undefined>;
}

export interface InstitutionRow {
  jurisdiction: string;
  id: string;
  name: string;
  kind: InstitutionRecord['kind'];
  level: string | null;
  ownership: InstitutionRecord['ownership'];
  district: string;
  responsible_unit_id: string | null;
  contacts: Array<{ name: string; email: string }>;
  monthly_turnover_fen: FenColumn | null;
}
/**
 * Always carries `responsibleUnitId` (null when none) and `contacts` ([] when none), whatever was upserted; the turnover
 * only where the ledger has one.
 */
export const toInstitution = (r: InstitutionRow): InstitutionRecord => ({
  jurisdiction: r.jurisdiction,
  id: r.id,
  name: r.name,
  kind: r.kind,
  level: r.level,
  ownership: r.ownership,
  district: r.district,
  responsibleUnitId: r.responsible_unit_id,
  contacts: r.contacts,
  ...(r.monthly_turnover_fen !== null && { monthlyTurnoverFen: toFen(r.monthly_turnover_fen, 'monthly_turnover_fen') }),
});

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
  monthlyTurnoverFen: r.monthlyTurnoverFen,
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

export function createInstitutionLedger(db: Db): InstitutionLedger {
  return {
    async upsertInstitutions(rows) {
      const merged = mergeInstitutions(rows);
      if (merged.length === 0) return;
      await db.transaction(async (tx) => {
        for (let i = 0; i < merged.length; i += INSTITUTION_BATCH) {
          // A row that leaves out responsibleUnitId, contacts or monthlyTurnoverFen keeps the ledger's value (e.g. a campaign registering
          // its institutions without them must not erase what the plan loaded); null / [] given explicitly clear it.
          await tx.query(
            `INSERT INTO institutions (jurisdiction, id, name, kind, level, ownership, district, responsible_unit_id, contacts,
                                       monthly_turnover_fen)
             SELECT e->>'jurisdiction', e->>'id', e->>'name', e->>'kind', e->>'level', e->>'ownership', e->>'district',
                    CASE WHEN e ? 'responsibleUnitId' THEN e->>'responsibleUnitId' ELSE old.responsible_unit_id END,
                    COALESCE(e->'contacts', old.contacts, '[]'::jsonb),
                    CASE WHEN e ? 'monthlyTurnoverFen' THEN (e->>'monthlyTurnoverFen')::bigint ELSE old.monthly_turnover_fen END
             FROM jsonb_array_elements(($1::text)::jsonb) AS e
             LEFT JOIN institutions old ON old.jurisdiction = e->>'jurisdiction' AND old.id = e->>'id'
             ON CONFLICT (jurisdiction, id) DO UPDATE SET
               name = EXCLUDED.name, kind = EXCLUDED.kind, level = EXCLUDED.level,
               ownership = EXCLUDED.ownership, district = EXCLUDED.district,
               responsible_unit_id = EXCLUDED.responsible_unit_id, contacts = EXCLUDED.contacts,
               monthly_turnover_fen = EXCLUDED.monthly_turnover_fen`,
            [json(merged.slice(i, i + INSTITUTION_BATCH))],
          );
        }
      });
    },

    async listInstitutions(jurisdiction) {
      const rows = await db.query<InstitutionRow>('SELECT * FROM institutions WHERE jurisdiction = $1 ORDER BY id', [jurisdiction]);
      return rows.map(toInstitution);
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
  };
}
