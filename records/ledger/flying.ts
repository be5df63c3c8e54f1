// Flying checks (飞行检查): the year's pool with its risk figures, the recorded draw (双随机) with its targets, and how
// each target's on-site claim and look-back went.
import type { FlyingDrawRecord, FlyingPoolRow } from '../../domain/flying-draw';
import type { InspectionStage } from '../../domain/inspection';
import type { Db } from '../db';
import { insertAudit, type AuditEntry } from './audit';
import type { CreditGrade, InstitutionKind } from './institutions';
import { isoOrNull, json, type Timestamp } from './sql';

export type { FlyingDrawRecord, FlyingPoolRow } from '../../domain/flying-draw';

/** One target of a recorded flying draw, in draw order, with what the campaign needs to start and follow it. */
export interface FlyingTargetRecord {
  campaignId: string;
  seq: number;
  institutionId: string;
  how: 'random' | 'risk';
  score: number;
  /** Why a further on-site inspection this year is allowed (frozen at the draw); null without risk signals. */
  reason: 'clue' | 'data-lead' | null;
  references: string[];
  claim: 'first' | 'extra' | 'refused' | null;
  lookBackId: string | null;
  institution: { name: string; kind: InstitutionKind; contacts: Array<{ name: string; email: string }>; responsibleUnitId: string | null };
  /** The target's inspection in this campaign, as far as the ledger knows. */
  inspection: { stage: InspectionStage | null; violation: boolean | null; findingsAt: string | null };
}

export interface FlyingLedger {
  /**
   * The flying-check candidates of a jurisdiction with their risk factors for `year`: open clues and data anomalies
   * of the year, findings with violations in the year before, and the latest credit grade up to the year before.
   */
  flyingPool(jurisdiction: string, year: number): Promise<FlyingPoolRow[]>;
  /**
   * Records a flying campaign's draw, its targets (result.random then result.risk, numbered from 0) and `audit`, in
   * one transaction, unless the campaign has a draw already: the first draw recorded wins and is returned.
   */
  recordFlyingDraw(draw: FlyingDrawRecord, audit: AuditEntry): Promise<FlyingDrawRecord>;
  getFlyingDraw(campaignId: string): Promise<FlyingDrawRecord | undefined>;
  /** Targets with seq in [fromSeq, fromSeq + limit), in seq order. */
  listFlyingTargets(campaignId: string, fromSeq: number, limit: number): Promise<FlyingTargetRecord[]>;
  /** Records how the target's on-site claim went, and appends `audit` when given, in one transaction. */
  setFlyingTargetClaim(campaignId: string, institutionId: string, claim: 'first' | 'extra' | 'refused', audit?: AuditEntry): Promise<void>;
  /** Records the look-back ordered for the target (the first one recorded stays). */
  setFlyingTargetLookBack(campaignId: string, institutionId: string, lookBackId: string): Promise<void>;
}

interface FlyingPoolDbRow {
  id: string;
  name: string;
  kind: InstitutionKind;
  responsible_unit_id: string | null;
  contacts: Array<{ name: string; email: string }>;
  clues: number;
  data_anomalies: number;
  counted: boolean;
  last_year_findings: number;
  credit_grade: CreditGrade | null;
  refs: string[];
  onsite: string[];
}

interface FlyingTargetRow {
  campaign_id: string;
  seq: number;
  institution_id: string;
  how: FlyingTargetRecord['how'];
  score: number;
  reason: FlyingTargetRecord['reason'];
  refs: string[];
  claim: FlyingTargetRecord['claim'];
  look_back_id: string | null;
  name: string;
  kind: InstitutionKind;
  contacts: Array<{ name: string; email: string }>;
  responsible_unit_id: string | null;
  stage: InspectionStage | null;
  violation: boolean | null;
  findings_at: Timestamp | null;
}
const toFlyingTarget = (r: FlyingTargetRow): FlyingTargetRecord => ({
  campaignId: r.campaign_id,
  seq: r.seq,
  institutionId: r.institution_id,
  how: r.how,
  score: r.score,
  reason: r.reason,
  references: r.refs,
  claim: r.claim,
  lookBackId: r.look_back_id,
  institution: { name: r.name, kind: r.kind, contacts: r.contacts, responsibleUnitId: r.responsible_unit_id },
  inspection: { stage: r.stage, violation: r.violation, findingsAt: isoOrNull(r.findings_at) },
});

/** The draw's targets in draw order (random, then risk), each with why a further inspection is allowed, if it is. */
function drawTargets(draw: FlyingDrawRecord) {
  const pool = new Map(draw.pool.map((c) => [c.id, c]));
  return [...draw.result.random.map((id) => ({ id, how: 'random' })), ...draw.result.risk.map((id) => ({ id, how: 'risk' }))].map(
    ({ id, how }, seq) => {
      const candidate = pool.get(id);
      if (!candidate) throw new Error(`recordFlyingDraw: target ${id} is not in the draw's pool`);
      const reason = candidate.clues > 0 ? 'clue' : candidate.dataAnomalies > 0 ? 'data-lead' : null;
      if (reason && candidate.references.length === 0) throw new Error(`recordFlyingDraw: target ${id} has risk signals but no reference`);
      return { seq, id, how, score: draw.scores[id] ?? 0, reason, refs: reason ? candidate.references : [] };
    },
  );
}

export function createFlyingLedger(db: Db): FlyingLedger {
  return {
    async flyingPool(jurisdiction, year) {
      const rows = await db.query<FlyingPoolDbRow>(
        // Counts set without references (risk_signals) and single imported signals (risk_signal_items) add up.
        `SELECT i.id, i.name, i.kind, i.responsible_unit_id, i.contacts,
                (COALESCE(r.clues, 0) + (SELECT count(*) FROM risk_signal_items s
                   WHERE s.jurisdiction = i.jurisdiction AND s.institution_id = i.id AND s.year = $2 AND s.kind = 'clue'))::integer AS clues,
                (COALESCE(r.data_anomalies, 0) + (SELECT count(*) FROM risk_signal_items s
                   WHERE s.jurisdiction = i.jurisdiction AND s.institution_id = i.id AND s.year = $2 AND s.kind = 'data-anomaly'))::integer AS data_anomalies,
                COALESCE(r.clues > 0 OR r.data_anomalies > 0, false) AS counted,
                (SELECT count(*)::integer FROM findings f
                   JOIN inspections x ON x.id = f.inspection_id
                   JOIN campaigns c ON c.id = x.campaign_id
                  WHERE c.jurisdiction = i.jurisdiction AND c.year = $2 - 1 AND x.institution_id = i.id AND f.violation) AS last_year_findings,
                (SELECT g.grade FROM credit_grades g
                  WHERE g.jurisdiction = i.jurisdiction AND g.institution_id = i.id AND g.year < $2
                  ORDER BY g.year DESC LIMIT 1) AS credit_grade,
                COALESCE((SELECT array_agg(s.reference ORDER BY s.signal_date, s.reference COLLATE "C") FROM risk_signal_items s
                  WHERE s.jurisdiction = i.jurisdiction AND s.institution_id = i.id AND s.year = $2), '{}'::text[]) AS refs,
                COALESCE((SELECT array_agg(o.inspection_id ORDER BY o.recorded_at, o.inspection_id COLLATE "C") FROM onsite_inspections o
                  WHERE o.jurisdiction = i.jurisdiction AND o.institution_id = i.id AND o.year = $2), '{}'::text[]) AS onsite
         FROM institutions i
         LEFT JOIN risk_signals r ON r.jurisdiction = i.jurisdiction AND r.institution_id = i.id AND r.year = $2
         WHERE i.jurisdiction = $1
         ORDER BY i.id COLLATE "C"`,
        [jurisdiction, year],
      );
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        kind: r.kind,
        responsibleUnitId: r.responsible_unit_id,
        contacts: r.contacts,
        risk: { clues: r.clues, dataAnomalies: r.data_anomalies, lastYearFindings: r.last_year_findings, creditGrade: r.credit_grade },
        onsite: r.onsite,
        references: [...r.refs, ...(r.counted ? [`risk_signals:${r.id}:${year}`] : [])],
      }));
    },

    async recordFlyingDraw(draw, audit) {
      return db.transaction(async (tx) => {
        const inserted = await tx.query(
          `INSERT INTO flying_draws (campaign_id, jurisdiction, year, seed, record, recorded_at)
           VALUES ($1, $2, $3, $4, ($5::text)::jsonb, $6)
           ON CONFLICT (campaign_id) DO NOTHING RETURNING campaign_id`,
          [draw.campaignId, draw.jurisdiction, draw.year, draw.seed, json(draw), draw.recordedAt],
        );
        if (inserted.length > 0) {
          await tx.query(
            `INSERT INTO flying_targets (campaign_id, seq, institution_id, how, score, reason, refs)
             SELECT $1, (e->>'seq')::integer, e->>'id', e->>'how', (e->>'score')::integer, e->>'reason',
                    ARRAY(SELECT jsonb_array_elements_text(e->'refs'))
             FROM jsonb_array_elements(($2::text)::jsonb) AS e`,
            [draw.campaignId, json(drawTargets(draw))],
          );
          await insertAudit(tx, audit);
        }
        const [row] = await tx.query<{ record: FlyingDrawRecord }>('SELECT record FROM flying_draws WHERE campaign_id = $1', [
          draw.campaignId,
        ]);
        return row.record;
      });
    },

    async getFlyingDraw(campaignId) {
      const [row] = await db.query<{ record: FlyingDrawRecord }>('SELECT record FROM flying_draws WHERE campaign_id = $1', [campaignId]);
      return row?.record;
    },

    async listFlyingTargets(campaignId, fromSeq, limit) {
      const rows = await db.query<FlyingTargetRow>(
        `SELECT t.campaign_id, t.seq, t.institution_id, t.how, t.score, t.reason, t.refs, t.claim, t.look_back_id,
                COALESCE(i.name, t.institution_id) AS name, COALESCE(i.kind, 'hospital') AS kind,
                COALESCE(i.contacts, '[]'::jsonb) AS contacts, i.responsible_unit_id,
                x.stage, f.violation, f.recorded_at AS findings_at
         FROM flying_targets t
         JOIN flying_draws d ON d.campaign_id = t.campaign_id
         LEFT JOIN institutions i ON i.jurisdiction = d.jurisdiction AND i.id = t.institution_id
         LEFT JOIN LATERAL (SELECT id, stage FROM inspections
                            WHERE campaign_id = t.campaign_id AND institution_id = t.institution_id
                            ORDER BY updated_at DESC, id DESC LIMIT 1) x ON true
         LEFT JOIN findings f ON f.inspection_id = x.id
         WHERE t.campaign_id = $1 AND t.seq >= $2::int AND t.seq < $2::int + $3::int
         ORDER BY t.seq`,
        [campaignId, fromSeq, Math.max(0, limit)],
      );
      return rows.map(toFlyingTarget);
    },

    async setFlyingTargetClaim(campaignId, institutionId, claim, audit) {
      await db.transaction(async (tx) => {
        const updated = await tx.query(
          'UPDATE flying_targets SET claim = $3 WHERE campaign_id = $1 AND institution_id = $2 RETURNING seq',
          [campaignId, institutionId, claim],
        );
        if (updated.length === 0) throw new Error(`${institutionId} is not a target of ${campaignId}`);
        if (audit) await insertAudit(tx, audit);
      });
    },

    async setFlyingTargetLookBack(campaignId, institutionId, lookBackId) {
      const updated = await db.query(
        'UPDATE flying_targets SET look_back_id = COALESCE(look_back_id, $3) WHERE campaign_id = $1 AND institution_id = $2 RETURNING seq',
        [campaignId, institutionId, lookBackId],
      );
      if (updated.length === 0) throw new Error(`${institutionId} is not a target of ${campaignId}`);
    },
  };
}
