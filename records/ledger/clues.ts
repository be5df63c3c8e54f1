// Tip-off clues (举报线索): each clue's row as its workflow records it, the transferred batches, and the reporters'
// sealed identities. The ledger never sees a reporter in clear: the caller seals the identity (codec/sealer.ts) and
// opens it again where the clue's own handling needs it (the reporter's notices, `jianguan clue reporter`).
import type { Db } from '../db';
import { LedgerConflictError } from '../errors';
import { insertAudit, type AuditEntry } from './audit';
import { fenParam, iso, isoOrNull, toFen, whereEqual, type FenColumn, type Timestamp } from './sql';

export interface ClueRecord {
  id: string;
  jurisdiction: string;
  clueNo: string;
  year: number;
  receivedAt: string;
  channel: string;
  source: 'local' | 'national' | 'provincial';
  batchNo: string | null;
  batchDate: string | null;
  institutionId: string | null;
  subject: string;
  summary: string;
  realName: boolean;
  reporterMasked: string;
  stage: string;
  overdue: boolean;
  dueAt: string | null;
  unitId: string | null;
  outcome: string | null;
  verifiedFen: number;
  action: string | null;
  concludedAt: string | null;
  caseId: string | null;
  rewardFen: number;
  rewardPaidAt: string | null;
  rewardWaivedAt: string | null;
  /** The processing report once filed; a save without one keeps the filed one. */
  report: string | null;
  updatedAt: string;
}

export interface ClueBatchRecord {
  jurisdiction: string;
  source: 'national' | 'provincial';
  batchNo: string;
  /** Local date YYYY-MM-DD of the transfer. */
  batchDate: string;
  clueCount: number;
  receivedAt: string;
}

/** A reporter's identity as the ledger holds it: sealed under a key id, and the masked form staff may see. */
export interface SealedReporter {
  jurisdiction: string;
  clueNo: string;
  keyId: string;
  sealed: string;
  masked: string;
}

export interface ClueFilter {
  jurisdiction: string;
  year?: number;
  source?: ClueRecord['source'];
  batchNo?: string;
  stage?: string;
}

export interface ClueLedger {
  /** Creates or updates a clue's row (a save older than the row changes nothing) and appends `audit`, in one transaction. */
  saveClue(row: ClueRecord, audit: AuditEntry): Promise<void>;
  getClue(jurisdiction: string, clueNo: string): Promise<ClueRecord | undefined>;
  /** Clues by receivedAt, clueNo. */
  listClues(filter: ClueFilter): Promise<ClueRecord[]>;
  /**
   * The transferred clues (national, provincial) decided in (from, to] with their processing report filed: what goes
   * upward with the weekly tables (seed 004). By concludedAt, clueNo.
   */
  listTransferredReports(jurisdiction: string, from: string, to: string): Promise<ClueRecord[]>;
  /**
   * Records a transferred batch once (the same batch again changes nothing; the same number with another date or count
   * is refused with a LedgerConflictError).
   */
  saveClueBatch(batch: ClueBatchRecord): Promise<void>;
  listClueBatches(jurisdiction: string): Promise<ClueBatchRecord[]>;
  /**
   * Keeps a reporter's sealed identity once per clue: the same clue again keeps the first (an intake retried, sealed
   * again with another nonce, is the same reporter); returns whether it was written now.
   */
  saveReporter(reporter: SealedReporter): Promise<boolean>;
  getReporter(jurisdiction: string, clueNo: string): Promise<SealedReporter | undefined>;
}

interface ClueRow {
  id: string;
  jurisdiction: string;
  clue_no: string;
  year: number;
  received_at: Timestamp;
  channel: string;
  source: ClueRecord['source'];
  batch_no: string | null;
  batch_date: Timestamp | null;
  institution_id: string | null;
  subject: string;
  summary: string;
  real_name: boolean;
  reporter_masked: string;
  stage: string;
  overdue: boolean;
  due_at: Timestamp | null;
  unit_id: string | null;
  outcome: string | null;
  verified_fen: FenColumn;
  action: string | null;
  concluded_at: Timestamp | null;
  case_id: string | null;
  reward_fen: FenColumn;
  reward_paid_at: Timestamp | null;
  reward_waived_at: Timestamp | null;
  report: string | null;
  updated_at: Timestamp;
}

/** A date column as YYYY-MM-DD whatever the driver returns (a Date at UTC midnight, or text). */
const localDate = (v: Timestamp): string => (typeof v === 'string' ? v.slice(0, 10) : iso(v).slice(0, 10));

const toClue = (r: ClueRow): ClueRecord => ({
  id: r.id,
  jurisdiction: r.jurisdiction,
  clueNo: r.clue_no,
  year: r.year,
  receivedAt: iso(r.received_at),
  channel: r.channel,
  source: r.source,
  batchNo: r.batch_no,
  batchDate: r.batch_date === null ? null : localDate(r.batch_date),
  institutionId: r.institution_id,
  subject: r.subject,
  summary: r.summary,
  realName: r.real_name,
  reporterMasked: r.reporter_masked,
  stage: r.stage,
  overdue: r.overdue,
  dueAt: isoOrNull(r.due_at),
  unitId: r.unit_id,
  outcome: r.outcome,
  verifiedFen: toFen(r.verified_fen, `clue ${r.id} verifiedFen`),
  action: r.action,
  concludedAt: isoOrNull(r.concluded_at),
  caseId: r.case_id,
  rewardFen: toFen(r.reward_fen, `clue ${r.id} rewardFen`),
  rewardPaidAt: isoOrNull(r.reward_paid_at),
  rewardWaivedAt: isoOrNull(r.reward_waived_at),
  report: r.report,
  updatedAt: iso(r.updated_at),
});

const CLUE_COLUMNS = `id, jurisdiction, clue_no, year, received_at, channel, source, batch_no, batch_date, institution_id, subject,
  summary, real_name, reporter_masked, stage, overdue, due_at, unit_id, outcome, verified_fen, action, concluded_at, case_id,
  reward_fen, reward_paid_at, reward_waived_at, report, updated_at`;

async function writeClue(db: Db, c: ClueRecord, audit: AuditEntry): Promise<void> {
  await db.transaction(async (tx) => {
    // Identity columns keep their first values; a save older than the row (a late retry) changes nothing.
    await tx.query(
      `INSERT INTO clues (${CLUE_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24,
               $25, $26, $27, $28)
       ON CONFLICT (id) DO UPDATE SET
         stage = EXCLUDED.stage, overdue = EXCLUDED.overdue, due_at = EXCLUDED.due_at, unit_id = EXCLUDED.unit_id,
         outcome = EXCLUDED.outcome, verified_fen = EXCLUDED.verified_fen, action = EXCLUDED.action,
         concluded_at = EXCLUDED.concluded_at, case_id = EXCLUDED.case_id, reward_fen = EXCLUDED.reward_fen,
         reward_paid_at = EXCLUDED.reward_paid_at, reward_waived_at = EXCLUDED.reward_waived_at,
         report = COALESCE(EXCLUDED.report, clues.report), updated_at = EXCLUDED.updated_at
       WHERE clues.updated_at <= EXCLUDED.updated_at`,
      [
        c.id,
        c.jurisdiction,
        c.clueNo,
        c.year,
        c.receivedAt,
        c.channel,
        c.source,
        c.batchNo,
        c.batchDate,
        c.institutionId,
        c.subject,
        c.summary,
        c.realName,
        c.reporterMasked,
        c.stage,
        c.overdue,
        c.dueAt,
        c.unitId,
        c.outcome,
        fenParam(c.verifiedFen, 'verifiedFen'),
        c.action,
        c.concludedAt,
        c.caseId,
        fenParam(c.rewardFen, 'rewardFen'),
        c.rewardPaidAt,
        c.rewardWaivedAt,
        c.report,
        c.updatedAt,
      ],
    );
    await insertAudit(tx, audit);
  });
}

async function queryClues(db: Db, filter: ClueFilter): Promise<ClueRecord[]> {
  const { where, params } = whereEqual(filter.jurisdiction, [
    ['year', filter.year],
    ['source', filter.source],
    ['batch_no', filter.batchNo],
    ['stage', filter.stage],
  ]);
  const rows = await db.query<ClueRow>(`SELECT ${CLUE_COLUMNS} FROM clues WHERE ${where} ORDER BY received_at, clue_no`, params);
  return rows.map(toClue);
}

interface BatchRow {
  jurisdiction: string;
  source: ClueBatchRecord['source'];
  batch_no: string;
  batch_date: Timestamp;
  clue_count: number;
  received_at: Timestamp;
}
const toBatch = (r: BatchRow): ClueBatchRecord => ({
  jurisdiction: r.jurisdiction,
  source: r.source,
  batchNo: r.batch_no,
  batchDate: localDate(r.batch_date),
  clueCount: r.clue_count,
  receivedAt: iso(r.received_at),
});

async function writeBatch(db: Db, b: ClueBatchRecord): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO clue_batches (jurisdiction, source, batch_no, batch_date, clue_count, received_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (jurisdiction, source, batch_no) DO NOTHING`,
      [b.jurisdiction, b.source, b.batchNo, b.batchDate, b.clueCount, b.receivedAt],
    );
    const [stored] = await tx.query<BatchRow>('SELECT * FROM clue_batches WHERE jurisdiction = $1 AND source = $2 AND batch_no = $3', [
      b.jurisdiction,
      b.source,
      b.batchNo,
    ]);
    const recorded = toBatch(stored!);
    if (recorded.batchDate !== b.batchDate || recorded.clueCount !== b.clueCount)
      throw new LedgerConflictError(
        `batch ${b.source} ${b.batchNo} is recorded with date ${recorded.batchDate} and ${recorded.clueCount} clues, not ${b.batchDate} and ${b.clueCount}`,
      );
  });
}

export function createClueLedger(db: Db): ClueLedger {
  return {
    saveClue: (row, audit) => writeClue(db, row, audit),
    async listTransferredReports(jurisdiction, from, to) {
      const rows = await db.query<ClueRow>(
        `SELECT ${CLUE_COLUMNS} FROM clues
          WHERE jurisdiction = $1 AND source <> 'local' AND report IS NOT NULL AND concluded_at > $2 AND concluded_at <= $3
          ORDER BY concluded_at, clue_no`,
        [jurisdiction, from, to],
      );
      return rows.map(toClue);
    },

    async getClue(jurisdiction, clueNo) {
      const rows = await db.query<ClueRow>(`SELECT ${CLUE_COLUMNS} FROM clues WHERE jurisdiction = $1 AND clue_no = $2`, [
        jurisdiction,
        clueNo,
      ]);
      return rows[0] && toClue(rows[0]);
    },
    listClues: (filter) => queryClues(db, filter),
    saveClueBatch: (batch) => writeBatch(db, batch),
    async listClueBatches(jurisdiction) {
      const rows = await db.query<BatchRow>('SELECT * FROM clue_batches WHERE jurisdiction = $1 ORDER BY batch_date, source, batch_no', [
        jurisdiction,
      ]);
      return rows.map(toBatch);
    },
    async saveReporter(r) {
      const inserted = await db.query<{ clue_no: string }>(
        `INSERT INTO clue_reporters (jurisdiction, clue_no, key_id, sealed, masked) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (jurisdiction, clue_no) DO NOTHING RETURNING clue_no`,
        [r.jurisdiction, r.clueNo, r.keyId, r.sealed, r.masked],
      );
      return inserted.length > 0;
    },
    async getReporter(jurisdiction, clueNo) {
      const rows = await db.query<{ key_id: string; sealed: string; masked: string }>(
        'SELECT key_id, sealed, masked FROM clue_reporters WHERE jurisdiction = $1 AND clue_no = $2',
        [jurisdiction, clueNo],
      );
      const r = rows[0];
      return r && { jurisdiction, clueNo, keyId: r.key_id, sealed: r.sealed, masked: r.masked };
    },
  };
}
