// One institution's inspection (domain/inspection.ts, domain/inspection-messages.ts): the Update payload schemas,
// amounts in fen, stage labels and the Chinese notification texts.
import { describe, expect, it } from 'vitest';
import {
  FINAL_STAGES,
  INSPECTION_STAGES,
  STAGE_LABELS,
  findingsSchema,
  formatYuan,
  recheckSchema,
  totalLossFen,
  type Findings,
} from '../../domain/inspection';
import {
  assignmentMessage,
  findingsOverdueMessage,
  institutionNoticeMessage,
  rectificationOrderMessage,
  type InspectionFacts,
} from '../../domain/inspection-messages';
import { formatPath } from '../../domain/validation';

/** The paths (`items[0].amountFen`) of the problems zod reports for `value`; empty when it is valid. */
function problemPaths(schema: typeof findingsSchema | typeof recheckSchema, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => formatPath(issue.path));
}

function validFindings(): Record<string, unknown> {
  return {
    inspectorId: 'I02',
    inspectedAt: '2027-05-06T10:00:00+08:00',
    violation: true,
    items: [
      { category: '串换项目', description: '将自费药品串换为医保目录内药品收费', amountFen: 123450, article: '条例第三十八条' },
      { category: '超标准收费', description: '床位费超标准收取' },
    ],
    note: '院方已签字确认',
  };
}

describe('findingsSchema', () => {
  it('accepts a valid payload', () => {
    const parsed = findingsSchema.parse(validFindings());
    expect(parsed.violation).toBe(true);
    expect(parsed.items).toHaveLength(2);
    expect(parsed.items[0].amountFen).toBe(123450);
    expect(parsed.items[1].amountFen).toBeUndefined();
  });

  it('defaults items to [] and note to "" for a payload without a violation', () => {
    const parsed = findingsSchema.parse({ inspectorId: 'I02', inspectedAt: '2027-05-06T10:00:00+08:00', violation: false });
    expect(parsed.items).toEqual([]);
    expect(parsed.note).toBe('');
  });

  it('accepts UTC (Z) and other offsets', () => {
    expect(problemPaths(findingsSchema, { ...validFindings(), inspectedAt: '2027-05-06T02:00:00Z' })).toEqual([]);
    expect(problemPaths(findingsSchema, { ...validFindings(), inspectedAt: '2027-05-06T02:00:00.123-05:00' })).toEqual([]);
  });

  it('trims and requires the inspector id and item texts', () => {
    expect(findingsSchema.parse({ ...validFindings(), inspectorId: '  I02 ' }).inspectorId).toBe('I02');
    expect(problemPaths(findingsSchema, { ...validFindings(), inspectorId: '   ' })).toEqual(['inspectorId']);
    const items = [{ category: ' ', description: '' }];
    expect(problemPaths(findingsSchema, { ...validFindings(), items }).sort()).toEqual(['items[0].category', 'items[0].description']);
  });

  it('rejects a non-integer amount in fen, naming items[0].amountFen', () => {
    const value = validFindings();
    (value.items as Record<string, unknown>[])[0].amountFen = 1234.5;
    expect(problemPaths(findingsSchema, value)).toEqual(['items[0].amountFen']);
    const result = findingsSchema.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toBe('expected an integer amount in fen');
  });

  it('rejects a negative amount', () => {
    const value = validFindings();
    (value.items as Record<string, unknown>[])[0].amountFen = -100;
    expect(problemPaths(findingsSchema, value)).toEqual(['items[0].amountFen']);
  });

  it('rejects an amount given as a string', () => {
    const value = validFindings();
    (value.items as Record<string, unknown>[])[1].amountFen = '100';
    expect(problemPaths(findingsSchema, value)).toEqual(['items[1].amountFen']);
  });

  it('rejects a missing inspectedAt', () => {
    const value = validFindings();
    delete value.inspectedAt;
    expect(problemPaths(findingsSchema, value)).toEqual(['inspectedAt']);
  });

  it.each(['2027-05-06T10:00:00', '2027-05-06', '2027-05-06 10:00:00+08:00', 'yesterday', '2027-13-06T10:00:00+08:00'])(
    'rejects inspectedAt %j (a date-time with offset is required)',
    (inspectedAt) => {
      const result = findingsSchema.safeParse({ ...validFindings(), inspectedAt });
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((i) => formatPath(i.path))).toEqual(['inspectedAt']);
      expect(result.error?.issues[0].message).toMatch(/offset/);
    },
  );

  it('rejects unknown keys (strict), at the top level and in items', () => {
    const result = findingsSchema.safeParse({ ...validFindings(), severity: 'high' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].code).toBe('unrecognized_keys');
    expect(result.error?.issues[0].message).toContain('severity');

    const value = validFindings();
    (value.items as Record<string, unknown>[])[0].amountYuan = 1234.5;
    const itemResult = findingsSchema.safeParse(value);
    expect(itemResult.success).toBe(false);
    expect(itemResult.error?.issues.map((i) => formatPath(i.path))).toEqual(['items[0]']);
    expect(itemResult.error?.issues[0].message).toContain('amountYuan');
  });

  it('rejects a violation without items, naming items', () => {
    const result = findingsSchema.safeParse({ ...validFindings(), items: [] });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => formatPath(i.path))).toEqual(['items']);
    // Also when items is left out (the default [] applies before the check).
    const withoutItems = validFindings();
    delete withoutItems.items;
    expect(problemPaths(findingsSchema, withoutItems)).toEqual(['items']);
  });

  it('rejects items when violation is false, naming violation', () => {
    const result = findingsSchema.safeParse({ ...validFindings(), violation: false });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => formatPath(i.path))).toEqual(['violation']);
  });

  it('rejects a violation flag that is not a boolean', () => {
    expect(problemPaths(findingsSchema, { ...validFindings(), violation: 'yes' })).toEqual(['violation']);
  });

  it('rejects non-objects', () => {
    for (const value of [null, undefined, 'findings', 42, []]) expect(findingsSchema.safeParse(value).success).toBe(false);
  });
});

describe('recheckSchema', () => {
  const valid = { inspectorId: 'I03', checkedAt: '2027-06-20T15:00:00+08:00', rectified: true, note: '已退回违规费用' };

  it('accepts a valid payload and defaults note to ""', () => {
    expect(recheckSchema.parse(valid)).toEqual(valid);
    const withoutNote: Record<string, unknown> = { ...valid };
    delete withoutNote.note;
    expect(recheckSchema.parse(withoutNote).note).toBe('');
  });

  it('rejects a checkedAt without offset', () => {
    expect(problemPaths(recheckSchema, { ...valid, checkedAt: '2027-06-20T15:00:00' })).toEqual(['checkedAt']);
  });

  it('rejects a missing rectified flag and a blank inspector', () => {
    const withoutFlag: Record<string, unknown> = { ...valid };
    delete withoutFlag.rectified;
    expect(problemPaths(recheckSchema, withoutFlag)).toEqual(['rectified']);
    expect(problemPaths(recheckSchema, { ...valid, inspectorId: '' })).toEqual(['inspectorId']);
  });

  it('rejects unknown keys', () => {
    const result = recheckSchema.safeParse({ ...valid, violation: false });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].code).toBe('unrecognized_keys');
  });
});

describe('amounts', () => {
  it('totalLossFen sums the amounts, counting missing ones as 0', () => {
    expect(totalLossFen([])).toBe(0);
    expect(
      totalLossFen([
        { category: 'a', description: 'x', amountFen: 123450 },
        { category: 'b', description: 'y' },
        { category: 'c', description: 'z', amountFen: 5 },
      ]),
    ).toBe(123455);
  });

  it.each([
    [0, '0.00 元'],
    [5, '0.05 元'],
    [99, '0.99 元'],
    [100, '1.00 元'],
    [123450, '1,234.50 元'],
    [100000000, '1,000,000.00 元'],
    [123456789, '1,234,567.89 元'],
  ])('formatYuan(%d) = %s', (fen, text) => {
    expect(formatYuan(fen)).toBe(text);
  });
});

describe('stages', () => {
  it('has a non-empty Chinese label for every stage, and no label for unknown stages', () => {
    for (const stage of INSPECTION_STAGES) {
      expect(STAGE_LABELS[stage], stage).toMatch(/\p{Script=Han}/u);
    }
    expect(Object.keys(STAGE_LABELS).sort()).toEqual([...INSPECTION_STAGES].sort());
  });

  it('labels are distinct, so leadership can tell the stages apart', () => {
    expect(new Set(Object.values(STAGE_LABELS)).size).toBe(INSPECTION_STAGES.length);
  });

  it('final stages are stages', () => {
    for (const stage of FINAL_STAGES) expect(INSPECTION_STAGES).toContain(stage);
    expect(FINAL_STAGES).not.toContain('assigned');
    expect(FINAL_STAGES).not.toContain('rectifying');
  });
});

describe('notification texts', () => {
  const facts: InspectionFacts = {
    jurisdictionName: '清溪区',
    campaignTitle: '2027年全覆盖现场检查',
    institutionName: '清溪区人民医院',
    teamNames: ['李强', '张华'],
    due: '2027-07-31 23:59',
  };

  it('rectificationOrderMessage lists every item with its amount, and the total', () => {
    const findings: Findings = findingsSchema.parse({
      inspectorId: 'I02',
      inspectedAt: '2027-05-06T10:00:00+08:00',
      violation: true,
      items: [
        { category: '串换项目', description: '将自费药品串换为医保目录内药品收费', amountFen: 123450 },
        { category: '超标准收费', description: '床位费超标准收取', amountFen: 5 },
        { category: '管理不规范', description: '病历书写不规范' },
      ],
    });
    const message = rectificationOrderMessage(facts, findings, '2027-06-05 23:59');
    expect(message.subject).toContain('限期整改');
    expect(message.subject).toContain('清溪区人民医院');
    expect(message.text).toContain('1. 串换项目：将自费药品串换为医保目录内药品收费（涉及金额 1,234.50 元）');
    expect(message.text).toContain('2. 超标准收费：床位费超标准收取（涉及金额 0.05 元）');
    // An item without an amount gets no amount text.
    expect(message.text).toContain('3. 管理不规范：病历书写不规范\n');
    expect(message.text).not.toMatch(/病历书写不规范（/);
    expect(message.text).toContain('合计 1,234.55 元');
    expect(message.text).toContain('2027-06-05 23:59');
    // Items appear in the order they were recorded.
    expect(message.text.indexOf('1. 串换项目')).toBeLessThan(message.text.indexOf('2. 超标准收费'));
    expect(message.text.indexOf('2. 超标准收费')).toBeLessThan(message.text.indexOf('3. 管理不规范'));
  });

  it('assignmentMessage says 四不两直 and asks for secrecy when the inspection is unannounced', () => {
    const message = assignmentMessage(facts, false);
    expect(message.text).toContain('四不两直');
    expect(message.text).toContain('保密');
    expect(message.text).toContain('李强、张华');
    expect(message.text).toContain('2027-07-31 23:59');
    expect(message.subject).toContain('清溪区人民医院');
  });

  it('assignmentMessage does not mention 四不两直 when the inspection is announced', () => {
    const message = assignmentMessage(facts, true);
    expect(message.text).not.toContain('四不两直');
    expect(message.text).not.toContain('保密');
    expect(message.text).toContain('已告知被检查机构');
  });

  it('the institution notice names the bureau and the deadline; the overdue message names the leader', () => {
    const notice = institutionNoticeMessage(facts);
    expect(notice.subject).toContain('清溪区医疗保障局');
    expect(notice.text).toContain('2027-07-31 23:59');
    const overdue = findingsOverdueMessage(facts, '周明远', '2027-08-10 09:00');
    expect(overdue.text.startsWith('周明远：')).toBe(true);
    expect(overdue.text).toContain('2027-08-10 09:00');
    expect(overdue.text).toContain('李强、张华');
  });

  it('messages are pure: the same facts give the same text', () => {
    expect(assignmentMessage(facts, false)).toEqual(assignmentMessage({ ...facts, teamNames: [...facts.teamNames] }, false));
  });
});
