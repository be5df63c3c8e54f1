// The one builder of typed search attributes: the keys given and only those, with their values as given (false, 0
// and '' included), in one fixed order whatever order the caller wrote.
import { describe, expect, it } from 'vitest';
import { ALL_SEARCH_ATTRIBUTES, searchAttributes } from '../../workflows/search-attributes';

const named = (pairs: ReturnType<typeof searchAttributes>) => pairs.map(({ key, value }) => [key.name, key.type, value]);

describe('searchAttributes', () => {
  it('builds every key, typed, in the order of ALL_SEARCH_ATTRIBUTES', () => {
    const dueAt = new Date('2026-12-23T15:59:00Z');
    const pairs = searchAttributes({
      overdue: false,
      dueAt,
      year: 2026,
      stage: 'assigned',
      institutionKind: 'hospital',
      institutionId: 'H001',
      campaignKind: 'demo',
      campaignId: '349901-demo-2026',
      jurisdiction: '349901',
      referralAwaitingAck: false,
      stageLabel: '待检查',
      institutionName: '清溪区人民医院',
    });
    expect(pairs.map(({ key }) => key)).toEqual([...ALL_SEARCH_ATTRIBUTES]);
    expect(named(pairs)).toEqual([
      ['Jurisdiction', 'KEYWORD', '349901'],
      ['CampaignId', 'KEYWORD', '349901-demo-2026'],
      ['CampaignKind', 'KEYWORD', 'demo'],
      ['InstitutionId', 'KEYWORD', 'H001'],
      ['InstitutionKind', 'KEYWORD', 'hospital'],
      ['Stage', 'KEYWORD', 'assigned'],
      ['CampaignYear', 'INT', 2026],
      ['DueAt', 'DATETIME', dueAt],
      ['Overdue', 'BOOL', false],
      ['InstitutionName', 'KEYWORD', '清溪区人民医院'],
      ['StageLabel', 'KEYWORD', '待检查'],
      ['ReferralAwaitingAck', 'BOOL', false],
    ]);
  });

  it('stays within the dev server limits: 10 Keyword attributes, 3 of every other type', () => {
    const byType = new Map<string, number>();
    for (const key of ALL_SEARCH_ATTRIBUTES) byType.set(key.type, (byType.get(key.type) ?? 0) + 1);
    for (const [type, count] of byType) expect(count, type).toBeLessThanOrEqual(type === 'KEYWORD' ? 10 : 3);
  });

  it('leaves out exactly the keys not given, and keeps false, 0 and empty values', () => {
    expect(named(searchAttributes({ stage: 'completed', overdue: true }))).toEqual([
      ['Stage', 'KEYWORD', 'completed'],
      ['Overdue', 'BOOL', true],
    ]);
    expect(named(searchAttributes({ stage: '', overdue: false, year: 0 }))).toEqual([
      ['Stage', 'KEYWORD', ''],
      ['CampaignYear', 'INT', 0],
      ['Overdue', 'BOOL', false],
    ]);
    expect(searchAttributes({})).toEqual([]);
  });
});
