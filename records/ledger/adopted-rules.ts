// Rules adopted (建章立制: seed 002's third phase, seed 004's county table 1 note 2): a rule, measure or mechanism the
// bureau adopted, once per name, with its audit entry in the same transaction. The weekly tables list those of the
// period; a special campaign's summary those it names.
import type { Db } from '../db';
import { LedgerConflictError } from '../errors';
import { insertAudit, type AuditEntry } from './audit';
import { iso, type Timestamp } from './sql';

export interface AdoptedRuleRecord {
  jurisdiction: string;
  /** 制度名称, e.g. 《定点医药机构医保违规行为内部通报制度》. */
  name: string;
  /** The document that issued it (文号), where there is one. */
  documentNo: string | null;
  /** ISO-8601: the start of the local day it was adopted on. */
  adoptedAt: string;
  /** The leader who adopted it. */
  adoptedBy: string;
  /** The campaign it came out of, if any. */
  campaignId: string | null;
}

export interface AdoptedRuleLedger {
  /** Records the rule with `audit` unless one of that name is recorded: the same again returns it, another is refused. */
  recordAdoptedRule(row: AdoptedRuleRecord, audit: AuditEntry): Promise<AdoptedRuleRecord>;
  /** The rules adopted in [from, to] (ISO-8601), or of one campaign; by adoption, name. */
  listAdoptedRules(jurisdiction: string, filter: { from: string; to: string } | { campaignId: string }): Promise<AdoptedRuleRecord[]>;
}

interface RuleRow {
  jurisdiction: string;
  name: string;
  document_no: string | null;
  adopted_at: Timestamp;
  adopted_by: string;
  campaign_id: string | null;
}

const toRecord = (r: RuleRow): AdoptedRuleRecord => ({
  jurisdiction: r.jurisdiction,
  name: r.name,
  documentNo: r.document_no,
  adoptedAt: iso(r.adopted_at),
  adoptedBy: r.adopted_by,
  campaignId: r.campaign_id,
});

const same = (a: AdoptedRuleRecord, b: AdoptedRuleRecord) =>
  a.documentNo === b.documentNo && a.adoptedAt === iso(b.adoptedAt) && a.adoptedBy === b.adoptedBy && a.campaignId === b.campaignId;

/** The rules adopted in [from, to] (ISO-8601 instants), by adoption, name: the weekly tables' 建章立制 names. */
export async function adoptedRuleNames(db: Db, jurisdiction: string, from: string, to: string): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    'SELECT name FROM adopted_rules WHERE jurisdiction = $1 AND adopted_at >= $2 AND adopted_at <= $3 ORDER BY adopted_at, name',
    [jurisdiction, from, to],
  );
  return rows.map((r) => r.name);
}

export function createAdoptedRuleLedger(db: Db): AdoptedRuleLedger {
  return {
    async recordAdoptedRule(row, audit) {
      return db.transaction(async (tx) => {
        const [inserted] = await tx.query<RuleRow>(
          `INSERT INTO adopted_rules (jurisdiction, name, document_no, adopted_at, adopted_by, campaign_id)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (jurisdiction, name) DO NOTHING RETURNING *`,
          [row.jurisdiction, row.name, row.documentNo, row.adoptedAt, row.adoptedBy, row.campaignId],
        );
        if (inserted) {
          await insertAudit(tx, audit);
          return toRecord(inserted);
        }
        const [existing] = await tx.query<RuleRow>('SELECT * FROM adopted_rules WHERE jurisdiction = $1 AND name = $2', [
          row.jurisdiction,
          row.name,
        ]);
        const recorded = toRecord(existing!);
        if (!same(recorded, row))
          throw new LedgerConflictError(
            `a rule named ${row.name} is recorded already, adopted ${recorded.adoptedAt} by ${recorded.adoptedBy}`,
          );
        return recorded;
      });
    },

    async listAdoptedRules(jurisdiction, filter) {
      const rows =
        'campaignId' in filter
          ? await db.query<RuleRow>('SELECT * FROM adopted_rules WHERE jurisdiction = $1 AND campaign_id = $2 ORDER BY adopted_at, name', [
              jurisdiction,
              filter.campaignId,
            ])
          : await db.query<RuleRow>(
              'SELECT * FROM adopted_rules WHERE jurisdiction = $1 AND adopted_at >= $2 AND adopted_at <= $3 ORDER BY adopted_at, name',
              [jurisdiction, filter.from, filter.to],
            );
      return rows.map(toRecord);
    },
  };
}
