// An inspection's api: input, status, query, updates and the stage signal to its parent.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { type CreditRules } from '../../domain/credit';
import { type Findings, type InspectionStage, type Statement } from '../../domain/inspection';
import { type Period } from '../../domain/period';
import { type CaseContext } from '../case/context';

export interface Person {
  id: string;
  name: string;
  email: string;
}

export interface InspectorCandidate extends Person {
  conflicts: string[];
}

export interface InspectionInput {
  jurisdiction: { code: string; name: string; timeZone: string };
  campaign: { id: string; kind: string; title: string; year: number };
  institution: { id: string; name: string; kind: 'hospital' | 'pharmacy'; contacts: Person[] };
  inspectorPool: InspectorCandidate[];
  teamSize: number;
  /** The campaign's recorded draw seed; the team is drawn from it and the institution id. */
  drawSeed: string;
  /** Announced inspections tell the institution in advance; unannounced ones (四不两直) never do. */
  announced: boolean;
  /** Deadline for the findings, ISO-8601. */
  dueAt: string;
  reminders: { offsetsDays: number[]; timeOfDay: string };
  lateWindowDays: number;
  responsibleUnit: Person;
  leader: Person;
  /**
   * Signal each stage change to the parent (a small campaign shows live progress that way). Inspections a large
   * campaign starts from an activity have no parent; the campaign reads progress from the ledger.
   */
  reportToParent?: boolean;
  /** When given, the institution's credit grade for the year is set from the outcome (seed 000 item 3). */
  creditRules?: CreditRules;
  /**
   * Flying checks: findings with violations are first fed back, and the institution may state its case (陈述申辩)
   * within this period (days or working days, domain/period.ts) before the conclusion (a case, or a rectification order).
   */
  statementPeriod?: Period;
  /** Violations open a case (workflows/case/) that takes them from the rectification order up the escalation ladder. */
  cases: CaseContext;
  /**
   * A campaign's inspection (full coverage, targeted, special): it claims the institution's on-site inspection of the
   * year when its findings come, and ends as covered when another inspection had it first (visit.ts). Absent: the
   * starter claimed at the start (flying checks, look-backs, re-checks, inspections started before this field), or the
   * campaign does not claim.
   */
  claimOnSiteAtVisit?: boolean;
}

export interface InspectionStatus {
  inspectionId: string;
  institutionId: string;
  stage: InspectionStage;
  stageLabel: string;
  team: string[];
  dueAt: string;
  overdue: boolean;
  remindersSent: number;
  findings?: Findings;
  statementDueAt?: string;
  statement?: Statement;
  creditGrade?: string;
  /** The case opened for the violations, `case:{jurisdiction}:{caseNo}`. */
  caseId?: string;
  /** At stage `covered`: the inspections that had the institution's on-site inspection of the year before its visit. */
  coveredBy?: string[];
}

export interface StageChange {
  institutionId: string;
  stage: InspectionStage;
  overdue: boolean;
}

export const inspectionStatusQuery = defineQuery<InspectionStatus>('status');

export const recordFindingsUpdate = defineUpdate<InspectionStatus, [unknown]>('recordFindings');

export const submitStatementUpdate = defineUpdate<InspectionStatus, [unknown]>('submitStatement');

/** Sent to the parent campaign on every stage change, so it can show progress without polling. */
export const inspectionStageChangedSignal = defineSignal<[StageChange]>('inspectionStageChanged');
