// Cases against insured persons (参保人员, 职业骗保人): each case's row as its workflow records it, its actions (once each,
// with their fen amounts) and the person, sealed. The ledger never sees the person in clear: the caller seals it
// (codec/sealer.ts) and only the case's own handling opens it again.
import type { PersonActionKind } from '../../domain/weekly-report';
import type { Db } from '../db';
import { LedgerConflictError } from '../errors';
import { insertAudit, type AuditEntry } from './audit';
import { fenParam, iso, isoOrNull, toFen, whereEqual, type FenColumn, type Timestamp } from './sql';

export interface PersonCaseRecord {
  id: string;
  jurisdiction: string;
  caseNo: string;
  year: number;
  sourceKind: 'clue' | 'inspection' | 'data';
  sourceRef: string;
  personMasked: string;
  professional: boolean;
  stage: 'open' | 'closed' | 'left-open';
  open: boolean;
  overdue: boolean;
  openedAt: string;
  dueAt: string | null;
  amountFen: number;
  cardSuspendedUntil: string | null;
  outcome: string | null;
  updatedAt: string;
}

export interface PersonActionRecord {
  caseId: string;
  /** Idempotency key within the case: an action is recorded once per key. */
  key: string;
  action: 'interview' | 'suspend-card' | 'card-lifted' | 'penalty' | 'refer' | 'other' | 'recover';
  table2: PersonActionKind | null;
  decidedBy: string;
  at: string;
  months: number | null;
  fineFen: number;
  amountFen: number;
  agency: string | null;
  note: string;
}

/** A person as the ledger holds it: sealed under a key id. */
export interface SealedPerson {
  jurisdiction: string;
  caseNo: string;
  keyId: string;
  sealed: string;
}

export interface PersonCaseFilter {
  jurisdiction: string;
  year?: number;
  stage?: PersonCaseRecord['stage'];
}

export interface PersonCaseLedger {
  /** Creates or updates a case's row (a save older than the row changes nothing) and appends `audit`, in one transaction. */
  savePersonCase(row: PersonCaseRecord, audit: AuditEntry): Promise<void>;
  getPersonCase(jurisdiction: string, caseNo: string): Promise<PersonCaseRecord | undefined>;
  /** By openedAt, caseNo. */
  listPersonCases(filter: PersonCaseFilter): Promise<PersonCaseRecord[]>;
  /**
   * Records an action once per (case, key) with `audit`, and the case's row as the action leaves it, in one
   * transaction; the same key with other figures is refused.
   */
  recordPersonAction(action: PersonActionRecord, row: PersonCaseRecord, audit: AuditEntry): Promise<void>;
  /** A case's actions by at, key. */
  listPersonActions(caseId: string): Promise<PersonActionRecord[]>;
  /** Keeps a person's sealed identity once per case; returns whether it was written now. */
  savePersonSubject(person: SealedPerson): Promise<boolean>;
  getPersonSubject(jurisdiction: string, caseNo: string): Promise<SealedPerson | undefined>;
}

interface CaseRow {
  id: string;
  jurisdiction: string;
  case_no: string;
  year: number;
  source_kind: PersonCaseRecord['sourceKind'];
  source_ref: string;
  person_masked: string;
  professional: boolean;
  stage: PersonCaseRecord['stage'];
  open: boolean;
  overdue: boolean;
  opened_at: Timestamp;
  due_at: Timestamp | null;
  amount_fen: FenColumn;
  card_suspended_until: Timestamp | null;
  outcome: string | null;
  updated_at: Timestamp;
}

const toCase = (r: CaseRow): PersonCaseRecord => ({
  id: r.id,
  jurisdiction: r.jurisdiction,
  caseNo: r.case_no,
  year: r.year,
  sourceKind: r.source_kind,
  sourceRef: r.source_ref,
  personMasked: r.person_masked,
  professional: r.professional,
  stage: r.stage,
  open: r.open,
  overdue: r.overdue,
  openedAt: iso(r.opened_at),
  dueAt: isoOrNull(r.due_at),
  amountFen: toFen(r.amount_fen, 'amountFen'),
  cardSuspendedUntil: isoOrNull(r.card_suspended_until),
  outcome: r.outcome,
  updatedAt: iso(r.updated_at),
});

interface ActionRow {
  case_id: string;
  key: string;
  action: PersonActionRecord['action'];
  table2: PersonActionKind | null;
  decided_by: string;
  at: Timestamp;
  months: number | null;
  fine_fen: FenColumn;
  amount_fen: FenColumn;
  agency: string | null;
  note: string;
}

const toAction = (r: ActionRow): PersonActionRecord => ({
  caseId: r.case_id,
  key: r.key,
  action: r.action,
  table2: r.table2,
  decidedBy: r.decided_by,
  at: iso(r.at),
  months: r.months,
  fineFen: toFen(r.fine_fen, 'fineFen'),
  amountFen: toFen(r.amount_fen, 'amountFen'),
  agency: r.agency,
  note: r.note,
});

/** The case's row: the identity columns keep their first values; a save older than the row (a late retry) changes nothing. */
async function upsertCase(tx: Db, c: PersonCaseRecord): Promise<void> {
  await tx.query(
    `INSERT INTO person_cases (id, jurisdiction, case_no, year, source_kind, source_ref, person_masked, professional, stage,
                               open, overdue, opened_at, due_at, amount_fen, card_suspended_until, outcome, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
     ON CONFLICT (id) DO UPDATE SET
       stage = EXCLUDED.stage, open = EXCLUDED.open, overdue = EXCLUDED.overdue, due_at = EXCLUDED.due_at,
       card_suspended_until = EXCLUDED.card_suspended_until, outcome = EXCLUDED.outcome, updated_at = EXCLUDED.updated_at
     WHERE person_cases.updated_at <= EXCLUDED.updated_at`,
    [
      c.id,
      c.jurisdiction,
      c.caseNo,
      c.year,
      c.sourceKind,
      c.sourceRef,
      c.personMasked,
      c.professional,
      c.stage,
      c.open,
      c.overdue,
      c.openedAt,
      c.dueAt,
      fenParam(c.amountFen, 'amountFen'),
      c.cardSuspendedUntil,
      c.outcome,
      c.updatedAt,
    ],
  );
}

async function writeAction(db: Db, a: PersonActionRecord, row: PersonCaseRecord, audit: AuditEntry): Promise<void> {
  const figures = [
    a.action,
    a.table2,
    a.decidedBy,
    a.at,
    a.months,
    fenParam(a.fineFen, 'fineFen'),
    fenParam(a.amountFen, 'amountFen'),
    a.agency,
    a.note,
  ];
  await db.transaction(async (tx) => {
    await upsertCase(tx, row);
    const inserted = await tx.query<{ key: string }>(
      `INSERT INTO person_case_actions (case_id, key, action, table2, decided_by, at, months, fine_fen, amount_fen, agency, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (case_id, key) DO NOTHING RETURNING key`,
      [a.caseId, a.key, ...figures],
    );
    if (inserted.length === 0) {
      // A retry of the same action is fine; the same key with other figures is a bug upstream, never a silent overwrite.
      const [kept] = await tx.query<ActionRow>('SELECT * FROM person_case_actions WHERE case_id = $1 AND key = $2', [a.caseId, a.key]);
      const same = kept && kept.action === a.action && toFen(kept.amount_fen) === a.amountFen && toFen(kept.fine_fen) === a.fineFen;
      if (!same) throw new LedgerConflictError(`person case ${a.caseId}: action ${a.key} is recorded with other figures`);
      return;
    }
    await insertAudit(tx, audit);
  });
}

async function queryCases(db: Db, filter: PersonCaseFilter): Promise<PersonCaseRecord[]> {
  const { where, params } = whereEqual(filter.jurisdiction, [
    ['year', filter.year],
    ['stage', filter.stage],
  ]);
  const rows = await db.query<CaseRow>(`SELECT * FROM person_cases WHERE ${where} ORDER BY opened_at, case_no COLLATE "C"`, params);
  return rows.map(toCase);
}

export function createPersonCaseLedger(db: Db): PersonCaseLedger {
  return {
    savePersonCase: (row, audit) =>
      db.transaction(async (tx) => {
        await upsertCase(tx, row);
        await insertAudit(tx, audit);
      }),
    async getPersonCase(jurisdiction, caseNo) {
      const rows = await db.query<CaseRow>('SELECT * FROM person_cases WHERE jurisdiction = $1 AND case_no = $2', [jurisdiction, caseNo]);
      return rows[0] && toCase(rows[0]);
    },
    listPersonCases: (filter) => queryCases(db, filter),
    recordPersonAction: (action, row, audit) => writeAction(db, action, row, audit),
    async listPersonActions(caseId) {
      const rows = await db.query<ActionRow>('SELECT * FROM person_case_actions WHERE case_id = $1 ORDER BY at, key COLLATE "C"', [caseId]);
      return rows.map(toAction);
    },
    async savePersonSubject(p) {
      const inserted = await db.query<{ case_no: string }>(
        `INSERT INTO person_case_subjects (jurisdiction, case_no, key_id, sealed) VALUES ($1, $2, $3, $4)
         ON CONFLICT (jurisdiction, case_no) DO NOTHING RETURNING case_no`,
        [p.jurisdiction, p.caseNo, p.keyId, p.sealed],
      );
      return inserted.length > 0;
    },
    async getPersonSubject(jurisdiction, caseNo) {
      const rows = await db.query<{ key_id: string; sealed: string }>(
        'SELECT key_id, sealed FROM person_case_subjects WHERE jurisdiction = $1 AND case_no = $2',
        [jurisdiction, caseNo],
      );
      return rows[0] && { jurisdiction, caseNo, keyId: rows[0].key_id, sealed: rows[0].sealed };
    },
  };
}
