// How flying checks (飞行检查) pick and treat their targets. Named `flyingCheck` (singular, like `inspection` and
// `rectification`): the HOW. The WHEN is `calendar.flyingChecks` (start/end dates). See domain/flying.ts for the draw.
import { z } from 'zod';
import { GRADE_RISK_WEIGHT } from '../../domain/credit';
import { DEFAULT_RISK_WEIGHTS, DEFAULT_STATEMENT_PERIOD } from '../../domain/flying';
import { nonNegativeInt, period, positiveInt } from './fields';

const riskWeight = nonNegativeInt;

export const flyingCheck = z
  .strictObject({
    /** Targets drawn uniformly at random (双随机). */
    randomCount: nonNegativeInt.default(4),
    /** Targets drawn with risk weights, among those not drawn at random. */
    riskCount: nonNegativeInt.default(4),
    /** Integer weights of the risk score (integers keep a published draw exactly reproducible). */
    riskWeights: z
      .strictObject({
        base: positiveInt.default(DEFAULT_RISK_WEIGHTS.base),
        clues: riskWeight.default(DEFAULT_RISK_WEIGHTS.clues),
        dataAnomalies: riskWeight.default(DEFAULT_RISK_WEIGHTS.dataAnomalies),
        lastYearFindings: riskWeight.default(DEFAULT_RISK_WEIGHTS.lastYearFindings),
        grades: z
          .strictObject({
            A: riskWeight.default(GRADE_RISK_WEIGHT.A),
            B: riskWeight.default(GRADE_RISK_WEIGHT.B),
            C: riskWeight.default(GRADE_RISK_WEIGHT.C),
            D: riskWeight.default(GRADE_RISK_WEIGHT.D),
            E: riskWeight.default(GRADE_RISK_WEIGHT.E),
          })
          .prefault({}),
      })
      .prefault({}),
    /**
     * The period the institution has to state its case (陈述申辩) on the fed-back findings before the conclusion;
     * default 5 working days (DEFAULT_STATEMENT_PERIOD, 《医疗保障基金飞行检查管理暂行办法》).
     */
    statementPeriod: period.optional(),
    /** Before statementPeriod: the same in calendar days. Still read (as `{ days: n }`) for existing plan files. */
    statementPeriodDays: positiveInt.optional(),
    /** Days after a flying check with findings until the look-back (回头看). */
    lookBackAfterDays: positiveInt.default(90),
    /** Days between the campaign's follow-ups of its targets in the ledger (finished visits, look-backs to order). */
    trackEveryDays: positiveInt.default(7),
  })
  .superRefine((settings, ctx) => {
    if (settings.statementPeriod !== undefined && settings.statementPeriodDays !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['statementPeriodDays'],
        message: 'give statementPeriod or the older statementPeriodDays, not both',
      });
    }
  })
  // `overwrite`, not `transform` (see dayOffsets in fields.ts): fills in the period from the older key or the default.
  .overwrite((settings) => ({
    ...settings,
    statementPeriod:
      settings.statementPeriod ??
      (settings.statementPeriodDays !== undefined ? { days: settings.statementPeriodDays } : DEFAULT_STATEMENT_PERIOD),
  }))
  .prefault({});
