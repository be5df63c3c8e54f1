// `jianguan points show|deduct`: a practitioner's points of a year (医保支付资格记分), read from the entity workflow
// `points:{practitionerId}:{year}` (or the ledger when the workflow is gone), and deductions by hand as a validated
// Update. The payload is checked here with the workflow's schema, naming the flag; whether the rules accept it in the
// practitioner's current state (tier ranges, the suspension months at the threshold) is the workflow validator's call,
// and its rejection is printed as one line. A case's penalty decision is checked against the standing beforehand.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import type { Command } from 'commander';
import type { z } from 'zod';
import type { Plan } from '../config';
import { formatLocal, localYear } from '../domain/calendar';
import { caseWorkflowId, ID_PATTERN, pointsWorkflowId } from '../domain/business-keys';
import { isOfficer } from '../domain/case-duties';
import {
  initialPointsState,
  pointsDeductionSchema,
  sequenceProblem,
  type Deduction,
  type PointsDeductionPayload,
  type PointsState,
} from '../domain/points';
import { formatProblems } from '../domain/validation';
import type { PointsDeductionRecord, PointsStatusRecord } from '../records/types';
import { caseContextFromPlan } from '../workflows/case/context';
import {
  deductPointsUpdate,
  POINTS_WORKFLOW_TYPE,
  pointsStatusQuery,
  type PointsWorkflow,
  type PointsDeductionResult,
  type PointsInput,
  type PointsStatus,
} from '../workflows/points/api';
import { yearArg } from './options';
import { formatTable } from './output';
import { parseCaseNo, validated, wholeNumber } from './payload';
import { plan as loadPlanFile, queryOrUnreachable, queryWorkflow, sendUpdateOrReject, settings, UsageError, withClient } from './context';
import { noLedgerNote, withLedger } from './ledger';

export function parsePractitionerId(value: string): string {
  const id = value.trim();
  if (!ID_PATTERN.test(id))
    throw new UsageError(`<practitionerId>: "${value}" is not a practitioner code (letters, digits, "-", "_", ".")`);
  return id;
}

export interface DeductOptions {
  key?: string;
  tier?: string;
  points?: string;
  months?: string;
  by?: string;
  reason?: string;
  case?: string;
  year?: number;
  plan?: string;
}

/**
 * The `deduct` Update's payload from flags, validated with pointsDeductionSchema (problems named by flag). `--case`
 * takes the case number as `case show` does and becomes the case workflow id of the jurisdiction.
 */
export function deductionPayload(options: DeductOptions, jurisdiction: string): z.infer<typeof pointsDeductionSchema> {
  const tier = wholeNumber('--tier', options.tier);
  const points = wholeNumber('--points', options.points);
  const suspensionMonths = wholeNumber('--months', options.months);
  if (tier === undefined) throw new UsageError('--tier: required (1–4: 1–3, 4–6, 7–9 or 10–12 points)');
  if (points === undefined) throw new UsageError('--points: required');
  const caseId = options.case === undefined ? undefined : caseWorkflowId(jurisdiction, parseCaseNo(options.case, jurisdiction));
  return validated(
    pointsDeductionSchema,
    {
      tier,
      points,
      ...(suspensionMonths !== undefined && { suspensionMonths }),
      ...(caseId && { caseId }),
      reason: options.reason,
      decidedBy: options.by,
    },
    'deduction',
    { tier: '--tier', points: '--points', suspensionMonths: '--months', caseId: '--case', reason: '--reason', decidedBy: '--by' },
  );
}

/**
 * The deduction's idempotency key, so that running the same `points deduct` again deducts nothing more. With `--key`
 * (say the decision's document number, 处理决定书文号) it is `manual:{practitioner}:{year}:{--key}`; without, it is made
 * of what the deduction says: `manual:{practitioner}:{year}:{case or -}:{tier}-{points}:{--by}:{--reason}` (spaces in
 * the reason collapsed). Two deductions that say the same on purpose need a `--key` each.
 */
export function deductionKey(practitionerId: string, year: number, payload: Omit<PointsDeductionPayload, 'key'>, key?: string): string {
  const given = key?.trim();
  if (key !== undefined && !given) throw new UsageError('--key: must not be empty');
  if (given) return `manual:${practitionerId}:${year}:${given}`;
  const reason = payload.reason.trim().replace(/\s+/g, ' ');
  return `manual:${practitionerId}:${year}:${payload.caseId ?? '-'}:${payload.tier}-${payload.points}:${payload.decidedBy}:${reason}`;
}

/** `--by` must be someone who may decide: the plan's leaders and inspectors (as for cases, domain/case-duties.ts). */
export function checkDecider(decidedBy: string, officers: readonly string[] | undefined, jurisdictionName: string): void {
  if (officers && !isOfficer(decidedBy, officers)) {
    throw new UsageError(
      `--by (decidedBy): "${decidedBy}" is not an officer of ${jurisdictionName} who may decide points deductions (the plan's leaders and inspectors)`,
    );
  }
}

/** The entity workflow's input, as a case's penalty decision would start it (same rules, same mailbox), with who may decide. */
export function pointsInputFromPlan(plan: Plan, practitionerId: string, year: number): PointsInput {
  const context = caseContextFromPlan(plan);
  return {
    practitionerId,
    jurisdiction: plan.jurisdiction,
    year,
    rules: context.rules.points,
    notify: [context.bureau],
    officers: context.officers,
    settings: plan.pointsWorkflow,
  };
}

/** The year a deduction counts in: this year by default; a year that is over takes no more deductions. */
export function deductionYear(year: number | undefined, now: Date, timeZone: string): number {
  const current = localYear(now, timeZone);
  if (year === undefined) return current;
  if (year < current) throw new UsageError(`--year: ${year} is over; points count in the year they are decided (${current})`);
  return year;
}

type DeductionRow = Pick<PointsDeductionRecord, 'key' | 'tier' | 'points' | 'caseId' | 'reason' | 'decidedBy' | 'decidedAt'> & {
  suspensionMonths?: number | undefined;
};

/** The deductions of `points show`, from the workflow or (without suspension months) from the ledger. */
function deductionTable(rows: readonly DeductionRow[], at: (iso: string) => string): string[] {
  const columns = [
    { header: 'decided at' },
    { header: 'tier', align: 'right' as const },
    { header: 'points', align: 'right' as const },
    { header: 'months', align: 'right' as const },
    { header: 'by' },
    { header: 'case' },
    { header: 'reason' },
    { header: 'key' },
  ];
  const cells = (d: DeductionRow) => [
    at(d.decidedAt),
    String(d.tier),
    String(d.points),
    d.suspensionMonths ? String(d.suspensionMonths) : '',
    d.decidedBy,
    d.caseId ?? '',
    d.reason,
    d.key,
  ];
  return formatTable(columns, rows.map(cells));
}

export function formatPointsStatus(status: PointsStatus, timeZone: string): string {
  const at = (iso: string | null) => (iso ? formatLocal(new Date(iso), timeZone) : '-');
  const lines = [
    `practitioner ${status.practitionerId}`,
    `year         ${status.year}`,
    `points       ${status.total}`,
    `eligibility  ${status.eligibility}${status.suspendedUntil ? ` until ${at(status.suspendedUntil)}` : ''}${status.barredUntil ? `, re-registration barred until ${at(status.barredUntil)}` : ''}`,
  ];
  if (status.closing)
    lines.push(
      `closed       the year is over: points reset; a restriction still running goes on in ${pointsWorkflowId(status.practitionerId, status.year + 1)}`,
    );
  if (status.deductions.length) lines.push('', `deductions (${status.deductions.length})`);
  if (status.deductions.length) lines.push(...deductionTable(status.deductions, at));
  if (status.rejected.length) lines.push('', `refused (${status.rejected.length})`);
  for (const r of status.rejected) lines.push(`  ${r.key}: ${r.reason}`);
  return lines.join('\n');
}

export function formatLedgerDeductions(
  practitionerId: string,
  year: number,
  rows: readonly PointsDeductionRecord[],
  timeZone: string,
  standing?: PointsStatusRecord,
): string {
  const at = (iso: string) => formatLocal(new Date(iso), timeZone);
  const lines = [
    `practitioner ${practitionerId}`,
    `year         ${year}`,
    `points       ${rows.reduce((sum, d) => sum + d.points, 0)} (sum of the ledger's deductions)`,
  ];
  if (standing) {
    lines.push(
      `eligibility  ${standing.eligibility}${standing.suspendedUntil ? ` until ${at(standing.suspendedUntil)}` : ''}${standing.barredUntil ? `, re-registration barred until ${at(standing.barredUntil)}` : ''} (the ledger's standing of ${at(standing.updatedAt)}${standing.closed ? ', year closed' : ''})`,
    );
  }
  if (rows.length) lines.push('', `deductions (${rows.length})`);
  if (rows.length) lines.push(...deductionTable(rows, at));
  return lines.join('\n');
}

/**
 * The points deductions of a penalty decision (`case decide --action penalty --points …`) checked against each
 * practitioner's standing this year, before the decision is sent: the case takes a decision whatever the points
 * rules say and hands the deductions on, and one the points workflow then refuses (9 points reached without the
 * suspension months, say) would leave the fine decided and the points not, reported only by a notice. A standing
 * that cannot be read (no worker answers) leaves the check to the points workflow's validator, the authority.
 */
export async function checkPenaltyPoints(
  client: Client,
  plan: Plan,
  deductions: ReadonlyArray<Deduction & { practitionerId: string }>,
  now = new Date(),
): Promise<void> {
  const year = localYear(now, plan.jurisdiction.timeZone);
  const rules = caseContextFromPlan(plan).rules.points;
  // Each practitioner's standing this year (null: not readable, left to the points workflow); the rules are domain/points.ts.
  const standing = new Map<string, PointsState | null>();
  for (const { practitionerId } of deductions) {
    if (standing.has(practitionerId)) continue;
    const status = await queryWorkflow(client, pointsWorkflowId(practitionerId, year), pointsStatusQuery).catch(() => null);
    standing.set(practitionerId, status === null ? null : (status ?? initialPointsState(year)));
  }
  const refused = sequenceProblem(standing, deductions, now, plan.jurisdiction.timeZone, rules);
  if (refused)
    throw new UsageError(
      `--points #${refused.index + 1} (${refused.practitionerId}, ${year}): ${formatProblems(refused.problems)}; nothing was decided`,
    );
}

export async function showPointsCommand(practitionerArg: string, options: { year?: number; plan?: string }): Promise<void> {
  const practitionerId = parsePractitionerId(practitionerArg);
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const timeZone = plan.jurisdiction.timeZone;
  const year = options.year ?? localYear(new Date(), timeZone);
  const workflowId = pointsWorkflowId(practitionerId, year);
  const { status, unreachable } = await queryOrUnreachable(config, workflowId, pointsStatusQuery);
  if (status) {
    console.log(formatPointsStatus(status, timeZone));
    return;
  }
  const ledger = await withLedger(config, async (l) => {
    const [rows, standing] = await Promise.all([l.listPointsDeductions(practitionerId, year), l.getPointsStatus(practitionerId, year)]);
    return { rows, standing };
  });
  if (ledger === undefined && unreachable) throw new UsageError(unreachable);
  if (ledger === undefined) {
    console.log(`no points workflow ${workflowId}: no deductions known to Temporal (${noLedgerNote(config)})`);
  } else if (ledger.rows.length === 0 && !ledger.standing) {
    console.log(`${practitionerId}: no deductions in ${year} in the ledger`);
  } else {
    console.log(formatLedgerDeductions(practitionerId, year, ledger.rows, timeZone, ledger.standing));
  }
  if (unreachable) console.log(`\n(ledger only: ${unreachable})`);
}

/**
 * Sends a validated deduction to `points:{practitionerId}:{year}`, starting that workflow if nobody has yet (a running
 * one is used as it is; one that has ended is not started again). `decidedBy` is checked against `input.officers`
 * first; a payload without a key gets deductionKey's, so sending it again deducts nothing more (the answer says
 * `duplicate`). A rejection is one UsageError line.
 */
export async function deductPoints(
  client: Client,
  taskQueue: string,
  input: PointsInput,
  deduction: z.infer<typeof pointsDeductionSchema>,
): Promise<PointsDeductionResult> {
  checkDecider(deduction.decidedBy, input.officers, input.jurisdiction.name);
  const payload = { ...deduction, key: deduction.key ?? deductionKey(input.practitionerId, input.year, deduction) };
  const workflowId = pointsWorkflowId(input.practitionerId, input.year);
  try {
    await client.workflow.start<PointsWorkflow>(POINTS_WORKFLOW_TYPE, {
      workflowId,
      taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      staticSummary: `${input.year}年 医保支付资格记分：${input.practitionerId}`,
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError)
      throw new UsageError(`the points year ${workflowId} has already ended: no more deductions in ${input.year}`);
    throw error;
  }
  return sendUpdateOrReject(client, workflowId, deductPointsUpdate, payload);
}

export async function deductPointsCommand(practitionerArg: string, options: DeductOptions): Promise<void> {
  const practitionerId = parsePractitionerId(practitionerArg);
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const input = pointsInputFromPlan(plan, practitionerId, deductionYear(options.year, new Date(), plan.jurisdiction.timeZone));
  const payload = deductionPayload(options, plan.jurisdiction.code);
  checkDecider(payload.decidedBy, input.officers, plan.jurisdiction.name);
  const key = deductionKey(practitionerId, input.year, payload, options.key);
  const result = await withClient(config, (client) => deductPoints(client, config.temporal.taskQueue, input, { ...payload, key }));
  console.log(formatDeductionResult(result, plan.jurisdiction.timeZone));
}

/** One line: what was deducted now, or that the key had been deducted before (and nothing was deducted again). */
export function formatDeductionResult(result: PointsDeductionResult, timeZone: string): string {
  const d = result.deduction;
  const standing = `${result.total} points in ${result.year}, ${result.eligibility}${result.suspendedUntil ? ` until ${formatLocal(new Date(result.suspendedUntil), timeZone)}` : ''}${result.barredUntil ? `, re-registration barred until ${formatLocal(new Date(result.barredUntil), timeZone)}` : ''}`;
  if (result.duplicate)
    return `already deducted under key ${d.key} on ${formatLocal(new Date(d.decidedAt), timeZone)} (${d.points} points, tier ${d.tier}): nothing deducted again → ${standing}`;
  return `deducted: ${result.practitionerId} ${d.points} points (tier ${d.tier}) → ${standing} [key ${d.key}]`;
}

export function registerPointsCommands(program: Command): void {
  const points = program
    .command('points')
    .description("practitioners' points (医保支付资格记分): one entity workflow per practitioner and year");
  points
    .command('show')
    .description("a practitioner's points, eligibility and deductions of a year (a workflow query; the ledger when the workflow is gone)")
    .argument('<practitionerId>', 'the practitioner code')
    .option('--year <year>', 'the year (default: this year in the jurisdiction)', yearArg)
    .option('--plan <file>', 'jurisdiction plan: its time zone (default: JIANGUAN_PLAN or the sample plan)')
    .action(showPointsCommand);
  points
    .command('deduct')
    .description('deduct points by hand (a validated Update; starts the practitioner’s year if needed)')
    .argument('<practitionerId>', 'the practitioner code')
    .requiredOption('--tier <n>', 'tier 1–4 (1–3, 4–6, 7–9, 10–12 points)')
    .requiredOption('--points <n>', 'the points, within the tier')
    .option('--months <n>', 'months of suspension, when this deduction reaches the suspension threshold')
    .requiredOption('--by <officerId>', "the deciding officer: one of the plan's leaders or inspectors")
    .requiredOption('--reason <text>', 'the reason')
    .option(
      '--key <text>',
      "the deduction's own key, e.g. the decision's document number (处理决定书文号). Running the command again with the same key deducts nothing more. " +
        'Default: made of practitioner, year, --case, --tier, --points, --by and --reason, so the same command twice deducts once; two such deductions on purpose need a --key each',
    )
    .option('--case <caseNo>', 'the case the deduction comes from (its number, as in `case show`)')
    .option('--year <year>', 'the year it counts in (default: this year; a year that is over is refused)', yearArg)
    .option('--plan <file>', 'jurisdiction plan: code, time zone, points rules (default: JIANGUAN_PLAN or the sample plan)')
    .action(deductPointsCommand);
}
