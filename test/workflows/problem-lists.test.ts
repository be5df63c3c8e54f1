// The responsible tasks' weekly 问题台账 of a special campaign (seed 002 附件1), as a person runs it with the CLI against
// the time-skipping server. The file's weekday is chosen from the server's own clock so that the first deadline is
// three days ahead whatever today is; every date the test checks it computes from that clock with the domain's rules.
//
// What is guarded: the campaign starts the loop; `campaign ledger show` tells a week's state; in week 1 three units
// submit (YAML, CSV and the XLSX form itself), a bad 台账 is refused field by field with nothing recorded, the same one
// again changes nothing, a different one replaces it; in week 2 one unit is missing — reminded the day before,
// escalated at the deadline to its task's leader — and a task past its (non-ongoing) deadline no longer asks for one;
// the lead office gets one XLSX per week, read back cell by cell; no mail goes twice; cancelled, the campaign ends its
// loop and the week open.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@temporalio/client';
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { formsXlsx } from '../../activities/weekly-report-files';
import { dataConverterOfKeys } from '../../codec/data-converter';
import { problemListsWorkflowId, problemListWeekWorkflowId } from '../../domain/business-keys';
import { formatLocal, formatLocalDate } from '../../domain/calendar';
import { problemListForm, PROBLEM_LIST_HEADERS } from '../../domain/problem-list-forms';
import { firstWeek, nextWeek, weekDeadline, weekReminder, type SubmissionRules } from '../../domain/problem-list';
import { problemListsStatusQuery } from '../../workflows/problem-list/api';
import { until, useCliTestEnv, withCli, type RunCli } from '../helpers/cli-harness';
import { TEST_SEALING_KEY } from '../helpers/sealer';

const fx = useCliTestEnv('jianguan-problem-lists-');
const TZ = 'Asia/Shanghai';
const CAMPAIGN = 'ledger-special';

const write = (name: string, content: string | Buffer) => {
  const file = path.join(fx.dir, name);
  writeFileSync(file, content);
  return file;
};

/** The campaign file: task 1 ongoing (two units, leader-deputy-fund); task 2 ends with week 1 (one unit, the director). */
const campaignFile = (weekday: number, task2Deadline: string) => `id: ${CAMPAIGN}
kind: special
title: 医保基金管理突出问题专项整治
legalBasis: [《医疗保障基金使用监督管理条例》第三十八条]
targets:
  - { institutions: [H34990100001] }
phases:
  - { name: 自查自纠, end: { days: 40 } }
  - { name: 严肃查处, end: { days: 10 } }
  - { name: 建章立制, end: { days: 10 } }
selfCheck:
  checklist:
    - { category: 重复收费, description: 重复收费、超标准收费 }
ledgerSubmissions: { weekday: ${weekday}, leadUnit: party-office, reminderDaysBefore: 1 }
tasks:
  - { content: 整治欺诈骗保问题, measures: [自查自纠], leader: leader-deputy-fund, units: [fund-supervision, medical-services], deadline: 2099-12-31, ongoing: true }
  - { content: 严肃查处党员干部违法违规行为, measures: [警示教育], leader: leader-director, units: [audit-centre], deadline: ${task2Deadline} }
`;

const submit = (run: RunCli, file: string, unit: string) =>
  run('campaign', 'ledger', 'submit', file, '--campaign', CAMPAIGN, '--unit', unit);

async function sheetOf(content: Uint8Array): Promise<ExcelJS.Worksheet> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(content as unknown as ArrayBuffer);
  return book.worksheets[0]!;
}
const rowValues = (sheet: ExcelJS.Worksheet, n: number) => (sheet.getRow(n).values as unknown[]).slice(1);

describe('weekly 问题台账', () => {
  it('collects the units’ 台账 each week, reminds and escalates the missing, and sends the lead office one XLSX a week', async () => {
    await withCli(fx.env, fx.dir, async (run, harness) => {
      const now = DateTime.fromMillis(await fx.env.currentTimeMs(), { zone: TZ });
      const weekday = ((now.weekday + 2) % 7) + 1; // three days ahead
      const rules: SubmissionRules = { weekday, time: '23:59', reminderDaysBefore: 1, reminderTime: '09:00' };
      const week1 = firstWeek(now.toJSDate(), rules, TZ);
      const week2 = nextWeek(week1, TZ);
      const [deadline1, deadline2] = [weekDeadline(week1, rules, TZ), weekDeadline(week2, rules, TZ)];
      expect(formatLocalDate(deadline1, TZ)).toBe(now.plus({ days: 3 }).toISODate());

      expect(await run('campaign', 'start', write('campaign.yaml', campaignFile(weekday, formatLocalDate(deadline1, TZ))))).toMatch(
        /started/,
      );
      const client = new Client({ connection: fx.env.connection, dataConverter: dataConverterOfKeys([TEST_SEALING_KEY]) });
      const loop = client.workflow.getHandle(problemListsWorkflowId(CAMPAIGN));
      await until('week 1 open', async () => (await loop.query(problemListsStatusQuery)).week === week1);
      expect(await run('campaign', 'show', CAMPAIGN)).toMatch(
        /weekly 问题台账: due \w+day 23:59 to party-office, the missing reminded 1 day/,
      );

      // Week 1: a bad 台账 is refused, every problem named, nothing recorded.
      const bad = write('bad.yaml', '- { problem: 重复收费, measure: "", deadline: 2027-02-30, state: 已完成 }\n');
      const refused = await submit(run, bad, 'fund-supervision').then(
        () => '',
        (e: Error) => e.message,
      );
      expect(refused).toContain('rows[0].measure: required');
      expect(refused).toContain('rows[0].deadline: expected a date');
      expect(refused).toContain('rows[0].state: expected one of pending (未整改), rectifying (整改中), rectified (已整改)');
      const yaml = write('fund.yaml', '- { problem: 检验项目重复收费, measure: 退回并完善审核, deadline: 2099-06-30, state: 整改中 }\n');
      expect(await submit(run, yaml, 'fund-supervision')).toMatch(/^recorded: 基金监管股（fund-supervision）.* 1 条/);
      expect(await submit(run, yaml, 'fund-supervision')).toMatch(/^unchanged:/);
      const csv = write('services.csv', '序号,发现问题,整改措施,整改时限,整改状态\n1,集采药品未按规定结算,限期整改,2099-05-31,rectified\n');
      expect(await submit(run, csv, 'medical-services')).toMatch(/^recorded:/);
      const csv2 = write(
        'services2.csv',
        '发现问题,整改措施,整改时限,整改状态\n集采药品未按规定结算,限期整改,2099-05-31,已整改\n超量采购,约谈,2099-07-31,未整改\n',
      );
      expect(await submit(run, csv2, 'medical-services')).toMatch(/^replaced: .* 2 条.*第 2 版/);
      // The unit fills in the very form the lead office receives.
      const form = problemListForm({
        jurisdictionName: '清溪区',
        campaignTitle: '专项整治',
        week: week1,
        deadline: '',
        units: [
          {
            name: '医疗保障基金稽核中心',
            rows: [{ problem: '内控制度不健全', measure: '建立不相容岗位分离', deadline: '2099-03-31', state: 'pending' }],
          },
        ],
      });
      expect(await submit(run, write('audit.xlsx', await formsXlsx([form], new Date())), 'audit-centre')).toMatch(/^recorded:/);
      expect(await harness.store.listProblemLists(CAMPAIGN, week1)).toHaveLength(3);
      expect(await run('campaign', 'ledger', 'show', '--campaign', CAMPAIGN)).toMatch(
        /submitted +fund-supervision, medical-services \(revision 2\), audit-centre\n/,
      );

      await fx.env.sleep(deadline1.getTime() - (await fx.env.currentTimeMs()) + 60_000);
      await until('week 1 to the lead office', async () => harness.sent.some((m) => m.kind === 'problem-list-week'));
      await until('week 2 open', async () => (await loop.query(problemListsStatusQuery)).week === week2);
      expect(harness.sent.filter((m) => m.kind === 'problem-list-reminder' || m.kind === 'problem-list-escalation')).toEqual([]);

      // Week 2: one unit of task 1 submits, the other does not; task 2 has ended (not ongoing).
      await submit(run, yaml, 'fund-supervision');
      await expect(submit(run, yaml, 'audit-centre')).rejects.toThrow(
        /unit: "audit-centre" owes no 台账 in .*due: fund-supervision, medical-services/,
      );
      await fx.env.sleep(deadline2.getTime() - (await fx.env.currentTimeMs()) + 60_000);
      await until('week 2 escalated', async () => harness.sent.some((m) => m.kind === 'problem-list-escalation'));

      expect(await run('campaign', 'ledger', 'show', '--campaign', CAMPAIGN, '--week', week2)).toMatch(
        /closed: sent to the lead office[\s\S]*reminded +1\nmissing +medical-services; leaders told: 1/,
      );
      const reminders = harness.sent.filter((m) => m.kind === 'problem-list-reminder');
      expect(reminders.map((m) => [m.to, formatLocal(m.at, TZ)])).toEqual([
        [['yyfw@example.org'], formatLocal(weekReminder(deadline2, rules, TZ), TZ)],
      ]);
      const escalations = harness.sent.filter((m) => m.kind === 'problem-list-escalation');
      expect(escalations.map((m) => m.to)).toEqual([['lin.xiuying@example.org']]);
      expect(escalations[0]!.text).toContain('1. 医药服务管理股');
      expect(escalations[0]!.text).not.toContain('基金监管股');

      const weeks = harness.sent.filter((m) => m.kind === 'problem-list-week');
      expect(weeks.map((m) => [m.to, m.attachments.map((a) => a.filename)])).toEqual([
        [['djb@example.org'], [`清溪区问题台账-${week1}.xlsx`]],
        [['djb@example.org'], [`清溪区问题台账-${week2}.xlsx`]],
      ]);
      expect(weeks[1]!.subject).toContain('1/2 个单位已报送');
      const sheet1 = await sheetOf(weeks[0]!.attachments[0]!.content);
      expect(rowValues(sheet1, 1)[0]).toBe('行业部门集中整治自查发现问题台账');
      expect(rowValues(sheet1, 3)).toEqual([...PROBLEM_LIST_HEADERS]);
      expect([4, 5, 6, 7].map((n) => rowValues(sheet1, n))).toEqual([
        [1, '基金监管股', '检验项目重复收费', '退回并完善审核', '2099-06-30', '整改中'],
        [2, '医药服务管理股', '集采药品未按规定结算', '限期整改', '2099-05-31', '已整改'],
        [3, '医药服务管理股', '超量采购', '约谈', '2099-07-31', '未整改'],
        [4, '医疗保障基金稽核中心', '内控制度不健全', '建立不相容岗位分离', '2099-03-31', '未整改'],
      ]);
      const sheet2 = await sheetOf(weeks[1]!.attachments[0]!.content);
      expect(rowValues(sheet2, 5)).toEqual([2, '医药服务管理股', '未按期报送']);
      expect(sheet2.rowCount).toBe(5);
      expect(await harness.store.getProblemListWeek(CAMPAIGN, week2)).toMatchObject({
        unitsDue: ['fund-supervision', 'medical-services'],
        missing: ['medical-services'],
      });

      // No mail twice: neither under one key nor the same message under two.
      const keys = harness.sent.map((m) => m.key);
      expect(new Set(keys).size).toBe(keys.length);
      const messages = harness.sent.map((m) => `${m.kind} ${m.to.join()} ${m.subject}`);
      expect(new Set(messages).size).toBe(messages.length);

      // Cancelled, the campaign takes its loop and the week open with it.
      const week3 = client.workflow.getHandle(problemListWeekWorkflowId(CAMPAIGN, nextWeek(week2, TZ)));
      await until('week 3 open', async () => (await week3.describe()).status.name === 'RUNNING');
      await run('campaign', 'cancel', CAMPAIGN, '--reason', '测试结束');
      await until('the loop cancelled', async () => (await loop.describe()).status.name === 'CANCELLED');
      expect((await week3.describe()).status.name).toBe('CANCELLED');
    });
  });
});
