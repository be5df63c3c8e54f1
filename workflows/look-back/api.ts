// A look-back's api (回头看): its input, status, workflow id and query.
import { defineQuery } from '@temporalio/workflow';
import { type InspectionStatus } from '../inspection/api';
import { type InspectedInstitution } from '../inspection/start';

export interface FlyingLookBackInput {
  jurisdiction: string;
  year: number;
  /** The flying campaign whose findings this follows. */
  campaignId: string;
  institution: InspectedInstitution;
  /** The inspection whose findings the look-back follows. */
  follows: string;
  /** When those findings were recorded (ISO-8601): the look-back is `lookBackAfterDays` later. */
  findingsAt: string;
  /** The flying campaign's seed; the team is drawn from `${drawSeed}:lookback`. */
  drawSeed: string;
  /** What the look-back follows up, in words (a special campaign's title); default the year's flying checks. */
  origin?: string;
}

/** What a look-back follows up: `{year}年飞行检查`, or the campaign its input names. */
export const lookBackOrigin = (input: Pick<FlyingLookBackInput, 'year' | 'origin'>): string => input.origin ?? `${input.year}年飞行检查`;
/** The title of a look-back (its inspection's campaign title). */
export const lookBackTitle = (input: Pick<FlyingLookBackInput, 'year' | 'origin'>): string => `${lookBackOrigin(input)}回头看`;

export interface FlyingLookBackStatus {
  stage: 'waiting' | 'inspecting' | 'completed';
  lookBackAt: string;
  inspectionId: string;
  follows: string;
  dueAt?: string;
  waitUntil?: string;
  /** inspected: the inspection is over; bound-passed: it was still open at waitUntil; failed: it failed. */
  outcome?: 'inspected' | 'bound-passed' | 'failed';
  inspectionStage?: InspectionStatus['stage'];
}

export const lookBackStatusQuery = defineQuery<FlyingLookBackStatus>('status');
