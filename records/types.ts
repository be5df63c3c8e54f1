// The record system (台账 ledger) as the rest of the project sees it. Implemented in records/store.ts
// over either embedded PGlite or a real PostgreSQL server; both speak the same SQL.
// Every write is idempotent (keyed by a business key), so an activity may retry it safely.
import type { CaseStage, ReferralAgency } from '../domain/case';
import type { ClosureFacts, ClosureOutstanding } from '../domain/closure-review';
import type { RiskWeights } from '../domain/flying';
import type { InspectionStage } from '../domain/inspection';

export type { CaseStage, InspectionStage, ReferralAgency };

export type InstitutionKind = 'hospital' | 'pharmacy';

export interface InstitutionRecord {
  jurisdiction: string;
  id: string;
  name: string;
  kind: InstitutionKind;
  level: string | null;
  ownership: 'public' | 'private';
  district: string;
  /** The responsible unit (责任单位) that receives this institution's reminders; null for rows loaded before 0002. */
  responsibleUnitId?: string | null;
  /** Contacts that receive notices and rectification orders. */
  contacts?: Array<{ name: string; email: string }>;
}

/** An institution as a member of a campaign, numbered so shards can page through a frozen membership. */
export interface CampaignMember extends InstitutionRecord {
  seq: number;
}

export interface UninspectedMember {
  institutionId: string;
  name: string;
  responsibleUnitId: string | null;
  /** The inspection's stage, or null when its workflow has not recorded anything yet. */
  stage: InspectionStage | null;
}

export interface CampaignProgress {
  members: number;
  byStage: Partial<Record<InspectionStage, number>>;
  /** Members whose inspection has not recorded anything yet. */
  notStarted: number;
}

export type CreditGrade = 'A' | 'B' | 'C' | 'D' | 'E';

export interface CreditGradeRecord {
  jurisdiction: string;
  institutionId: string;
  year: number;
  grade: CreditGrade;
  inspectionId: string;
  decidedAt: string;
}

/** Why an institution gets a second on-site inspection in a year (DESIGN §2: one a year unless a clue or a data lead). */
export type ExtraInspectionReason = 'clue' | 'data-lead' | 'look-back';

/** An institution's on-site inspection of a year as the ledger records it (claimOnSiteInspection). */
export interface OnSiteInspectionRecord {
  jurisdiction: string;
  institutionId: string;
  year: number;
  inspectionId: string;
  /** Null for the year's first inspection when the claim gave no reason. */
  reason: ExtraInspectionReason | null;
  /** What requires it: clue numbers / data-anomaly ids, or the inspection a look-back follows. */
  reference: string | null;
  recordedAt: string;
}

export interface OnSiteClaim {
  /** False when the institution already had its on-site inspection this year and no reason was given. */
  allowed: boolean;
  /** The inspection ids already recorded for the institution this year (including this one when allowed). */
  inspections: string[];
}

export interface RiskSignalRecord {
  jurisdiction: string;
  institutionId: string;
  year: number;
  clues: number;
  dataAnomalies: number;
}

export interface FlyingPoolRow {
  id: string;
  name: string;
  kind: InstitutionKind;
  responsibleUnitId: string | null;
  contacts: Array<{ name: string; email: string }>;
  risk: { clues: number; dataAnomalies: number; lastYearFindings: number; creditGrade: CreditGrade | null };
  /** The institution's on-site inspections of the year so far (inspection ids). */
  onsite: string[];
  /**
   * References of the year's risk signals: each imported clue / data anomaly (risk_signal_items), and
   * `risk_signals:{institutionId}:{year}` for counts set without references (upsertRiskSignals).
   */
  references: string[];
}

export type RiskSignalKind = 'clue' | 'data-anomaly';

/** One risk signal (a clue, a data anomaly), as `jianguan risk import` brings it into the ledger. */
export interface RiskSignalItem {
  jurisdiction: string;
  /** The clue number or anomaly id; unique in the jurisdiction (an import is idempotent by it). */
  reference: string;
  institutionId: string;
  kind: RiskSignalKind;
  /** Local date YYYY-MM-DD; its year is the year of flying checks it weighs in. */
  date: string;
  note: string;
}

export interface RiskImportResult {
  /** References written now, and those already there with the same content. */
  inserted: string[];
  unchanged: string[];
  /** References already recorded with another institution, kind or date: when any, nothing is written. */
  conflicts: Array<{ reference: string; recorded: Omit<RiskSignalItem, 'jurisdiction'> }>;
}

/** A flying campaign's draw as recorded (and published): everything `jianguan draw verify --draw` needs to re-run it. */
export interface FlyingDrawRecord {
  format: 'jianguan-flying-draw/1';
  campaignId: string;
  jurisdiction: string;
  year: number;
  algorithm: string;
  seed: string;
  weights: RiskWeights;
  /** The plan's counts, and what was drawn after clamping to the eligible pool (clampDrawCounts). */
  requested: { random: number; risk: number };
  counts: { random: number; risk: number };
  /** The eligible pool with its risk figures (and the references that make a further inspection allowed). */
  pool: Array<{ id: string; name: string; kind: InstitutionKind; clues: number; dataAnomalies: number; lastYearFindings: number; creditGrade: CreditGrade | null; references: string[] }>;
  /** Not eligible: inspected on site this year already, with no clue or data anomaly. */
  excluded: Array<{ id: string; name: string; inspections: string[] }>;
  result: { random: string[]; risk: string[] };
  scores: Record<string, number>;
  recordedAt: string;
}

/** One target of a recorded flying draw, in draw order, with what the campaign needs to start and follow it. */
export interface FlyingTargetRecord {
  campaignId: string;
  seq: number;
  institutionId: string;
  how: 'random' | 'risk';
  score: number;
  /** Why a further on-site inspection this year is allowed (frozen at the draw); null without risk signals. */
  reason: 'clue' | 'data-lead' | null;
  references: string[];
  claim: 'first' | 'extra' | 'refused' | null;
  lookBackId: string | null;
  institution: { name: string; kind: InstitutionKind; contacts: Array<{ name: string; email: string }>; responsibleUnitId: string | null };
  /** The target's inspection in this campaign, as far as the ledger knows. */
  inspection: { stage: InspectionStage | null; violation: boolean | null; findingsAt: string | null };
}

export interface YearSummary {
  jurisdiction: string;
  year: number;
  campaigns: number;
  inspections: number;
  byStage: Partial<Record<InspectionStage, number>>;
  withViolations: number;
  lossFen: number;
  notificationsSent: number;
  grades: Partial<Record<CreditGrade, number>>;
  /** The cases opened in the year (whatever their stage now), and what they amount to. */
  cases: CaseFigures;
}

/** Figures over the cases opened in a year (YearSummary.cases). Amounts in integer fen. */
export interface CaseFigures {
  /** Cases opened in the year. */
  opened: number;
  /** Of those, still open (neither closed nor withdrawn). */
  open: number;
  closed: number;
  withdrawn: number;
  /** Fund loss to be returned, fines decided, and money paid so far on them. */
  lossFen: number;
  fineFen: number;
  paidFen: number;
  /** Referrals to other agencies made on them. */
  referrals: number;
}

export interface CampaignRecord {
  id: string;
  jurisdiction: string;
  kind: string;
  title: string;
  year: number;
  /** ISO-8601 instants. */
  startsAt: string;
  dueAt: string;
  /** Seed of the campaign's random draws, recorded so a draw can be re-run and checked. */
  drawSeed: string;
}


export interface InspectionRecord {
  /** The inspection workflow id, `inspection:{campaignId}:{institutionId}`. */
  id: string;
  campaignId: string;
  institutionId: string;
  team: string[];
  drawSeed: string;
  announced: boolean;
  stage: InspectionStage;
  dueAt: string;
  rectificationDueAt: string | null;
  updatedAt: string;
}

export interface FindingItem {
  category: string;
  description: string;
  /** Fund loss in fen (integer), when the item cost the fund money. */
  amountFen?: number;
  /** The regulation article the item falls under, e.g. "条例第三十八条". */
  article?: string;
}

export interface FindingsRecord {
  inspectionId: string;
  inspectorId: string;
  inspectedAt: string;
  violation: boolean;
  items: FindingItem[];
  note: string;
  recordedAt: string;
}

export type NotificationStatus = 'pending' | 'sent';

export interface NotificationRecord {
  /** Idempotency key: the same key is delivered at most once. */
  key: string;
  channel: string;
  recipient: string;
  subject: string;
  status: NotificationStatus;
  messageId: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** A violation case (案件) as the ledger keeps it; the case workflow owns it and saves it at every step. */
export interface CaseRecord {
  /** The case workflow id, `case:{jurisdiction}:{caseNo}` (the database refuses any other). */
  id: string;
  jurisdiction: string;
  caseNo: string;
  /** The year the case was opened. */
  year: number;
  institutionId: string;
  inspectionId: string | null;
  campaignId: string | null;
  stage: CaseStage;
  overdue: boolean;
  /** Not closed and not withdrawn (the database refuses a row where this disagrees with `stage`). */
  open: boolean;
  /** ISO-8601 instants; dueAt is the deadline of the current step, if any. */
  openedAt: string;
  dueAt: string | null;
  /** Integer fen, never negative: fund loss to be returned, fines decided, money paid so far. */
  lossFen: number;
  fineFen: number;
  /** Once the case has payments (recordPayment), their sum: a saveCase cannot set it to anything else. */
  paidFen: number;
  outcome: string | null;
  updatedAt: string;
}

export interface PaymentRecord {
  /** Idempotency key: a payment is recorded once per key. */
  key: string;
  caseId: string;
  /** Integer fen, at least 1. */
  amountFen: number;
  paidAt: string;
  reference: string;
  recordedBy: string;
}

export type ReferralStatus = 'sent' | 'overdue' | 'acknowledged' | 'unacknowledged';

/** A referral (移送) of a case to an agency; one per case and agency. */
export interface ReferralRecord {
  caseId: string;
  agency: ReferralAgency;
  reason: string;
  status: ReferralStatus;
  sentAt: string;
  /** The acknowledgement deadline. */
  dueAt: string;
  /** Set exactly when status is 'acknowledged'. */
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  reference: string | null;
  /**
   * Persons flagged for the discipline commission (人事同查) by the referral, as the decision named them (0005). Personal
   * data: the ledger keeps it, search attributes and logs never do. Left out on a save = none; always read back.
   */
  persons?: Array<{ name: string; role: string }>;
}

/** A practitioner's points deduction (医保支付资格记分) in a calendar year. */
export interface PointsDeductionRecord {
  /** Idempotency key: a deduction counts once per key. */
  key: string;
  practitionerId: string;
  year: number;
  /** Tier 1–4 of the rules; points 1–12. */
  tier: number;
  points: number;
  caseId: string | null;
  reason: string;
  decidedBy: string;
  decidedAt: string;
}

/** A practitioner's standing in a calendar year (医保支付资格), as the points workflow last wrote it. */
export interface PointsStatusRecord {
  practitionerId: string;
  year: number;
  /** The year's points so far (0 again next year). */
  total: number;
  eligibility: 'eligible' | 'suspended' | 'ended';
  /** Set exactly when suspended. */
  suspendedUntil: string | null;
  /** Set exactly when eligibility has ended: the end of the re-registration bar. */
  barredUntil: string | null;
  /** The year is over: points reset, a restriction still running was handed to next year. */
  closed: boolean;
  /** The workflow's count of state changes; a save with a lower version than the row's changes nothing. */
  version: number;
  updatedAt: string;
}

export interface CaseFilter {
  jurisdiction: string;
  /** The year the case was opened. */
  year?: number;
  open?: boolean;
  institutionId?: string;
}

/**
 * One of a year's open cases as the closure review sees it now: a case of the case workflow, or a rectification still
 * open in an inspection from before cases existed, with what the ledger knows about what keeps it open.
 */
export interface ClosureCase extends ClosureFacts {
  /** The case id (`case:{jurisdiction}:{caseNo}`) or the inspection id. */
  subjectId: string;
  /** 案件编号: the case's number; `{campaignId}.{institutionId}` for an inspection's rectification. */
  caseNo: string;
  institutionId: string;
  /** The institution's name from the ledger (its id when the ledger has no row). */
  institutionName: string;
  responsibleUnitId: string | null;
  /** Not closed or withdrawn (a case); still rectifying, overdue or unrectified (an inspection). */
  open: boolean;
}

/** A case's closing deadline (结案期限) set by a closure review, and what the review found at its end. */
export interface ClosureDeadlineRecord {
  /** The review's workflow id, `closure-review:{jurisdiction}:{year}`. */
  reviewId: string;
  jurisdiction: string;
  reviewYear: number;
  subjectType: 'case' | 'inspection';
  subjectId: string;
  caseNo: string;
  institutionId: string;
  /** ISO-8601 instants. */
  dueAt: string;
  setAt: string;
  /** Set once, at the end of the review. */
  result: 'closed' | 'open' | null;
  outstanding: ClosureOutstanding | null;
  reviewedAt: string | null;
}

export interface AuditEntry {
  /** Idempotency key: appending the same key twice keeps the first entry. */
  key: string;
  /** Who decided: an inspector, leader or administrator id, or `system` for automatic steps. */
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  reason: string;
  detail: Record<string, unknown>;
  /** When it happened (workflow time), ISO-8601. */
  at: string;
}

export interface Store {
  /** Which backend this store runs on. */
  readonly backend: 'pglite' | 'postgres';
  close(): Promise<void>;
  /** The ledger's identity, written once when it was created (0009): workers of one task queue must share it. */
  ledgerId(): Promise<string>;

  upsertInstitutions(rows: InstitutionRecord[]): Promise<void>;
  listInstitutions(jurisdiction: string): Promise<InstitutionRecord[]>;

  /** Inserts the campaign once; a second call with the same id keeps the first row. */
  ensureCampaign(row: CampaignRecord): Promise<CampaignRecord>;
  getCampaign(id: string): Promise<CampaignRecord | undefined>;

  /** Creates or updates an inspection row (keyed by id) and appends `audit` in the same transaction. */
  saveInspection(row: InspectionRecord, audit: AuditEntry): Promise<void>;
  getInspection(id: string): Promise<InspectionRecord | undefined>;
  listInspections(campaignId: string): Promise<InspectionRecord[]>;

  /**
   * Records findings (once per inspection: a second call keeps the first findings), saves the inspection row
   * (its new stage, rectification deadline) and appends `audit`, all in one transaction.
   */
  saveFindings(findings: FindingsRecord, inspection: InspectionRecord, audit: AuditEntry): Promise<void>;
  getFindings(inspectionId: string): Promise<FindingsRecord | undefined>;

  /**
   * Claims a notification key before delivery. Returns 'sent' if the key was already delivered (do nothing),
   * otherwise records it as pending and returns 'claimed'.
   */
  claimNotification(row: Omit<NotificationRecord, 'status' | 'messageId' | 'createdAt' | 'sentAt'>): Promise<'claimed' | 'sent'>;
  markNotificationSent(key: string, messageId: string): Promise<void>;
  getNotification(key: string): Promise<NotificationRecord | undefined>;
  listNotifications(filter?: { keyPrefix?: string }): Promise<NotificationRecord[]>;

  /**
   * Freezes a campaign's membership: every institution of `jurisdiction` in the ledger now, numbered by id order.
   * Idempotent: if the campaign already has members, nothing changes. Returns the member count.
   */
  addCampaignMembers(campaignId: string, jurisdiction: string): Promise<number>;
  /** Members with seq in [fromSeq, fromSeq + limit), in seq order. */
  listCampaignMembers(campaignId: string, fromSeq: number, limit: number): Promise<CampaignMember[]>;
  campaignProgress(campaignId: string): Promise<CampaignProgress>;
  /**
   * Members not yet inspected: no inspection row yet, or at stage assigned/overdue; with `givenUp`, also those whose
   * inspection gave up waiting (unreported). Ordered by seq.
   */
  listUninspected(campaignId: string, options?: { givenUp?: boolean }): Promise<UninspectedMember[]>;

  /**
   * Records an on-site inspection of an institution in a year. The first of the year is always allowed; another
   * only with a reason (clue, data lead, or a look-back following findings), which is recorded with its `reference`
   * (clue numbers / anomaly ids; the inspection a look-back follows: required for 'look-back'). Idempotent per
   * inspection id (a retry returns allowed, whatever reason it gives).
   */
  claimOnSiteInspection(claim: { jurisdiction: string; institutionId: string; year: number; inspectionId: string; reason?: ExtraInspectionReason; reference?: string }): Promise<OnSiteClaim>;
  /** An institution's on-site inspections of a year, in the order claimed. */
  listOnSiteInspections(jurisdiction: string, institutionId: string, year: number): Promise<OnSiteInspectionRecord[]>;

  /** Sets the institution's credit grade for the year (the latest inspection's grade wins). */
  saveCreditGrade(row: CreditGradeRecord, audit: AuditEntry): Promise<void>;
  getCreditGrade(jurisdiction: string, institutionId: string, year: number): Promise<CreditGradeRecord | undefined>;

  /** Sets clue and data-anomaly counts per institution and year (replacing earlier counts). */
  upsertRiskSignals(rows: RiskSignalRecord[]): Promise<void>;
  /**
   * The flying-check candidates of a jurisdiction with their risk factors for `year`: open clues and data anomalies
   * of the year, findings with violations in the year before, and the latest credit grade up to the year before.
   */
  flyingPool(jurisdiction: string, year: number): Promise<FlyingPoolRow[]>;
  /**
   * Imports risk signals, idempotent by (jurisdiction, reference), in one transaction: new references are written,
   * the same content again changes nothing; a reference recorded with another institution, kind or date is a
   * conflict, and then nothing at all is written.
   */
  importRiskSignals(items: RiskSignalItem[]): Promise<RiskImportResult>;
  /**
   * Records a flying campaign's draw, its targets (result.random then result.risk, numbered from 0) and `audit`, in
   * one transaction, unless the campaign has a draw already: the first draw recorded wins and is returned.
   */
  recordFlyingDraw(draw: FlyingDrawRecord, audit: AuditEntry): Promise<FlyingDrawRecord>;
  getFlyingDraw(campaignId: string): Promise<FlyingDrawRecord | undefined>;
  /** Targets with seq in [fromSeq, fromSeq + limit), in seq order. */
  listFlyingTargets(campaignId: string, fromSeq: number, limit: number): Promise<FlyingTargetRecord[]>;
  /** Records how the target's on-site claim went, and appends `audit` when given, in one transaction. */
  setFlyingTargetClaim(campaignId: string, institutionId: string, claim: 'first' | 'extra' | 'refused', audit?: AuditEntry): Promise<void>;
  /** Records the look-back ordered for the target (the first one recorded stays). */
  setFlyingTargetLookBack(campaignId: string, institutionId: string, lookBackId: string): Promise<void>;

  /** Inspections of `year`'s campaigns in `jurisdiction` still open: rectifying, rectification-overdue or unrectified. */
  listOpenCases(jurisdiction: string, year: number): Promise<InspectionRecord[]>;
  /**
   * Creates or updates a case (keyed by id) and appends `audit` in the same transaction. The identity (jurisdiction,
   * caseNo, year, institution, inspection, campaign, openedAt) is kept from the first save; stage, overdue, open,
   * dueAt, amounts, outcome and updatedAt follow the latest save. A save older than the row (updatedAt before the
   * row's) changes nothing but still appends its audit entry. Once the case has payments, paidFen stays their sum.
   */
  saveCase(row: CaseRecord, audit: AuditEntry): Promise<void>;
  getCase(id: string): Promise<CaseRecord | undefined>;
  /** Cases of a jurisdiction, optionally of one opening year, open or not, of one institution; by openedAt, id. */
  listCases(filter: CaseFilter): Promise<CaseRecord[]>;
  /** The open cases of a jurisdiction opened in `year` (listCases with open: true). */
  listOpenCaseRecords(jurisdiction: string, year: number): Promise<CaseRecord[]>;

  /**
   * Records a payment on a case once per key (a second call with the same key adds nothing; the same key with another
   * case or amount is refused), sets the case's paidFen to the sum of its payments and appends `audit`, all in one
   * transaction. Returns the case's total paid fen. The case must be in the ledger.
   */
  recordPayment(row: PaymentRecord, audit: AuditEntry): Promise<number>;
  /** A case's payments by paidAt, key. */
  listPayments(caseId: string): Promise<PaymentRecord[]>;

  /**
   * Creates or updates the referral of a case to an agency (keyed by caseId and agency) and appends `audit` in the
   * same transaction. An acknowledged referral stays acknowledged: a later save with another status changes nothing.
   */
  saveReferral(row: ReferralRecord, audit: AuditEntry): Promise<void>;
  /** A case's referrals by sentAt, agency. */
  listReferrals(caseId: string): Promise<ReferralRecord[]>;

  /**
   * Records a points deduction once per key (the same key with another practitioner, year or points is refused) and
   * appends `audit` in the same transaction. Returns the practitioner's total points of that year after it.
   */
  recordPointsDeduction(row: PointsDeductionRecord, audit: AuditEntry): Promise<number>;
  /** A practitioner's deductions of a year by decidedAt, key. */
  listPointsDeductions(practitionerId: string, year: number): Promise<PointsDeductionRecord[]>;
  /**
   * Saves a practitioner's standing of a year (keyed by practitioner and year; a save whose version is below the row's
   * changes nothing) and appends `audit`, when given, in the same transaction.
   */
  savePointsStatus(row: PointsStatusRecord, audit?: AuditEntry): Promise<void>;
  getPointsStatus(practitionerId: string, year: number): Promise<PointsStatusRecord | undefined>;

  /** The open cases of `year` for a closure review (case records and open rectifications of that year's inspections), by caseNo. */
  listClosureCandidates(jurisdiction: string, year: number): Promise<ClosureCase[]>;
  /**
   * Records closing deadlines and appends `audits`, in one transaction. A row already there (same review and subject)
   * is kept as it is (the first deadline wins), an audit key already there too. Returns the review's rows after it.
   */
  saveClosureDeadlines(rows: ClosureDeadlineRecord[], audits: AuditEntry[]): Promise<ClosureDeadlineRecord[]>;
  /** A review's cases with their deadlines and how they stand now, by caseNo. */
  listClosureCases(reviewId: string): Promise<Array<ClosureCase & { deadline: ClosureDeadlineRecord }>>;
  /**
   * Records the review's result per case (once: a row already reviewed keeps its result) and appends `audits`, in one
   * transaction.
   */
  saveClosureResults(reviewId: string, results: Array<{ subjectId: string; result: 'closed' | 'open'; outstanding: ClosureOutstanding; reviewedAt: string }>, audits: AuditEntry[]): Promise<void>;
  /** A case's (or inspection's) closing deadlines over all reviews, by review year. */
  listClosureDeadlines(subjectId: string): Promise<ClosureDeadlineRecord[]>;

  /** Figures for the year-end summary, from the ledger. */
  yearSummary(jurisdiction: string, year: number): Promise<YearSummary>;

  /** Appends to the audit trail (append-only: the database refuses updates and deletes). */
  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(subjectId: string): Promise<AuditEntry[]>;
}
