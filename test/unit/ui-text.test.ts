// The leak finder the Web UI tests use: English codes and raw workflow ids in Chinese texts, and nothing else.
import { describe, expect, it } from 'vitest';
import { uiTextLeaks } from '../helpers/ui-text';

describe('uiTextLeaks', () => {
  it('finds the English codes and workflow ids that leaked into details before 1.1', () => {
    expect(
      uiTextLeaks('**清溪区人民医院** 案件 349901-demo-2026.H001：已整改\n\n处罚：awaiting-payment；移送 0 件', ['349901-demo-2026.H001']),
    ).toEqual(['awaiting-payment']);
    expect(uiTextLeaks('2027年 清溪区 年度监管：coverage:349901:2027、closure-review:349901:2027；年度总结 2027-12-18 09:00')).toEqual([
      'coverage:349901',
      'closure-review:349901',
    ]);
    expect(uiTextLeaks('移送public-security：sent')).toEqual(['public-security', 'sent']);
  });

  it('leaves Chinese text, dates, amounts, institution ids and list links alone', () => {
    expect(uiTextLeaks('清溪区人民医院（H001）：待检查；期限 2026-12-23 23:59；退回 1,234.50 元')).toEqual([]);
    expect(uiTextLeaks('[本次检查的机构](/namespaces/default/workflows?query=WorkflowType%3D%22inspection%22)')).toEqual([]);
  });
});
