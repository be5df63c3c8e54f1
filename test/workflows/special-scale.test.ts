// A special campaign of 5,000 targets (issue 12 item 8) rehearsed on the time-skipping server as `jianguan campaign
// rehearse` runs it, with one in twenty targets silent so that the investigation inspects the non-submitters. What is
// guarded: every target gets its self-check notice, and the campaign keeps within the server's limits (DESIGN §5) —
// its history, and the longest of the self-checks and inspections it starts, below 10,240 events; its targets are
// started by page activities, not as children, so it never holds more than 1,000 pending children.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rehearseCampaign } from '../../cli/rehearse/rehearse';
import { HISTORY_EVENTS_LIMIT, PENDING_CHILDREN_LIMIT } from '../../domain/rehearsal';
import { generatePlan } from '../helpers/generate-plan';

const TARGETS = 5_000;
// Phases counted from the day it starts, so the test does not depend on today's date.
const special = `id: special-scale
kind: special
title: 五千家机构专项整治演练
legalBasis: [《医疗保障基金使用监督管理条例》第三十八条]
targets:
  - all: true
phases:
  - { name: 自查自纠, end: { days: 10 } }
  - { name: 严肃查处, end: { days: 10 } }
  - { name: 建章立制, end: { days: 3 } }
selfCheck:
  checklist:
    - { category: 虚假诊疗, description: 诱导、协助他人冒名就医、虚构住院 }
  reportDue: { days: 7 }
  reminderOffsetsDays: [3, 1]
investigation:
  randomPercent: 0
`;

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'jianguan-special-scale-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The notices of a tag in the timeline: each line's count (`× 1,667 家`), 1 when it has none. */
function noticesTagged(lines: readonly string[], tag: string): number {
  return lines
    .filter((line) => line.includes(`  ${tag}  → `))
    .reduce((sum, line) => sum + Number((/ × ([\d,]+) /.exec(line)?.[1] ?? '1').replaceAll(',', '')), 0);
}

/** A figure of the report's history line (`主工作流 N 个事件`). */
function figure(lines: readonly string[], pattern: RegExp): number {
  const match = lines.map((line) => pattern.exec(line)).find(Boolean);
  if (!match) throw new Error(`${pattern} not in the report:\n${lines.join('\n')}`);
  return Number(match[1].replaceAll(',', ''));
}

it(
  'notifies all 5,000 targets and keeps every history and the pending children within the limits',
  async () => {
    const plan = await generatePlan({ count: TARGETS, dir });
    const file = path.join(dir, 'special.yaml');
    writeFileSync(file, special);

    const lines = await rehearseCampaign(file, { plan, silent: 5 });

    expect(lines.join('\n')).toMatch(/演练结束：工作流已完成/);
    expect(noticesTagged(lines, '自查自纠通知')).toBe(TARGETS);
    expect(noticesTagged(lines, '检查任务')).toBeGreaterThan(0);
    expect(figure(lines, /主工作流 ([\d,]+) 个事件/)).toBeLessThan(HISTORY_EVENTS_LIMIT);
    expect(figure(lines, /其启动的工作流最多 ([\d,]+) 个/)).toBeLessThan(HISTORY_EVENTS_LIMIT);
    expect(figure(lines, /子工作流 ([\d,]+) 个/)).toBeLessThanOrEqual(PENDING_CHILDREN_LIMIT);
  },
  20 * 60_000,
);
