// The workflow bundle's entry point: every workflow type the worker registers.
export { inspection } from './inspection';
export { inspectionCampaign } from './campaign';
export { fullCoverage } from './coverage';
export { closureReview } from './closure-review';
export { annualCycle, yearStarter } from './annual-cycle';
export { flyingChecks } from './flying';
export { flyingLookBack } from './look-back';
export { caseWorkflow } from './case/workflow';
export { practitionerPoints } from './points';
export { ledgerIdentity } from './ledger-identity';
