// A campaign launched from a file (`jianguan campaign start FILE`): the file recorded in the ledger, its targets
// resolved by its selectors (domain/campaign-file.ts) against the plan's institutions and the ledger's risk figures of
// the campaign's year, and frozen as the campaign's membership; on cancellation, the inspections not yet made withdrawn.
import { isDeepStrictEqual } from 'node:util';
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/common';
import { selectTargets, type TargetCandidate, type TargetSelector } from '../domain/campaign-file';
import { inspectionWorkflowId } from '../domain/business-keys';
import { LedgerDataError } from '../records/errors';
import type {
  AuditEntry,
  AuditLedger,
  CampaignFileLedger,
  CampaignFileRecord,
  CampaignLedger,
  CampaignRecord,
  FlyingLedger,
  InstitutionLedger,
} from '../records/types';

export interface CampaignFileDeps {
  campaigns: CampaignLedger;
  files: CampaignFileLedger;
  institutions: InstitutionLedger;
  /** The year's risk figures per institution (the flying pool's). */
  flying: FlyingLedger;
  audit: AuditLedger;
}

/** Why a file recorded under the same id refuses this one; undefined when it is the same. */
export function otherFileRecorded(recorded: CampaignFileRecord | undefined, definition: Record<string, unknown>): string | undefined {
  if (!recorded || isDeepStrictEqual(recorded.definition, definition)) return undefined;
  const keys = [...new Set([...Object.keys(recorded.definition), ...Object.keys(definition)])];
  const differ = keys.filter((key) => !isDeepStrictEqual(recorded.definition[key], definition[key]));
  return `campaign ${recorded.campaignId} is recorded with another file (${differ.join(', ')} differ): a campaign id is one campaign; give this one its own id`;
}

/** The audit entry of a file recorded by `actor` (the campaign workflow, or the CLI for kinds without one). */
export function fileRecordedAudit(file: Omit<CampaignFileRecord, 'cancelled'>, actor: string): AuditEntry {
  return {
    key: `campaign-file:${file.campaignId}:recorded`,
    actor,
    action: 'campaign-file-recorded',
    subjectType: 'campaign',
    subjectId: file.campaignId,
    reason: file.title,
    detail: { kind: file.kind, year: file.year, phases: file.phases.length, tasks: file.tasks.length },
    at: file.recordedAt,
  };
}

/** Cancels each workflow in turn, heartbeating each; one already ended or gone is passed over (a retry is harmless). */
export async function cancelEach(workflowIds: readonly string[]): Promise<void> {
  const { client } = Context.current();
  for (const workflowId of workflowIds) {
    try {
      await client.workflow.getHandle(workflowId).cancel();
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
    Context.current().heartbeat();
  }
}

/** What the selectors judge: the plan's institutions (in the ledger since loadPlanDigest) with the year's risk figures. */
export async function targetCandidates(
  { institutions, flying }: Pick<CampaignFileDeps, 'institutions' | 'flying'>,
  jurisdiction: string,
  year: number,
): Promise<TargetCandidate[]> {
  const risk = new Map((await flying.flyingPool(jurisdiction, year)).map((row) => [row.id, row.risk]));
  return (await institutions.listInstitutions(jurisdiction)).map((i) => {
    const r = risk.get(i.id);
    return {
      ...i,
      responsibleUnitId: i.responsibleUnitId ?? null,
      riskSignals: (r?.clues ?? 0) + (r?.dataAnomalies ?? 0),
      lastYearFindings: r?.lastYearFindings ?? 0,
      creditGrade: r?.creditGrade ?? null,
    };
  });
}

export function createCampaignFileActivities(deps: CampaignFileDeps) {
  const { campaigns, files, audit } = deps;
  return {
    /** Records the file (the first recorded stays); refused for good when another file holds the id. */
    async recordCampaignFile(file: Omit<CampaignFileRecord, 'cancelled'>): Promise<void> {
      const recorded = await files.recordCampaignFile(file, fileRecordedAudit(file, 'system'));
      const other = otherFileRecorded(recorded, file.definition);
      if (other) throw new LedgerDataError(other);
    },

    /**
     * Registers the campaign and freezes its targets: the institutions any selector picks, judged on the plan's
     * attributes (in the ledger since loadPlanDigest) and the risk figures of the campaign's year. Idempotent: a
     * membership frozen before stays as it is. Returns the draw seed kept and the number of targets.
     */
    async freezeCampaignTargets(campaign: CampaignRecord, selectors: TargetSelector[]): Promise<{ drawSeed: string; members: number }> {
      const kept = await campaigns.ensureCampaign(campaign);
      const candidates = await targetCandidates(deps, campaign.jurisdiction, campaign.year);
      const targets = selectTargets(selectors, candidates);
      const members = await campaigns.addCampaignMembers(
        campaign.id,
        campaign.jurisdiction,
        targets.map((t) => t.id),
      );
      await audit.appendAudit({
        key: `campaign-file:${campaign.id}:targets-frozen`,
        actor: 'system',
        action: 'campaign-targets-frozen',
        subjectType: 'campaign',
        subjectId: campaign.id,
        reason: `${campaign.title}：检查对象 ${members} 家`,
        detail: { targets: members, selectors: selectors.length },
        at: campaign.startsAt,
      });
      return { drawSeed: kept.drawSeed, members };
    },

    /**
     * A cancelled campaign withdraws its inspections not yet made (no findings: nothing to follow up); those with
     * findings go on (their rectification and cases do not depend on the campaign). Heartbeats each; a retry asks
     * again, which changes nothing for an inspection already cancelled or ended.
     */
    async cancelUninspected(campaignId: string): Promise<number> {
      const pending = await campaigns.listUninspected(campaignId);
      await cancelEach(pending.map((member) => inspectionWorkflowId(campaignId, member.institutionId)));
      return pending.length;
    },
  };
}
