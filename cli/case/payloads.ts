// Flags (or --file) → the case Updates' payloads, validated here with the workflow's own zod schemas, with problems
// named by the flag that carried the field, before anything is sent. The workflow's Update validator stays the
// authority (who may decide, which stage accepts what, the penalty table).
import type { z } from 'zod';
import {
  caseRecheckSchema,
  ladderDecisionSchema,
  paymentSchema,
  penaltyDecisionSchema,
  referralAckSchema,
  referralDecisionSchema,
  withdrawalSchema,
} from '../../domain/case';
import { UsageError } from '../context';
import { readPayloadFile, validated, wholeNumber, yuanToFen } from '../payload';

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
  turnover?: string;
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
  suspend: ['months', 'publicCriticism', 'turnover'],
  terminate: ['publicCriticism', 'turnover'],
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
  turnover: '--turnover',
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
  monthlyTurnoverFen: '--turnover',
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
        ...(options.turnover !== undefined && { monthlyTurnoverFen: yuanToFen('--turnover', options.turnover) }),
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
  const amountFen = yuanToFen('--amount', options.amount)!;
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
