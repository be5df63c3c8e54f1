// Campaign files (`jianguan campaign start FILE`): the schema, checked against the jurisdiction plan, and the loader.
export { CAMPAIGN_FILE_MAX_BYTES, loadCampaignFile, parseCampaignFile } from './load';
export { campaignFileSchema, type CampaignFile } from './schema';
export { DEMO_CAMPAIGN_FILE } from './demo';
