// The shapes of what staff send a clue (its Updates): the acceptance decision, an extension, the conclusion, the
// reward's approval and claim, and the record that a reporter without e-mail was told. Who may send which is the
// workflow's check (workflows/clue/handlers.ts); the shapes are checked here, every problem named by its field.
import { z } from 'zod';
import { CLUE_ACTIONS, CLUE_OUTCOMES } from './clue';
import { findingItemSchema, FINDING_ITEMS_MAX } from './inspection';
import { NAME_MAX, NOTE_MAX, requiredText } from './validation';

const person = requiredText(NAME_MAX);
const reason = requiredText(NOTE_MAX, { multiline: true });
const fen = z.number().int('expected an integer amount in fen').nonnegative('must not be negative').max(Number.MAX_SAFE_INTEGER);
const isoInstant = z.iso.datetime({ offset: true, message: 'expected an ISO-8601 date-time with offset, e.g. 2027-05-06T10:00:00+08:00' });

/** 受理: the clue is assigned to a responsible unit to verify. */
export const acceptClueSchema = z.strictObject({ decidedBy: person, unitId: person, note: z.string().max(NOTE_MAX).default('') });
export type AcceptClue = z.infer<typeof acceptClueSchema>;

/** 改派: a leader moves a clue under verification to another unit; the deadline stays. */
export const assignClueSchema = z.strictObject({ assignedBy: person, unitId: person, reason });
export type AssignClue = z.infer<typeof assignClueSchema>;

/** 不予受理, with the reason the reporter is told. */
export const rejectClueSchema = z.strictObject({ decidedBy: person, reason });
export type RejectClue = z.infer<typeof rejectClueSchema>;

/** A leader's approval of more time to verify (once per clue, at most the plan's extension). */
export const extendClueSchema = z.strictObject({ approvedBy: person, reason });
export type ExtendClue = z.infer<typeof extendClueSchema>;

/** The verification's conclusion; a case needs the items found (what the case's rectification order lists). */
export const concludeClueSchema = z
  .strictObject({
    handledBy: person,
    outcome: z.enum(CLUE_OUTCOMES, { error: `expected one of ${CLUE_OUTCOMES.join(', ')}` }),
    verifiedFen: fen.default(0),
    findings: reason,
    action: z.enum(CLUE_ACTIONS, { error: `expected one of ${CLUE_ACTIONS.join(', ')}` }),
    items: z.array(findingItemSchema).max(FINDING_ITEMS_MAX, `at most ${FINDING_ITEMS_MAX} items`).default([]),
  })
  .superRefine((c, ctx) => {
    if (c.outcome === 'unfounded' && c.action !== 'none')
      ctx.addIssue({ code: 'custom', path: ['action'], message: 'an unfounded clue leads to no action: use none' });
    if (c.outcome === 'unfounded' && c.verifiedFen > 0)
      ctx.addIssue({ code: 'custom', path: ['verifiedFen'], message: 'an unfounded clue has no verified amount' });
    if (c.action === 'case' && c.items.length === 0)
      ctx.addIssue({ code: 'custom', path: ['items'], message: 'a case needs at least one item found' });
  });
export type ConcludeClue = z.infer<typeof concludeClueSchema>;

/** A leader's approval of the reward: the computed amount, or another one with the reason. */
export const approveRewardSchema = z
  .strictObject({ approvedBy: person, amountFen: fen.optional(), reason: z.string().max(NOTE_MAX).default('') })
  .refine((a) => a.amountFen === undefined || a.reason.trim() !== '', {
    path: ['reason'],
    message: 'an amount other than the computed one needs a reason',
  });
export type ApproveReward = z.infer<typeof approveRewardSchema>;

/** The reward paid out on the reporter's claim. */
export const claimRewardSchema = z.strictObject({ paidBy: person, paidAt: isoInstant, reference: person });
export type ClaimReward = z.infer<typeof claimRewardSchema>;

/** A reporter without e-mail told by other means, by the handler. */
export const reporterToldSchema = z.strictObject({
  event: person,
  toldBy: person,
  how: z.enum(['phone', 'letter', 'in-person', 'sms'], { error: 'expected one of phone, letter, in-person, sms' }),
  at: isoInstant,
});
export type ReporterTold = z.infer<typeof reporterToldSchema>;
