// The record system (台账 ledger) as the rest of the project sees it: one area per module under records/ledger/, each
// with its narrow interface and its record types, and the Store that openStore() returns, which is all of them over one
// database (PGlite or PostgreSQL; both speak the same SQL). Every write is idempotent (keyed by a business key), so an
// activity may retry it safely.
import type { AdoptedRuleLedger } from './ledger/adopted-rules';
import type { AuditLedger } from './ledger/audit';
import type { CampaignFileLedger } from './ledger/campaign-files';
import type { CampaignLedger } from './ledger/campaigns';
import type { CaseLedger } from './ledger/cases';
import type { ClueLedger } from './ledger/clues';
import type { ClosureReviewLedger } from './ledger/closure-review';
import type { FlyingLedger } from './ledger/flying';
import type { LedgerIdentity } from './ledger/identity';
import type { InspectionLedger } from './ledger/inspections';
import type { InstitutionLedger } from './ledger/institutions';
import type { NotificationLedger } from './ledger/notifications';
import type { PersonCaseLedger } from './ledger/person-cases';
import type { PointsLedger } from './ledger/points';
import type { ProblemListLedger } from './ledger/problem-lists';
import type { RecheckLedger } from './ledger/rechecks';
import type { RiskSignalLedger } from './ledger/risk-signals';
import type { SpecialCampaignLedger } from './ledger/special-campaigns';
import type { SummaryLedger } from './ledger/summary';
import type { TypicalCaseLedger } from './ledger/typical-cases';
import type { WeeklyReportLedger } from './ledger/weekly-report';

export type { CaseStage, ReferralAgency } from '../domain/case';
export type { InspectionStage } from '../domain/inspection';
export type * from './ledger/adopted-rules';
export type * from './ledger/audit';
export type * from './ledger/campaign-files';
export type * from './ledger/campaigns';
export type * from './ledger/cases';
export type * from './ledger/clues';
export type * from './ledger/closure-review';
export type * from './ledger/flying';
export type * from './ledger/identity';
export type * from './ledger/inspections';
export type * from './ledger/institutions';
export type * from './ledger/notifications';
export type * from './ledger/person-cases';
export type * from './ledger/points';
export type * from './ledger/problem-lists';
export type * from './ledger/rechecks';
export type * from './ledger/risk-signals';
export type * from './ledger/special-campaigns';
export type * from './ledger/summary';
export type * from './ledger/typical-cases';
export type * from './ledger/weekly-report';

/** The whole ledger: every area over one database, for callers that need several (the CLI, workers, tests). */
export interface Store
  extends
    LedgerIdentity,
    InstitutionLedger,
    CampaignLedger,
    CampaignFileLedger,
    InspectionLedger,
    RiskSignalLedger,
    FlyingLedger,
    CaseLedger,
    ClueLedger,
    PersonCaseLedger,
    PointsLedger,
    ClosureReviewLedger,
    SpecialCampaignLedger,
    ProblemListLedger,
    RecheckLedger,
    SummaryLedger,
    TypicalCaseLedger,
    AdoptedRuleLedger,
    WeeklyReportLedger,
    AuditLedger,
    NotificationLedger {
  /** Which backend this store runs on. */
  readonly backend: 'pglite' | 'postgres';
  close(): Promise<void>;
}
