// Re-check campaigns (抽查复查, domain/recheck.ts): the pool of the year's finished inspections, the draw recorded once
// (first writer wins: a retried or restarted draw returns the recorded one, so the published sample is the one
// inspected), and the comparison's summary, recorded once. Each write comes with its audit entry in one transaction.
import { outcomeOf, type RecheckDraw, type RecheckPoolRow, type RecheckSummary } from '../../domain/recheck';
import type { Db } from '../db';
import { insertFirst, type AuditEntry } from './audit';
import type { FindingItem } from './inspections';
import { iso, json, type Timestamp } from './sql';

export interface RecheckLedger {
  /**
   * Each institution's first inspection of `year` in the jurisdiction with findings recorded, by any campaign but a
   * re-check: what the districts finished and the city may re-check.
   */
  recheckPool(jurisdiction: string, year: number): Promise<RecheckPoolRow[]>;
  /** Records the draw with `audit` unless one is recorded: the first stays. Returns the one recorded. */
  recordRecheckDraw(draw: RecheckDraw, at: string, audit: AuditEntry): Promise<RecheckDraw>;
  getRecheckDraw(campaignId: string): Promise<RecheckDraw | undefined>;
  /** Records the summary with `audit` unless one is recorded: the first stays. Returns the one recorded. */
  recordRecheckSummary(campaignId: string, summary: RecheckSummary, at: string, audit: AuditEntry): Promise<RecheckSummary>;
  getRecheckSummary(campaignId: string): Promise<{ summary: RecheckSummary; recordedAt: string } | undefined>;
}

interface PoolRow {
  institution_id: string;
  kind: RecheckPoolRow['kind'];
  ownership: RecheckPoolRow['ownership'];
  district: string;
  inspection_id: string;
  violation: boolean;
  items: FindingItem[];
}

export function createRecheckLedger(db: Db): RecheckLedger {
  const readDraw = async (campaignId: string) =>
    (await db.query<{ record: RecheckDraw }>('SELECT record FROM recheck_draws WHERE campaign_id = $1', [campaignId]))[0]?.record;
  const readSummary = async (campaignId: string) => {
    const [row] = await db.query<{ summary: RecheckSummary; recorded_at: Timestamp }>(
      'SELECT summary, recorded_at FROM recheck_summaries WHERE campaign_id = $1',
      [campaignId],
    );
    return row && { summary: row.summary, recordedAt: iso(row.recorded_at) };
  };
  return {
    async recheckPool(jurisdiction, year) {
      const rows = await db.query<PoolRow>(
        `SELECT DISTINCT ON (i.institution_id) i.institution_id, inst.kind, inst.ownership, inst.district,
                i.id AS inspection_id,
                f.violation, f.items
         FROM inspections i
         JOIN campaigns c ON c.id = i.campaign_id
         JOIN findings f ON f.inspection_id = i.id
         JOIN institutions inst ON inst.jurisdiction = c.jurisdiction AND inst.id = i.institution_id
         WHERE c.jurisdiction = $1 AND c.year = $2 AND c.kind <> 'recheck'
         ORDER BY i.institution_id, f.inspected_at, i.id`,
        [jurisdiction, year],
      );
      return rows.map((r) => ({
        institutionId: r.institution_id,
        kind: r.kind,
        ownership: r.ownership,
        district: r.district,
        inspectionId: r.inspection_id,
        ...outcomeOf(r),
      }));
    },

    async recordRecheckDraw(draw, at, audit) {
      await insertFirst(
        db,
        `INSERT INTO recheck_draws (campaign_id, seed, record, recorded_at)
         VALUES ($1, $2, ($3::text)::jsonb, $4) ON CONFLICT DO NOTHING RETURNING campaign_id`,
        [draw.campaignId, draw.seed, json(draw), at],
        audit,
      );
      return (await readDraw(draw.campaignId))!;
    },

    getRecheckDraw: readDraw,

    async recordRecheckSummary(campaignId, summary, at, audit) {
      await insertFirst(
        db,
        `INSERT INTO recheck_summaries (campaign_id, summary, recorded_at)
         VALUES ($1, ($2::text)::jsonb, $3) ON CONFLICT DO NOTHING RETURNING campaign_id`,
        [campaignId, json(summary), at],
        audit,
      );
      return (await readSummary(campaignId))!.summary;
    },

    getRecheckSummary: readSummary,
  };
}
