// The weekly tables of seed 004 (DESIGN §5 weeklyReport): one workflow per jurisdiction and ISO week, which at the
// plan's weekday and time (calendar.weeklyReportWeekday, weeklyReport.time) reads the ledger as of that instant into
// the three tables, shows their figures in the Web UI and mails them as XLSX and CSV to the leadership group and the
// plan's recipients. Its id is the week's business key, so a week's report is made once, however often it is started.
// A Temporal Schedule runs `weeklyReportStarter` every week, which starts the week's report.
import {
  ParentClosePolicy,
  setCurrentDetails,
  setHandler,
  sleep,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { weeklyReportWorkflowId } from '../../domain/business-keys';
import { formatLocal, isoWeekOf } from '../../domain/calendar';
import { weeklyPeriod } from '../../domain/weekly-report';
import { weeklyReportSummary } from '../../domain/weekly-report-forms';
import { startPart } from '../annual-cycle/workflow';
import { runActivity } from '../activities';
import { ONE_RUN_PER_KEY } from '../business-key';
import { SCHEDULED_START_TIME, searchAttributes } from '../search-attributes';
import { msUntil } from '../waiting';
import { weeklyReportStatusQuery, type WeeklyReportInput, type WeeklyReportStarterInput, type WeeklyReportStatus } from './api';

export async function weeklyReport(input: WeeklyReportInput): Promise<WeeklyReportStatus> {
  const { jurisdiction, week } = input;
  const plan = await runActivity('loadPlanDigest', '读取监管计划', jurisdiction);
  const tz = plan.jurisdiction.timeZone;
  const { cutOff } = weeklyPeriod(week, plan.calendar.weeklyReportWeekday, plan.weeklyReport.time, tz);
  const status: WeeklyReportStatus = { week, stage: 'waiting', cutOff: cutOff.toISOString() };
  setHandler(weeklyReportStatusQuery, () => status);
  const name = plan.jurisdiction.name;
  upsertSearchAttributes(
    searchAttributes({ jurisdiction, campaignKind: 'weekly-report', year: Number(week.slice(0, 4)), dueAt: cutOff, stage: status.stage }),
  );

  // Started by hand before the week's cut-off: the tables are as of the cut-off, so they wait for it.
  if (cutOff > new Date()) {
    setCurrentDetails(`${name} 周报表 ${week}：${formatLocal(cutOff, tz)} 截止汇总并报送`);
    await sleep(msUntil(cutOff), { summary: `周报表截止 ${formatLocal(cutOff, tz)}` });
  }
  const tables = await runActivity('weeklyReportTables', `汇总周报表 ${week}（截至 ${formatLocal(cutOff, tz)}）`, {
    jurisdiction: { code: jurisdiction, name },
    week,
    timeZone: tz,
    weekday: plan.calendar.weeklyReportWeekday,
    time: plan.weeklyReport.time,
  });
  status.tables = tables;
  setCurrentDetails(`${weeklyReportSummary(tables)}\n\n报送中`);

  const leadership = { name: `${name}医保基金监管领导小组`, email: plan.notifications.leadershipEmail };
  const to = [leadership, ...plan.weeklyReport.recipients.filter((r) => r.email !== leadership.email)];
  await runActivity('sendWeeklyReport', `周报表报送 ${to.length} 个收件人`, { key: `${workflowInfo().workflowId}:mail`, tables, to });
  status.stage = 'sent';
  upsertSearchAttributes(searchAttributes({ stage: status.stage }));
  setCurrentDetails(`${weeklyReportSummary(tables)}\n\n已报送：${to.map((r) => r.name).join('、')}`);
  return status;
}

/**
 * What the weekly Schedule runs: starts the report of the week it was scheduled in (a start caught up after an outage
 * still makes that week's), under the week's id; a report already made or running is left as it is.
 */
export async function weeklyReportStarter(input: WeeklyReportStarterInput): Promise<string> {
  const week = isoWeekOf(workflowInfo().typedSearchAttributes.get(SCHEDULED_START_TIME) ?? new Date(), input.timeZone);
  const workflowId = weeklyReportWorkflowId(input.jurisdiction, week);
  return startPart(workflowId, () =>
    startChild(weeklyReport, {
      workflowId,
      ...ONE_RUN_PER_KEY,
      args: [{ jurisdiction: input.jurisdiction, week }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      staticSummary: `周报表 ${week}（${input.jurisdiction}）`,
    }),
  );
}
