// `jianguan inspection record|show`: inspectors' findings, sent to the inspection
// workflow as Temporal Updates. The payload is validated here with the workflow's own schema (so a typo is named
// before anything is sent), and again by the workflow's Update validator, which is the authority.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { findingsSchema, parseYuanToFen, STAGE_LABELS, type FindingItem } from '../domain/inspection';
import { inspectionWorkflowId } from '../domain/business-keys';
import { inspectionStatusQuery, recordFindingsUpdate, type InspectionStatus } from '../workflows/inspection/api';
import { plan as loadPlanFile, settings, UsageError, withClient } from './context';
import { localTime } from './output';
import { readPayloadFile, validated, type FieldNames } from './payload';

export interface TargetOptions {
  campaign: string;
  institution: string;
}

export interface RecordOptions extends TargetOptions {
  inspector?: string;
  violation?: boolean;
  item?: string[];
  note?: string;
  at?: string;
  file?: string;
}

/** `--item "类别|描述|金额（元）|条款"`: amount and article are optional. */
export function parseItem(spec: string, index: number): FindingItem {
  const [category, description, amount, article] = spec.split('|').map((part) => part.trim());
  if (!category || !description) throw new UsageError(`--item #${index + 1}: expected "类别|描述|金额（元）|条款", got "${spec}"`);
  let amountFen: number | undefined;
  if (amount) {
    try {
      amountFen = parseYuanToFen(amount);
    } catch (error) {
      throw new UsageError(`--item #${index + 1}: ${(error as Error).message}`);
    }
  }
  return { category, description, ...(amountFen !== undefined && { amountFen }), ...(article && { article }) };
}

const FINDINGS_NAMES = {
  inspectorId: '--inspector',
  inspectedAt: '--at',
  violation: '--violation / --no-violation',
  items: '--item',
  note: '--note',
};

/** Builds the findings payload from a file or from flags (not both), and validates it. */
export function findingsPayload(options: RecordOptions, now = new Date()): unknown {
  const flagged =
    options.inspector !== undefined ||
    options.violation !== undefined ||
    (options.item?.length ?? 0) > 0 ||
    options.note !== undefined ||
    options.at !== undefined;
  if (options.file && flagged) throw new UsageError('--file cannot be combined with --inspector, --violation, --item, --note or --at');
  const [payload, names]: [unknown, FieldNames] = options.file
    ? [readPayloadFile(options.file), { file: options.file }]
    : [
        {
          inspectorId: options.inspector,
          inspectedAt: options.at ?? now.toISOString(),
          violation: options.violation ?? (options.item?.length ? true : undefined),
          items: (options.item ?? []).map(parseItem),
          note: options.note ?? '',
        },
        FINDINGS_NAMES,
      ];
  return validated(findingsSchema, payload, 'findings', names);
}

async function sendUpdate(target: TargetOptions, update: typeof recordFindingsUpdate, payload: unknown): Promise<InspectionStatus> {
  return withClient(settings(), async (client) => {
    const handle = client.workflow.getHandle(inspectionWorkflowId(target.campaign, target.institution));
    try {
      return await handle.executeUpdate(update, { args: [payload] });
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) throw new UsageError(`rejected: ${error.cause?.message ?? error.message}`);
      throw error;
    }
  });
}

export async function recordFindings(options: RecordOptions): Promise<void> {
  const status = await sendUpdate(options, recordFindingsUpdate, findingsPayload(options));
  // Covered: another inspection had the year's on-site inspection first, and these findings were not recorded.
  if (status.coveredBy) console.log(`not recorded: ${options.institution} → ${status.stageLabel} (${status.coveredBy.join(', ')})`);
  else console.log(`recorded: ${options.institution} → ${status.stageLabel}`);
}

/** What `jianguan inspection show` prints; deadlines in the jurisdiction's `timeZone`. */
export function formatInspectionStatus(status: InspectionStatus, timeZone: string): string {
  return [
    `inspection   ${status.inspectionId}`,
    `stage        ${status.stage} (${STAGE_LABELS[status.stage]})${status.overdue ? ' OVERDUE' : ''}`,
    `team         ${status.team.join(', ')}`,
    `due          ${localTime(status.dueAt, timeZone)} (${timeZone})`,
    ...(status.statementDueAt ? [`statement by ${localTime(status.statementDueAt, timeZone)}`] : []),
    `reminders    ${status.remindersSent}`,
    ...(status.findings
      ? [
          `findings     ${status.findings.violation ? `${status.findings.items.length} violation item(s)` : 'no violation'} by ${status.findings.inspectorId}`,
        ]
      : []),
    ...(status.caseId ? [`case         ${status.caseId}`] : []),
    ...(status.coveredBy ? [`covered by   ${status.coveredBy.join(', ')} (findings not recorded)`] : []),
  ].join('\n');
}

export async function showInspection(options: TargetOptions & { plan?: string }): Promise<void> {
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const status = await withClient(config, (client) =>
    client.workflow.getHandle(inspectionWorkflowId(options.campaign, options.institution)).query(inspectionStatusQuery),
  );
  console.log(formatInspectionStatus(status, plan.jurisdiction.timeZone));
}
