// Full coverage's api: its input, status, campaign id and query.
import { defineQuery } from '@temporalio/workflow';
import type { CampaignProgress } from '../../records/types';

/** Members started by one activity: a page of the frozen membership. */
export const DEFAULT_PAGE_SIZE = 1_000;

export interface CoverageInput {
  jurisdiction: string;
  year: number;
  /** Members per page of the start activity (default DEFAULT_PAGE_SIZE). */
  pageSize?: number;
}

export interface CoverageStatus {
  campaignId: string;
  stage: 'waiting' | 'running' | 'tracking' | 'completed';
  members: number;
  /** Inspections started (or found started: a retried page, a restarted campaign). */
  started?: number;
  /** Members not started because they had their on-site inspection of the year already (DESIGN §2). */
  notStarted?: string[];
  dueAt: string;
  uncoveredAtDeadline?: number;
  /** Members still uninspected when the tracking ended. */
  uninspectedAtEnd?: number;
  progress?: CampaignProgress;
}

export const coverageStatusQuery = defineQuery<CoverageStatus>('status');
