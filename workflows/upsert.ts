// Upserting a workflow's search attributes from workflow code. Since 1.1 the upserts also carry what the Web UI's list
// shows leadership (the stage in Chinese, the institution's name, a case's referrals awaiting acknowledgement): more
// in a command that 1.0 histories recorded without it, so those only where the patch applies (samples-typescript
// patching-api: `patched` now, `deprecatePatch` once no 1.0 workflow runs, then plain code).
import { patched, upsertSearchAttributes } from '@temporalio/workflow';
import { searchAttributes, type SearchAttributeValues } from './search-attributes';

export const WEB_UI_LABELS_PATCH = 'web-ui-labels';

/** The attributes the Web UI's list columns show; only where the patch applies. */
export type WebUiLabels = Pick<SearchAttributeValues, 'institutionName' | 'stageLabel' | 'referralAwaitingAck'>;

/** Whether this run sets the labels (in replay: whether its history did). */
export const setsWebUiLabels = (): boolean => patched(WEB_UI_LABELS_PATCH);

/** Upserts `values`, and `labels` where the patch applies; nothing when there is nothing to set. */
export function upsertWithLabels(values: SearchAttributeValues, labels: WebUiLabels): void {
  const pairs = searchAttributes(setsWebUiLabels() ? { ...values, ...labels } : values);
  if (pairs.length > 0) upsertSearchAttributes(pairs);
}
