// The typed search attributes leadership filters on in the Temporal Web UI (DESIGN §6). Search attributes are never
// encrypted, so they carry codes, stages and institutions' names only, never personal data (no person's name, phone,
// e-mail or reporter). The dev server allows 10 Keyword attributes and 3 of each other type: 8 and 2 Bool are used. Pure (no workflow API): workflows upsert the
// pairs `searchAttributes` builds, activities and the CLI start workflows with them.
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';

export const JURISDICTION = defineSearchAttributeKey('Jurisdiction', SearchAttributeType.KEYWORD);
export const CAMPAIGN_ID = defineSearchAttributeKey('CampaignId', SearchAttributeType.KEYWORD);
export const CAMPAIGN_KIND = defineSearchAttributeKey('CampaignKind', SearchAttributeType.KEYWORD);
export const INSTITUTION_ID = defineSearchAttributeKey('InstitutionId', SearchAttributeType.KEYWORD);
export const INSTITUTION_KIND = defineSearchAttributeKey('InstitutionKind', SearchAttributeType.KEYWORD);
export const STAGE = defineSearchAttributeKey('Stage', SearchAttributeType.KEYWORD);
export const CAMPAIGN_YEAR = defineSearchAttributeKey('CampaignYear', SearchAttributeType.INT);
export const DUE_AT = defineSearchAttributeKey('DueAt', SearchAttributeType.DATETIME);
export const OVERDUE = defineSearchAttributeKey('Overdue', SearchAttributeType.BOOL);
/** The institution's name, where a workflow is about one institution: the list's column leadership reads. */
export const INSTITUTION_NAME = defineSearchAttributeKey('InstitutionName', SearchAttributeType.KEYWORD);
/** The stage in Chinese (`限期整改中`), beside `Stage` (the code queries use). */
export const STAGE_LABEL = defineSearchAttributeKey('StageLabel', SearchAttributeType.KEYWORD);
/** A case has a referral (移送) still without the agency's acknowledgement (回执). */
export const REFERRAL_AWAITING_ACK = defineSearchAttributeKey('ReferralAwaitingAck', SearchAttributeType.BOOL);

/**
 * Set by the Temporal server on a workflow a Schedule started: the time the Schedule meant it for (a catch-up after
 * an outage runs later). A system attribute: never registered, never upserted.
 */
export const SCHEDULED_START_TIME = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

export const ALL_SEARCH_ATTRIBUTES = [
  JURISDICTION,
  CAMPAIGN_ID,
  CAMPAIGN_KIND,
  INSTITUTION_ID,
  INSTITUTION_KIND,
  STAGE,
  CAMPAIGN_YEAR,
  DUE_AT,
  OVERDUE,
  INSTITUTION_NAME,
  STAGE_LABEL,
  REFERRAL_AWAITING_ACK,
] as const;

/** The values of a workflow's search attributes; a value left out (undefined) is neither set nor changed. */
export interface SearchAttributeValues {
  jurisdiction?: string;
  campaignId?: string;
  /** The campaign kind (`coverage`, `flying`, `look-back`, `annual`, `case`, …). */
  campaignKind?: string;
  year?: number;
  institutionId?: string;
  institutionKind?: string;
  stage?: string;
  dueAt?: Date;
  overdue?: boolean;
  institutionName?: string;
  stageLabel?: string;
  referralAwaitingAck?: boolean;
}

/**
 * The typed pairs of the values given, in one fixed order (that of `ALL_SEARCH_ATTRIBUTES`), for a workflow's start
 * options (`typedSearchAttributes`) or `upsertSearchAttributes`. Only the keys whose value is given are in the list.
 */
export function searchAttributes(values: SearchAttributeValues): SearchAttributePair[] {
  const { jurisdiction, campaignId, campaignKind, year, institutionId, institutionKind, stage, dueAt, overdue } = values;
  const { institutionName, stageLabel, referralAwaitingAck } = values;
  const pairs: SearchAttributePair[] = [];
  if (jurisdiction !== undefined) pairs.push({ key: JURISDICTION, value: jurisdiction });
  if (campaignId !== undefined) pairs.push({ key: CAMPAIGN_ID, value: campaignId });
  if (campaignKind !== undefined) pairs.push({ key: CAMPAIGN_KIND, value: campaignKind });
  if (institutionId !== undefined) pairs.push({ key: INSTITUTION_ID, value: institutionId });
  if (institutionKind !== undefined) pairs.push({ key: INSTITUTION_KIND, value: institutionKind });
  if (stage !== undefined) pairs.push({ key: STAGE, value: stage });
  if (year !== undefined) pairs.push({ key: CAMPAIGN_YEAR, value: year });
  if (dueAt !== undefined) pairs.push({ key: DUE_AT, value: dueAt });
  if (overdue !== undefined) pairs.push({ key: OVERDUE, value: overdue });
  if (institutionName !== undefined) pairs.push({ key: INSTITUTION_NAME, value: institutionName });
  if (stageLabel !== undefined) pairs.push({ key: STAGE_LABEL, value: stageLabel });
  if (referralAwaitingAck !== undefined) pairs.push({ key: REFERRAL_AWAITING_ACK, value: referralAwaitingAck });
  return pairs;
}
