// `jianguan campaign start FILE`: a campaign file checked against the plan (every problem by its path; nothing started
// on a bad file), compared with what the ledger holds under its id (the same file again is "already started"; another
// file under the same id is refused), then started under its business key `campaign:{jurisdiction}:{id}`. A `targeted`
// campaign runs its on-site inspections (workflows/campaign/from-file.ts), a `recheck` one the same after drawing its
// sample from the year's finished inspections (workflows/campaign/recheck.ts), a `special` one its three phases
// (workflows/special-campaign/).
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { otherFileRecorded } from '../../activities/campaign-files';
import type { Plan, RuntimeConfig } from '../../config';
import { loadCampaignFile, type CampaignFile } from '../../config/campaign';
import { campaignWorkflowId } from '../../domain/business-keys';
import { dayInstant, phasesOutsideYear } from '../../domain/campaign-file';
import { formatLocal } from '../../domain/calendar';
import { recheckStartProblem } from '../../domain/recheck';
import { ONE_RUN_PER_KEY } from '../../workflows/business-key';
import { CAMPAIGN_WORKFLOW_TYPE, campaignFileRecord, type CampaignWorkflow } from '../../workflows/campaign/api';
import { searchAttributes } from '../../workflows/search-attributes';
import { SPECIAL_CAMPAIGN_WORKFLOW_TYPE, type SpecialCampaignWorkflow } from '../../workflows/special-campaign/api';
import { plan as loadPlanFile, settings, UsageError, withClient } from '../context';
import { noLedgerNote, withLedger } from '../ledger';

/** Each kind's workflow type. */
export const WORKFLOW_TYPES: Record<CampaignFile['kind'], string> = {
  targeted: CAMPAIGN_WORKFLOW_TYPE,
  recheck: CAMPAIGN_WORKFLOW_TYPE,
  special: SPECIAL_CAMPAIGN_WORKFLOW_TYPE,
};

export interface Started {
  id: string;
  workflowId: string;
  /** The workflow was running (or had run) already: nothing was started. */
  resumed: boolean;
}

/** Starts the workflow of a file; `resumed` when its id was started before. */
export async function startFromFile(
  client: Client,
  config: RuntimeConfig,
  plan: Plan,
  file: CampaignFile,
  now = new Date(),
): Promise<Started> {
  const tz = plan.jurisdiction.timeZone;
  const record = campaignFileRecord(plan.jurisdiction.code, tz, file, now);
  const dueAt = dayInstant(record.phases[record.phases.length - 1].endsOn, plan.calendar.endOfDay, tz);
  const workflowId = campaignWorkflowId(plan.jurisdiction.code, file.id);
  try {
    await client.workflow.start<CampaignWorkflow | SpecialCampaignWorkflow>(WORKFLOW_TYPES[file.kind], {
      workflowId,
      ...ONE_RUN_PER_KEY,
      taskQueue: config.temporal.taskQueue,
      args: [{ jurisdiction: plan.jurisdiction.code, file }],
      staticSummary: `${record.year}年 ${plan.jurisdiction.name} ${file.title}`,
      staticDetails: `检查期限 ${formatLocal(dueAt, tz)}`,
      typedSearchAttributes: searchAttributes({
        jurisdiction: plan.jurisdiction.code,
        campaignId: file.id,
        campaignKind: file.kind,
        year: record.year,
        stage: 'starting',
        dueAt,
      }),
    });
    return { id: file.id, workflowId, resumed: false };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { id: file.id, workflowId, resumed: true };
    throw error;
  }
}

/**
 * What the file's dates are only judged by once `now` fixes its relative ones: its phases outside the year it names,
 * and a re-check started before the full coverage of the year it re-checks is due. Throws, nothing started.
 */
export function refuseStartingNow(path: string, plan: Plan, file: CampaignFile, now: Date): void {
  const record = campaignFileRecord(plan.jurisdiction.code, plan.jurisdiction.timeZone, file, now);
  const early =
    file.kind === 'recheck'
      ? recheckStartProblem(record.phases[0].startsOn, file.recheck?.year ?? record.year, plan.calendar.coverage.deadline)
      : undefined;
  const problems = [
    ...(file.year === undefined ? [] : phasesOutsideYear(record.phases, file.year)),
    ...(early ? [`phases[0].start: ${early}`] : []),
  ];
  if (problems.length > 0) throw new UsageError(`${path}: started today, ${problems.join('; ')} (nothing started)`);
}

/** Starts the campaign of `path`; returns the lines to print. */
export async function startCampaign(path: string, options: { plan?: string }, now = new Date()): Promise<string[]> {
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const file = loadCampaignFile(path, plan);
  refuseStartingNow(path, plan, file, now);
  const record = campaignFileRecord(plan.jurisdiction.code, plan.jurisdiction.timeZone, file, now);
  const phases = record.phases.map((p) => `  ${p.name}: ${p.startsOn} – ${p.endsOn}`);
  return withClient(config, async (client) => {
    const checked = await withLedger(config, async (store) => {
      const other = otherFileRecorded(await store.getCampaignFile(file.id), file);
      if (other) throw new UsageError(`${other} (nothing started)`);
      return true;
    });
    const started = await startFromFile(client, config, plan, file, now);
    return [
      `campaign ${file.id} (${file.kind}): ${started.resumed ? 'already started, nothing started again' : 'started'} — ${started.workflowId}`,
      ...phases,
      file.kind === 'recheck'
        ? `its sample (三个三分之一) is drawn from ${file.recheck?.year ?? record.year}'s finished inspections when the first phase starts; then \`jianguan draw verify --campaign ${file.id}\` and \`jianguan campaign status ${file.id}\``
        : `its targets are frozen in the ledger when the first phase starts; then \`jianguan campaign status ${file.id}\``,
      ...(checked
        ? []
        : [`(the ledger could not be read to compare this file with one recorded under the same id: ${noLedgerNote(config)})`]),
    ];
  });
}
