// Business keys (DESIGN §5): what an id may be made of, and every workflow id, Schedule id and derived campaign id,
// once. Workflow ids are business keys: a second start under the same key is refused, so every start is idempotent and
// a person can guess an id from what it is about. Ids hold codes only, never names of persons.
// Pure and imports nothing of the project: workflows, activities, the CLI and config share it. Changing a template
// here changes the id of every workflow started afterwards, and recorded histories and running workflows keep theirs.

/** A code used in ids (institution, inspector, practitioner, campaign): a letter or digit, then up to 63 of letters, digits, `.`, `_`, `-`. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** A case number (`{campaignId}.{institutionId}`, two ids and a dot): like an id, up to 200 characters. */
export const CASE_NO_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export const isId = (value: string): boolean => ID_PATTERN.test(value);

// Workflow ids of the yearly processes of a jurisdiction (`{jurisdiction}` is its GB/T 2260 code).

/** `annual:{jurisdiction}:{year}`: the annual cycle. */
export const annualCycleId = (jurisdiction: string, year: number): string => `annual:${jurisdiction}:${year}`;
/** `coverage:{jurisdiction}:{year}`: the year's full-coverage campaign. */
export const coverageWorkflowId = (jurisdiction: string, year: number): string => `coverage:${jurisdiction}:${year}`;
/** `closure-review:{jurisdiction}:{year}`: the March review of last year's open cases. */
export const closureReviewWorkflowId = (jurisdiction: string, year: number): string => `closure-review:${jurisdiction}:${year}`;
/** `flying:{jurisdiction}:{year}`: the year's flying checks. */
export const flyingWorkflowId = (jurisdiction: string, year: number): string => `flying:${jurisdiction}:${year}`;
/** `year-starter:{jurisdiction}`: the workflow the yearly Schedule runs (the Schedule appends its own suffix). */
export const yearStarterWorkflowId = (jurisdiction: string): string => `year-starter:${jurisdiction}`;
/** `annual-cycle:{jurisdiction}`: the Schedule that starts each year's cycle. */
export const annualScheduleId = (jurisdiction: string): string => `annual-cycle:${jurisdiction}`;
/** `weekly-report:{jurisdiction}:{YYYY-Www}`: the weekly tables of an ISO week, made once. */
export const weeklyReportWorkflowId = (jurisdiction: string, week: string): string => `weekly-report:${jurisdiction}:${week}`;
/** `weekly-report-starter:{jurisdiction}`: the workflow the weekly Schedule runs (the Schedule appends its own suffix). */
export const weeklyReportStarterWorkflowId = (jurisdiction: string): string => `weekly-report-starter:${jurisdiction}`;
/** `weekly-report:{jurisdiction}`: the Schedule that makes the weekly tables. */
export const weeklyScheduleId = (jurisdiction: string): string => `weekly-report:${jurisdiction}`;

// Workflow ids of campaigns and what they start.

/** `campaign:{jurisdiction}:{campaignId}`: a small campaign with live progress (the demo campaign). */
export const campaignWorkflowId = (jurisdiction: string, campaignId: string): string => `campaign:${jurisdiction}:${campaignId}`;
/** `inspection:{campaignId}:{institutionId}`: one institution's inspection in a campaign. */
export const inspectionWorkflowId = (campaignId: string, institutionId: string): string => `inspection:${campaignId}:${institutionId}`;
/** `selfcheck:{campaignId}:{institutionId}`: one target's self-check (自查自纠) in a special campaign. */
export const selfCheckWorkflowId = (campaignId: string, institutionId: string): string => `selfcheck:${campaignId}:${institutionId}`;
/** `problem-lists:{campaignId}`: a campaign's weekly 问题台账, one run a week (continue-as-new). */
export const problemListsWorkflowId = (campaignId: string): string => `problem-lists:${campaignId}`;
/** `problem-list:{campaignId}:{YYYY-Www}`: one week's 问题台账 of a campaign's responsible units. */
export const problemListWeekWorkflowId = (campaignId: string, week: string): string => `problem-list:${campaignId}:${week}`;
/** `look-back:{campaignId}:{institutionId}`: a flying check's look-back (回头看) at one target. */
export const lookBackWorkflowId = (campaignId: string, institutionId: string): string => `look-back:${campaignId}:${institutionId}`;
/** `case:{jurisdiction}:{caseNo}`: a violation case. */
export const caseWorkflowId = (jurisdiction: string, caseNo: string): string => `case:${jurisdiction}:${caseNo}`;
/** `person-case:{jurisdiction}:{caseNo}`: a case against an insured person; the number carries no personal data. */
export const personCaseWorkflowId = (jurisdiction: string, caseNo: string): string => `person-case:${jurisdiction}:${caseNo}`;
/** Case numbers are business keys: the inspection they came from names them, so opening a case twice is impossible. */
export const caseNoFor = (campaignId: string, institutionId: string): string => `${campaignId}.${institutionId}`;
/** `points:{practitionerId}:{year}`: a practitioner's points of one year. */
/** An institution's contacts as persons to notify, each with an id of its own (the institution's id and its place). */
export const contactPersons = (institution: { id: string; contacts: ReadonlyArray<{ name: string; email: string }> }) =>
  institution.contacts.map((c, n) => ({ id: `${institution.id}-contact-${n + 1}`, name: c.name, email: c.email }));

/** A clue's workflow: the jurisdiction and the clue number, never anything of the reporter. */
export const clueWorkflowId = (jurisdiction: string, clueNo: string): string => `clue:${jurisdiction}:${clueNo}`;
/** The case opened on a verified clue: one per clue. */
export const clueCaseNo = (clueNo: string): string => `clue.${clueNo}`;

export const pointsWorkflowId = (practitionerId: string, year: number): string => `points:${practitionerId}:${year}`;
/** `ledger:{taskQueue}`: the ledger identity of a task queue's workers. */
export const ledgerIdentityWorkflowId = (taskQueue: string): string => `ledger:${taskQueue}`;

// Campaign ids (the `CampaignId` search attribute, the ledger's campaign rows).

/** `{jurisdiction}-coverage-{year}`. */
export const coverageCampaignId = (jurisdiction: string, year: number): string => `${jurisdiction}-coverage-${year}`;
/** `{jurisdiction}-flying-{year}`. */
export const flyingCampaignId = (jurisdiction: string, year: number): string => `${jurisdiction}-flying-${year}`;
/** `{campaignId}-lookback`: the look-backs a flying campaign ordered. */
export const lookBackCampaignId = (flyingCampaignId: string): string => `${flyingCampaignId}-lookback`;
/** `{campaignId}-inspection`: the on-site inspections of a special campaign's 严肃查处 phase. */
export const specialInspectionCampaignId = (campaignId: string): string => `${campaignId}-inspection`;
/** `{jurisdiction}-clue-{clueNo}`: the flying check a verified clue ordered (its inspection's campaign). */
export const clueCheckCampaignId = (jurisdiction: string, clueNo: string): string => `${jurisdiction}-clue-${clueNo}`;
/** `{jurisdiction}-annual-{year}`: the annual cycle as a campaign. */
export const annualCampaignId = (jurisdiction: string, year: number): string => `${jurisdiction}-annual-${year}`;
/** `{jurisdiction}-closure-{year}`: the closure review as a campaign. */
export const closureCampaignId = (jurisdiction: string, year: number): string => `${jurisdiction}-closure-${year}`;
/** `{jurisdiction}-demo-{year}`: the demo campaign `jianguan dev` runs, one per jurisdiction and year. */
export const demoCampaignId = (jurisdiction: string, year: number): string => `${jurisdiction}-demo-${year}`;
