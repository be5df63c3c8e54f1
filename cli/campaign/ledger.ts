// `jianguan campaign ledger submit FILE --campaign C --unit U [--week W]`: a responsible unit's weekly 问题台账 (seed 002
// 附件1《行业部门集中整治自查发现问题台账》). The file is the form as a unit fills it in — XLSX (the sheet the lead office
// receives, its header row found by its column names), CSV with the form's Chinese headers, or a YAML/JSON list of rows
// (Chinese or English keys: problem, measure, deadline, state) — checked row by row first, every problem named, nothing
// sent on a bad one; then the Update goes to the week's workflow, whose validator is the authority. The week is the one
// open now (the campaign's loop says which) unless `--week` names it.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import ExcelJS from 'exceljs';
import { problemListsWorkflowId, problemListWeekWorkflowId } from '../../domain/business-keys';
import { PROBLEM_LIST_HEADERS } from '../../domain/problem-list-forms';
import { problemRowsSchema, type ProblemRow } from '../../domain/problem-list';
import type { Problem } from '../../domain/validation';
import { problemListsStatusQuery, problemListWeekStatusQuery, submitProblemListUpdate } from '../../workflows/problem-list/api';
import { plan as loadPlanFile, queryWorkflow, sendUpdateOrReject, settings, UsageError, withClient } from '../context';
import { localTime } from '../output';
import { plainCsv, readTable, readTableFile, TABLE_MAX_BYTES, tableError, validateRows, type Table } from '../table-file';

/** The form's columns a unit fills in, and the fields they are; 序号 and 责任单位 are the lead office's. */
const FIELD_OF: Record<string, keyof ProblemRow> = { 发现问题: 'problem', 整改措施: 'measure', 整改时限: 'deadline', 整改状态: 'state' };
const FILLED = Object.keys(FIELD_OF);

function fail(source: string, problems: readonly Problem[]): never {
  throw tableError(`invalid 问题台账 ${source} (nothing sent)`, problems);
}

/** A row with the form's Chinese column names as the fields they are (other keys as they are). */
const renamed = (row: unknown): unknown =>
  typeof row === 'object' && row !== null && !Array.isArray(row)
    ? Object.fromEntries(Object.entries(row).flatMap(([k, v]) => (k === '序号' || k === '责任单位' ? [] : [[FIELD_OF[k] ?? k, v]])))
    : row;

/** An XLSX cell as text: a date cell as its calendar date (Excel keeps dates without a zone: exceljs gives UTC). */
const cellText = (value: ExcelJS.CellValue): string | undefined => {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object' && 'richText' in value)
    return (
      value.richText
        .map((t) => t.text)
        .join('')
        .trim() || undefined
    );
  if (typeof value === 'object' && 'result' in value) return cellText(value.result as ExcelJS.CellValue);
  return String(value).trim() || undefined;
};

/** The first sheet's rows under the row that names the form's columns, each keyed by column; blank rows skipped. */
export async function readXlsxRows(content: Buffer, source: string): Promise<Table> {
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(content as unknown as ArrayBuffer);
  } catch (error) {
    fail(source, [{ path: '(file)', message: `not an XLSX workbook: ${(error as Error).message}` }]);
  }
  const sheet = book.worksheets[0];
  const rows: Array<{ line: number; cells: Map<number, string> }> = [];
  sheet?.eachRow((row, line) => {
    const cells = new Map<number, string>();
    row.eachCell((cell, column) => {
      const text = cellText(cell.value);
      if (text !== undefined) cells.set(column, text);
    });
    rows.push({ line, cells });
  });
  const header = rows.findIndex((r) => FILLED.every((name) => [...r.cells.values()].includes(name)));
  if (header < 0) fail(source, [{ path: 'header', message: `no row names the columns ${PROBLEM_LIST_HEADERS.join('、')}` }]);
  const columns = [...rows[header]!.cells].filter(([, name]) => FILLED.includes(name));
  const body = rows.slice(header + 1);
  return {
    root: 'rows',
    data: body.map((r) => Object.fromEntries(columns.flatMap(([c, name]) => (r.cells.has(c) ? [[FIELD_OF[name]!, r.cells.get(c)]] : [])))),
    lineOf: (i) => body[i]?.line,
  };
}

/** An XLSX file's bytes, bounded like any table file. */
function readXlsxFile(file: string): Buffer {
  const size = statSync(file, { throwIfNoEntry: false })?.size;
  if (size === undefined) throw new UsageError(`${file}: no such file`);
  if (size > TABLE_MAX_BYTES) throw new UsageError(`${file}: ${size} bytes, more than ${TABLE_MAX_BYTES}`);
  return readFileSync(file);
}

/** The rows of `file` (XLSX, CSV or YAML/JSON by its extension), validated; a UsageError lists every problem. */
export async function readProblemRows(file: string): Promise<ProblemRow[]> {
  const source = path.basename(file);
  const extension = path.extname(file).toLowerCase();
  const table =
    extension === '.xlsx'
      ? await readXlsxRows(readXlsxFile(file), source)
      : readTable(readTableFile(file), extension === '.csv' ? 'csv' : 'yaml', {
          root: 'rows',
          fail: (problems) => fail(source, problems),
          csv: plainCsv(PROBLEM_LIST_HEADERS, FILLED),
        });
  const named = { ...table, data: Array.isArray(table.data) ? table.data.map(renamed) : table.data };
  const { result, problems } = validateRows(problemRowsSchema, named);
  if (!result.success) fail(source, problems);
  return result.data;
}

export interface SubmitOptions {
  campaign: string;
  unit: string;
  week?: string;
  plan?: string;
}

const OUTCOMES = { recorded: '已登记', replaced: '已替换本周此前报送的台账', unchanged: '与已报送的相同，未作改动', closed: '本周已截止' };

/** `--week`, or the week open now (the campaign's loop says which). */
async function weekOf(client: Client, options: { campaign: string; week?: string }, outcome: string): Promise<string> {
  if (options.week) return options.week;
  const week = (await queryWorkflow(client, problemListsWorkflowId(options.campaign), problemListsStatusQuery))?.week;
  if (!week)
    throw new UsageError(
      `no week of campaign ${options.campaign} is open for 台账 (the campaign has none, has not started or has ended; ${outcome})`,
    );
  return week;
}

export async function submitProblemList(file: string, options: SubmitOptions): Promise<string[]> {
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const unit = plan.responsibleUnits.find((u) => u.id === options.unit);
  if (!unit) throw new UsageError(`--unit: "${options.unit}" is not a responsible unit of the plan (nothing sent)`);
  const rows = await readProblemRows(file);
  const receipt = await withClient(config, async (client) =>
    sendUpdateOrReject(
      client,
      problemListWeekWorkflowId(options.campaign, await weekOf(client, options, 'nothing sent')),
      submitProblemListUpdate,
      {
        unit: unit.id,
        rows,
      },
    ),
  );
  return [
    `${receipt.outcome}: ${unit.name}（${unit.id}）${receipt.week} 问题台账 ${rows.length} 条 — ${OUTCOMES[receipt.outcome]}` +
      (receipt.revision > 1 ? `（第 ${receipt.revision} 版）` : ''),
  ];
}

/** A week's 台账: its deadline and stage, who submitted (with the revision), who is missing, the leaders told. */
export async function showProblemListWeek(options: { campaign: string; week?: string; plan?: string }): Promise<string[]> {
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const tz = plan.jurisdiction.timeZone;
  return withClient(config, async (client) => {
    const week = await weekOf(client, options, 'give --week');
    const s = await queryWorkflow(client, problemListWeekWorkflowId(options.campaign, week), problemListWeekStatusQuery);
    if (!s) throw new UsageError(`no 台账 week ${week} in campaign ${options.campaign}`);
    const submitted = Object.entries(s.submitted).map(([unit, revision]) => (revision > 1 ? `${unit} (revision ${revision})` : unit));
    return [
      `week         ${s.week} of ${s.campaignId}`,
      `deadline     ${localTime(s.deadline, tz)} (${tz}); ${s.stage === 'open' ? 'open' : 'closed: sent to the lead office'}`,
      `submitted    ${submitted.join(', ') || '(none)'}`,
      `reminded     ${s.remindersSent}`,
      ...(s.missing ? [`missing      ${s.missing.join(', ') || '(none)'}; leaders told: ${s.escalated ?? 0}`] : []),
    ];
  });
}
