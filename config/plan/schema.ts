// The whole plan: its sections in the order of the plan file (config/plans/demo.yaml), and the checks across fields.
import { z } from 'zod';
import { calendar, calendarProblems } from './calendar';
import { agencies, cases } from './cases';
import { closureReview } from './closure-review';
import { clueProblems, clues } from './clues';
import { creditProblems, creditRules } from './credit';
import { flyingCheck } from './flying';
import { demoCampaign, inspection, rectification, teamProblems } from './inspection';
import { INSTITUTION_LEVELS, inspectors, institutions, jurisdiction, leaders, referenceProblems, responsibleUnits } from './jurisdiction';
import { notifications, reminders } from './notifications';
import { penalties, penaltyProblems } from './penalties';
import { personPenalties } from './person-penalties';
import { points, pointsProblems, pointsWorkflow } from './points';
import { reminderOffsetProblems } from './reminder-offsets';
import { weeklyReport } from './weekly-report';
import type { Path } from './unchecked';

// The checks across fields, in the order their problems are listed. They read the plan as `unknown` (unchecked.ts).
const CROSS_CHECKS = [
  referenceProblems,
  calendarProblems,
  reminderOffsetProblems,
  teamProblems,
  creditProblems,
  penaltyProblems,
  pointsProblems,
  clueProblems,
];

// Sections whose every field has a default may be left out; `prefault({})` runs {} through the schema so the inner
// defaults apply (zod 4's `default` would return {} as is).
export const planSchema = z
  .strictObject({
    jurisdiction,
    leaders,
    responsibleUnits,
    institutions,
    inspectors,
    calendar,
    reminders,
    inspection,
    rectification,
    notifications,
    demoCampaign,
    flyingCheck,
    creditRules,
    penalties,
    personPenalties,
    points,
    pointsWorkflow,
    cases,
    closureReview,
    clues,
    agencies,
    weeklyReport,
  })
  // Runs even when fields are broken, so one run reports type errors and cross-reference errors together. zod still
  // skips it after an explicit abort (z.int(), a failing transform/pipe): keep those out of this schema.
  .superRefine(
    (plan, ctx) => {
      const report = (path: Path, message: string) => ctx.addIssue({ code: 'custom', path, message });
      for (const check of CROSS_CHECKS) check(plan, report);
    },
    { when: () => true },
  );

export type Plan = z.infer<typeof planSchema>;
/** What a plan file may contain before defaults apply (handy for test fixtures). */
export type PlanInput = z.input<typeof planSchema>;
export type Leader = Plan['leaders'][number];
export type ResponsibleUnit = Plan['responsibleUnits'][number];
export type Institution = Plan['institutions'][number];
export type Inspector = Plan['inspectors'][number];
export type InstitutionLevel = (typeof INSTITUTION_LEVELS)[number];
export type FlyingCheckSettings = Plan['flyingCheck'];
export type CreditRulesSettings = Plan['creditRules'];
export type PenaltyTableSettings = Plan['penalties'];
export type PointsSettings = Plan['points'];
export type CaseSettings = Plan['cases'];
export type ClosureReviewSettings = Plan['closureReview'];
export type AgencySettings = Plan['agencies'];
