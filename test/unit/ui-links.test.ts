// The banner's list links: one query per list, over the search attributes that exist, as of the local week and year.
import { describe, expect, it } from 'vitest';
import { leadershipLists, listUrl } from '../../cli/ui-links';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

describe('leadership lists', () => {
  // Sunday 2027-01-03 20:00 in Shanghai: the year is 2027, the week began on Monday 2026-12-28 00:00 (16:00Z the day before).
  const lists = leadershipLists(new Date('2027-01-03T12:00:00Z'), 'Asia/Shanghai');

  it('gives the four lists of issue 13 with their queries in local terms', () => {
    expect(Object.fromEntries(lists.map(({ label, query }) => [label, query]))).toEqual({
      逾期检查: 'WorkflowType="inspection" AND Overdue=true AND ExecutionStatus="Running"',
      本年案件: 'WorkflowType="caseWorkflow" AND CampaignYear=2027',
      待回执移送: 'WorkflowType="caseWorkflow" AND ReferralAwaitingAck=true',
      本周报表: 'WorkflowType="weeklyReport" AND StartTime>="2026-12-27T16:00:00Z"',
    });
  });

  it('filters only on registered search attributes or system ones', () => {
    const known = new Set([...ALL_SEARCH_ATTRIBUTES.map((key) => key.name), 'WorkflowType', 'ExecutionStatus', 'StartTime']);
    for (const { query } of lists) for (const [, name] of query.matchAll(/(\w+)(?:=|>=)/g)) expect(known, query).toContain(name);
  });

  it('links to the list page of the namespace with the query encoded', () => {
    expect(listUrl('http://localhost:8233', 'default', 'CampaignYear=2027')).toBe(
      'http://localhost:8233/namespaces/default/workflows?query=CampaignYear%3D2027',
    );
  });
});
