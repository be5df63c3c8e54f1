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
  /** The look-back's title (its inspection's campaign title); default `{year}年飞行检查回头看`. */
  title?: string;
}

/** The title of a look-back: its own, or a flying check's. */
export const lookBackTitle = (input: Pick<FlyingLookBackInput, 'year' | 'title'>): string => input.title ?? `${input.year}年飞行检查回头看`;

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
