// `jianguan campaign start FILE`: a campaign file checked against the plan (every problem by its path; nothing started
// on a bad file), compared with what the ledger holds under its id (the same file again is "already started"; another
// file under the same id is refused), then started under its business key `campaign:{jurisdiction}:{id}`. A `targeted`
// campaign runs its on-site inspections (workflows/campaign/from-file.ts), a `special` one its three phases
// (workflows/special-campaign/); `recheck` files are recorded in the ledger only: their workflow is not part of this
// release, and the command says so.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { fileRecordedAudit, otherFileRecorded } from '../../activities/campaign-files';
import type { Plan, RuntimeConfig } from '../../config';
import { loadCampaignFile, type CampaignFile } from '../../config/campaign';
import { campaignWorkflowId } from '../../domain/business-keys';
import { dayInstant, phasesOutsideYear } from '../../domain/campaign-file';
import { formatLocal } from '../../domain/calendar';
import { ONE_RUN_PER_KEY } from '../../workflows/business-key';
import { CAMPAIGN_WORKFLOW_TYPE, campaignFileRecord, type CampaignWorkflow } from '../../workflows/campaign/api';
import { searchAttributes } from '../../workflows/search-attributes';
import { SPECIAL_CAMPAIGN_WORKFLOW_TYPE, type SpecialCampaignWorkflow } from '../../workflows/special-campaign/api';
import { plan as loadPlanFile, settings, UsageError, withClient } from '../context';
import { noLedgerNote, withLedger } from '../ledger';

/** The kinds with a workflow, and its type. */
export const WORKFLOW_TYPES = { targeted: CAMPAIGN_WORKFLOW_TYPE, special: SPECIAL_CAMPAIGN_WORKFLOW_TYPE } as const;
export type StartedKind = keyof typeof WORKFLOW_TYPES;
export const hasWorkflow = (kind: CampaignFile['kind']): kind is StartedKind => kind in WORKFLOW_TYPES;

/** What is not available yet for the kinds without a workflow, said instead of pretending. */
export const NOT_AVAILABLE: Record<Exclude<CampaignFile['kind'], StartedKind>, string> = {
  recheck: 'the re-check sampling (三个三分之一) and its workflow are not available yet',
};

export interface Started {
  id: string;
  workflowId: string;
  /** The workflow was running (or had run) already: nothing was started. */
  resumed: boolean;
}

/** Starts the workflow of a file whose kind has one; `resumed` when its id was started before. */
export async function startFromFile(
  client: Client,
  config: RuntimeConfig,
  plan: Plan,
  file: CampaignFile & { kind: StartedKind },
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

/** Starts (or records) the campaign of `path`; returns the lines to print. */
export async function startCampaign(path: string, options: { plan?: string }, now = new Date()): Promise<string[]> {
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const file = loadCampaignFile(path, plan);
  const tz = plan.jurisdiction.timeZone;
  const record = campaignFileRecord(plan.jurisdiction.code, tz, file, now);
  const outside = file.year === undefined ? [] : phasesOutsideYear(record.phases, file.year);
  if (outside.length > 0) throw new UsageError(`${path}: started today, ${outside.join('; ')} (nothing started)`);
  const phases = record.phases.map((p) => `  ${p.name}: ${p.startsOn} – ${p.endsOn}`);
  return withClient(config, async (client) => {
    const checked = await withLedger(config, async (store) => {
      const other = otherFileRecorded(await store.getCampaignFile(file.id), file);
      if (other) throw new UsageError(`${other} (nothing started)`);
      if (hasWorkflow(file.kind)) return 'checked' as const;
      const kept = await store.recordCampaignFile(record, fileRecordedAudit(record, 'cli'));
      return kept.recordedAt === record.recordedAt ? ('recorded' as const) : ('already recorded' as const);
    });
    if (!hasWorkflow(file.kind)) {
      if (!checked) throw new UsageError(`nothing recorded: ${noLedgerNote(config)}`);
      return [
        `campaign ${file.id} (${file.kind}): ${checked} in the ledger — ${file.title}, ${record.year}, ${file.targets.length} target selector(s), ${file.tasks.length} responsible task(s)`,
        ...phases,
        `NOT STARTED: ${NOT_AVAILABLE[file.kind]}; its targets are frozen when it starts. \`jianguan campaign show ${file.id}\` shows what was recorded.`,
      ];
    }
    const started = await startFromFile(client, config, plan, { ...file, kind: file.kind }, now);
    return [
      `campaign ${file.id} (${file.kind}): ${started.resumed ? 'already started, nothing started again' : 'started'} — ${started.workflowId}`,
      ...phases,
      `its targets are frozen in the ledger when the first phase starts; then \`jianguan campaign status ${file.id}\``,
      ...(checked
        ? []
        : [`(the ledger could not be read to compare this file with one recorded under the same id: ${noLedgerNote(config)})`]),
    ];
  });
}
