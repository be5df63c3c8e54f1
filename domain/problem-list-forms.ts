// The weekly 问题台账 as the lead office receives it: 附件1《行业部门集中整治自查发现问题台账》 of seed 002 as a grid of
// cells (the XLSX is written from it by activities/weekly-report-files.ts, as the weekly tables are), and the Chinese
// texts of the week: the reminder to a unit, the escalation to a task's leader, the mail to the lead office.
// Seed 002 names the annex but does not print its columns; they are the ones its text asks of the ledger
// ("建立问题台账，明确整改措施和时限") with the unit that fills it in, as the issue lists them.
import { SIGNATURE, type MessageText } from './inspection-messages';
import { PROBLEM_STATE_LABELS, type ProblemRow } from './problem-list';
import type { Cell, FormSheet, Merge } from './weekly-report-forms';

export const PROBLEM_LIST_TITLE = '行业部门集中整治自查发现问题台账';
/** The form's columns, in order. */
export const PROBLEM_LIST_HEADERS = ['序号', '责任单位', '发现问题', '整改措施', '整改时限', '整改状态'] as const;
/** Printed in a unit's row when it found nothing, and when its 台账 did not come by the deadline. */
export const NOTHING_FOUND = '本周无新发现问题';
export const NOT_SUBMITTED = '未按期报送';

/** What the week's 台账 lists: every unit due, in order, with its rows, or none when it did not submit. */
export interface WeekProblemList {
  jurisdictionName: string;
  campaignTitle: string;
  week: string;
  /** The deadline, local time ("2027-04-08 23:59"). */
  deadline: string;
  units: Array<{ name: string; rows: readonly ProblemRow[] | null }>;
}

/** The 台账 as one sheet: the title, the campaign and the week, the header, then each unit's rows (numbered). */
export function problemListForm(list: WeekProblemList): FormSheet {
  const width = PROBLEM_LIST_HEADERS.length;
  const body: Cell[][] = [];
  for (const { name, rows } of list.units) {
    if (rows === null) body.push([body.length + 1, name, NOT_SUBMITTED, null, null, null]);
    else if (rows.length === 0) body.push([body.length + 1, name, NOTHING_FOUND, null, null, null]);
    else for (const r of rows) body.push([body.length + 1, name, r.problem, r.measure, r.deadline, PROBLEM_STATE_LABELS[r.state]]);
  }
  const merges: Merge[] = [
    [1, 1, 1, width],
    [2, 1, 2, 3],
    [2, 4, 2, width],
  ];
  return {
    name: '问题台账',
    widths: [6, 16, 40, 40, 12, 10],
    rows: [
      [PROBLEM_LIST_TITLE, null, null, null, null, null],
      [`${list.jurisdictionName} ${list.campaignTitle}`, null, null, `截至 ${list.deadline}（${list.week}）`, null, null],
      [...PROBLEM_LIST_HEADERS],
      ...body,
    ],
    merges,
    grid: [3, 3 + body.length],
    headerRows: 1,
  };
}

/** "清溪区问题台账-2027-W14.xlsx". */
export const problemListFileName = (list: Pick<WeekProblemList, 'jurisdictionName' | 'week'>): string =>
  `${list.jurisdictionName}问题台账-${list.week}.xlsx`;

export function leadOfficeMessage(list: WeekProblemList, leadUnitName: string): MessageText {
  const missing = list.units.filter((u) => u.rows === null).map((u) => u.name);
  const rows = list.units.reduce((n, u) => n + (u.rows?.length ?? 0), 0);
  return {
    subject: `【问题台账】${list.campaignTitle} ${list.week}：${list.units.length - missing.length}/${list.units.length} 个单位已报送`,
    text:
      `${leadUnitName}：\n${list.campaignTitle}本周问题台账（截至 ${list.deadline}）见附件《${PROBLEM_LIST_TITLE}》，` +
      `共 ${rows} 条问题。` +
      (missing.length ? `\n未按期报送的单位：${missing.join('、')}（已报送责任领导）。` : '\n各责任单位均已按期报送。') +
      SIGNATURE,
  };
}

export function problemListReminderMessage(campaignTitle: string, unitName: string, deadline: string): MessageText {
  return {
    subject: `【催报】${campaignTitle}：本周问题台账请于 ${deadline} 前报送`,
    text:
      `${unitName}：\n请于 ${deadline} 前填写《${PROBLEM_LIST_TITLE}》（发现问题、整改措施、整改时限、整改状态）并报送，` +
      `本周无新发现问题的也请报送。贵单位本周尚未报送。${SIGNATURE}`,
  };
}

export function problemListEscalationMessage(
  campaignTitle: string,
  leaderName: string,
  deadline: string,
  unitNames: readonly string[],
): MessageText {
  return {
    subject: `【逾期督办】${campaignTitle}：${unitNames.length} 个责任单位未按期报送问题台账`,
    text:
      `${leaderName}：\n${campaignTitle}本周问题台账已于 ${deadline} 截止，您分管任务的以下责任单位未按期报送，请督促：\n` +
      unitNames.map((u, n) => `${n + 1}. ${u}`).join('\n') +
      SIGNATURE,
  };
}
