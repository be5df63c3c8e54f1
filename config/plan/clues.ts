// Tip-off clues (举报线索): who registers and decides on them, their time limits and the reporter's reward, each figure
// with its source. Left out, DEFAULT_CLUE_RULES of domain/clue.ts applies (the national figures, Sichuan's reward
// shares as the example of a provincial rule).
import { z } from 'zod';
import { checkRewardRule, DEFAULT_CLUE_RULES, type RewardRule } from '../../domain/clue';
import { citation, id, period, positiveInt } from './fields';
import { field, type Report } from './unchecked';

const percent = z.number().gt(0, 'must be above 0').max(100, 'must be at most 100');
const fen = z.number().int('expected whole fen').nonnegative('must not be negative').max(Number.MAX_SAFE_INTEGER);
const d = DEFAULT_CLUE_RULES;

const reward = z
  .strictObject({
    source: citation.default(d.reward.source),
    brackets: z
      .array(z.strictObject({ uptoFen: fen.optional(), percent }))
      .min(1, 'needs at least one bracket')
      .default(() => d.reward.brackets.map((b) => ({ ...b }))),
    floorFen: fen.default(d.reward.floorFen),
    capFen: fen.default(d.reward.capFen),
    claimMonths: positiveInt.default(d.reward.claimMonths),
    jointReport: z.enum(['split-equally', 'first-signatory']).default(d.reward.jointReport),
  })
  .prefault({});

export const clues = z
  .strictObject({
    /** The unit that registers clues and decides on acceptance (受理); defaults to the first responsible unit. */
    intakeUnitId: id.optional(),
    acceptance: period.default(d.acceptance),
    handling: period.default(d.handling),
    extension: period.default(d.extension),
    reporterNotice: period.default(d.reporterNotice),
    rewardApproval: period.default(d.rewardApproval),
    reminderOffsetsDays: z.array(positiveInt).default(() => [...d.reminderOffsetsDays]),
    escalationWindowDays: positiveInt.default(d.escalationWindowDays),
    maxEscalations: positiveInt.default(d.maxEscalations),
    sources: z
      .strictObject({
        acceptance: citation.default(d.sources.acceptance),
        handling: citation.default(d.sources.handling),
        reporterNotice: citation.default(d.sources.reporterNotice),
      })
      .prefault({}),
    reward,
  })
  .prefault({});

/** The reward rule's shape (ascending bounds, floor ≤ cap) and the intake unit's reference. */
export function clueProblems(plan: unknown, report: Report): void {
  const section = field(plan, 'clues') as { intakeUnitId?: unknown; reward?: RewardRule } | undefined;
  const rule = section?.reward;
  if (rule && Array.isArray(rule.brackets)) {
    try {
      checkRewardRule(rule);
    } catch (error) {
      const [where, message] = (error as Error).message.split(': ');
      report(['clues', ...where!.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part))], message!);
    }
  }
  const unitId = section?.intakeUnitId;
  const units = field(plan, 'responsibleUnits');
  if (typeof unitId === 'string' && Array.isArray(units) && !units.some((u) => (u as { id?: unknown }).id === unitId))
    report(['clues', 'intakeUnitId'], `${unitId} is not a responsible unit`);
}
