// The flying checks' api (飞行检查): input, status, campaign id and query.
import { defineQuery } from '@temporalio/workflow';

/** DESIGN §5: at most 500 institutions per unit of fan-out (here: per start activity). */
export const MAX_FLYING_PAGE = 500;

export interface FlyingChecksInput {
  jurisdiction: string;
  year: number;
  /** Targets started per activity (1-500, default 500); smaller pages are for tests. */
  pageSize?: number;
}

export interface FlyingChecksStatus {
  stage: 'waiting' | 'inspecting' | 'completed';
  campaignId: string;
  seed?: string;
  random: string[];
  risk: string[];
  /** Institutions whose look-back (回头看) was ordered. */
  lookBacks: string[];
  /** Size of the eligible pool and of the excluded part of the jurisdiction. */
  eligible?: number;
  excluded?: number;
  pages?: number;
  started?: number;
  /** Drawn, but not started: inspected on site this year meanwhile, no clue or data lead. */
  refused?: string[];
  /** Started as a further on-site inspection of the year (with a clue / data lead). */
  extra?: string[];
  statementPeriod?: string;
  /** The campaign stops following its targets at this instant (ISO-8601). */
  trackUntil?: string;
  pending?: number;
  /** all-finished: every target's inspection is over; bound-passed: trackUntil came first (see `unfinished`). */
  outcome?: 'all-finished' | 'bound-passed';
  unfinished?: string[];
}

export const flyingChecksStatusQuery = defineQuery<FlyingChecksStatus>('status');
