// Violation cases (案件): the case workflow's record at every step, the payments made on it and its referrals (移送)
// to other agencies. Amounts are integer fen, guarded on the way in and out (./sql.ts toFen, fenParam).
import type { CaseStage, ReferralAgency } from '../../domain/case';
import type { Db } from '../db';
import { LedgerConflictError } from '../errors';
import { insertAudit, type AuditEntry } from './audit';
import { fenParam, iso, isoOrNull, toFen, whereEqual, type FenColumn, type Timestamp } from './sql';

/** A violation case (案件) as the ledger keeps it; the case workflow owns it and saves it at every step. */
export interface CaseRecord {
  /** The case workflow id, `case:{jurisdiction}:{caseNo}` (the database refuses any other). */
  id: string;
  jurisdiction: string;
  caseNo: string;
  /** The year the case was opened. */
  year: number;
  institutionId: string;
  inspectionId: string | null;
  campaignId: string | null;
  stage: CaseStage;
  overdue: boolean;
  /** Not closed and not withdrawn (the database refuses a row where this disagrees with `stage`). */
  open: boolean;
  /** ISO-8601 instants; dueAt is the deadline of the current step, if any. */
  openedAt: string;
  dueAt: string | null;
  /** Integer fen, never negative: fund loss to be returned, fines decided, money paid so far. */
  lossFen: number;
  fineFen: number;
  /** Once the case has payments (recordPayment), their sum: a saveCase cannot set it to anything else. */
  paidFen: number;
  outcome: string | null;
  updatedAt: string;
}

export interface PaymentRecord {
  /** Idempotency key: a payment is recorded once per key. */
  key: string;
  caseId: string;
  /** Integer fen, at least 1. */
  amountFen: number;
  paidAt: string;
  reference: string;
  recordedBy: string;
}

export type ReferralStatus = 'sent' | 'overdue' | 'acknowledged' | 'unacknowledged';

/** A referral (移送) of a case to an agency; one per case and agency. */
export interface ReferralRecord {
  caseId: string;
  agency: ReferralAgency;
  reason: string;
  status: ReferralStatus;
  sentAt: string;
  /** The acknowledgement deadline. */
  dueAt: string;
  /** Set exactly when status is 'acknowledged'. */
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  reference: string | null;
  /**
   * Persons flagged for the discipline commission (人事同查) by the referral: their number, and the list as the decision
   * named them sealed by the caller (codec/sealer.ts). Personal data: the ledger holds it sealed only. Left out = none.
   */
  persons?: SealedPersons;
}

export interface SealedPersons {
  count: number;
  keyId: string;
  sealed: string;
}

export interface CaseFilter {
  jurisdiction: string;
  /** The year the case was opened. */
  year?: number;
  open?: boolean;
  institutionId?: string;
}

export interface CaseLedger {
  /**
   * Creates or updates a case (keyed by id) and appends `audit` in the same transaction. The identity (jurisdiction,
   * caseNo, year, institution, inspection, campaign, openedAt) is kept from the first save; stage, overdue, open,
   * dueAt, amounts, outcome and updatedAt follow the latest save. A save older than the row (updatedAt before the
   * row's) changes nothing but still appends its audit entry. Once the case has payments, paidFen stays their sum.
   */
  saveCase(row: CaseRecord, audit: AuditEntry): Promise<void>;
  getCase(id: string): Promise<CaseRecord | undefined>;
  /** Cases of a jurisdiction, optionally of one opening year, open or not, of one institution; by openedAt, id. */
  listCases(filter: CaseFilter): Promise<CaseRecord[]>;
  /** The open cases of a jurisdiction opened in `year` (listCases with open: true). */
  listOpenCaseRecords(jurisdiction: string, year: number): Promise<CaseRecord[]>;

  /**
   * Records a payment on a case once per key (a second call with the same key adds nothing; the same key with another
   * case or amount is refused), sets the case's paidFen to the sum of its payments and appends `audit`, all in one
   * transaction. Returns the case's total paid fen. The case must be in the ledger.
   */
  recordPayment(row: PaymentRecord, audit: AuditEntry): Promise<number>;
  /** A case's payments by paidAt, key. */
  listPayments(caseId: string): Promise<PaymentRecord[]>;
  /**
   * Records money the institution returned to patients (为患者追回资金) once per case and reference, with `audit`;
   * the same reference for another amount is refused (LedgerConflictError). Returns the case's total returned to
   * patients. Apart from the payments: it is not the fund's money.
   */
  recordPatientRefund(row: Omit<PaymentRecord, 'key'>, audit: AuditEntry): Promise<number>;

  /**
   * Creates or updates the referral of a case to an agency (keyed by caseId and agency) and appends `audit` in the
   * same transaction. An acknowledged referral stays acknowledged: a later save with another status changes nothing.
   */
  saveReferral(row: ReferralRecord, audit: AuditEntry): Promise<void>;
  /** A case's referrals by sentAt, agency. */
  listReferrals(caseId: string): Promise<ReferralRecord[]>;
  /**
   * Seals the flagged persons that referrals saved before 0011 hold in clear (`seal`: the codec's sealer), each row in
   * its own transaction, a row sealed meanwhile left alone. Returns how many rows it sealed. Idempotent.
   */
  sealLegacyReferralPersons(seal: (clear: string) => { keyId: string; sealed: string }): Promise<number>;
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
  loss_fen: FenColumn;
  fine_fen: FenColumn;
  paid_fen: FenColumn;
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
  amount_fen: FenColumn;
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
  persons_count: number;
  persons_key_id: string | null;
  persons_sealed: string | null;
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
  ...(r.persons_key_id !== null &&
    r.persons_sealed !== null && { persons: { count: r.persons_count, keyId: r.persons_key_id, sealed: r.persons_sealed } }),
});

/**
 * Locks case `id` for the rest of the transaction (a no-op on PGlite's single connection) and tells whether it exists.
 * Writers that derive a case figure from other rows (paid_fen from payments) take it first, so that on PostgreSQL each
 * sees the rows of the writer before it: under READ COMMITTED a statement started before the other committed would not.
 */
async function lockCase(db: Db, id: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM cases WHERE id = $1 FOR UPDATE', [id])).length > 0;
}

async function writeCase(db: Db, c: CaseRecord, audit: AuditEntry): Promise<void> {
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
      [
        c.id,
        c.jurisdiction,
        c.caseNo,
        c.year,
        c.institutionId,
        c.inspectionId,
        c.campaignId,
        c.stage,
        c.overdue,
        c.open,
        c.openedAt,
        c.dueAt,
        ...amounts,
        c.outcome,
        c.updatedAt,
      ],
    );
    await insertAudit(tx, audit);
  });
}

/** Only the filters given become conditions, so each combination can use the indexes of 0004. */
async function queryCases(db: Db, filter: CaseFilter): Promise<CaseRecord[]> {
  const { where, params } = whereEqual(filter.jurisdiction, [
    ['year', filter.year],
    ['open', filter.open],
    ['institution_id', filter.institutionId],
  ]);
  const rows = await db.query<CaseRow>(`SELECT * FROM cases WHERE ${where} ORDER BY opened_at, id COLLATE "C"`, params);
  return rows.map(toCase);
}

async function writePayment(db: Db, p: PaymentRecord, audit: AuditEntry): Promise<number> {
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
      throw new LedgerConflictError(
        `payment key ${p.key} is already recorded for case ${kept.case_id} (${String(kept.amount_fen)} fen); use a new key`,
      );
    }
    const [row] = await tx.query<{ paid_fen: string }>(
      `UPDATE cases SET paid_fen = (SELECT COALESCE(sum(amount_fen), 0) FROM case_payments WHERE case_id = $1)
       WHERE id = $1 RETURNING paid_fen::text`,
      [p.caseId],
    );
    await insertAudit(tx, audit);
    return toFen(row.paid_fen, `case ${p.caseId} paidFen`);
  });
}

async function writePatientRefund(db: Db, p: Omit<PaymentRecord, 'key'>, audit: AuditEntry): Promise<number> {
  const amount = fenParam(p.amountFen, 'amountFen');
  return db.transaction(async (tx) => {
    if (!(await lockCase(tx, p.caseId))) throw new Error(`case ${p.caseId} is not in the ledger: saveCase first`);
    await tx.query(
      `INSERT INTO case_patient_refunds (case_id, reference, amount_fen, refunded_at, recorded_by)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (case_id, reference) DO NOTHING`,
      [p.caseId, p.reference, amount, p.paidAt, p.recordedBy],
    );
    const [kept] = await tx.query<{ amount_fen: FenColumn }>(
      'SELECT amount_fen FROM case_patient_refunds WHERE case_id = $1 AND reference = $2',
      [p.caseId, p.reference],
    );
    if (toFen(kept.amount_fen) !== amount)
      throw new LedgerConflictError(
        `patient refund ${p.reference} of case ${p.caseId} is already recorded for ${String(kept.amount_fen)} fen`,
      );
    await insertAudit(tx, audit);
    const [total] = await tx.query<{ fen: string }>(
      'SELECT COALESCE(sum(amount_fen), 0)::text AS fen FROM case_patient_refunds WHERE case_id = $1',
      [p.caseId],
    );
    return toFen(total.fen, `case ${p.caseId} patient refunds`);
  });
}

async function writeReferral(db: Db, r: ReferralRecord, audit: AuditEntry): Promise<void> {
  await db.transaction(async (tx) => {
    if (!(await lockCase(tx, r.caseId))) throw new Error(`case ${r.caseId} is not in the ledger: saveCase first`);
    // An acknowledgement is final: a later save with another status (a late retry of 'sent') leaves it as it is.
    // The flagged persons follow the latest save like the other columns, sealed (0011); the clear column of 0005 empties.
    await tx.query(
      `INSERT INTO case_referrals (case_id, agency, reason, status, sent_at, due_at, acknowledged_at, acknowledged_by, reference, persons,
                                   persons_count, persons_key_id, persons_sealed)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '[]'::jsonb, $10, $11, $12)
       ON CONFLICT (case_id, agency) DO UPDATE SET
         reason = EXCLUDED.reason, status = EXCLUDED.status, sent_at = EXCLUDED.sent_at, due_at = EXCLUDED.due_at,
         acknowledged_at = EXCLUDED.acknowledged_at, acknowledged_by = EXCLUDED.acknowledged_by,
         reference = EXCLUDED.reference, persons = EXCLUDED.persons, persons_count = EXCLUDED.persons_count,
         persons_key_id = EXCLUDED.persons_key_id, persons_sealed = EXCLUDED.persons_sealed, updated_at = now()
       WHERE case_referrals.status <> 'acknowledged' OR EXCLUDED.status = 'acknowledged'`,
      [
        r.caseId,
        r.agency,
        r.reason,
        r.status,
        r.sentAt,
        r.dueAt,
        r.acknowledgedAt,
        r.acknowledgedBy,
        r.reference,
        r.persons?.count ?? 0,
        r.persons?.keyId ?? null,
        r.persons?.sealed ?? null,
      ],
    );
    await insertAudit(tx, audit);
  });
}

async function sealLegacyPersons(db: Db, seal: (clear: string) => { keyId: string; sealed: string }): Promise<number> {
  const legacy = await db.query<{ case_id: string; agency: string; persons: unknown[] }>(
    `SELECT case_id, agency, persons FROM case_referrals WHERE persons_sealed IS NULL AND jsonb_array_length(persons) > 0`,
  );
  let sealedRows = 0;
  for (const row of legacy) {
    const { keyId, sealed } = seal(JSON.stringify(row.persons));
    const updated = await db.query(
      `UPDATE case_referrals SET persons = '[]'::jsonb, persons_count = $3, persons_key_id = $4, persons_sealed = $5
        WHERE case_id = $1 AND agency = $2 AND persons_sealed IS NULL RETURNING case_id`,
      [row.case_id, row.agency, row.persons.length, keyId, sealed],
    );
    sealedRows += updated.length;
  }
  return sealedRows;
}

export function createCaseLedger(db: Db): CaseLedger {
  return {
    saveCase: (row, audit) => writeCase(db, row, audit),

    async getCase(id) {
      const [row] = await db.query<CaseRow>('SELECT * FROM cases WHERE id = $1', [id]);
      return row && toCase(row);
    },

    listCases: (filter) => queryCases(db, filter),

    listOpenCaseRecords: (jurisdiction, year) => queryCases(db, { jurisdiction, year, open: true }),

    recordPayment: (row, audit) => writePayment(db, row, audit),
    recordPatientRefund: (row, audit) => writePatientRefund(db, row, audit),

    async listPayments(caseId) {
      const rows = await db.query<PaymentRow>('SELECT * FROM case_payments WHERE case_id = $1 ORDER BY paid_at, key COLLATE "C"', [caseId]);
      return rows.map(toPayment);
    },

    saveReferral: (row, audit) => writeReferral(db, row, audit),
    sealLegacyReferralPersons: (seal) => sealLegacyPersons(db, seal),

    async listReferrals(caseId) {
      const rows = await db.query<ReferralRow>('SELECT * FROM case_referrals WHERE case_id = $1 ORDER BY sent_at, agency COLLATE "C"', [
        caseId,
      ]);
      return rows.map(toReferral);
    },
  };
}
