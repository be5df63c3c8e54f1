// `jianguan case list|show|decide|recheck|ack-referral|pay`: administrators' view of violation cases (案件) and the
// decisions they send to the case workflow as Temporal Updates. Every payload is built from flags (or --file) and
// validated here with the workflow's own zod schema, naming the flag, before anything is sent; the workflow's Update
// validator stays the authority (who may decide, which stage accepts what, the penalty table) and its rejection is
// printed as one line.
import { WorkflowNotFoundError } from '@temporalio/common';
import { type Client } from '@temporalio/client';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { z } from 'zod';
import { formatLocal } from '../domain/calendar';
import {
  AGENCY_LABELS,
  CASE_STAGE_LABELS,
  caseRecheckSchema,
  ladderDecisionSchema,
  paymentSchema,
  penaltyDecisionSchema,
  REFERRAL_AGENCIES,
  referralAckSchema,
  referralDecisionSchema,
  withdrawalSchema,
  type CaseStage,
  type ReferralAgency,
} from '../domain/case';
import { formatYuan, parseYuanToFen } from '../domain/inspection';
import { caseWorkflowId, ID_PATTERN } from '../domain/business-keys';
import type { AuditEntry, CaseRecord, PaymentRecord, ReferralRecord } from '../records/types';
import {
  ackReferralUpdate,
  caseRecheckUpdate,
  caseStatusQuery,
  decidePenaltyUpdate,
  decideUpdate,
  recordPaymentUpdate,
  referUpdate,
  withdrawUpdate,
  type CaseStatus,
} from '../workflows/case/api';
import { CAMPAIGN_KIND, CAMPAIGN_YEAR, DUE_AT, INSTITUTION_ID, JURISDICTION, OVERDUE, STAGE } from '../workflows/search-attributes';
import { plan as loadPlanFile, sendUpdateOrReject, settings, UsageError, withClient } from './context';
import { noLedgerNote, withLedger } from './ledger';
import { formatTable } from './output';
import { parseCaseNo, readPayloadFile, validated, wholeNumber } from './payload';
import { checkPenaltyPoints } from './points';

// ---------------------------------------------------------------------------------------------------------------------
// Validation: the workflow's schemas, with problems named by the flag that carried the field.

function nowIso(now: Date): string {
  return now.toISOString();
}

// ---------------------------------------------------------------------------------------------------------------------
// case decide: flags → one of four Updates

export const DECISION_ACTIONS = ['rectified', 'suspend', 'terminate', 'blacklist', 'close', 'penalty', 'refer', 'withdraw'] as const;
export type DecisionAction = (typeof DECISION_ACTIONS)[number];
type LadderAction = Exclude<DecisionAction, 'penalty' | 'refer' | 'withdraw'>;

export interface DecideOptions {
  action?: string;
  by?: string;
  reason?: string;
  months?: string;
  publicCriticism?: boolean;
  fine?: string[];
  approvedBy?: string;
  points?: string[];
  agency?: string;
  person?: string[];
  file?: string;
}

export type CaseDecision =
  | { update: 'decide'; action: LadderAction; payload: z.infer<typeof ladderDecisionSchema> }
  | { update: 'decidePenalty'; action: 'penalty'; payload: z.infer<typeof penaltyDecisionSchema> }
  | { update: 'refer'; action: 'refer'; payload: z.infer<typeof referralDecisionSchema> }
  | { update: 'withdraw'; action: 'withdraw'; payload: z.infer<typeof withdrawalSchema> };

/** Which flags (besides --by, --reason, --file) each action takes. */
const ACTION_FLAGS: Record<DecisionAction, readonly (keyof DecideOptions)[]> = {
  rectified: ['publicCriticism'],
  suspend: ['months', 'publicCriticism'],
  terminate: ['publicCriticism'],
  blacklist: ['publicCriticism'],
  close: ['publicCriticism'],
  penalty: ['fine', 'approvedBy', 'points'],
  refer: ['agency', 'person'],
  withdraw: [],
};

const FLAG_OF: Record<keyof DecideOptions, string> = {
  action: '--action',
  by: '--by',
  reason: '--reason',
  months: '--months',
  publicCriticism: '--public-criticism',
  fine: '--fine',
  approvedBy: '--approved-by',
  points: '--points',
  agency: '--agency',
  person: '--person',
  file: '--file',
};

const LADDER_NAMES = {
  decidedBy: '--by',
  reason: '--reason',
  months: '--months',
  publicCriticism: '--public-criticism',
  action: '--action',
};
const PENALTY_NAMES = { decidedBy: '--by', reason: '--reason', approvedBy: '--approved-by', fines: '--fine', practitioners: '--points' };
const REFERRAL_NAMES = { decidedBy: '--by', reason: '--reason', agency: '--agency', persons: '--person' };
const WITHDRAWAL_NAMES = { decidedBy: '--by', reason: '--reason' };

const given = (value: unknown) => value !== undefined && value !== false && !(Array.isArray(value) && value.length === 0);

/** `--fine 38:1.5`: article (as the penalty table or the regulation names it) and the multiple of the loss. */
export function parseFine(spec: string, index: number): { article: string; multiple: number } {
  const at = spec.lastIndexOf(':');
  const article = at > 0 ? spec.slice(0, at).trim() : '';
  const multiple = at > 0 ? spec.slice(at + 1).trim() : '';
  if (!article || !/^\d+(\.\d+)?$/.test(multiple))
    throw new UsageError(`--fine #${index + 1}: expected ARTICLE:MULTIPLE (e.g. 38:1.5), got "${spec}"`);
  return { article, multiple: Number(multiple) };
}

/** `--points PRACTITIONER:TIER:POINTS[:MONTHS]`; the deduction's reason is the decision's. */
export function parsePoints(spec: string, index: number, reason: string | undefined) {
  const parts = spec.split(':').map((p) => p.trim());
  const numbers = parts.slice(1);
  if (parts.length < 3 || parts.length > 4 || !parts[0] || numbers.some((n) => !/^\d+$/.test(n))) {
    throw new UsageError(
      `--points #${index + 1}: expected PRACTITIONER:TIER:POINTS[:MONTHS] (e.g. D0123:3:8 or D0123:3:9:3), got "${spec}"`,
    );
  }
  const [practitionerId, tier, points, months] = parts;
  return {
    practitionerId: practitionerId!,
    tier: Number(tier),
    points: Number(points),
    ...(months !== undefined && { suspensionMonths: Number(months) }),
    reason,
  };
}

/** `--person '姓名|职务'`: a person flagged for the discipline commission (人事同查). */
export function parsePerson(spec: string, index: number): { name: string; role: string } {
  const [name, role, ...rest] = spec.split('|').map((p) => p.trim());
  if (!name || !role || rest.length) throw new UsageError(`--person #${index + 1}: expected "姓名|职务" (name|role), got "${spec}"`);
  return { name, role };
}

/**
 * The Update and its payload for `case decide`, from flags or from --file (then --action only picks the Update).
 * Throws UsageError naming the flag (or the file's field) of the first problems found; nothing is sent.
 */
export function decisionPayload(options: DecideOptions, read: (file: string) => unknown = readPayloadFile): CaseDecision {
  const action = options.action as DecisionAction | undefined;
  if (!action) throw new UsageError(`--action: required (one of ${DECISION_ACTIONS.join(', ')})`);
  if (!DECISION_ACTIONS.includes(action))
    throw new UsageError(`--action: "${options.action}" is not one of ${DECISION_ACTIONS.join(', ')}`);

  const payloadFlags = (Object.keys(FLAG_OF) as (keyof DecideOptions)[]).filter(
    (key) => key !== 'action' && key !== 'file' && given(options[key]),
  );
  if (options.file) {
    if (payloadFlags.length)
      throw new UsageError(
        `--file cannot be combined with ${payloadFlags.map((k) => FLAG_OF[k]).join(', ')}: the file holds the whole payload`,
      );
    return fromFile(action, options.file, read(options.file));
  }
  for (const key of payloadFlags) {
    if (key !== 'by' && key !== 'reason' && !ACTION_FLAGS[action].includes(key)) {
      const takers = DECISION_ACTIONS.filter((a) => ACTION_FLAGS[a].includes(key));
      throw new UsageError(`${FLAG_OF[key]}: only with --action ${takers.join(' | ')}, not with --action ${action}`);
    }
  }

  const decidedBy = options.by;
  const reason = options.reason;
  switch (action) {
    case 'penalty':
      return {
        update: 'decidePenalty',
        action,
        payload: validated(
          penaltyDecisionSchema,
          {
            decidedBy,
            ...(options.approvedBy !== undefined && { approvedBy: options.approvedBy }),
            fines: (options.fine ?? []).map(parseFine),
            practitioners: (options.points ?? []).map((spec, i) => parsePoints(spec, i, reason)),
            reason,
          },
          'penalty decision',
          PENALTY_NAMES,
        ),
      };
    case 'refer':
      return {
        update: 'refer',
        action,
        payload: validated(
          referralDecisionSchema,
          { agency: options.agency, decidedBy, reason, persons: (options.person ?? []).map(parsePerson) },
          'referral',
          REFERRAL_NAMES,
        ),
      };
    case 'withdraw':
      return { update: 'withdraw', action, payload: validated(withdrawalSchema, { decidedBy, reason }, 'withdrawal', WITHDRAWAL_NAMES) };
    default: {
      const months = wholeNumber('--months', options.months);
      if (action === 'suspend' && months === undefined)
        throw new UsageError('--months: required with --action suspend (whole months of the suspension)');
      const payload = {
        action,
        decidedBy,
        reason,
        ...(months !== undefined && { months }),
        publicCriticism: Boolean(options.publicCriticism),
      };
      return { update: 'decide', action, payload: validated(ladderDecisionSchema, payload, `${action} decision`, LADDER_NAMES) };
    }
  }
}

function fromFile(action: DecisionAction, file: string, data: unknown): CaseDecision {
  const names = { file };
  switch (action) {
    case 'penalty':
      return { update: 'decidePenalty', action, payload: validated(penaltyDecisionSchema, data, 'penalty decision', names) };
    case 'refer':
      return { update: 'refer', action, payload: validated(referralDecisionSchema, data, 'referral', names) };
    case 'withdraw':
      return { update: 'withdraw', action, payload: validated(withdrawalSchema, data, 'withdrawal', names) };
    default: {
      // A ladder decision names its action; one left out is taken from --action, a different one is refused.
      const record = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
      if (record?.action !== undefined && record.action !== action) {
        throw new UsageError(`--file: ${file} has action "${String(record.action)}" but --action is ${action}`);
      }
      return {
        update: 'decide',
        action,
        payload: validated(ladderDecisionSchema, record ? { action, ...record } : data, `${action} decision`, names),
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// case pay | ack-referral | recheck: flags → payload

export interface PayOptions {
  amount: string;
  reference?: string;
  by?: string;
  at?: string;
}

/** `--amount 1234.50` (yuan) → amountFen 123450, by string arithmetic (never a float). */
export function paymentPayload(options: PayOptions, now = new Date()): z.infer<typeof paymentSchema> {
  let amountFen: number;
  try {
    amountFen = parseYuanToFen(options.amount);
  } catch (error) {
    throw new UsageError(`--amount: ${(error as Error).message}`);
  }
  if (!Number.isSafeInteger(amountFen)) throw new UsageError(`--amount: "${options.amount}" is too large`);
  return validated(
    paymentSchema,
    { amountFen, paidAt: options.at ?? nowIso(now), reference: options.reference, recordedBy: options.by },
    'payment',
    { amountFen: '--amount', paidAt: '--at', reference: '--reference', recordedBy: '--by' },
  );
}

export interface AckOptions {
  agency?: string;
  by?: string;
  reference?: string;
  at?: string;
}

export function ackPayload(options: AckOptions, now = new Date()): z.infer<typeof referralAckSchema> {
  return validated(
    referralAckSchema,
    { agency: options.agency, acknowledgedBy: options.by, reference: options.reference, acknowledgedAt: options.at ?? nowIso(now) },
    'acknowledgement',
    { agency: '--agency', acknowledgedBy: '--by', reference: '--reference', acknowledgedAt: '--at' },
  );
}

export interface CaseRecheckOptions {
  inspector?: string;
  rectified?: boolean;
  notRectified?: boolean;
  note?: string;
  at?: string;
}

export function caseRecheckPayload(options: CaseRecheckOptions, now = new Date()): z.infer<typeof caseRecheckSchema> {
  if (options.rectified && options.notRectified) throw new UsageError('--rectified and --not-rectified exclude each other');
  if (!options.rectified && !options.notRectified) throw new UsageError('give --rectified or --not-rectified');
  return validated(
    caseRecheckSchema,
    {
      inspectorId: options.inspector,
      checkedAt: options.at ?? nowIso(now),
      rectified: Boolean(options.rectified),
      note: options.note ?? '',
    },
    'recheck',
    { inspectorId: '--inspector', checkedAt: '--at', rectified: '--rectified', note: '--note' },
  );
}

// ---------------------------------------------------------------------------------------------------------------------
// Sending

const UPDATES = {
  decide: decideUpdate,
  decidePenalty: decidePenaltyUpdate,
  refer: referUpdate,
  withdraw: withdrawUpdate,
  recordPayment: recordPaymentUpdate,
  ackReferral: ackReferralUpdate,
  recordRecheck: caseRecheckUpdate,
};
export type CaseUpdateName = keyof typeof UPDATES;

export async function sendCaseUpdate(client: Client, workflowId: string, update: CaseUpdateName, payload: unknown): Promise<CaseStatus> {
  return sendUpdateOrReject(client, workflowId, UPDATES[update], payload);
}

interface Target {
  plan?: string;
}

async function target(options: Target, caseNoArg: string) {
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const caseNo = parseCaseNo(caseNoArg, plan.jurisdiction.code);
  return { config, plan, caseNo, workflowId: caseWorkflowId(plan.jurisdiction.code, caseNo), timeZone: plan.jurisdiction.timeZone };
}

function penaltyLine(status: CaseStatus): string {
  const p = status.penalty;
  if (!p) return `penalty      ${status.penaltyStatus}`;
  return `penalty      ${status.penaltyStatus}: total ${formatYuan(p.assessment.totalFen)} (recovery ${formatYuan(p.assessment.recoveryFen)} + fine ${formatYuan(p.assessment.fineFen)}), paid ${formatYuan(p.paidFen)}`;
}

export async function decideCommand(caseNoArg: string, options: DecideOptions & Target): Promise<void> {
  const decision = decisionPayload(options);
  const t = await target(options, caseNoArg);
  const status = await withClient(t.config, async (client) => {
    if (decision.update === 'decidePenalty') await checkPenaltyPoints(client, t.plan, decision.payload.practitioners);
    return sendCaseUpdate(client, t.workflowId, decision.update, decision.payload);
  });
  console.log(`decided (${decision.action}): case ${t.caseNo} → ${status.stage} (${status.stageLabel})`);
  if (decision.update === 'decidePenalty') console.log(penaltyLine(status));
  if (decision.update === 'refer') {
    const referral = status.referrals.find((r) => r.agency === decision.payload.agency);
    if (referral)
      console.log(
        `referral     ${AGENCY_LABELS[referral.agency]}: ${referral.status}, acknowledgement due ${formatLocal(new Date(referral.dueAt), t.timeZone)}`,
      );
  }
}

export async function payCommand(caseNoArg: string, options: PayOptions & Target): Promise<void> {
  const payload = paymentPayload(options);
  const t = await target(options, caseNoArg);
  const status = await withClient(t.config, (client) => sendCaseUpdate(client, t.workflowId, 'recordPayment', payload));
  console.log(`recorded payment of ${formatYuan(payload.amountFen)} on case ${t.caseNo}`);
  console.log(penaltyLine(status));
}

export async function ackReferralCommand(caseNoArg: string, options: AckOptions & Target): Promise<void> {
  const payload = ackPayload(options);
  const t = await target(options, caseNoArg);
  const status = await withClient(t.config, (client) => sendCaseUpdate(client, t.workflowId, 'ackReferral', payload));
  const referral = status.referrals.find((r) => r.agency === payload.agency);
  console.log(`acknowledged: referral of case ${t.caseNo} to ${AGENCY_LABELS[payload.agency]} → ${referral?.status ?? '?'}`);
}

export async function caseRecheckCommand(caseNoArg: string, options: CaseRecheckOptions & Target): Promise<void> {
  const payload = caseRecheckPayload(options);
  const t = await target(options, caseNoArg);
  const status = await withClient(t.config, (client) => sendCaseUpdate(client, t.workflowId, 'recordRecheck', payload));
  console.log(`recorded: case ${t.caseNo} → ${status.stage} (${status.stageLabel})`);
}

// ---------------------------------------------------------------------------------------------------------------------
// case list

export interface CaseRow {
  caseNo: string;
  institutionId: string;
  stage: string;
  overdue: boolean;
  open: boolean;
  dueAt: string | null;
  /** Undefined when read from Temporal visibility (amounts are in the ledger only). */
  lossFen?: number;
  fineFen?: number;
  paidFen?: number;
}

export interface ListOptions extends Target {
  year?: number;
  open?: boolean;
  institution?: string;
}

/** Overdue first, then by deadline (none last), then by case number. */
export function byUrgency(a: CaseRow, b: CaseRow): number {
  const due = (row: CaseRow) => (row.dueAt ? new Date(row.dueAt).getTime() : Number.POSITIVE_INFINITY);
  return Number(b.overdue) - Number(a.overdue) || due(a) - due(b) || a.caseNo.localeCompare(b.caseNo);
}

export function stageLabel(stage: string): string {
  return CASE_STAGE_LABELS[stage as CaseStage] ?? stage;
}

export function caseRowFromRecord(record: CaseRecord): CaseRow {
  return {
    caseNo: record.caseNo,
    institutionId: record.institutionId,
    stage: record.stage,
    overdue: record.overdue,
    open: record.open,
    dueAt: record.dueAt,
    lossFen: record.lossFen,
    fineFen: record.fineFen,
    paidFen: record.paidFen,
  };
}

/** The table `case list` prints (rows already sorted). */
export function formatCaseList(rows: readonly CaseRow[], timeZone: string): string {
  const money = (fen: number | undefined) => (fen === undefined ? '-' : formatYuan(fen).replace(/ 元$/, ''));
  const columns = ['', 'case no', 'institution', 'stage', 'due'].map((header) => ({ header }));
  const amounts = ['loss (元)', 'fine (元)', 'paid (元)'].map((header) => ({ header, align: 'right' as const }));
  const table = rows.map((row) => [
    row.overdue ? '!' : '',
    row.caseNo,
    row.institutionId,
    stageLabel(row.stage),
    row.dueAt ? formatLocal(new Date(row.dueAt), timeZone) : '-',
    money(row.lossFen),
    money(row.fineFen),
    money(row.paidFen),
  ]);
  return formatTable([...columns, ...amounts], table).join('\n');
}

/** From Temporal visibility, when the ledger cannot be read: stages and deadlines, no amounts. */
async function listFromVisibility(client: Client, jurisdiction: string, options: ListOptions): Promise<CaseRow[]> {
  const q = (value: string) => `"${value.replaceAll('"', '')}"`;
  const where = [`${JURISDICTION.name} = ${q(jurisdiction)}`, `${CAMPAIGN_KIND.name} = "case"`];
  if (options.year !== undefined) where.push(`${CAMPAIGN_YEAR.name} = ${options.year}`);
  if (options.institution) where.push(`${INSTITUTION_ID.name} = ${q(options.institution)}`);
  if (options.open) where.push(`${STAGE.name} != "closed" AND ${STAGE.name} != "withdrawn"`);
  const prefix = caseWorkflowId(jurisdiction, '');
  const rows: CaseRow[] = [];
  for await (const wf of client.workflow.list({ query: where.join(' AND ') })) {
    if (!wf.workflowId.startsWith(prefix)) continue;
    const sa = wf.typedSearchAttributes;
    const stage = sa.get(STAGE) ?? '?';
    rows.push({
      caseNo: wf.workflowId.slice(prefix.length),
      institutionId: sa.get(INSTITUTION_ID) ?? '?',
      stage,
      overdue: sa.get(OVERDUE) ?? false,
      open: stage !== 'closed' && stage !== 'withdrawn',
      dueAt: sa.get(DUE_AT)?.toISOString() ?? null,
    });
  }
  return rows;
}

export async function listCommand(options: ListOptions): Promise<void> {
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const jurisdiction = plan.jurisdiction.code;
  const filter = {
    jurisdiction,
    ...(options.year !== undefined && { year: options.year }),
    ...(options.open && { open: true }),
    ...(options.institution && { institutionId: options.institution }),
  };
  let rows = await withLedger(config, async (ledger) => (await ledger.listCases(filter)).map(caseRowFromRecord));
  const fromLedger = rows !== undefined;
  rows ??= await withClient(config, (client) => listFromVisibility(client, jurisdiction, options));
  rows.sort(byUrgency);
  const scope = [options.year && `${options.year}`, options.open && 'open', options.institution && `institution ${options.institution}`]
    .filter(Boolean)
    .join(', ');
  if (rows.length === 0) {
    console.log(`no cases in ${plan.jurisdiction.name} (${jurisdiction})${scope ? ` (${scope})` : ''}`);
  } else {
    console.log(
      `${plan.jurisdiction.name} (${jurisdiction}): ${rows.length} case(s)${scope ? ` (${scope})` : ''}, ${rows.filter((r) => r.overdue).length} overdue`,
    );
    console.log(formatCaseList(rows, plan.jurisdiction.timeZone));
  }
  if (!fromLedger) console.log(`\n(from Temporal visibility, without amounts: ${noLedgerNote(config)})`);
}

// ---------------------------------------------------------------------------------------------------------------------
// case show

export interface LedgerView {
  record?: CaseRecord;
  audit: AuditEntry[];
  payments: PaymentRecord[];
  referrals: ReferralRecord[];
}

/** What `case show` prints: the workflow's status when it answers, then the ledger's trail when readable. */
export function formatCaseShow(caseId: string, status: CaseStatus | undefined, ledger: LedgerView | undefined, timeZone: string): string {
  const at = (iso: string | null | undefined) => (iso ? formatLocal(new Date(iso), timeZone) : '-');
  // Persons flagged for the discipline commission (人事同查) are in the ledger's referral record: counted here, not named.
  const flagged = (agency: string) => {
    const n = ledger?.referrals.find((r) => r.agency === agency)?.persons?.length ?? 0;
    return n ? `, ${n} person(s) flagged (人事同查, in the ledger)` : '';
  };
  const lines: string[] = [];
  if (status) {
    lines.push(
      `case         ${status.caseNo} (${caseId})`,
      `institution  ${status.institutionId} ${status.institutionName}`,
      `stage        ${status.stage} (${status.stageLabel})${status.overdue ? ' OVERDUE' : ''}`,
      `due          ${at(status.dueAt)}`,
      `opened       ${at(status.openedAt)}`,
      `loss         ${formatYuan(status.lossFen)}`,
      ...(status.recheck
        ? [
            `recheck      ${status.recheck.rectified ? 'rectified' : 'not rectified'} by ${status.recheck.inspectorId} at ${at(status.recheck.checkedAt)}`,
          ]
        : []),
      ...status.decisions.map(
        (d) =>
          `decision     ${at(d.at)} ${d.action}${d.action === 'suspend' ? ` ${d.months} months` : ''} by ${d.decidedBy}${d.publicCriticism ? ', public criticism' : ''}: ${d.reason}`,
      ),
      ...(status.suspendedUntil ? [`suspended    until ${at(status.suspendedUntil)}`] : []),
      penaltyLine(status),
    );
    if (status.penalty) {
      const { decision, assessment } = status.penalty;
      lines.push(
        `  decided by ${decision.decidedBy}${decision.approvedBy ? `, approved by ${decision.approvedBy}` : ''} at ${at(status.penalty.decidedAt)}; pay by ${at(status.penalty.dueAt)}`,
      );
      for (const line of assessment.lines)
        lines.push(`  art. ${line.article}: ${formatYuan(line.lossFen)} × ${line.multiple} = ${formatYuan(line.fineFen)}`);
      for (const p of decision.practitioners)
        lines.push(
          `  points: ${p.practitionerId} tier ${p.tier}, ${p.points} points${p.suspensionMonths ? `, ${p.suspensionMonths} months` : ''}`,
        );
    }
    for (const r of status.referrals) {
      const acknowledged = r.acknowledgedBy
        ? `, acknowledged by ${r.acknowledgedBy}${r.acknowledgedAt ? ` at ${at(r.acknowledgedAt)}` : ''} (${r.reference ?? '-'})`
        : '';
      lines.push(
        `referral     ${AGENCY_LABELS[r.agency]} (${r.agency}) ${r.status}, sent ${at(r.sentAt)}, due ${at(r.dueAt)}${acknowledged}${flagged(r.agency)}`,
      );
    }
    if (status.withdrawal) lines.push(`withdrawn    by ${status.withdrawal.decidedBy}: ${status.withdrawal.reason}`);
    if (status.outcome) lines.push(`outcome      ${status.outcome}`);
    lines.push(
      `reminders    ${status.remindersSent}, escalations ${status.escalations}${status.institutionLate ? '; the institution missed a deadline of its own (counts in its credit grade)' : ''}`,
    );
  } else if (ledger?.record) {
    const r = ledger.record;
    lines.push(
      `case         ${r.caseNo} (${caseId}) — from the ledger`,
      `institution  ${r.institutionId}`,
      `stage        ${r.stage} (${stageLabel(r.stage)})${r.overdue ? ' OVERDUE' : ''}${r.open ? '' : ', ended'}`,
      `due          ${at(r.dueAt)}`,
      `opened       ${at(r.openedAt)}`,
      `money        loss ${formatYuan(r.lossFen)}, fine ${formatYuan(r.fineFen)}, paid ${formatYuan(r.paidFen)}`,
      ...(r.outcome ? [`outcome      ${r.outcome}`] : []),
    );
    for (const ref of ledger.referrals) {
      const acknowledged = ref.acknowledgedBy
        ? `, acknowledged by ${ref.acknowledgedBy} at ${at(ref.acknowledgedAt)} (${ref.reference ?? '-'})`
        : '';
      lines.push(
        `referral     ${AGENCY_LABELS[ref.agency as ReferralAgency] ?? ref.agency} (${ref.agency}) ${ref.status}, sent ${at(ref.sentAt)}, due ${at(ref.dueAt)}${acknowledged}${flagged(ref.agency)}`,
      );
    }
  }
  if (ledger) {
    if (ledger.payments.length) {
      lines.push('', 'payments');
      const columns = [
        { header: 'paid at' },
        { header: 'amount', align: 'right' as const },
        { header: 'reference' },
        { header: 'recorded by' },
      ];
      lines.push(
        ...formatTable(
          columns,
          ledger.payments.map((p) => [at(p.paidAt), formatYuan(p.amountFen), p.reference, p.recordedBy]),
        ),
      );
    }
    lines.push('', `audit trail (${ledger.audit.length})`);
    const columns = ['at', 'actor', 'action', 'reason'].map((header) => ({ header }));
    lines.push(
      ...formatTable(
        columns,
        ledger.audit.map((e) => [at(e.at), e.actor, e.action, e.reason]),
      ),
    );
  }
  return lines.join('\n');
}

export async function showCommand(caseNoArg: string, options: Target): Promise<void> {
  const t = await target(options, caseNoArg);
  let unreachable: string | undefined;
  const status = await withClient(t.config, async (client) => {
    try {
      return await client.workflow.getHandle(t.workflowId).query(caseStatusQuery);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  }).catch((error: unknown) => {
    // Temporal out of reach: the ledger still tells the case's story, when it can be read.
    if (!(error instanceof UsageError)) throw error;
    unreachable = error.message;
    return undefined;
  });
  const ledger = await withLedger(t.config, async (store): Promise<LedgerView> => {
    const [record, audit, payments, referrals] = await Promise.all([
      store.getCase(t.workflowId),
      store.listAudit(t.workflowId),
      store.listPayments(t.workflowId),
      store.listReferrals(t.workflowId),
    ]);
    return { ...(record && { record }), audit, payments, referrals };
  });
  if (!status && !ledger?.record) {
    if (unreachable) throw new UsageError(unreachable);
    throw new UsageError(
      `case ${t.caseNo} not found: no workflow ${t.workflowId}${ledger ? ' and no ledger row' : ` (and ${noLedgerNote(t.config)})`}`,
    );
  }
  console.log(formatCaseShow(t.workflowId, status, ledger, t.timeZone));
  if (!ledger) console.log(`\n(no audit trail: ${noLedgerNote(t.config)})`);
  if (unreachable) console.log(`\n(ledger only: ${unreachable})`);
  else if (!status) console.log(`\n(ledger only: the workflow ${t.workflowId} is gone, past its retention)`);
}

// ---------------------------------------------------------------------------------------------------------------------
// Registration

function planOption(command: Command): Command {
  return command.option('--plan <file>', 'jurisdiction plan: its code and time zone (default: JIANGUAN_PLAN or the sample plan)');
}

function idArg(flag: string) {
  return (value: string): string => {
    if (!ID_PATTERN.test(value)) throw new InvalidArgumentError(`${flag}: "${value}" is not an id (letters, digits, - _ .)`);
    return value;
  };
}

export function registerCaseCommands(program: Command, year: (value: string) => number): void {
  const cases = program.command('case').description('violation cases (案件): list, show, and the decisions that move them');
  const caseNo = ['<caseNo>', 'the case number, the part after case:{jurisdiction}: (e.g. 349901-demo-2026.H001)'] as const;

  planOption(cases.command('list'))
    .description('the cases of the jurisdiction from the ledger, overdue first (amounts in yuan)')
    .option('--year <year>', 'only cases opened in this year', year)
    .option('--open', 'only open cases (not closed or withdrawn)')
    .option('--institution <id>', 'only the cases of this institution', idArg('--institution'))
    .action(listCommand);

  planOption(cases.command('show'))
    .description("a case's status (a workflow query: stage, deadlines, penalty, referrals) and its audit trail from the ledger")
    .argument(...caseNo)
    .action(showCommand);

  planOption(cases.command('decide'))
    .description('a decision on a case: a ladder step, the penalty, a referral or the withdrawal (a validated Update)')
    .argument(...caseNo)
    .addOption(new Option('--action <action>', 'the decision').choices(DECISION_ACTIONS))
    .option('--by <officerId>', 'the deciding officer (never the inspector who recorded the findings)')
    .option('--reason <text>', 'the reason, as it goes into the record and the notice')
    .option('--months <n>', 'suspend: months of suspension of fund-paid services')
    .option('--public-criticism', 'rectified|suspend|terminate|blacklist|close: with public criticism (公开曝光)')
    .option('--fine <spec...>', 'penalty: the fine under an article as a multiple of its loss, ARTICLE:MULTIPLE, e.g. 38:1.5 (repeatable)')
    .option('--approved-by <id>', 'penalty: the second approver (required above the configured amount)')
    .option(
      '--points <spec...>',
      "penalty: a practitioner's points deduction PRACTITIONER:TIER:POINTS[:MONTHS], e.g. D0123:3:9:3 (repeatable)",
    )
    .addOption(new Option('--agency <agency>', 'refer: the agency (移送)').choices(REFERRAL_AGENCIES))
    .option('--person <spec...>', 'refer (discipline): a person flagged for the discipline commission, "姓名|职务" (name|role, repeatable)')
    .option('--file <path>', 'the whole payload as JSON or YAML instead of --by/--reason/…')
    .action(decideCommand);

  planOption(cases.command('recheck'))
    .description('record the recheck of the rectification (by an inspector of the team)')
    .argument(...caseNo)
    .requiredOption('--inspector <id>', 'the rechecking inspector', idArg('--inspector'))
    .addOption(new Option('--rectified', 'the institution has rectified'))
    .addOption(new Option('--not-rectified', 'the institution has not rectified').conflicts('rectified'))
    .option('--note <text>', 'free-text note')
    .option('--at <datetime>', 'when the recheck took place, ISO-8601 with offset (default: now)')
    .action(caseRecheckCommand);

  planOption(cases.command('ack-referral'))
    .description("record an agency's acknowledgement (回执) of a referral")
    .argument(...caseNo)
    .addOption(new Option('--agency <agency>', 'the agency the case was referred to').choices(REFERRAL_AGENCIES).makeOptionMandatory())
    .requiredOption('--by <name>', 'who acknowledged, at the agency')
    .requiredOption('--reference <ref>', "the agency's reference (文号)")
    .option('--at <datetime>', 'when it was acknowledged, ISO-8601 with offset (default: now)')
    .action(ackReferralCommand);

  planOption(cases.command('pay'))
    .description('record a payment of the recovery and fine')
    .argument(...caseNo)
    .requiredOption('--amount <yuan>', 'the amount paid in yuan, e.g. 1234.50')
    .requiredOption('--reference <ref>', 'the payment reference (缴款凭证号)')
    .requiredOption('--by <id>', 'the officer recording the payment')
    .option('--at <datetime>', 'when it was paid, ISO-8601 with offset (default: now)')
    .action(payCommand);
}
