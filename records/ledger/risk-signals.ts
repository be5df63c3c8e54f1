// Risk signals (举报线索, 数据疑点) per institution and year: what weighs in the year's flying-check draw and what makes a
// further on-site inspection allowed. Counts set by hand (risk_signals) and single imported signals with their
// references (risk_signal_items, `jianguan risk import`) add up in the flying pool (./flying.ts).
import type { Db } from '../db';
import { advisoryXactLock, json } from './sql';

export interface RiskSignalRecord {
  jurisdiction: string;
  institutionId: string;
  year: number;
  clues: number;
  dataAnomalies: number;
}

export type RiskSignalKind = 'clue' | 'data-anomaly';

/** One risk signal (a clue, a data anomaly), as `jianguan risk import` brings it into the ledger. */
export interface RiskSignalItem {
  jurisdiction: string;
  /** The clue number or anomaly id; unique in the jurisdiction (an import is idempotent by it). */
  reference: string;
  institutionId: string;
  kind: RiskSignalKind;
  /** Local date YYYY-MM-DD; its year is the year of flying checks it weighs in. */
  date: string;
  note: string;
}

export interface RiskImportResult {
  /** References written now, and those already there with the same content. */
  inserted: string[];
  unchanged: string[];
  /** References already recorded with another institution, kind or date: when any, nothing is written. */
  conflicts: Array<{ reference: string; recorded: Omit<RiskSignalItem, 'jurisdiction'> }>;
}

export interface RiskSignalLedger {
  /** Sets clue and data-anomaly counts per institution and year (replacing earlier counts). */
  upsertRiskSignals(rows: RiskSignalRecord[]): Promise<void>;
  /**
   * Imports risk signals, idempotent by (jurisdiction, reference), in one transaction: new references are written,
   * the same content again changes nothing; a reference recorded with another institution, kind or date is a
   * conflict, and then nothing at all is written.
   */
  importRiskSignals(items: RiskSignalItem[]): Promise<RiskImportResult>;
}

interface RecordedSignalRow {
  jurisdiction: string;
  reference: string;
  institution_id: string;
  kind: RiskSignalItem['kind'];
  signal_date: string;
  note: string;
}

async function importSignals(db: Db, items: RiskSignalItem[]): Promise<RiskImportResult> {
  const result: RiskImportResult = { inserted: [], unchanged: [], conflicts: [] };
  if (items.length === 0) return result;
  const keys = items.map((i) => JSON.stringify([i.jurisdiction, i.reference]));
  const repeated = keys.find((k, n) => keys.indexOf(k) < n);
  if (repeated) throw new Error(`importRiskSignals: reference ${repeated} given twice in one import`);
  return db.transaction(async (tx) => {
    // Serialises imports of a jurisdiction, so two at once cannot both judge a reference new.
    for (const jurisdiction of new Set(items.map((i) => i.jurisdiction))) await advisoryXactLock(tx, ['risk-signals', jurisdiction]);
    const recorded = await tx.query<RecordedSignalRow>(
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
      else if (r.institution_id === item.institutionId && r.kind === item.kind && r.signal_date === item.date)
        result.unchanged.push(item.reference);
      else
        result.conflicts.push({
          reference: item.reference,
          recorded: { reference: r.reference, institutionId: r.institution_id, kind: r.kind, date: r.signal_date, note: r.note },
        });
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
}

export function createRiskSignalLedger(db: Db): RiskSignalLedger {
  return {
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

    importRiskSignals: (items) => importSignals(db, items),
  };
}
