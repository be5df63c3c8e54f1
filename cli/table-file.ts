// A table file given to a command (`jianguan risk import FILE`, the candidate pool of `jianguan draw verify`): CSV with
// a header line, or a YAML/JSON list of mappings. Read here into row objects with the line each CSV row starts on, and
// validated so that every problem names its row and field and, for CSV, its line (`rows[3].kind: ... (line 5)`).
// Each command gives its columns, cell rule and messages (plainCsv: the usual ones); the RFC 4180 reader is shared.
// Files are read bounded in size and decoded from UTF-8, UTF-16 with a byte-order mark, GBK or GB18030 (what Excel and
// WPS save), so a Chinese note or reference is never stored as U+FFFD.
import type { z } from 'zod';
import { InputFileError, MiB, parseYaml, readTextFile, YamlError } from '../config/input-file';
import { formatPath, listedProblems, type Problem } from '../domain/validation';
import { UsageError } from './context';

/** A table file: a province's risk signals or candidate pool as CSV or JSON (YAML is read up to 5 MiB). */
export const TABLE_MAX_BYTES = 20 * MiB;

/** The text of a table file (at most TABLE_MAX_BYTES, decoded), or a UsageError starting with `prefix` (`--pool: `). */
export function readTableFile(file: string, prefix = ''): string {
  try {
    return readTextFile(file, TABLE_MAX_BYTES);
  } catch (error) {
    if (error instanceof InputFileError) throw new UsageError(`${prefix}${error.message}`);
    throw error;
  }
}

/** A YAML/JSON table as parsed; a file that cannot be parsed is one problem of the whole file (`(file)`). */
export function parseTableYaml(text: string, fail: (problems: readonly Problem[]) => never): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    if (!(error instanceof YamlError)) throw error;
    fail([
      {
        path: '(file)',
        message: error.syntax ? `not valid YAML or JSON: ${error.problems[0]!.path}: ${error.problems[0]!.message}` : error.message,
      },
    ]);
  }
}

export type TableFormat = 'csv' | 'yaml';

/** One CSV record: its fields as written (untrimmed), and the line it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** RFC 4180 CSV: records of fields, with the line each starts on. Quoted fields may hold commas, quotes, newlines. */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const src = text.replace(/^\uFEFF/, '');
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let touched = false;
  const endRecord = () => {
    fields.push(field);
    if (touched || fields.length > 1 || field.trim() !== '') records.push({ line: start, fields });
    fields = [];
    field = '';
    touched = false;
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field.trim() === '') {
      quoted = true;
      touched = true;
      field = '';
    } else if (c === ',') {
      fields.push(field);
      field = '';
      touched = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else field += c;
  }
  if (quoted) throw new RangeError(`line ${start}: a quoted field is not closed`);
  endRecord();
  return records;
}

/** How one command reads its CSV files. */
export interface CsvTable {
  /** Splits the text into records, the header first. An error thrown is the problem of the whole file (`(file)`). */
  read: (text: string) => CsvRecord[];
  /** Every column the header may name. */
  columns: readonly string[];
  /** The columns the header must name. */
  required: readonly string[];
  /** The message when there is no header line. */
  empty: string;
  /** The message for a header column not in `columns`. */
  unknownColumn: (column: string) => string;
  /** Problems of the records found before the header's columns are checked (listed first). */
  check?: (header: CsvRecord, rows: readonly CsvRecord[]) => Problem[];
  /** A cell (trimmed) as the row's value of `column`; `undefined` leaves the field out of the row. */
  value: (column: string, cell: string) => unknown;
}

/** A CSV table of `columns` (the `required` ones in its header), RFC 4180, an empty cell a missing value. */
export function plainCsv(columns: readonly string[], required: readonly string[]): CsvTable {
  return {
    read: parseCsv,
    columns,
    required,
    empty: `the file is empty: expected a header line ${columns.join(',')}`,
    unknownColumn: (c) => `unknown column ${JSON.stringify(c)}: expected ${columns.join(',')}`,
    value: (_column, cell) => (cell === '' ? undefined : cell),
  };
}

export interface TableFile {
  /** The list's name in problem paths: `rows`, `pool`. */
  root: string;
  /** Refuses the file with these problems. */
  fail: (problems: readonly Problem[]) => never;
  csv: CsvTable;
}

/** A table file's rows as read (not yet validated), with the line each row starts on (CSV only). */
export interface Table {
  root: string;
  data: unknown;
  lineOf: (row: number) => number | undefined;
}

/** An error listing every problem under `heading`, one a line (the first PROBLEMS_LISTED of them). */
export function tableError(heading: string, problems: readonly Problem[]): UsageError {
  return new UsageError(
    `${heading}:\n${listedProblems(problems.map((p) => `${p.path}: ${p.message}`))
      .map((line) => `  ${line}`)
      .join('\n')}`,
  );
}

/**
 * Reads a table file: YAML/JSON as parsed, or CSV as one mapping a row keyed by the header's columns. A file that
 * cannot be parsed, or a CSV header or row of the wrong shape, is refused through `file.fail` with every problem.
 */
export function readTable(text: string, format: TableFormat, file: TableFile): Table {
  const { root, csv } = file;
  if (format !== 'csv') return { root, data: parseTableYaml(text, file.fail), lineOf: () => undefined };
  let records: CsvRecord[];
  try {
    records = csv.read(text);
  } catch (error) {
    file.fail([{ path: '(file)', message: (error as Error).message }]);
  }
  const header = records.shift();
  if (!header) file.fail([{ path: 'header', message: csv.empty }]);
  const problems: Problem[] = csv.check?.(header, records) ?? [];
  const columns = header.fields.map((c) => c.trim());
  columns.forEach((c, i) => {
    if (!csv.columns.includes(c)) problems.push({ path: 'header', message: csv.unknownColumn(c) });
    else if (columns.indexOf(c) < i) problems.push({ path: 'header', message: `duplicate column "${c}"` });
  });
  for (const c of csv.required) if (!columns.includes(c)) problems.push({ path: 'header', message: `missing column "${c}"` });
  records.forEach((r, i) => {
    if (r.fields.length !== columns.length)
      problems.push({ path: `${root}[${i}]`, message: `expected ${columns.length} fields, got ${r.fields.length} (line ${r.line})` });
  });
  if (problems.length) file.fail(problems);
  const data = records.map((r) =>
    Object.fromEntries(
      r.fields.flatMap((cell, i) => {
        const value = csv.value(columns[i]!, cell.trim());
        return value === undefined ? [] : [[columns[i]!, value]];
      }),
    ),
  );
  return { root, data, lineOf: (row) => records[row]?.line };
}

/**
 * Validates a table's rows with `schema`. `problems` holds every zod issue by row path (`pool[3].kind`), an unknown
 * field each on its own, with the file line where known; `at` adds a problem of the caller's own the same way.
 */
export function validateRows<S extends z.ZodType>(
  schema: S,
  table: Table,
): { result: z.ZodSafeParseResult<z.output<S>>; problems: Problem[]; at: (issuePath: readonly PropertyKey[], message: string) => void } {
  const problems: Problem[] = [];
  const at = (issuePath: readonly PropertyKey[], message: string) => {
    const row = typeof issuePath[0] === 'number' ? issuePath[0] : undefined;
    const line = row !== undefined ? table.lineOf(row) : undefined;
    problems.push({ path: formatPath([table.root, ...issuePath]), message: line ? `${message} (line ${line})` : message });
  };
  const result = schema.safeParse(table.data);
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') for (const key of issue.keys) at([...issue.path, key], 'unknown field');
      else at(issue.path, issue.message);
    }
  }
  return { result, problems, at };
}
