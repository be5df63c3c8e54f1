// Flags (or --file) → the clue Updates' payloads, validated with the workflow's own schemas (domain/clue-payloads.ts)
// before anything is sent, every problem named by the flag that carried the field. Who may decide and what the clue's
// stage accepts stay the workflow's Update validators' call.
import type { z } from 'zod';
import {
  acceptClueSchema,
  approveRewardSchema,
  assignClueSchema,
  claimRewardSchema,
  concludeClueSchema,
  extendClueSchema,
  rejectClueSchema,
  reporterToldSchema,
} from '../../domain/clue-payloads';
import { UsageError } from '../context';
import { parseItem } from '../inspection';
import { readPayloadFile, validated, yuanToFen } from '../payload';

export interface AcceptOptions {
  by?: string;
  unit?: string;
  note?: string;
}

export function acceptPayload(o: AcceptOptions): z.infer<typeof acceptClueSchema> {
  return validated(acceptClueSchema, { decidedBy: o.by, unitId: o.unit, note: o.note ?? '' }, 'acceptance', {
    decidedBy: '--by',
    unitId: '--unit',
    note: '--note',
  });
}

export interface AssignOptions {
  by?: string;
  unit?: string;
  reason?: string;
}

export function assignPayload(o: AssignOptions): z.infer<typeof assignClueSchema> {
  return validated(assignClueSchema, { assignedBy: o.by, unitId: o.unit, reason: o.reason }, 'reassignment', {
    assignedBy: '--by',
    unitId: '--unit',
    reason: '--reason',
  });
}

export interface ReasonOptions {
  by?: string;
  reason?: string;
}

export function rejectPayload(o: ReasonOptions): z.infer<typeof rejectClueSchema> {
  return validated(rejectClueSchema, { decidedBy: o.by, reason: o.reason }, 'rejection', { decidedBy: '--by', reason: '--reason' });
}

export function extendPayload(o: ReasonOptions): z.infer<typeof extendClueSchema> {
  return validated(extendClueSchema, { approvedBy: o.by, reason: o.reason }, 'extension', { approvedBy: '--by', reason: '--reason' });
}

export interface VerifyOptions {
  by?: string;
  outcome?: string;
  amount?: string;
  findings?: string;
  action?: string;
  item?: string[];
  file?: string;
}

const VERIFY_FLAGS: Record<Exclude<keyof VerifyOptions, 'file'>, string> = {
  by: '--by',
  outcome: '--outcome',
  amount: '--amount',
  findings: '--findings',
  action: '--action',
  item: '--item',
};

/** The conclusion (`clue verify`), from flags or from --file (the whole payload: handledBy, outcome, verifiedFen, …). */
export function verifyPayload(o: VerifyOptions, read: (file: string) => unknown = readPayloadFile): z.infer<typeof concludeClueSchema> {
  const flagged = (Object.keys(VERIFY_FLAGS) as (keyof typeof VERIFY_FLAGS)[]).filter((k) =>
    Array.isArray(o[k]) ? o[k].length > 0 : o[k] !== undefined,
  );
  if (o.file) {
    if (flagged.length)
      throw new UsageError(
        `--file cannot be combined with ${flagged.map((k) => VERIFY_FLAGS[k]).join(', ')}: the file holds the whole payload`,
      );
    return validated(concludeClueSchema, read(o.file), 'conclusion', { file: o.file });
  }
  const verifiedFen = yuanToFen('--amount', o.amount);
  return validated(
    concludeClueSchema,
    {
      handledBy: o.by,
      outcome: o.outcome,
      ...(verifiedFen !== undefined && { verifiedFen }),
      findings: o.findings,
      action: o.action,
      items: (o.item ?? []).map(parseItem),
    },
    'conclusion',
    { handledBy: '--by', outcome: '--outcome', verifiedFen: '--amount', findings: '--findings', action: '--action', items: '--item' },
  );
}

export interface RewardOptions {
  by?: string;
  amount?: string;
  reason?: string;
}

export function rewardPayload(o: RewardOptions): z.infer<typeof approveRewardSchema> {
  const amountFen = yuanToFen('--amount', o.amount);
  return validated(
    approveRewardSchema,
    { approvedBy: o.by, ...(amountFen !== undefined && { amountFen }), reason: o.reason ?? '' },
    'reward approval',
    { approvedBy: '--by', amountFen: '--amount', reason: '--reason' },
  );
}

export interface ClaimOptions {
  by?: string;
  reference?: string;
  at?: string;
}

export function claimPayload(o: ClaimOptions, now = new Date()): z.infer<typeof claimRewardSchema> {
  return validated(claimRewardSchema, { paidBy: o.by, paidAt: o.at ?? now.toISOString(), reference: o.reference }, 'reward claim', {
    paidBy: '--by',
    paidAt: '--at',
    reference: '--reference',
  });
}

export interface ToldOptions {
  event?: string;
  by?: string;
  how?: string;
  at?: string;
}

export function toldPayload(o: ToldOptions, now = new Date()): z.infer<typeof reporterToldSchema> {
  return validated(reporterToldSchema, { event: o.event, toldBy: o.by, how: o.how, at: o.at ?? now.toISOString() }, 'reporter notice', {
    event: '--event',
    toldBy: '--by',
    how: '--how',
    at: '--at',
  });
}
