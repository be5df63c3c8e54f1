// Campaigns launched from a file: the file as validated, its phases and responsible tasks, and its cancellation. A
// campaign id holds one file: recording the same id again keeps the first (the caller compares the definitions).
import type { CampaignFileKind, CampaignPhaseDates } from '../../domain/campaign-file';
import type { Db } from '../db';
import { insertAudit, type AuditEntry } from './audit';
import { iso, isoOrNull, json, type Timestamp } from './sql';

export interface CampaignTaskRecord {
  content: string;
  measures: string[];
  leaderId: string;
  unitIds: string[];
  /** Local date YYYY-MM-DD. */
  deadline: string;
  ongoing: boolean;
}

export interface CampaignFileRecord {
  campaignId: string;
  jurisdiction: string;
  kind: CampaignFileKind;
  title: string;
  year: number;
  /** The file as validated (defaults applied), to compare a later start of the same id with. */
  definition: Record<string, unknown>;
  phases: CampaignPhaseDates[];
  tasks: CampaignTaskRecord[];
  recordedAt: string;
  cancelled?: { at: string; by: string; reason: string };
}

export interface CampaignFileSummary {
  campaignId: string;
  kind: CampaignFileKind;
  title: string;
  year: number;
  recordedAt: string;
  /** Frozen targets (0 until the campaign's workflow has frozen them). */
  targets: number;
  cancelledAt: string | null;
}

export interface CampaignFileLedger {
  /** Records the file with its phases, tasks and `audit` in one transaction, unless the id has one: the first stays. */
  recordCampaignFile(file: Omit<CampaignFileRecord, 'cancelled'>, audit: AuditEntry): Promise<CampaignFileRecord>;
  getCampaignFile(campaignId: string): Promise<CampaignFileRecord | undefined>;
  listCampaignFiles(jurisdiction: string): Promise<CampaignFileSummary[]>;
  /** Records the cancellation with `audit`, once: a second one changes nothing. Returns the record as it now is. */
  cancelCampaignFile(
    campaignId: string,
    cancellation: { at: string; by: string; reason: string },
    audit: AuditEntry,
  ): Promise<CampaignFileRecord | undefined>;
}

interface FileRow {
  campaign_id: string;
  jurisdiction: string;
  kind: CampaignFileKind;
  title: string;
  year: number;
  definition: Record<string, unknown>;
  recorded_at: Timestamp;
  cancelled_at: Timestamp | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
}

async function readFile(db: Db, campaignId: string): Promise<CampaignFileRecord | undefined> {
  const [row] = await db.query<FileRow>('SELECT * FROM campaign_files WHERE campaign_id = $1', [campaignId]);
  if (!row) return undefined;
  const phases = await db.query<{ name: string; starts_on: string; ends_on: string }>(
    `SELECT name, to_char(starts_on, 'YYYY-MM-DD') AS starts_on, to_char(ends_on, 'YYYY-MM-DD') AS ends_on
     FROM campaign_phases WHERE campaign_id = $1 ORDER BY seq`,
    [campaignId],
  );
  const tasks = await db.query<{
    content: string;
    measures: string[];
    leader_id: string;
    unit_ids: string[];
    deadline: string;
    ongoing: boolean;
  }>(
    `SELECT content, measures, leader_id, unit_ids, to_char(deadline, 'YYYY-MM-DD') AS deadline, ongoing
     FROM campaign_tasks WHERE campaign_id = $1 ORDER BY seq`,
    [campaignId],
  );
  return {
    campaignId: row.campaign_id,
    jurisdiction: row.jurisdiction,
    kind: row.kind,
    title: row.title,
    year: row.year,
    definition: row.definition,
    phases: phases.map((p) => ({ name: p.name, startsOn: p.starts_on, endsOn: p.ends_on })),
    tasks: tasks.map((t) => ({
      content: t.content,
      measures: t.measures,
      leaderId: t.leader_id,
      unitIds: t.unit_ids,
      deadline: t.deadline,
      ongoing: t.ongoing,
    })),
    recordedAt: iso(row.recorded_at),
    ...(row.cancelled_at !== null && { cancelled: { at: iso(row.cancelled_at), by: row.cancelled_by!, reason: row.cancel_reason! } }),
  };
}

export function createCampaignFileLedger(db: Db): CampaignFileLedger {
  return {
    async recordCampaignFile(file, audit) {
      return db.transaction(async (tx) => {
        const inserted = await tx.query(
          `INSERT INTO campaign_files (campaign_id, jurisdiction, kind, title, year, definition, recorded_at)
           VALUES ($1, $2, $3, $4, $5, ($6::text)::jsonb, $7)
           ON CONFLICT (campaign_id) DO NOTHING RETURNING campaign_id`,
          [file.campaignId, file.jurisdiction, file.kind, file.title, file.year, json(file.definition), file.recordedAt],
        );
        if (inserted.length > 0) {
          await tx.query(
            `INSERT INTO campaign_phases (campaign_id, seq, name, starts_on, ends_on)
             SELECT $1, (ord - 1)::integer, e->>'name', (e->>'startsOn')::date, (e->>'endsOn')::date
             FROM jsonb_array_elements(($2::text)::jsonb) WITH ORDINALITY AS t(e, ord)`,
            [file.campaignId, json(file.phases)],
          );
          await tx.query(
            `INSERT INTO campaign_tasks (campaign_id, seq, content, measures, leader_id, unit_ids, deadline, ongoing)
             SELECT $1, (ord - 1)::integer, e->>'content', e->'measures', e->>'leaderId',
                    ARRAY(SELECT jsonb_array_elements_text(e->'unitIds')), (e->>'deadline')::date, (e->>'ongoing')::boolean
             FROM jsonb_array_elements(($2::text)::jsonb) WITH ORDINALITY AS t(e, ord)`,
            [file.campaignId, json(file.tasks)],
          );
          await insertAudit(tx, audit);
        }
        return (await readFile(tx, file.campaignId))!;
      });
    },

    getCampaignFile: (campaignId) => readFile(db, campaignId),

    async listCampaignFiles(jurisdiction) {
      const rows = await db.query<FileRow & { targets: number }>(
        `SELECT f.*, (SELECT count(*)::integer FROM campaign_members m WHERE m.campaign_id = f.campaign_id) AS targets
         FROM campaign_files f WHERE f.jurisdiction = $1
         ORDER BY f.year DESC, f.recorded_at DESC, f.campaign_id`,
        [jurisdiction],
      );
      return rows.map((r) => ({
        campaignId: r.campaign_id,
        kind: r.kind,
        title: r.title,
        year: r.year,
        recordedAt: iso(r.recorded_at),
        targets: r.targets,
        cancelledAt: isoOrNull(r.cancelled_at),
      }));
    },

    async cancelCampaignFile(campaignId, cancellation, audit) {
      return db.transaction(async (tx) => {
        const updated = await tx.query(
          `UPDATE campaign_files SET cancelled_at = $2, cancelled_by = $3, cancel_reason = $4
           WHERE campaign_id = $1 AND cancelled_at IS NULL RETURNING campaign_id`,
          [campaignId, cancellation.at, cancellation.by, cancellation.reason],
        );
        if (updated.length > 0) await insertAudit(tx, audit);
        return readFile(tx, campaignId);
      });
    },
  };
}
