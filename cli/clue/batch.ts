// `jianguan clue import-batch FILE --source national|provincial --batch N --date YYYY-MM-DD`: a batch of clues
// transferred by the national or provincial bureau (上级转办), one clue a row, from CSV (a header line; UTF-8, UTF-16
// with BOM, GBK/GB18030 as Excel and WPS save it) or XLSX (the first sheet, its first row the header). Columns:
//   clueNo, institutionId or subject, summary, receivedAt?, reporterName?, reporterPhone?, reporterIdNumber?,
//   reporterAddress?, reporterEmail?   (no reporterName: an anonymous report, reachable by e-mail at most)
//
// Like `risk import`: every row is checked first (each problem by row and column, with its line or sheet row), and
// against what the ledger holds for each clue number; a bad file writes nothing. Then the batch's row is saved (its
// clue count the file's rows), each reporter sealed, and each clue's workflow started, a few at a time. Idempotent by
// the batch and the clue numbers: the same file again starts nothing twice (it prints how many were already there).
import path from 'node:path';
import { Workbook, type CellValue } from 'exceljs';
import { DateTime } from 'luxon';
import type { Client } from '@temporalio/client';
import { InputFileError, readBounded } from '../../config/input-file';
import { formatLocalDate } from '../../domain/calendar';
import { BATCH_COLUMNS, BATCH_REQUIRED_COLUMNS, batchNoSchema, clueBatchRowSchema, type ClueRegistration } from '../../domain/clue-intake';
import type { Problem } from '../../domain/validation';
import { LedgerConflictError } from '../../records/errors';
import type { ClueInput } from '../../workflows/clue/api';
import { clueContextFromPlan } from '../../workflows/clue/context';
import { z } from 'zod';
import { plan as loadPlanFile, settings, UsageError, withClient } from '../context';
import { noLedgerNote, withLedger } from '../ledger';
import { parseCsv, readTable, readTableFile, TABLE_MAX_BYTES, tableError, validateRows, type CsvRecord } from '../table-file';
import { acceptanceDue, cliSealer, clueInputOf, conflictWithLedger, saveSealedReporter, startClue, type Registration } from './register';

/** How many workflow starts are in flight at once: the server is not flooded, and 1,000 clues still take seconds. */
export const START_CONCURRENCY = 8;
export const BATCH_SOURCES = ['national', 'provincial'] as const;

export interface BatchOptions {
  source?: string;
  batch?: string;
  date?: string;
  plan?: string;
}

type Format = 'csv' | 'xlsx';

/** A cell of the first sheet as text; a date cell is its wall-clock time in the plan's zone. */
function cellText(value: CellValue, timeZone: string): string | number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) {
    // A spreadsheet keeps a wall-clock time without a zone; exceljs gives it as that time in UTC.
    const wall = DateTime.fromJSDate(value, { zone: 'utc' });
    return DateTime.fromObject(wall.toObject(), { zone: timeZone }).toISO({ suppressMilliseconds: true }) ?? undefined;
  }
  if ('richText' in value) return value.richText.map((t) => t.text).join('');
  if ('hyperlink' in value) return cellText(value.text as CellValue, timeZone);
  if ('error' in value) return value.error;
  if ('result' in value) return cellText(value.result as CellValue, timeZone);
  return undefined;
}

/**
 * The first sheet as CSV records (its row numbers as their lines), number cells as text; problems of cells that cannot
 * be read as they are (an ID number kept as a number has already lost digits).
 */
async function readWorkbook(file: string, timeZone: string): Promise<{ records: CsvRecord[]; problems: Problem[] }> {
  let bytes: Buffer;
  try {
    bytes = readBounded(file, TABLE_MAX_BYTES);
  } catch (error) {
    if (error instanceof InputFileError) throw new UsageError(error.message);
    throw error;
  }
  const workbook = new Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    throw new UsageError(`${file} is not an XLSX workbook (${(error as Error).message})`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return { records: [], problems: [] };
  const records: CsvRecord[] = [];
  const problems: Problem[] = [];
  let header: string[] | undefined;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const width = Math.max(row.cellCount, header?.length ?? 0);
    const fields: string[] = [];
    for (let c = 1; c <= width; c++) {
      const value = cellText(row.getCell(c).value, timeZone);
      if (typeof value === 'number' && header?.[c - 1]?.trim() === 'reporterIdNumber') {
        problems.push({
          path: `rows[${records.length - 1}].reporterIdNumber`,
          message: `a number cell (sheet row ${rowNumber}): format the column as text and type the ID number again (as a number it lost digits)`,
        });
        fields.push('');
      } else fields.push(value === undefined ? '' : String(value));
    }
    if (!header) header = fields;
    if (fields.every((f) => f.trim() === '')) return;
    records.push({ line: rowNumber, fields });
  });
  // Trailing empty header cells are no columns; rows are as wide as the header.
  if (header) {
    const h = [...header];
    while (h.length && h.at(-1)!.trim() === '') h.pop();
    records[0]!.fields = h;
    for (const r of records.slice(1)) {
      const f = [...r.fields];
      while (f.length > h.length && f.at(-1)!.trim() === '') f.pop();
      while (f.length < h.length) f.push('');
      r.fields = f;
    }
  }
  return { records, problems };
}

/**
 * Parses and checks a batch file: every row by the batch row schema, clue numbers unique in the file. Throws one
 * UsageError listing every problem by row and column.
 */
export async function readBatch(
  file: string,
  format: Format,
  context: { now: Date; institutions: ReadonlySet<string>; jurisdiction: string; timeZone: string },
): Promise<ClueRegistration[]> {
  // A missing cell reads "required"; a spreadsheet's rows are its sheet rows.
  const where = (message: string) => {
    const text = message.replace(/^Invalid input: expected \w+, received undefined/, 'required');
    return format === 'xlsx' ? text.replace(/\(line (\d+)\)$/, '(sheet row $1)') : text;
  };
  const fail = (problems: readonly Problem[]): never => {
    throw tableError(
      `invalid clue batch ${file} (nothing imported)`,
      problems.map((p) => ({ ...p, message: where(p.message) })),
    );
  };
  let text = '';
  let read: (text: string) => CsvRecord[] = parseCsv;
  let cellProblems: Problem[] = [];
  if (format === 'xlsx') {
    const workbook = await readWorkbook(file, context.timeZone);
    read = () => workbook.records;
    cellProblems = workbook.problems;
  } else text = readTableFile(file);
  const table = readTable(text, 'csv', {
    root: 'rows',
    fail,
    csv: {
      read,
      columns: BATCH_COLUMNS,
      required: BATCH_REQUIRED_COLUMNS,
      empty: `the file is empty: expected a header line ${BATCH_COLUMNS.join(',')}`,
      unknownColumn: (c) => `unknown column ${JSON.stringify(c)}: expected some of ${BATCH_COLUMNS.join(',')}`,
      check: () => cellProblems,
      // Empty cells are missing values.
      value: (_column, cell) => (cell === '' ? undefined : cell),
    },
  });
  const { result, problems, at } = validateRows(z.array(clueBatchRowSchema(context)), table);
  const data = table.data as Record<string, unknown>[];
  if (data.length === 0) problems.push({ path: 'rows', message: 'the file has no clues' });
  const firstAt = new Map<string, number>();
  data.forEach((row, i) => {
    if (typeof row.clueNo !== 'string') return;
    const clueNo = row.clueNo.trim();
    const first = firstAt.get(clueNo);
    if (first === undefined) firstAt.set(clueNo, i);
    else at([i, 'clueNo'], `duplicate clue number "${clueNo}" (first at rows[${first}])`);
  });
  if (!result.success || problems.length) return fail(problems);
  return result.data;
}

function batchFlags(options: BatchOptions, now: Date, timeZone: string) {
  const problems: string[] = [];
  if (!options.source || !(BATCH_SOURCES as readonly string[]).includes(options.source))
    problems.push(`--source: ${options.source ? `"${options.source}" is not` : 'required,'} one of ${BATCH_SOURCES.join(', ')}`);
  const batch = batchNoSchema.safeParse(options.batch ?? '');
  if (!batch.success) problems.push(`--batch: ${options.batch ? batch.error.issues[0]!.message : 'required'}`);
  const date = options.date ?? '';
  const day = DateTime.fromISO(date, { zone: timeZone });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !day.isValid)
    problems.push(`--date: ${date ? `"${date}" is not a date YYYY-MM-DD` : 'required'}`);
  else if (date > formatLocalDate(now, timeZone)) problems.push(`--date: ${date} is in the future`);
  if (problems.length) throw new UsageError(problems.join('; '));
  return { source: options.source as (typeof BATCH_SOURCES)[number], batchNo: batch.data!, batchDate: date };
}

/** `fn` over `items`, at most `limit` at once; each result or its error, in order. */
async function settleLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>) {
  const results: Array<{ ok: true; value: R } | { ok: false; error: Error }> = new Array(items.length);
  let next = 0;
  const run = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = { ok: true, value: await fn(items[i]!) };
      } catch (error) {
        results[i] = { ok: false, error: error as Error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
  return results;
}

async function startAll(client: Client, taskQueue: string, inputs: readonly { input: ClueInput; dueAt: Date }[]) {
  const results = await settleLimited(inputs, START_CONCURRENCY, ({ input, dueAt }) => startClue(client, taskQueue, input, dueAt));
  const failed = results.flatMap((r, i) => (r.ok ? [] : [`${inputs[i]!.input.clueNo}: ${r.error.message}`]));
  return {
    started: results.filter((r) => r.ok && r.value).length,
    already: results.filter((r) => r.ok && !r.value).length,
    failed,
  };
}

/** Imports the batch of `file`; returns the lines to print. */
export async function importBatch(file: string, options: BatchOptions, now = new Date()): Promise<string[]> {
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const jurisdiction = plan.jurisdiction.code;
  const timeZone = plan.jurisdiction.timeZone;
  const flags = batchFlags(options, now, timeZone);
  const format: Format = path.extname(file).toLowerCase() === '.xlsx' ? 'xlsx' : 'csv';
  const rows = await readBatch(file, format, { now, institutions: new Set(plan.institutions.map((i) => i.id)), jurisdiction, timeZone });
  const source = { kind: flags.source, batchNo: flags.batchNo, batchDate: flags.batchDate };
  const registrations: Registration[] = rows.map((r) => ({ ...r, receivedAt: r.receivedAt ?? now.toISOString(), source }));
  const context = clueContextFromPlan(plan);
  const inputs = registrations.map((r) => {
    const input = clueInputOf(plan, context, r);
    return { input, dueAt: acceptanceDue(input) };
  });
  const sealer = cliSealer(config);
  const name = `batch ${flags.source} ${flags.batchNo} (${flags.batchDate})`;

  const counts = await withClient(config, async (client) => {
    const written = await withLedger(config, async (store) => {
      const recorded = (await store.listClueBatches(jurisdiction)).find((b) => b.source === flags.source && b.batchNo === flags.batchNo);
      if (recorded && (recorded.batchDate !== flags.batchDate || recorded.clueCount !== rows.length))
        throw new UsageError(
          `${name} refused: the batch is recorded with date ${recorded.batchDate} and ${recorded.clueCount} clues, not ${flags.batchDate} and ${rows.length} (nothing written)`,
        );
      const clues = new Map((await store.listClues({ jurisdiction })).map((c) => [c.clueNo, c]));
      const problems: Problem[] = [];
      const sealedAlready = new Set<string>();
      for (const [i, r] of registrations.entries()) {
        const reporter = await store.getReporter(jurisdiction, r.clueNo);
        if (reporter) sealedAlready.add(r.clueNo);
        const row = clues.get(r.clueNo);
        const conflict = conflictWithLedger(r, sealer, { ...(reporter && { reporter }), ...(row && { row }) });
        if (conflict) problems.push({ path: `rows[${i}].clueNo`, message: `clue ${r.clueNo}: ${conflict}` });
      }
      if (problems.length) throw tableError(`${name} refused (nothing written)`, problems);
      try {
        await store.saveClueBatch({ jurisdiction, ...flags, clueCount: rows.length, receivedAt: now.toISOString() });
      } catch (error) {
        if (error instanceof LedgerConflictError) throw new UsageError(`${name} refused: ${error.message} (nothing written)`);
        throw error;
      }
      for (const r of registrations) if (!sealedAlready.has(r.clueNo)) await saveSealedReporter(store, sealer, jurisdiction, r);
      return true;
    });
    if (!written) throw new UsageError(`nothing imported: ${noLedgerNote(config)}`);
    return startAll(client, config.temporal.taskQueue, inputs);
  });
  const line = `${name}: ${rows.length} clue(s): ${counts.started} started, ${counts.already} already registered`;
  if (counts.failed.length)
    throw new UsageError(
      `${line}, ${counts.failed.length} not started (run the same import again to start them): ${counts.failed.slice(0, 5).join('; ')}`,
    );
  return [line];
}

export async function importBatchCommand(file: string, options: BatchOptions): Promise<void> {
  for (const line of await importBatch(file, options)) console.log(line);
}
