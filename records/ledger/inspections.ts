// Inspections (现场检查) and their findings, and each institution's on-site inspections of a year (one a year unless a
// clue, a data lead or a look-back requires another: DESIGN §2).
import { INSPECTION_STAGE_RANKS } from '../../domain/inspection-progress';
import type { InspectionStage } from '../../domain/inspection';
import type { Db } from '../db';
import { insertAudit, type AuditEntry } from './audit';
import { advisoryXactLock, iso, isoOrNull, json, type Timestamp } from './sql';

export interface InspectionRecord {
  /** The inspection workflow id, `inspection:{campaignId}:{institutionId}`. */
  id: string;
  campaignId: string;
  institutionId: string;
  team: string[];
  drawSeed: string;
  announced: boolean;
  stage: InspectionStage;
  dueAt: string;
  rectificationDueAt: string | null;
  updatedAt: string;
}

export interface FindingItem {
  category: string;
  description: string;
  /** Fund loss in fen (integer), when the item cost the fund money. */
  amountFen?: number;
  /** The regulation article the item falls under, e.g. "条例第三十八条". */
  article?: string;
}

export interface FindingsRecord {
  inspectionId: string;
  inspectorId: string;
  inspectedAt: string;
  violation: boolean;
  items: FindingItem[];
  note: string;
  recordedAt: string;
}

/** Why an institution gets a second on-site inspection in a year (DESIGN §2: one a year unless a clue or a data lead). */
/** 'recheck': the city's re-check of a district's inspection (抽查复查, seed 003), referencing the re-check campaign. */
export type ExtraInspectionReason = 'clue' | 'data-lead' | 'look-back' | 'recheck';

/** An institution's on-site inspection of a year as the ledger records it (claimOnSiteInspection). */
export interface OnSiteInspectionRecord {
  jurisdiction: string;
  institutionId: string;
  year: number;
  inspectionId: string;
  /** Null for the year's first inspection when the claim gave no reason. */
  reason: ExtraInspectionReason | null;
  /** What requires it: clue numbers / data-anomaly ids, or the inspection a look-back follows. */
  reference: string | null;
  recordedAt: string;
}

export interface OnSiteClaim {
  /** False when the institution already had its on-site inspection this year and no reason was given. */
  allowed: boolean;
  /** The inspection ids already recorded for the institution this year (including this one when allowed). */
  inspections: string[];
}

export interface InspectionLedger {
  /** Creates or updates an inspection row (keyed by id) and appends `audit` in the same transaction. */
  saveInspection(row: InspectionRecord, audit: AuditEntry): Promise<void>;
  getInspection(id: string): Promise<InspectionRecord | undefined>;
  listInspections(campaignId: string): Promise<InspectionRecord[]>;

  /**
   * Records findings (once per inspection: a second call keeps the first findings), saves the inspection row
   * (its new stage, rectification deadline) and appends `audit`, all in one transaction.
   */
  saveFindings(findings: FindingsRecord, inspection: InspectionRecord, audit: AuditEntry): Promise<void>;
  getFindings(inspectionId: string): Promise<FindingsRecord | undefined>;

  /**
   * Records an on-site inspection of an institution in a year. The first of the year is always allowed; another
   * only with a reason (clue, data lead, or a look-back following findings), which is recorded with its `reference`
   * (clue numbers / anomaly ids; the inspection a look-back follows: required for 'look-back'). Idempotent per
   * inspection id (a retry returns allowed, whatever reason it gives).
   */
  claimOnSiteInspection(claim: {
    jurisdiction: string;
    institutionId: string;
    year: number;
    inspectionId: string;
    reason?: ExtraInspectionReason;
    reference?: string;
  }): Promise<OnSiteClaim>;
  /** An institution's on-site inspections of a year, in the order claimed (once a claim in flight has committed). */
  listOnSiteInspections(jurisdiction: string, institutionId: string, year: number): Promise<OnSiteInspectionRecord[]>;
}

/** Stages of an inspection still open after it found violations, in rows written before violations opened cases (the closure review reads them). */
export const OPEN_CASE_STAGES: InspectionStage[] = ['rectifying', 'rectification-overdue', 'unrectified'];

const STAGE_RANKS = json(INSPECTION_STAGE_RANKS);

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
    [
      r.id,
      r.campaignId,
      r.institutionId,
      r.team,
      r.drawSeed,
      r.announced,
      r.stage,
      r.dueAt,
      r.rectificationDueAt,
      r.updatedAt,
      STAGE_RANKS,
    ],
  );
}

/**
 * The lock of an institution's on-site inspections of a year, held to the end of the transaction. The institution row
 * may not be in the ledger, so an advisory lock on the key rather than a row lock.
 */
const lockOnSiteYear = (tx: Db, jurisdiction: string, institutionId: string, year: number) =>
  advisoryXactLock(tx, ['onsite', jurisdiction, institutionId, year]);

async function claimOnSite(db: Db, claim: Parameters<InspectionLedger['claimOnSiteInspection']>[0]): Promise<OnSiteClaim> {
  const { jurisdiction, institutionId, year, inspectionId, reason, reference } = claim;
  return db.transaction(async (tx) => {
    // Serialises claims for the same institution and year (on PostgreSQL two could otherwise both see "none yet"
    // and both insert).
    await lockOnSiteYear(tx, jurisdiction, institutionId, year);
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
}

export function createInspectionLedger(db: Db): InspectionLedger {
  return {
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

    claimOnSiteInspection: (claim) => claimOnSite(db, claim),

    async listOnSiteInspections(jurisdiction, institutionId, year) {
      // Under the claims' lock: a claim in flight for the institution and year (a visit being recorded) is waited for,
      // so a campaign deciding whether to start an inspection sees it.
      const rows = await db.transaction(async (tx) => {
        await lockOnSiteYear(tx, jurisdiction, institutionId, year);
        return tx.query<{
          inspection_id: string;
          reason: OnSiteInspectionRecord['reason'];
          reference: string | null;
          recorded_at: Timestamp;
        }>(
          `SELECT inspection_id, reason, reference, recorded_at FROM onsite_inspections
           WHERE jurisdiction = $1 AND institution_id = $2 AND year = $3
           ORDER BY recorded_at, inspection_id COLLATE "C"`,
          [jurisdiction, institutionId, year],
        );
      });
      return rows.map((r) => ({
        jurisdiction,
        institutionId,
        year,
        inspectionId: r.inspection_id,
        reason: r.reason,
        reference: r.reference,
        recordedAt: iso(r.recorded_at),
      }));
    },
  };
}
