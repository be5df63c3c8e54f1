// The special campaign's api (专项整治, `jianguan campaign start FILE` of kind `special`): the campaign's input, status
// and query; and each target's self-check (自查自纠) workflow with its submission Update, which the CLI
// (`jianguan selfcheck submit`) and the start activity reach by name.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CampaignFile } from '../../config/campaign';
import { contactPersons, selfCheckWorkflowId } from '../../domain/business-keys';
import { formatLocal } from '../../domain/calendar';
import { SELF_CHECK_STAGE_LABELS } from '../../domain/stages';
import type { CampaignPhaseDates } from '../../domain/campaign-file';
import type { SpecialCampaignFigures } from '../../domain/self-check';
import type { ChecklistItem } from '../../domain/special-messages';
import { ONE_RUN_PER_KEY } from '../business-key';
import type { Person } from '../inspection/api';
import type { InspectedInstitution } from '../inspection/start';
import { searchAttributes } from '../search-attributes';

export const SPECIAL_CAMPAIGN_WORKFLOW_TYPE = 'specialCampaign';
export const SELF_CHECK_WORKFLOW_TYPE = 'selfCheck';

export interface SpecialCampaignInput {
  /** The jurisdiction's code: the worker's plan gives the rest. */
  jurisdiction: string;
  /** The file as validated against the plan (config/campaign/), kind `special`. */
  file: CampaignFile;
  /** Members per page of the start activities (default: full coverage's). */
  pageSize?: number;
}

export type SpecialCampaignStage = 'waiting' | 'self-check' | 'investigation' | 'rules' | 'completed' | 'cancelled';

export interface SpecialCampaignStatus {
  campaignId: string;
  stage: SpecialCampaignStage;
  year: number;
  phases: CampaignPhaseDates[];
  /** When the self-check reports are due, and when the self-check phase closes (no report after it). */
  reportDueAt: string;
  selfCheckClosesAt: string;
  /** Targets frozen in the ledger (0 until the first phase starts), with the seed of the draws. */
  members: number;
  drawSeed?: string;
  selfChecksStarted: number;
  /** Targets without a report when they were due, and when the phase closed. */
  missingAtDue?: number;
  missingAtClose?: number;
  lateAtClose?: number;
  /** The investigation: institutions selected, inspections started, and those not started (inspected on site this year). */
  selected?: number;
  inspectionsStarted: number;
  notInspected: string[];
  /** Look-backs (回头看) ordered at the last phase's start, one per institution with findings. */
  lookBacks?: number;
  /** The summary's figures, once recorded. */
  figures?: SpecialCampaignFigures;
  /** Self-checks and inspections the cancellation withdrew. */
  withdrawn?: number;
}

export const specialCampaignStatusQuery = defineQuery<SpecialCampaignStatus>('status');

/** One target's self-check, started by the campaign's page activity. */
export interface SelfCheckInput {
  jurisdiction: { code: string; name: string; timeZone: string };
  campaign: { id: string; title: string; year: number };
  institution: { id: string; name: string; kind: 'hospital' | 'pharmacy'; contacts: Person[] };
  checklist: ChecklistItem[];
  /** ISO instants: the report is due, and the phase closes (a report in between is late; none is taken after). */
  dueAt: string;
  closesAt: string;
  /** Reminders before `dueAt`, with the source of the offsets (the file's or the plan's). */
  reminders: { offsetsDays: number[]; timeOfDay: string };
}

/** What every self-check of a campaign shares (the start activity's input). */
export type SelfCheckContext = Omit<SelfCheckInput, 'institution'>;

/** Everything needed to start the self-check of `institution` through the client. Pure, for the start activity. */
export function selfCheckStartOptions(ctx: SelfCheckContext, institution: Omit<InspectedInstitution, 'responsibleUnitId'>) {
  const { campaign, jurisdiction } = ctx;
  const dueAt = new Date(ctx.dueAt);
  const input: SelfCheckInput = {
    ...ctx,
    institution: { id: institution.id, name: institution.name, kind: institution.kind, contacts: contactPersons(institution) },
  };
  return {
    workflowId: selfCheckWorkflowId(campaign.id, institution.id),
    ...ONE_RUN_PER_KEY,
    args: [input] as [SelfCheckInput],
    staticSummary: `${campaign.year}年 ${jurisdiction.name} ${campaign.title}：${institution.name} 自查自纠`,
    staticDetails: `自查报告期限 ${formatLocal(dueAt, jurisdiction.timeZone)}`,
    typedSearchAttributes: searchAttributes({
      jurisdiction: jurisdiction.code,
      campaignId: campaign.id,
      campaignKind: 'selfcheck',
      year: campaign.year,
      institutionId: institution.id,
      institutionKind: institution.kind,
      stage: 'open',
      dueAt,
      overdue: false,
      institutionName: institution.name,
      stageLabel: SELF_CHECK_STAGE_LABELS.open,
    }),
  };
}

export type SelfCheckStage = 'open' | 'submitted' | 'late' | 'missing';

export interface SelfCheckStatus {
  campaignId: string;
  institutionId: string;
  stage: SelfCheckStage;
  dueAt: string;
  closesAt: string;
  remindersSent: number;
  submittedAt?: string;
  refundedFen?: number;
}

export const selfCheckStatusQuery = defineQuery<SelfCheckStatus>('status');
/** The target's report (domain/self-check.ts selfCheckReportSchema); refused outside the phase and after the first. */
export const submitSelfCheckUpdate = defineUpdate<SelfCheckStatus, [unknown]>('submitSelfCheck');

export type SpecialCampaignWorkflow = (input: SpecialCampaignInput) => Promise<SpecialCampaignStatus>;
export type SelfCheckWorkflow = (input: SelfCheckInput) => Promise<SelfCheckStatus>;
