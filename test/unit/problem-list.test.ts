// The weekly 问题台账's rules (domain/problem-list.ts, domain/problem-list-forms.ts): week deadlines and reminders in
// the plan's time zone, the units due while their tasks run, the missing ones and the leaders told, a submission
// checked field by field, the form written as XLSX and read back (also by the CLI's reader), and the campaign file's
// `ledgerSubmissions` checked against the plan.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { formsXlsx } from '../../activities/weekly-report-files';
import { readXlsxRows } from '../../cli/campaign/ledger';
import { DEFAULT_PLAN_FILE, loadPlan } from '../../config';
import { campaignFileSchema } from '../../config/campaign';
import { NOT_SUBMITTED, problemListForm, PROBLEM_LIST_HEADERS, PROBLEM_LIST_TITLE } from '../../domain/problem-list-forms';
import {
  escalations,
  firstWeek,
  missingUnits,
  nextWeek,
  problemListSubmissionSchema,
  unitsDue,
  weekDeadline,
  weekReminder,
  type SubmissionRules,
  type TaskEntry,
} from '../../domain/problem-list';
import { formatProblems, zodProblems } from '../../domain/validation';
import { parseYaml } from '../../config/input-file';

const TZ = 'Asia/Shanghai';
const THURSDAY: SubmissionRules = { weekday: 4, time: '23:59', reminderDaysBefore: 1, reminderTime: '09:00' };

describe('weeks', () => {
  it('falls due on the weekday at the time in the plan’s zone, reminded the day before', () => {
    const deadline = weekDeadline('2027-W14', THURSDAY, TZ);
    expect(deadline.toISOString()).toBe('2027-04-08T15:59:00.000Z'); // Thursday 8 April 23:59 +08:00
    expect(weekReminder(deadline, THURSDAY, TZ).toISOString()).toBe('2027-04-07T01:00:00.000Z'); // Wednesday 09:00
    expect(weekDeadline('2027-W14', { ...THURSDAY, time: '17:30' }, 'UTC').toISOString()).toBe('2027-04-08T17:30:00.000Z');
  });

  it('starts with the first week due at or after the start, and goes on across the year', () => {
    expect(firstWeek(new Date('2027-04-08T15:00:00Z'), THURSDAY, TZ)).toBe('2027-W14'); // Thursday 23:00 local: still due
    expect(firstWeek(new Date('2027-04-08T16:00:00Z'), THURSDAY, TZ)).toBe('2027-W15'); // Friday 00:00 local
    expect(nextWeek('2027-W14', TZ)).toBe('2027-W15');
    expect(nextWeek('2026-W53', TZ)).toBe('2027-W01');
    expect(nextWeek('2027-W52', TZ)).toBe('2028-W01');
  });
});

const tasks: TaskEntry[] = [
  { leader: 'L-fund', units: ['u1', 'u2'], deadline: '2027-12-31', ongoing: true },
  { leader: 'L-services', units: ['u2', 'u3'], deadline: '2027-04-08', ongoing: false },
  { leader: 'L-fund', units: ['u3'], deadline: '2027-04-01', ongoing: false },
];

describe('who owes, who is missing, who is told', () => {
  it('asks the units of the tasks still running: ongoing ones, or up to their deadline', () => {
    expect(unitsDue(tasks, '2027-04-01')).toEqual([
      { unit: 'u1', tasks: [0] },
      { unit: 'u2', tasks: [0, 1] },
      { unit: 'u3', tasks: [1, 2] },
    ]);
    expect(unitsDue(tasks, '2027-04-08')).toEqual([
      { unit: 'u1', tasks: [0] },
      { unit: 'u2', tasks: [0, 1] },
      { unit: 'u3', tasks: [1] },
    ]);
    expect(unitsDue(tasks, '2027-04-15')).toEqual([
      { unit: 'u1', tasks: [0] },
      { unit: 'u2', tasks: [0] },
    ]);
    expect(unitsDue(tasks.slice(1), '2027-04-15')).toEqual([]);
  });

  it('escalates each missing unit to the leaders of its running tasks, one notice a leader', () => {
    const due = unitsDue(tasks, '2027-04-01');
    const missing = missingUnits(due, ['u1']);
    expect(missing).toEqual(['u2', 'u3']);
    expect(escalations(tasks, due, missing)).toEqual([
      { leader: 'L-fund', units: ['u2', 'u3'] },
      { leader: 'L-services', units: ['u2', 'u3'] },
    ]);
    expect(escalations(tasks, unitsDue(tasks, '2027-04-15'), ['u2'])).toEqual([{ leader: 'L-fund', units: ['u2'] }]);
    expect(escalations(tasks, due, [])).toEqual([]);
  });
});

describe('a submission', () => {
  it('names every bad field, and takes the form’s words for the state', () => {
    const parsed = problemListSubmissionSchema.safeParse({
      unit: 'u1',
      rows: [
        { problem: '', measure: '整改', deadline: '2027-02-30', state: '完成' },
        { problem: '重复收费', measure: '退回', deadline: '2027-05-01', state: '整改中', note: 'x' },
      ],
    });
    expect(parsed.success).toBe(false);
    expect(formatProblems(zodProblems(parsed.error!))).toMatch(
      /rows\[0\]\.problem: required.*rows\[0\]\.deadline: expected a date.*rows\[0\]\.state: expected one of pending \(未整改\).*rows\[1\]: Unrecognized key: "note"/s,
    );
    expect(
      problemListSubmissionSchema.parse({ unit: 'u1', rows: [{ problem: 'p', measure: 'm', deadline: '2027-05-01', state: '已整改' }] })
        .rows[0]!.state,
    ).toBe('rectified');
    expect(problemListSubmissionSchema.parse({ unit: 'u1', rows: [] }).rows).toEqual([]);
  });
});

describe('the form', () => {
  const list = {
    jurisdictionName: '清溪区',
    campaignTitle: '医保基金管理突出问题专项整治',
    week: '2027-W14',
    deadline: '2027-04-08 23:59',
    units: [
      { name: '基金监管股', rows: [{ problem: '重复收费', measure: '退回', deadline: '2027-05-01', state: 'rectifying' as const }] },
      { name: '医药服务管理股', rows: [] },
      { name: '医疗保障事务中心', rows: null },
    ],
  };

  it('writes the annex’s title, header and one numbered row a problem, as XLSX read back cell by cell', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await formsXlsx([problemListForm(list)], new Date('2027-04-08T15:59:00Z'))) as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const row = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(sheet.name).toBe('问题台账');
    expect(row(1)[0]).toBe(PROBLEM_LIST_TITLE);
    // Merged ranges read back with their text in each cell.
    expect(row(2)).toEqual([
      ...Array<string>(3).fill('清溪区 医保基金管理突出问题专项整治'),
      ...Array<string>(3).fill('截至 2027-04-08 23:59（2027-W14）'),
    ]);
    expect(row(3)).toEqual(['序号', '责任单位', '发现问题', '整改措施', '整改时限', '整改状态']);
    expect(row(4)).toEqual([1, '基金监管股', '重复收费', '退回', '2027-05-01', '整改中']);
    expect(row(5)).toEqual([2, '医药服务管理股', '本周无新发现问题']);
    expect(row(6)).toEqual([3, '医疗保障事务中心', NOT_SUBMITTED]);
    expect(sheet.getCell('A1').isMerged && sheet.getCell('F1').isMerged).toBe(true);
    expect(sheet.getCell('C4').border?.top?.style).toBe('thin');
    expect(PROBLEM_LIST_HEADERS).toHaveLength(6);
  });

  it('is what the CLI reads back from a unit: the rows under the header, by column name', async () => {
    const content = await formsXlsx([problemListForm({ ...list, units: [list.units[0]!] })], new Date());
    const table = await readXlsxRows(content, 'form.xlsx');
    expect(table.data).toEqual([{ problem: '重复收费', measure: '退回', deadline: '2027-05-01', state: '整改中' }]);
    expect(table.lineOf(0)).toBe(4);
  });
});

describe('the campaign file’s ledgerSubmissions', () => {
  const sample = readFileSync(path.join(path.dirname(DEFAULT_PLAN_FILE), '../campaigns/special.yaml'), 'utf8');

  it('is checked against the plan, every problem by its path', async () => {
    const plan = await loadPlan(DEFAULT_PLAN_FILE);
    const schema = campaignFileSchema(plan);
    const file = parseYaml(sample) as Record<string, unknown>;
    expect(schema.parse(file).ledgerSubmissions).toEqual({ weekday: 4, leadUnit: 'party-office', reminderDaysBefore: 1 });
    const bad = schema.safeParse({
      ...file,
      tasks: [],
      ledgerSubmissions: { weekday: 8, time: '25:00', leadUnit: 'nobody', reminderDaysBefore: 0 },
    });
    expect(bad.success).toBe(false);
    const paths = zodProblems(bad.error!).map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'ledgerSubmissions.weekday',
        'ledgerSubmissions.time',
        'ledgerSubmissions.reminderDaysBefore',
        'ledgerSubmissions.leadUnit',
        'ledgerSubmissions',
      ]),
    );
    expect(formatProblems(zodProblems(bad.error!))).toContain('ledgerSubmissions.leadUnit: responsible unit "nobody" is not in the plan');
  });
});
