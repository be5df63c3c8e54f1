// What one flying-check campaign's steps share: the plan, the season's dates, the campaign ids and the status.
import { workflowInfo } from '@temporalio/workflow';
import type { PlanDigest } from '../../activities/plan';
import { flyingCampaignId, lookBackCampaignId } from '../../domain/business-keys';
import { localInstant } from '../../domain/calendar';
import { flyingStatementPeriod } from '../../domain/flying';
import type { Period } from '../../domain/period';
import { holidayCalendar, type HolidayCalendar } from '../../domain/workdays';
import type { FlyingChecksInput, FlyingChecksStatus } from './api';

export interface FlyingRun {
  readonly input: FlyingChecksInput;
  readonly workflowId: string;
  readonly plan: PlanDigest;
  /** The jurisdiction's time zone. */
  readonly tz: string;
  /** The flying-check season (from the plan's calendar). */
  readonly startAt: Date;
  readonly endAt: Date;
  readonly campaignId: string;
  readonly lookBackId: string;
  readonly title: string;
  /** The institution's statement period (陈述申辩) after the findings. */
  readonly statementPeriod: Period;
  /** The holiday calendar periods count on: the built-in data with the plan's `calendar.holidays`. */
  readonly holidays: HolidayCalendar;
  readonly status: FlyingChecksStatus;
}

export function createFlyingRun(input: FlyingChecksInput, plan: PlanDigest): FlyingRun {
  const { jurisdiction, year } = input;
  const tz = plan.jurisdiction.timeZone;
  const { calendar, flyingCheck } = plan;
  const campaignId = flyingCampaignId(jurisdiction, year);
  return {
    input,
    workflowId: workflowInfo().workflowId,
    plan,
    tz,
    startAt: localInstant(year, calendar.flyingChecks.start, plan.reminders.timeOfDay, tz),
    endAt: localInstant(year, calendar.flyingChecks.end, calendar.endOfDay, tz),
    campaignId,
    lookBackId: lookBackCampaignId(campaignId),
    title: `${year}年飞行检查`,
    statementPeriod: flyingStatementPeriod(flyingCheck),
    holidays: holidayCalendar(calendar.holidays),
    status: { stage: 'waiting', campaignId, random: [], risk: [], lookBacks: [] },
  };
}
