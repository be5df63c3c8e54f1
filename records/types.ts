// The record system (台账 ledger) as the rest of the project sees it. Implemented in records/store.ts
// over either embedded PGlite or a real PostgreSQL server; both speak the same SQL.
// Every write is idempotent (keyed by a business key), so an activity may retry it safely.
import type { InspectionStage } from '../domain/inspection';

export type { InspectionStage };

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
export type ExtraInspectionReason = 'clue' | 'data-lead';

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
  /** Members not yet inspected: no inspection row yet, or at stage assigned/overdue. Ordered by seq. */
  listUninspected(campaignId: string): Promise<UninspectedMember[]>;

  /**
   * Records an on-site inspection of an institution in a year. The first of the year is always allowed; another
   * only with a reason (clue or data lead), which is recorded. Idempotent per inspection id.
   */
  claimOnSiteInspection(claim: { jurisdiction: string; institutionId: string; year: number; inspectionId: string; reason?: ExtraInspectionReason }): Promise<OnSiteClaim>;

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

  /** Inspections of `year`'s campaigns in `jurisdiction` still open: rectifying, rectification-overdue or unrectified. */
  listOpenCases(jurisdiction: string, year: number): Promise<InspectionRecord[]>;
  /** Figures for the year-end summary, from the ledger. */
  yearSummary(jurisdiction: string, year: number): Promise<YearSummary>;

  /** Appends to the audit trail (append-only: the database refuses updates and deletes). */
  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(subjectId: string): Promise<AuditEntry[]>;
}
