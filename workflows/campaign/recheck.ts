// A re-check campaign's own steps (抽查复查 in the 三个三分之一 way, seed 003; domain/recheck.ts), around the file
// campaign's fan-out (./from-file.ts): before it, the sample drawn from the year's finished inspections and recorded
// in the ledger, whose picks become the targets; after it, the re-check's findings compared with the district's, the
// summary recorded and mailed. Its inspections are further on-site inspections of the year, claimed with reason
// 'recheck'. Re-check files started no workflow before this one, so no history of campaignFromFile takes these
// branches: they need no patch.
import { uuid4, workflowInfo } from '@temporalio/workflow';
import type { PlanDigest } from '../../activities/plan';
import type { TargetSelector } from '../../domain/campaign-file';
import { DEFAULT_RECHECK_THIRDS, SEED_003_MINIMUM } from '../../domain/recheck';
import { runActivity } from '../activities';
import type { FileCampaignInput, FileCampaignStatus } from './api';

/** The file's recheck section with its defaults (a file without one is read as seed 003 says). */
function rules({ file }: FileCampaignInput, year: number) {
  return {
    year: file.recheck?.year ?? year,
    minimum: file.recheck?.minimum ?? { ...SEED_003_MINIMUM },
    thirds: file.recheck?.thirds ?? [...DEFAULT_RECHECK_THIRDS],
  };
}

/** Draws (or finds drawn) the sample; its picks are the campaign's targets. */
export async function drawSample(input: FileCampaignInput, status: FileCampaignStatus): Promise<TargetSelector[]> {
  const { file } = input;
  const drawn = await runActivity('drawRecheckSample', '抽取复查样本（三个三分之一）', {
    campaignId: file.id,
    jurisdiction: input.jurisdiction,
    seed: file.recheck?.seed ?? uuid4(),
    rules: rules(input, status.year),
    selectors: file.targets,
    at: new Date().toISOString(),
  });
  status.recheck = { seed: drawn.seed, picked: drawn.picked.length, pool: drawn.pool, short: drawn.short };
  return drawn.picked.length > 0 ? [{ institutions: drawn.picked }] : [];
}

/** The further inspections' claim: the city's check of the district's work. */
export const recheckClaim = (campaignId: string) =>
  ({ reason: 'recheck', reference: campaignId, why: `市级抽查复查（${campaignId}）` }) as const;

/** Who is told the outcome: the leaders and units of the file's tasks; without tasks, the plan's leadership. */
function recipients(file: FileCampaignInput['file'], plan: PlanDigest) {
  const leaders = new Set(file.tasks.map((t) => t.leader));
  const units = new Set(file.tasks.flatMap((t) => t.units));
  const people = [...plan.leaders.filter((l) => leaders.has(l.id)), ...plan.responsibleUnits.filter((u) => units.has(u.id))];
  return (people.length > 0 ? people : plan.leaders).map(({ id, name, email }) => ({ id, name, email }));
}

/** Compares the re-check's findings with the district's; the summary is recorded, mailed and kept in the status. */
export async function compareFindings(input: FileCampaignInput, plan: PlanDigest, status: FileCampaignStatus): Promise<void> {
  status.recheck!.summary = await runActivity('compareRecheck', '比对复查与区县检查结果', {
    campaignId: input.file.id,
    jurisdictionName: plan.jurisdiction.name,
    campaignTitle: input.file.title,
    recipients: recipients(input.file, plan),
    keyPrefix: `${workflowInfo().workflowId}:recheck-summary`,
    at: new Date().toISOString(),
  });
}
