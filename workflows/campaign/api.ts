// A campaign's api: input, status and query. Two inputs: a small campaign's institution list (the demo before campaign
// files; its children report to it), or a campaign file whose targets are frozen in the ledger and fanned out in pages.
import { defineQuery } from '@temporalio/workflow';
import type { CampaignFile } from '../../config/campaign';
import { phaseDates, type CampaignPhaseDates } from '../../domain/campaign-file';
import type { RecheckShort, RecheckSummary } from '../../domain/recheck';
import type { CampaignFileRecord, CampaignProgress } from '../../records/types';
import { type InspectionStage } from '../../domain/inspection';
import { type InspectionInput, type InspectorCandidate, type Person } from '../inspection/api';

export interface CampaignInstitution {
  id: string;
  name: string;
  kind: 'hospital' | 'pharmacy';
  level: string | null;
  ownership: 'public' | 'private';
  district: string;
  contacts: Person[];
  responsibleUnitId: string;
}

export interface CampaignInput {
  jurisdiction: InspectionInput['jurisdiction'];
  campaign: { id: string; kind: string; title: string; year: number; dueAt: string; announced: boolean };
  institutions: CampaignInstitution[];
  inspectorPool: InspectorCandidate[];
  teamSize: number;
  reminders: InspectionInput['reminders'];
  lateWindowDays: number;
  responsibleUnits: Array<Person & { leaderId: string }>;
  leaders: Person[];
  /** Case rules: violations open a case (see InspectionInput.cases). */
  cases: InspectionInput['cases'];
}

export interface CampaignStatus {
  campaignId: string;
  drawSeed: string;
  total: number;
  byStage: Partial<Record<InspectionStage, number>>;
  overdue: string[];
  /** Inspections concluded (已办结): over without a case (domain/inspection-progress.ts `concludedCount`). */
  finished: number;
}

export const campaignStatusQuery = defineQuery<CampaignStatus>('status');

/** A campaign launched from a file (`jianguan campaign start FILE`, the `dev` demo): kind `targeted` or `recheck`. */
export interface FileCampaignInput {
  /** The jurisdiction's code: the worker's plan gives the rest. */
  jurisdiction: string;
  /** The file as validated against the plan (config/campaign/). */
  file: CampaignFile;
  /** Members per page of the start activity (default: full coverage's). */
  pageSize?: number;
}

export interface FileCampaignStatus {
  campaignId: string;
  stage: 'waiting' | 'running' | 'tracking' | 'completed' | 'cancelled';
  year: number;
  phases: CampaignPhaseDates[];
  dueAt: string;
  /** Targets frozen in the ledger (0 until the first phase starts). */
  members: number;
  /** The seed of the inspections' team draws, once the targets are frozen. */
  drawSeed?: string;
  started: number;
  /** Targets not started: their on-site inspection of the year was had already. */
  notStarted: string[];
  progress?: CampaignProgress;
  /** Inspections not yet made that the cancellation withdrew. */
  withdrawn?: number;
  /** Kind `recheck`: the sample drawn (picks of a pool of finished inspections), and the comparison once made. */
  recheck?: { seed: string; picked: number; pool: number; short: RecheckShort[]; summary?: RecheckSummary };
}

export const fileCampaignStatusQuery = defineQuery<FileCampaignStatus>('status');

/**
 * The ledger's record of a campaign file recorded at `at` (the start: relative phase dates are fixed from it). The
 * year is the file's, else its first phase's. Pure, for the campaign workflow and the CLI alike.
 */
export function campaignFileRecord(
  jurisdiction: string,
  timeZone: string,
  file: CampaignFile,
  at: Date,
): Omit<CampaignFileRecord, 'cancelled'> {
  const phases = phaseDates(file.phases, at, timeZone);
  return {
    campaignId: file.id,
    jurisdiction,
    kind: file.kind,
    title: file.title,
    year: file.year ?? Number(phases[0].startsOn.slice(0, 4)),
    definition: file,
    phases,
    tasks: file.tasks.map((t) => ({
      content: t.content,
      measures: t.measures,
      leaderId: t.leader,
      unitIds: t.units,
      deadline: t.deadline,
      ongoing: t.ongoing,
    })),
    recordedAt: at.toISOString(),
  };
}

export const isFileCampaign = (input: CampaignInput | FileCampaignInput): input is FileCampaignInput => 'file' in input;

/** The workflow type's name and signature, to start it by name from outside the workflow bundle. */
export const CAMPAIGN_WORKFLOW_TYPE = 'inspectionCampaign';
export type CampaignWorkflow = (input: CampaignInput | FileCampaignInput) => Promise<CampaignStatus | FileCampaignStatus>;
