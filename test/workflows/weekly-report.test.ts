// The weekly report on the time-skipping server with the real activities: the starter the Schedule runs starts the
// week's report under `weekly-report:{jurisdiction}:{YYYY-Www}`, which waits for the plan's weekday and time, reads
// the ledger as of then and mails the leadership group and the plan's recipients one mail with the XLSX and the CSV
// attached; started again, in the same week or after, it makes no second report. A past week's report goes at once.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import ExcelJS from 'exceljs';
import YAML from 'yaml';
import mammoth from 'mammoth';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PLAN_FILE, loadPlan, type Plan, type PlanInput } from '../../config';
import { weeklyReportWorkflowId } from '../../domain/business-keys';
import { isoWeekOf } from '../../domain/calendar';
import { weeklyPeriod } from '../../domain/weekly-report';
import { documentText } from '../../domain/documents';
import { weeklyReportStatusQuery } from '../../workflows/weekly-report/api';
import { weeklyReport, weeklyReportStarter } from '../../workflows/weekly-report/workflow';
import { createHarness, type Harness } from '../helpers/workflow-harness';
import { useServerPerTest } from '../helpers/workflow-test';

const J = '349901';
const TZ = 'Asia/Shanghai';
const fx = {} as { env: TestWorkflowEnvironment };
let harness: Harness;
let plan: Plan;
let dir: string;
let planFile: string;

beforeAll(async () => {
  const input = YAML.parse(readFileSync(DEFAULT_PLAN_FILE, 'utf8')) as PlanInput;
  input.weeklyReport = { time: '09:00', recipients: [{ name: '市医疗保障局基金管理筹备组', email: 'jijin@city.example.gov.cn' }] };
  dir = mkdtempSync(path.join(tmpdir(), 'jianguan-weekly-plan-'));
  planFile = path.join(dir, 'plan.yaml');
  writeFileSync(planFile, YAML.stringify(input));
  plan = await loadPlan(planFile);
});
useServerPerTest(fx);
beforeEach(async () => {
  harness = await createHarness(fx.env, { planFile });
}, 120_000);
afterEach(async () => {
  await harness?.close();
});

afterAll(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const weeklyMails = () => harness.sent.filter((m) => m.kind === 'weekly-report');

describe('weeklyReport (time-skipping)', () => {
  it("makes this week's report once at its cut-off, with both files attached to one mail", async () => {
    const { client } = fx.env;
    const now = new Date(await fx.env.currentTimeMs());
    const week = isoWeekOf(now, TZ);
    const { cutOff } = weeklyPeriod(week, 3, '09:00', TZ);
    const starter = {
      taskQueue: harness.taskQueue,
      args: [{ jurisdiction: J, timeZone: TZ }] as [{ jurisdiction: string; timeZone: string }],
    };
    const { id, mailsBefore } = await harness.run(async () => {
      const first = await client.workflow.execute(weeklyReportStarter, { ...starter, workflowId: `weekly-report-starter:${J}-1` });
      // Started again in the same week (a second firing, a catch-up): the same report, not a second one.
      const again = await client.workflow.execute(weeklyReportStarter, { ...starter, workflowId: `weekly-report-starter:${J}-2` });
      expect(again).toBe(first);
      const status = await client.workflow.getHandle(first).result();
      expect(status.stage).toBe('sent');
      const count = weeklyMails().length;
      // After the report: the starter again finds the week's report made (its id is taken for good).
      expect(await client.workflow.execute(weeklyReportStarter, { ...starter, workflowId: `weekly-report-starter:${J}-3` })).toBe(first);
      return { id: first, mailsBefore: count };
    });
    expect(mailsBefore).toBe(1);
    expect(id).toBe(weeklyReportWorkflowId(J, week));

    const mails = weeklyMails();
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    // Sent at the cut-off if it was still ahead, else at once.
    expect(mail!.at.getTime()).toBeGreaterThanOrEqual(Math.min(cutOff.getTime(), now.getTime()));
    expect(mail!.to).toEqual([plan.notifications.leadershipEmail, 'jijin@city.example.gov.cn']);
    expect(mail!.subject).toBe(`【周报表】${plan.jurisdiction.name}打击欺诈骗保工作周报表 ${week}`);
    expect(mail!.attachments.map((a) => a.filename)).toEqual([
      `${plan.jurisdiction.name}打击欺诈骗保工作周报表-${week}.xlsx`,
      `${plan.jurisdiction.name}打击欺诈骗保工作周报表-${week}.csv`,
    ]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(mail!.attachments[0]!.content) as unknown as ArrayBuffer);
    const one = book.getWorksheet('周报表（一）')!;
    const hospitals = plan.institutions.filter((i) => i.kind === 'hospital').length;
    expect(one.getCell('K6').value).toBe(`统筹区内定点医疗机构共${hospitals}家，检查定点医疗机构合计0家，其中现场检查0家。`);
    expect(Buffer.from(mail!.attachments[1]!.content).toString('utf8')).toContain('打击欺诈骗保工作周报表（三）');
  });

  it("makes a past week's report at once, its figures in the status", async () => {
    const { client } = fx.env;
    const now = new Date(await fx.env.currentTimeMs());
    const week = isoWeekOf(new Date(now.getTime() - 14 * 86_400_000), TZ);
    // A clue of a national batch decided in that week, its processing report filed: it goes upward with the tables.
    const { cutOff: weekCutOff } = weeklyPeriod(week, 3, '09:00', TZ);
    const decidedAt = new Date(weekCutOff.getTime() - 2 * 86_400_000).toISOString();
    const batch = {
      jurisdiction: J,
      source: 'national' as const,
      batchNo: 'GJ-W',
      batchDate: decidedAt.slice(0, 10),
      clueCount: 1,
      receivedAt: decidedAt,
    };
    await harness.store.saveClueBatch(batch);
    const report = documentText({
      title: `${plan.jurisdiction.name}医疗保障局关于举报线索 GJ-W-1 的处理报告`,
      paragraphs: ['一、线索来源：国家局移交。'],
      signature: `${plan.jurisdiction.name}医疗保障局`,
    });
    await harness.store.saveClue(
      {
        id: `clue:${J}:GJ-W-1`,
        jurisdiction: J,
        clueNo: 'GJ-W-1',
        year: Number(decidedAt.slice(0, 4)),
        receivedAt: decidedAt,
        channel: 'transferred',
        source: 'national',
        batchNo: 'GJ-W',
        batchDate: batch.batchDate,
        institutionId: null,
        subject: '某药店',
        summary: '串换药品',
        realName: false,
        reporterMasked: '匿名',
        stage: 'rejected',
        overdue: false,
        dueAt: null,
        unitId: null,
        outcome: null,
        verifiedFen: 0,
        action: null,
        concludedAt: decidedAt,
        caseId: null,
        rewardFen: 0,
        rewardPaidAt: null,
        rewardWaivedAt: null,
        report,
        updatedAt: decidedAt,
      },
      {
        key: 'weekly-test:clue',
        actor: 'test',
        action: 'test',
        subjectType: 'clue',
        subjectId: `clue:${J}:GJ-W-1`,
        reason: '',
        detail: {},
        at: decidedAt,
      },
    );
    const status = await harness.run(async () => {
      const handle = await client.workflow.start(weeklyReport, {
        taskQueue: harness.taskQueue,
        workflowId: weeklyReportWorkflowId(J, week),
        args: [{ jurisdiction: J, week }],
      });
      await handle.result();
      return handle.query(weeklyReportStatusQuery);
    });
    expect(status.stage).toBe('sent');
    expect(status.cutOff).toBe(weeklyPeriod(week, 3, '09:00', TZ).cutOff.toISOString());
    expect(status.tables?.table1.census.hospital.total).toBe(plan.institutions.filter((i) => i.kind === 'hospital').length);
    const mails = weeklyMails().filter((m) => m.subject.endsWith(week));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain('附：本周办结的国家局、省局转办线索处理报告 1 份。');
    const docx = mails[0]!.attachments[2]!;
    expect(docx.filename).toBe(`举报线索处理报告-${week}.docx`);
    const words = (await mammoth.extractRawText({ buffer: Buffer.from(docx.content) })).value;
    expect(words).toContain('关于举报线索 GJ-W-1 的处理报告');
  });
});
