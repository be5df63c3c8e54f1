// The workflow bundle's entry point: every workflow type the worker registers.
export { inspection } from './inspection/workflow';
export { inspectionCampaign } from './campaign/workflow';
export { fullCoverage } from './coverage/workflow';
export { closureReview } from './closure-review/workflow';
export { annualCycle, yearStarter } from './annual-cycle/workflow';
export { flyingChecks } from './flying/workflow';
export { flyingLookBack } from './look-back/workflow';
export { caseWorkflow } from './case/workflow';
export { clueWorkflow } from './clue/workflow';
export { practitionerPoints } from './points/workflow';
export { ledgerIdentity } from './ledger-identity/workflow';
export { weeklyReport, weeklyReportStarter } from './weekly-report/workflow';
export { specialCampaign } from './special-campaign/workflow';
export { selfCheck } from './special-campaign/self-check';
export { problemLists } from './problem-list/workflow';
export { problemListWeek } from './problem-list/week';
export { personCase } from './person-case/workflow';
