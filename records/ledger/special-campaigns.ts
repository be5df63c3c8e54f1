// Special campaigns (专项整治): the targets' self-check reports with their refunds in integer fen, the data's refund
// estimates, the recorded selection of the investigation's on-site inspections, and the summary's figures. Every write
// keeps the first (a retried activity finds its own row); each comes with its audit entry in one transaction.
import type { InvestigationSelection, SpecialCampaignFigures } from '../../domain/self-check';
import type { Db } from '../db';
import { insertFirst, type AuditEntry } from './audit';
import { toInstitution, type InstitutionRecord, type InstitutionRow } from './institutions';
import { fenParam, iso, json, toFen, type FenColumn, type Timestamp } from './sql';

export interface SelfCheckRecord {
  campaignId: string;
  institutionId: string;
  submittedAt: string;
  late: boolean;
  refundedFen: number;
  /** The report as validated (domain/self-check.ts SelfCheckReport). */
  report: Record<string, unknown>;
}

export interface SelfCheckEstimate {
  institutionId: string;
  estimateFen: number;
  source: string;
}

/** A target as the self-check notices list it. */
export interface SelfCheckLine {
  institutionId: string;
  name: string;
  responsibleUnitId: string | null;
}

/** What the investigation's selection knows of a target from this area: its report and the data's estimate. */
export interface SelfCheckStanding {
  institutionId: string;
  submitted: boolean;
  refundedFen: number;
  estimateFen: number | null;
}

/** An institution whose inspection in a campaign found violations, with when the findings were recorded. */
export interface InspectedWithFindings {
  inspectionId: string;
  findingsAt: string;
  institution: InstitutionRecord;
}

export interface SpecialCampaignLedger {
  /** Records a target's report with `audit`, unless one is recorded: the first stays. Returns the one recorded. */
  recordSelfCheck(report: SelfCheckRecord, audit: AuditEntry): Promise<SelfCheckRecord>;
  getSelfCheck(campaignId: string, institutionId: string): Promise<SelfCheckRecord | undefined>;
  /** The data's estimates (the first recorded per institution stays). */
  recordSelfCheckEstimates(campaignId: string, estimates: readonly SelfCheckEstimate[]): Promise<void>;
  /** Targets without a report (`missing`), or with one after the due instant (`late`), in seq order. */
  listSelfChecks(campaignId: string, which: 'missing' | 'late'): Promise<SelfCheckLine[]>;
  /** Every target's report standing, in seq order. */
  selfCheckStandings(campaignId: string): Promise<SelfCheckStanding[]>;
  /** Records the selection with `audit` unless one is recorded: the first stays. Returns the one recorded. */
  recordInvestigation(
    campaignId: string,
    selection: InvestigationSelection,
    at: string,
    audit: AuditEntry,
  ): Promise<InvestigationSelection>;
  getInvestigation(campaignId: string): Promise<InvestigationSelection | undefined>;
  /** The figures as they stand now; `inspectionCampaignId` is the investigation's derived campaign. */
  specialFigures(campaignId: string, inspectionCampaignId: string): Promise<SpecialCampaignFigures>;
  /** Records the summary's figures with `audit` unless recorded: the first stays. Returns the ones recorded. */
  recordSpecialSummary(campaignId: string, figures: SpecialCampaignFigures, at: string, audit: AuditEntry): Promise<SpecialCampaignFigures>;
  getSpecialSummary(campaignId: string): Promise<{ figures: SpecialCampaignFigures; recordedAt: string } | undefined>;
  /** The institutions whose inspection in `campaignId` found violations, in id order (the look-back's). */
  listWithFindings(campaignId: string): Promise<InspectedWithFindings[]>;
}

interface ReportRow {
  campaign_id: string;
  institution_id: string;
  submitted_at: Timestamp;
  late: boolean;
  refunded_fen: FenColumn;
  report: Record<string, unknown>;
}

const toReport = (r: ReportRow): SelfCheckRecord => ({
  campaignId: r.campaign_id,
  institutionId: r.institution_id,
  submittedAt: iso(r.submitted_at),
  late: r.late,
  refundedFen: toFen(r.refunded_fen, 'refunded_fen'),
  report: r.report,
});

async function readReport(db: Db, campaignId: string, institutionId: string): Promise<SelfCheckRecord | undefined> {
  const [row] = await db.query<ReportRow>('SELECT * FROM selfcheck_reports WHERE campaign_id = $1 AND institution_id = $2', [
    campaignId,
    institutionId,
  ]);
  return row && toReport(row);
}

async function readInvestigation(db: Db, campaignId: string): Promise<InvestigationSelection | undefined> {
  const [row] = await db.query<{ selection: InvestigationSelection }>(
    'SELECT selection FROM special_investigations WHERE campaign_id = $1',
    [campaignId],
  );
  return row?.selection;
}

async function readSummary(db: Db, campaignId: string): Promise<{ figures: SpecialCampaignFigures; recordedAt: string } | undefined> {
  const [row] = await db.query<{ figures: SpecialCampaignFigures; recorded_at: Timestamp }>(
    'SELECT figures, recorded_at FROM special_summaries WHERE campaign_id = $1',
    [campaignId],
  );
  return row && { figures: row.figures, recordedAt: iso(row.recorded_at) };
}

export function createSpecialCampaignLedger(db: Db): SpecialCampaignLedger {
  return {
    async recordSelfCheck(r, audit) {
      await insertFirst(
        db,
        `INSERT INTO selfcheck_reports (campaign_id, institution_id, submitted_at, late, refunded_fen, report)
         VALUES ($1, $2, $3, $4, $5, ($6::text)::jsonb) ON CONFLICT DO NOTHING RETURNING campaign_id`,
        [r.campaignId, r.institutionId, r.submittedAt, r.late, fenParam(r.refundedFen, 'refundedFen'), json(r.report)],
        audit,
      );
      return (await readReport(db, r.campaignId, r.institutionId))!;
    },

    getSelfCheck: (campaignId, institutionId) => readReport(db, campaignId, institutionId),

    async recordSelfCheckEstimates(campaignId, estimates) {
      if (estimates.length === 0) return;
      await db.query(
        `INSERT INTO selfcheck_estimates (campaign_id, institution_id, estimate_fen, source)
         SELECT $1, e->>'institutionId', (e->>'estimateFen')::bigint, e->>'source'
         FROM jsonb_array_elements(($2::text)::jsonb) AS e
         ON CONFLICT DO NOTHING`,
        [campaignId, json(estimates)],
      );
    },

    async listSelfChecks(campaignId, which) {
      const rows = await db.query<{ institution_id: string; name: string; responsible_unit_id: string | null }>(
        `SELECT m.institution_id, COALESCE(i.name, m.institution_id) AS name, i.responsible_unit_id
         FROM campaign_members m
         JOIN campaigns c ON c.id = m.campaign_id
         LEFT JOIN institutions i ON i.jurisdiction = c.jurisdiction AND i.id = m.institution_id
         LEFT JOIN selfcheck_reports r ON r.campaign_id = m.campaign_id AND r.institution_id = m.institution_id
         WHERE m.campaign_id = $1 AND ${which === 'missing' ? 'r.institution_id IS NULL' : 'r.late'}
         ORDER BY m.seq`,
        [campaignId],
      );
      return rows.map((r) => ({ institutionId: r.institution_id, name: r.name, responsibleUnitId: r.responsible_unit_id }));
    },

    async selfCheckStandings(campaignId) {
      const rows = await db.query<{
        institution_id: string;
        submitted: boolean;
        refunded_fen: FenColumn | null;
        estimate_fen: FenColumn | null;
      }>(
        `SELECT m.institution_id, r.institution_id IS NOT NULL AS submitted, r.refunded_fen, e.estimate_fen
         FROM campaign_members m
         LEFT JOIN selfcheck_reports r ON r.campaign_id = m.campaign_id AND r.institution_id = m.institution_id
         LEFT JOIN selfcheck_estimates e ON e.campaign_id = m.campaign_id AND e.institution_id = m.institution_id
         WHERE m.campaign_id = $1 ORDER BY m.seq`,
        [campaignId],
      );
      return rows.map((r) => ({
        institutionId: r.institution_id,
        submitted: r.submitted,
        refundedFen: r.refunded_fen === null ? 0 : toFen(r.refunded_fen, 'refunded_fen'),
        estimateFen: r.estimate_fen === null ? null : toFen(r.estimate_fen, 'estimate_fen'),
      }));
    },

    async recordInvestigation(campaignId, selection, at, audit) {
      await insertFirst(
        db,
        `INSERT INTO special_investigations (campaign_id, seed, selection, recorded_at)
         VALUES ($1, $2, ($3::text)::jsonb, $4) ON CONFLICT DO NOTHING RETURNING campaign_id`,
        [campaignId, selection.seed, json(selection), at],
        audit,
      );
      return (await readInvestigation(db, campaignId))!;
    },

    getInvestigation: (campaignId) => readInvestigation(db, campaignId),

    async specialFigures(campaignId, inspectionCampaignId) {
      const [row] = await db.query<{
        targets: number;
        on_time: number;
        late: number;
        refunded_fen: FenColumn;
        selected: number;
        inspections: number;
        violations: number;
        cases: number;
        typical_cases: number;
        rules: string[] | null;
      }>(
        `SELECT
           (SELECT count(*)::int FROM campaign_members WHERE campaign_id = $1) AS targets,
           (SELECT count(*)::int FROM selfcheck_reports WHERE campaign_id = $1 AND NOT late) AS on_time,
           (SELECT count(*)::int FROM selfcheck_reports WHERE campaign_id = $1 AND late) AS late,
           (SELECT COALESCE(sum(refunded_fen), 0) FROM selfcheck_reports WHERE campaign_id = $1) AS refunded_fen,
           (SELECT COALESCE(jsonb_array_length(selection->'targets'), 0) FROM special_investigations WHERE campaign_id = $1) AS selected,
           (SELECT count(*)::int FROM inspections WHERE campaign_id = $2) AS inspections,
           (SELECT count(*)::int FROM findings f JOIN inspections i ON i.id = f.inspection_id
             WHERE i.campaign_id = $2 AND f.violation) AS violations,
           (SELECT count(*)::int FROM cases WHERE campaign_id = $2) AS cases,
           (SELECT count(*)::int FROM typical_cases WHERE campaign_id = $2) AS typical_cases,
           (SELECT array_agg(name ORDER BY adopted_at, name) FROM adopted_rules WHERE campaign_id = $1) AS rules`,
        [campaignId, inspectionCampaignId],
      );
      return {
        targets: row.targets,
        submittedOnTime: row.on_time,
        submittedLate: row.late,
        missing: row.targets - row.on_time - row.late,
        refundedFen: toFen(row.refunded_fen, 'refunded_fen'),
        selected: row.selected ?? 0,
        inspections: row.inspections,
        violations: row.violations,
        cases: row.cases,
        typicalCases: row.typical_cases,
        rules: row.rules ?? [],
      };
    },

    async recordSpecialSummary(campaignId, figures, at, audit) {
      await insertFirst(
        db,
        `INSERT INTO special_summaries (campaign_id, figures, recorded_at)
         VALUES ($1, ($2::text)::jsonb, $3) ON CONFLICT DO NOTHING RETURNING campaign_id`,
        [campaignId, json(figures), at],
        audit,
      );
      return (await readSummary(db, campaignId))!.figures;
    },

    getSpecialSummary: (campaignId) => readSummary(db, campaignId),

    async listWithFindings(campaignId) {
      const rows = await db.query<InstitutionRow & { inspection_id: string; findings_at: Timestamp }>(
        `SELECT inst.*, i.id AS inspection_id, f.recorded_at AS findings_at
         FROM inspections i
         JOIN findings f ON f.inspection_id = i.id AND f.violation
         JOIN campaigns c ON c.id = i.campaign_id
         JOIN institutions inst ON inst.jurisdiction = c.jurisdiction AND inst.id = i.institution_id
         WHERE i.campaign_id = $1 ORDER BY i.institution_id COLLATE "C"`,
        [campaignId],
      );
      return rows.map((r) => ({ inspectionId: r.inspection_id, findingsAt: iso(r.findings_at), institution: toInstitution(r) }));
    },
  };
}
