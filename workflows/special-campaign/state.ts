// What the special campaign's phases share: its input and plan, the dates fixed at its start, and its status.
import { setCurrentDetails, sleep, upsertSearchAttributes } from '@temporalio/workflow';
import type { PlanDigest } from '../../activities/plan';
import { formatLocal } from '../../domain/calendar';
import { SPECIAL_CAMPAIGN_STAGE_LABELS } from '../../domain/stages';
import { searchAttributes, type SearchAttributeValues } from '../search-attributes';
import { msUntil } from '../waiting';
import type { SpecialCampaignInput, SpecialCampaignStatus } from './api';

export interface SpecialRun {
  input: SpecialCampaignInput;
  plan: PlanDigest;
  status: SpecialCampaignStatus;
  tz: string;
  /** `{jurisdiction} {title}`, the first line of the details. */
  headline: string;
}

/** Sleeps until `at` unless it has passed. */
export async function sleepUntil(r: SpecialRun, at: Date, what: string): Promise<void> {
  if (new Date() < at) await sleep(msUntil(at), { summary: `${what} ${formatLocal(at, r.tz)}` });
}

/** The campaign's details in the Web UI: the headline, the phase it is in, and `lines`. */
export function showDetails(r: SpecialRun, ...lines: string[]): void {
  const phases = r.status.phases.map((p) => `- ${p.name}：${p.startsOn} 至 ${p.endsOn}`).join('\n');
  setCurrentDetails([r.headline, phases, ...lines].join('\n\n'));
}

/** Upserts the campaign's stage with its Chinese label (the Web UI's StageLabel column), and `values`. */
export function upsertStage(r: SpecialRun, values: SearchAttributeValues = {}): void {
  const { stage } = r.status;
  upsertSearchAttributes(searchAttributes({ ...values, stage, stageLabel: SPECIAL_CAMPAIGN_STAGE_LABELS[stage] }));
}
