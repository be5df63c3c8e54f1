// The Web UI list links leadership starts from (the `npm start` banner, README "What leadership sees in the Web UI"):
// visibility queries over the search attributes of workflows/search-attributes.ts. Pure: the caller gives the instant.
import { DateTime } from 'luxon';
import { CASE_WORKFLOW_TYPE } from '../workflows/case/api';

/**
 * The weekly report's workflow type, as DESIGN §5 names it (`weeklyReport`, issue 13 item 3). It does not exist yet:
 * the assumption is that its Schedule starts one workflow per week under this type (a Schedule appends its own suffix
 * to the id, so the list selects by type and start time, not by id).
 */
export const WEEKLY_REPORT_WORKFLOW_TYPE = 'weeklyReport';

export interface UiLink {
  /** What leadership calls the list (逾期检查 …). */
  label: string;
  query: string;
}

/** The lists of the banner and the README, as of `now` in the jurisdiction's time zone. */
export function leadershipLists(now: Date, timeZone: string): UiLink[] {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  const weekStart = local.startOf('week').toUTC().toISO({ suppressMilliseconds: true });
  return [
    { label: '逾期检查', query: 'WorkflowType="inspection" AND Overdue=true AND ExecutionStatus="Running"' },
    { label: '本年案件', query: `WorkflowType="${CASE_WORKFLOW_TYPE}" AND CampaignYear=${local.year}` },
    { label: '待回执移送', query: `WorkflowType="${CASE_WORKFLOW_TYPE}" AND ReferralAwaitingAck=true` },
    { label: '本周报表', query: `WorkflowType="${WEEKLY_REPORT_WORKFLOW_TYPE}" AND StartTime>="${weekStart}"` },
  ];
}

/** The Web UI's list page filtered by `query`. */
export const listUrl = (ui: string, namespace: string, query: string): string =>
  `${ui}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(query)}`;
