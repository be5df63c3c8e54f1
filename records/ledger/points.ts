// Practitioners' points (医保支付资格记分): deductions of a calendar year and the standing the points workflow derives
// from them (eligible, suspended, ended).
import type { Db } from '../db';
import { insertAudit, type AuditEntry } from './audit';
import { advisoryXactLock, iso, isoOrNull, type Timestamp } from './sql';

/** A practitioner's points deduction (医保支付资格记分) in a calendar year. */
export interface PointsDeductionRecord {
  /** Idempotency key: a deduction counts once per key. */
  key: string;
  practitionerId: string;
  year: number;
  /** Tier 1–4 of the rules; points 1–12. */
  tier: number;
  points: number;
  caseId: string | null;
  reason: string;
  decidedBy: string;
  decidedAt: string;
}

/** A practitioner's standing in a calendar year (医保支付资格), as the points workflow last wrote it. */
export interface PointsStatusRecord {
  practitionerId: string;
  year: number;
  /** The year's points so far (0 again next year). */
  total: number;
  eligibility: 'eligible' | 'suspended' | 'ended';
  /** Set exactly when suspended. */
  suspendedUntil: string | null;
  /** Set exactly when eligibility has ended: the end of the re-registration bar. */
  barredUntil: string | null;
  /** The year is over: points reset, a restriction still running was handed to next year. */
  closed: boolean;
  /** The workflow's count of state changes; a save with a lower version than the row's changes nothing. */
  version: number;
  updatedAt: string;
}

export interface PointsLedger {
  /**
   * Records a points deduction once per key (the same key with another practitioner, year or points is refused) and
   * appends `audit` in the same transaction. Returns the practitioner's total points of that year after it.
   */
  recordPointsDeduction(row: PointsDeductionRecord, audit: AuditEntry): Promise<number>;
  /** A practitioner's deductions of a year by decidedAt, key. */
  listPointsDeductions(practitionerId: string, year: number): Promise<PointsDeductionRecord[]>;
  /**
   * Saves a practitioner's standing of a year (keyed by practitioner and year; a save whose version is below the row's
   * changes nothing) and appends `audit`, when given, in the same transaction.
   */
  savePointsStatus(row: PointsStatusRecord, audit?: AuditEntry): Promise<void>;
  getPointsStatus(practitionerId: string, year: number): Promise<PointsStatusRecord | undefined>;
}

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

export function createPointsLedger(db: Db): PointsLedger {
  return {
    async recordPointsDeduction(d, audit) {
      return db.transaction(async (tx) => {
        // Serialises deductions of one practitioner and year, so each returned total counts every deduction before it
        // (the thresholds that suspend or end billing eligibility are decided on it).
        await advisoryXactLock(tx, ['points', d.practitionerId, d.year]);
        await tx.query(
          `INSERT INTO points_deductions (key, practitioner_id, year, tier, points, case_id, reason, decided_by, decided_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (key) DO NOTHING`,
          [d.key, d.practitionerId, d.year, d.tier, d.points, d.caseId, d.reason, d.decidedBy, d.decidedAt],
        );
        const [kept] = await tx.query<PointsDeductionRow>('SELECT * FROM points_deductions WHERE key = $1', [d.key]);
        if (kept.practitioner_id !== d.practitionerId || kept.year !== d.year || kept.points !== d.points) {
          throw new Error(
            `points deduction key ${d.key} is already recorded for another deduction (${kept.practitioner_id}, ${kept.year}, ${kept.points} points); use a new key`,
          );
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
      const [row] = await db.query<PointsStatusRow>('SELECT * FROM points_status WHERE practitioner_id = $1 AND year = $2', [
        practitionerId,
        year,
      ]);
      return row && toPointsStatus(row);
    },
  };
}
