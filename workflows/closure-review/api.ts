// The closure review's api (结案检查): input, status and query.
import { defineQuery } from '@temporalio/workflow';

export interface ClosureReviewInput {
  jurisdiction: string;
  /** The year of the review; it covers the cases of the year before. */
  year: number;
}

export interface ClosureReviewStatus {
  stage: 'waiting' | 'reviewing' | 'overdue' | 'completed';
  /** Cases given a closing deadline. */
  openAtStart?: number;
  /** Of those, still open at the latest notice. */
  openNow?: number;
  openAtDeadline?: number;
  /** Still open when the review ended (recorded per case in the ledger). */
  openAtEnd?: number;
  /** Case numbers still open at the end (at most 50; the ledger has them all). */
  openCaseNos?: string[];
  /** Escalations sent so far. */
  escalations?: number;
  dueAt: string;
}

export const closureReviewStatusQuery = defineQuery<ClosureReviewStatus>('status');
