// The jurisdiction plan: everything a bureau may change about its own supervision work (who, which institutions,
// which dates, which periods) in one YAML file, validated with zod. See config/plans/demo.yaml for a sample. One
// module per section of the file; schema.ts puts them together, load.ts reads a file.
export { DEFAULT_CRIME_REFERRAL_MIN_LOSS_FEN, DEFAULT_FRAUD_CATEGORIES } from './cases';
export { PlanError, type PlanProblem } from './errors';
export { isMonthDay, period } from './fields';
export { DEFAULT_TEAM_SIZE } from './inspection';
export { DEFAULT_TIME_ZONE, INSTITUTION_LEVELS } from './jurisdiction';
export { holidayCalendarWarnings, loadPlan, parsePlan, PLAN_MAX_BYTES } from './load';
export {
  planSchema,
  type AgencySettings,
  type CaseSettings,
  type ClosureReviewSettings,
  type CreditRulesSettings,
  type FlyingCheckSettings,
  type Inspector,
  type Institution,
  type InstitutionLevel,
  type Leader,
  type PenaltyTableSettings,
  type Plan,
  type PlanInput,
  type PointsSettings,
  type ResponsibleUnit,
} from './schema';
