// `jianguan campaign list|show|status|cancel`: what the ledger holds of campaigns launched from files, the running
// campaign's own status, and its cancellation (recorded with the reason in the ledger and the audit trail first, then
// the workflow cancelled: it withdraws the inspections not yet made).
import { WorkflowNotFoundError, type QueryDefinition } from '@temporalio/common';
import type { CampaignFile } from '../../config/campaign';
import { campaignWorkflowId, specialInspectionCampaignId } from '../../domain/business-keys';
import { formatYuan } from '../../domain/inspection';
import { STAGE_LABELS, type InspectionStage } from '../../domain/inspection';
import { NOTE_MAX } from '../../domain/validation';
import type { CampaignFileRecord, CampaignProgress } from '../../records/types';
import { fileCampaignStatusQuery, type FileCampaignStatus } from '../../workflows/campaign/api';
import type { SpecialCampaignStatus } from '../../workflows/special-campaign/api';
import { plan as loadPlanFile, queryOrUnreachable, settings, UsageError, withClient } from '../context';
import { noLedgerNote, withLedger } from '../ledger';
import { formatTable, localTime } from '../output';
import { recheckStatusLines } from './recheck';

/** How many frozen targets `campaign show` lists (the rest are counted). */
const TARGETS_SHOWN = 50;

async function ledgerOrRefuse<T>(config: ReturnType<typeof settings>, fn: Parameters<typeof withLedger<T>>[1]): Promise<T> {
  const result = await withLedger(config, fn);
  if (result === undefined) throw new UsageError(`the ledger cannot be read: ${noLedgerNote(config)}`);
  return result;
}

export async function listCampaigns(options: { plan?: string }): Promise<string[]> {
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const rows = await ledgerOrRefuse(config, (store) => store.listCampaignFiles(plan.jurisdiction.code));
  if (rows.length === 0) return [`no campaigns from files in ${plan.jurisdiction.name} (${plan.jurisdiction.code})`];
  return formatTable(
    [
      { header: 'campaign' },
      { header: 'kind' },
      { header: 'year' },
      { header: 'title' },
      { header: 'targets', align: 'right' },
      { header: 'state' },
    ],
    rows.map((r) => [
      r.campaignId,
      r.kind,
      String(r.year),
      r.title,
      String(r.targets),
      r.cancelledAt ? `cancelled ${localTime(r.cancelledAt, plan.jurisdiction.timeZone)}` : 'started',
    ]),
  );
}

const criteria = (selector: CampaignFile['targets'][number]) =>
  Object.entries(selector)
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(', ') : String(value)}`)
    .join('; ');

const WEEKDAYS = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** The tasks' weekly 问题台账, when the file asks for them. */
const weeklyLedgers = ({ ledgerSubmissions: l }: CampaignFile, endOfDay: string): string[] =>
  l
    ? [
        `weekly 问题台账: due ${WEEKDAYS[l.weekday]} ${l.time ?? endOfDay} to ${l.leadUnit}, ` +
          `the missing reminded ${l.reminderDaysBefore} day(s) before (\`campaign ledger submit\`, \`campaign ledger show\`)`,
      ]
    : [];

export async function showCampaign(id: string, options: { plan?: string }): Promise<string[]> {
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const tz = plan.jurisdiction.timeZone;
  const { record, targets } = await ledgerOrRefuse(config, async (store) => ({
    record: await store.getCampaignFile(id),
    targets: await store.listCampaignMembers(id, 0, TARGETS_SHOWN + 1),
  }));
  if (!record) throw new UsageError(`no campaign ${id} in the ledger`);
  const file = record.definition as CampaignFile;
  const frozen = await withLedger(config, (store) => store.campaignProgress(id));
  const total = frozen?.members ?? 0;
  return [
    `${record.campaignId} (${record.kind}, ${record.year}): ${record.title}`,
    `recorded ${localTime(record.recordedAt, tz)}${record.cancelled ? `; CANCELLED ${localTime(record.cancelled.at, tz)} by ${record.cancelled.by}: ${record.cancelled.reason}` : ''}`,
    'legal basis:',
    ...file.legalBasis.map((b) => `  ${b}`),
    'targets (an institution any selector picks):',
    ...file.targets.map((s, n) => `  [${n}] ${criteria(s)}`),
    'phases:',
    ...record.phases.map((p) => `  ${p.name}: ${p.startsOn} – ${p.endsOn}`),
    `responsible tasks (${record.tasks.length}):`,
    ...record.tasks.flatMap((t, n) => [
      `  ${n + 1}. ${t.content.split('\n')[0]}`,
      `     leader ${t.leaderId}; units ${t.unitIds.join(', ')}; deadline ${t.deadline}${t.ongoing ? ' and ongoing (并长期坚持)' : ''}; ${t.measures.length} measure(s)`,
    ]),
    ...weeklyLedgers(file, plan.calendar.endOfDay),
    `frozen targets: ${total}${total === 0 ? ' (frozen when the first phase starts)' : ''}`,
    ...targets.slice(0, TARGETS_SHOWN).map((t) => `  ${t.id} ${t.name}`),
    ...(total > TARGETS_SHOWN ? [`  ... and ${total - TARGETS_SHOWN} more`] : []),
  ];
}

const byStage = (p: CampaignProgress) =>
  Object.entries(p.byStage).map(([stage, n]) => `  ${STAGE_LABELS[stage as InspectionStage] ?? stage} (${stage}): ${n}`);

export async function campaignStatus(id: string, options: { plan?: string }): Promise<string[]> {
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const tz = plan.jurisdiction.timeZone;
  const workflowId = campaignWorkflowId(plan.jurisdiction.code, id);
  // One query name, `status`, for both workflow types: a special campaign's answers with its own shape.
  const { status, unreachable } = await queryOrUnreachable(
    config,
    workflowId,
    fileCampaignStatusQuery as unknown as QueryDefinition<FileCampaignStatus | SpecialCampaignStatus>,
  );
  // The ledger's figures are live; the workflow's are as of its last refresh.
  const ledger = await withLedger(config, async (store) => ({
    record: await store.getCampaignFile(id),
    progress: await store.campaignProgress(id),
  }));
  if (!status && !ledger?.record)
    throw new UsageError(`no campaign ${id}: no workflow ${workflowId}${unreachable ? ` (${unreachable})` : ''} and nothing in the ledger`);
  const lines = [`campaign ${id} (${workflowId})`];
  if (status && isSpecialStatus(status)) {
    lines.push(...specialStatusLines(status, tz));
  } else if (status) {
    lines.push(
      `stage ${status.stage}; due ${localTime(status.dueAt, tz)}; ${status.members} target(s), ${status.started} inspection(s) started` +
        (status.notStarted.length ? `, ${status.notStarted.length} not started (on-site inspection of the year had already)` : '') +
        (status.withdrawn !== undefined ? `, ${status.withdrawn} withdrawn` : ''),
      ...status.phases.map((p) => `  ${p.name}: ${p.startsOn} – ${p.endsOn}`),
    );
  } else {
    lines.push(`(no status from its workflow: ${unreachable ?? (ledger?.record ? 'it is gone' : 'it was not started')})`);
  }
  if (ledger?.record?.cancelled)
    lines.push(
      `cancelled ${localTime(ledger.record.cancelled.at, tz)} by ${ledger.record.cancelled.by}: ${ledger.record.cancelled.reason}`,
    );
  if (ledger?.record?.kind === 'special') {
    const f = await withLedger(config, (store) => store.specialFigures(id, specialInspectionCampaignId(id)));
    if (f)
      lines.push(
        `in the ledger: ${f.targets} target(s); self-check reports ${f.submittedOnTime} on time, ${f.submittedLate} late, ${f.missing} missing; refunded ${formatYuan(f.refundedFen)}`,
        `  investigation: ${f.selected} selected, ${f.inspections} inspection(s), ${f.violations} with violations, ${f.cases} case(s)`,
      );
  } else if (ledger?.record?.kind === 'recheck') {
    lines.push(...(await recheckStatusLines(config, id, ledger.progress)));
  } else if (ledger && ledger.progress.members > 0)
    lines.push(`inspections in the ledger (${ledger.progress.notStarted} not started yet):`, ...byStage(ledger.progress));
  else if (!ledger) lines.push(`(the ledger's figures cannot be read: ${noLedgerNote(config)})`);
  return lines;
}

const isSpecialStatus = (status: FileCampaignStatus | SpecialCampaignStatus): status is SpecialCampaignStatus => 'reportDueAt' in status;

function specialStatusLines(s: SpecialCampaignStatus, tz: string): string[] {
  return [
    `stage ${s.stage}; ${s.members} target(s); self-check reports due ${localTime(s.reportDueAt, tz)}, phase closes ${localTime(s.selfCheckClosesAt, tz)}`,
    ...s.phases.map((p) => `  ${p.name}: ${p.startsOn} – ${p.endsOn}`),
    `self-checks started ${s.selfChecksStarted}` +
      (s.missingAtDue !== undefined ? `; missing at the due date ${s.missingAtDue}` : '') +
      (s.missingAtClose !== undefined ? `; at the close ${s.missingAtClose} missing, ${s.lateAtClose} late` : ''),
    ...(s.selected !== undefined
      ? [
          `investigation: ${s.selected} selected, ${s.inspectionsStarted} inspection(s) started` +
            (s.notInspected.length ? `, ${s.notInspected.length} not started (on-site inspection of the year had already)` : ''),
        ]
      : []),
    ...(s.withdrawn !== undefined ? [`withdrawn: ${s.withdrawn}`] : []),
  ];
}

export async function cancelCampaign(id: string, options: { reason: string; by?: string; plan?: string }): Promise<string[]> {
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const reason = options.reason.trim();
  if (!reason || reason.length > NOTE_MAX)
    throw new UsageError(`--reason: give why the campaign is cancelled (at most ${NOTE_MAX} characters)`);
  if (options.by && !plan.leaders.some((l) => l.id === options.by))
    throw new UsageError(`--by: "${options.by}" is not one of the plan's leaders`);
  const by = options.by ?? 'administrator';
  const at = new Date().toISOString();
  const record: CampaignFileRecord | undefined = await ledgerOrRefuse(config, async (store) => {
    if (!(await store.getCampaignFile(id))) return null;
    return store.cancelCampaignFile(
      id,
      { at, by, reason },
      {
        key: `campaign-file:${id}:cancelled`,
        actor: by,
        action: 'campaign-cancelled',
        subjectType: 'campaign',
        subjectId: id,
        reason,
        detail: {},
        at,
      },
    );
  }).then((r) => r ?? undefined);
  if (!record) throw new UsageError(`no campaign ${id} in the ledger: nothing cancelled`);
  const lines = [
    record.cancelled!.at === at
      ? `campaign ${id}: cancelled (recorded in the ledger and the audit trail)`
      : `campaign ${id}: already cancelled ${localTime(record.cancelled!.at, plan.jurisdiction.timeZone)} by ${record.cancelled!.by}: ${record.cancelled!.reason}`,
  ];
  const workflowId = campaignWorkflowId(plan.jurisdiction.code, id);
  const sent = await withClient(config, async (client) => {
    try {
      await client.workflow.getHandle(workflowId).cancel();
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  });
  lines.push(
    sent ? `${workflowId}: cancellation sent; it withdraws the inspections not yet made` : `${workflowId}: not running (it has ended)`,
  );
  return lines;
}
