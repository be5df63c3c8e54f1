// A small campaign's api: input, status and query.
import { defineQuery } from '@temporalio/workflow';
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
  finished: number;
}

export const campaignStatusQuery = defineQuery<CampaignStatus>('status');

/** The workflow type's name and signature, to start it by name from outside the workflow bundle. */
export const CAMPAIGN_WORKFLOW_TYPE = 'inspectionCampaign';
export type CampaignWorkflow = (input: CampaignInput) => Promise<CampaignStatus>;
