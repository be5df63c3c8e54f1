// The typed search attributes leadership filters on in the Temporal Web UI (DESIGN §6). Search attributes are never
// encrypted, so they carry codes and stages only, never personal data.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const JURISDICTION = defineSearchAttributeKey('Jurisdiction', SearchAttributeType.KEYWORD);
export const CAMPAIGN_ID = defineSearchAttributeKey('CampaignId', SearchAttributeType.KEYWORD);
export const CAMPAIGN_KIND = defineSearchAttributeKey('CampaignKind', SearchAttributeType.KEYWORD);
export const INSTITUTION_ID = defineSearchAttributeKey('InstitutionId', SearchAttributeType.KEYWORD);
export const INSTITUTION_KIND = defineSearchAttributeKey('InstitutionKind', SearchAttributeType.KEYWORD);
export const STAGE = defineSearchAttributeKey('Stage', SearchAttributeType.KEYWORD);
export const CAMPAIGN_YEAR = defineSearchAttributeKey('CampaignYear', SearchAttributeType.INT);
export const DUE_AT = defineSearchAttributeKey('DueAt', SearchAttributeType.DATETIME);
export const OVERDUE = defineSearchAttributeKey('Overdue', SearchAttributeType.BOOL);

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
] as const;
