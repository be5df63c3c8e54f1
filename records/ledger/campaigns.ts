// Campaigns (专项行动, full coverage, flying checks) and their frozen membership: the institutions a campaign works
// through, numbered so the start pages can page through it, and how far their inspections have got.
import type { InspectionStage } from '../../domain/inspection';
import type { Db } from '../db';
import { toInstitution, type InstitutionRecord, type InstitutionRow } from './institutions';
import { iso, type Timestamp } from './sql';

export interface CampaignRecord {
  id: string;
  jurisdiction: string;
  kind: string;
  title: string;
  year: number;
  /** ISO-8601 instants. */
  startsAt: string;
  dueAt: string;
  /** Seed of the campaign's random draws, recorded so a draw can be re-run and checked. */
  drawSeed: string;
}

/** An institution as a member of a campaign, numbered so start pages can page through a frozen membership. */
export interface CampaignMember extends InstitutionRecord {
  seq: number;
}

export interface UninspectedMember {
  institutionId: string;
  name: string;
  responsibleUnitId: string | null;
  /** The inspection's stage, or null when its workflow has not recorded anything yet. */
  stage: InspectionStage | null;
}

export interface CampaignProgress {
  members: number;
  byStage: Partial<Record<InspectionStage, number>>;
  /** Members whose inspection has not recorded anything yet. */
  notStarted: number;
}

export interface CampaignLedger {
  /** Inserts the campaign once; a second call with the same id keeps the first row. */
  ensureCampaign(row: CampaignRecord): Promise<CampaignRecord>;
  getCampaign(id: string): Promise<CampaignRecord | undefined>;

  /**
   * Freezes a campaign's membership: every institution of `jurisdiction` in the ledger now (or those of
   * `institutionIds` among them: a campaign's selected targets), numbered by id order. Idempotent: if the campaign
   * already has members, nothing changes. Returns the member count.
   */
  addCampaignMembers(campaignId: string, jurisdiction: string, institutionIds?: readonly string[]): Promise<number>;
  /** Members with seq in [fromSeq, fromSeq + limit), in seq order. */
  listCampaignMembers(campaignId: string, fromSeq: number, limit: number): Promise<CampaignMember[]>;
  campaignProgress(campaignId: string): Promise<CampaignProgress>;
  /**
   * Members not yet inspected: no inspection row yet, or at stage assigned/overdue; with `givenUp`, also those whose
   * inspection gave up waiting (unreported). Ordered by seq.
   */
  listUninspected(campaignId: string, options?: { givenUp?: boolean }): Promise<UninspectedMember[]>;
}

interface CampaignRow {
  id: string;
  jurisdiction: string;
  kind: string;
  title: string;
  year: number;
  starts_at: Timestamp;
  due_at: Timestamp;
  draw_seed: string;
}
const toCampaign = (r: CampaignRow): CampaignRecord => ({
  id: r.id,
  jurisdiction: r.jurisdiction,
  kind: r.kind,
  title: r.title,
  year: r.year,
  startsAt: iso(r.starts_at),
  dueAt: iso(r.due_at),
  drawSeed: r.draw_seed,
});

const toMember = (r: InstitutionRow & { seq: number }): CampaignMember => ({ ...toInstitution(r), seq: r.seq });

/** Stages at which an inspection still has to happen (listUninspected). */
const UNINSPECTED_STAGES: InspectionStage[] = ['assigned', 'overdue'];

/**
 * The latest inspection row of each institution in campaign $1. Inspection ids are per campaign and institution by
 * convention only, so should two rows exist for one member, the one updated last counts (never both).
 */
const LATEST_INSPECTIONS = `
  SELECT DISTINCT ON (institution_id) institution_id, stage
  FROM inspections WHERE campaign_id = $1
  ORDER BY institution_id, updated_at DESC, id DESC`;

export function createCampaignLedger(db: Db): CampaignLedger {
  return {
    async ensureCampaign(c) {
      return db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO campaigns (id, jurisdiction, kind, title, year, starts_at, due_at, draw_seed)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (id) DO NOTHING`,
          [c.id, c.jurisdiction, c.kind, c.title, c.year, c.startsAt, c.dueAt, c.drawSeed],
        );
        const [row] = await tx.query<CampaignRow>('SELECT * FROM campaigns WHERE id = $1', [c.id]);
        return toCampaign(row);
      });
    },

    async getCampaign(id) {
      const [row] = await db.query<CampaignRow>('SELECT * FROM campaigns WHERE id = $1', [id]);
      return row && toCampaign(row);
    },

    async addCampaignMembers(campaignId, jurisdiction, institutionIds) {
      return db.transaction(async (tx) => {
        // Locking the campaign row serialises concurrent freezes of the same campaign (PostgreSQL; PGlite has one
        // connection anyway), so the second one finds the members of the first instead of colliding with them.
        const [campaign] = await tx.query<{ jurisdiction: string }>('SELECT jurisdiction FROM campaigns WHERE id = $1 FOR UPDATE', [
          campaignId,
        ]);
        if (!campaign) throw new Error(`campaign ${campaignId} is not in the ledger: ensureCampaign first`);
        if (campaign.jurisdiction !== jurisdiction) {
          throw new Error(`campaign ${campaignId} belongs to jurisdiction ${campaign.jurisdiction}, not ${jurisdiction}`);
        }
        const [existing] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM campaign_members WHERE campaign_id = $1', [
          campaignId,
        ]);
        if (existing.n > 0) return existing.n;
        // One statement for the whole membership; ids numbered in byte order (COLLATE "C"), the same on every server.
        const [inserted] = await tx.query<{ n: number }>(
          `WITH added AS (
             INSERT INTO campaign_members (campaign_id, seq, institution_id)
             SELECT $1, (row_number() OVER (ORDER BY id COLLATE "C"))::int - 1, id
             FROM institutions WHERE jurisdiction = $2 AND ($3::text[] IS NULL OR id = ANY ($3::text[]))
             RETURNING 1
           )
           SELECT count(*)::int AS n FROM added`,
          [campaignId, jurisdiction, institutionIds ? [...institutionIds] : null],
        );
        return inserted.n;
      });
    },

    async listCampaignMembers(campaignId, fromSeq, limit) {
      const rows = await db.query<InstitutionRow & { seq: number }>(
        `SELECT i.*, m.seq
         FROM campaign_members m
         JOIN campaigns c ON c.id = m.campaign_id
         JOIN institutions i ON i.jurisdiction = c.jurisdiction AND i.id = m.institution_id
         WHERE m.campaign_id = $1 AND m.seq >= $2::int AND m.seq < $2::int + $3::int
         ORDER BY m.seq`,
        [campaignId, fromSeq, Math.max(0, limit)],
      );
      return rows.map(toMember);
    },

    async campaignProgress(campaignId) {
      // One statement, so members, stages and notStarted come from the same snapshot and always add up.
      const rows = await db.query<{ stage: InspectionStage | null; n: number }>(
        `WITH latest AS (${LATEST_INSPECTIONS})
         SELECT l.stage, count(*)::int AS n
         FROM campaign_members m LEFT JOIN latest l ON l.institution_id = m.institution_id
         WHERE m.campaign_id = $1
         GROUP BY l.stage`,
        [campaignId],
      );
      const progress: CampaignProgress = { members: 0, byStage: {}, notStarted: 0 };
      for (const { stage, n } of rows) {
        progress.members += n;
        if (stage === null) progress.notStarted = n;
        else progress.byStage[stage] = n;
      }
      return progress;
    },

    async listUninspected(campaignId, options = {}) {
      const rows = await db.query<{
        institution_id: string;
        name: string;
        responsible_unit_id: string | null;
        stage: InspectionStage | null;
      }>(
        `WITH latest AS (${LATEST_INSPECTIONS})
         SELECT m.institution_id, COALESCE(i.name, m.institution_id) AS name, i.responsible_unit_id, l.stage
         FROM campaign_members m
         JOIN campaigns c ON c.id = m.campaign_id
         LEFT JOIN institutions i ON i.jurisdiction = c.jurisdiction AND i.id = m.institution_id
         LEFT JOIN latest l ON l.institution_id = m.institution_id
         WHERE m.campaign_id = $1 AND (l.stage IS NULL OR l.stage = ANY ($2::text[]))
         ORDER BY m.seq`,
        [campaignId, options.givenUp ? [...UNINSPECTED_STAGES, 'unreported'] : UNINSPECTED_STAGES],
      );
      return rows.map((r): UninspectedMember => ({
        institutionId: r.institution_id,
        name: r.name,
        responsibleUnitId: r.responsible_unit_id,
        stage: r.stage,
      }));
    },
  };
}
