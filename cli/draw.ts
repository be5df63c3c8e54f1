// `jianguan draw verify`: re-runs a flying-check target draw (双随机、一公开, domain/flying.ts) from its recorded seed and
// candidate pool, with the risk weights of the jurisdiction plan, and prints the published list. Anyone holding the
// seed, the pool file and the plan gets the same list every time, which is what makes the published result checkable.
//
// Pool files: a YAML or JSON list, or a CSV file (`.csv`) with a header line. One candidate per entry/row:
//   id, kind (hospital | pharmacy), clues, dataAnomalies, lastYearFindings (non-negative integers),
//   creditGrade (A-E; null / empty when not graded), and optionally name (shown in the list).
// CSV is read by hand: comma-separated, no quoting (a field with a comma or a quote is refused, not guessed at).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import YAML from 'yaml';
import { z } from 'zod';
import { loadPlan, loadRuntimeConfig } from '../config';
import { CREDIT_GRADES } from '../domain/credit';
import { formatSelection, selectFlyingTargets, type FlyingCandidate, type FlyingSelection } from '../domain/flying';
import { formatPath } from '../domain/validation';
import { UsageError } from './context';

export type PoolFormat = 'csv' | 'yaml';

export interface ParsedPool {
  candidates: FlyingCandidate[];
  /** Institution names given in the pool file, by id (optional column). */
  names: Record<string, string>;
}

const POOL_COLUMNS = ['id', 'kind', 'clues', 'dataAnomalies', 'lastYearFindings', 'creditGrade'] as const;
const OPTIONAL_COLUMNS = ['name'] as const;

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'a mapping';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

const count = z
  .number({ error: (iss) => (iss.input === undefined ? 'required' : `expected a non-negative integer, got ${show(iss.input)}`) })
  .refine((n) => Number.isSafeInteger(n) && n >= 0, { error: (iss) => `expected a non-negative integer, got ${show(iss.input)}` });

const poolEntry = z.strictObject({
  id: z
    .string({ error: (iss) => (iss.input === undefined ? 'required' : `expected an id, got ${show(iss.input)}`) })
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, { error: (iss) => `expected an id (letters, digits, "-", "_", "."), got ${show(iss.input)}` }),
  name: z.string().trim().min(1, 'must not be empty').optional(),
  kind: z.enum(['hospital', 'pharmacy'], {
    error: (iss) => `expected one of hospital, pharmacy, got ${show(iss.input)}`,
  }),
  clues: count,
  dataAnomalies: count,
  lastYearFindings: count,
  creditGrade: z
    .enum(CREDIT_GRADES, { error: (iss) => `expected one of A-E, or null/empty when not graded, got ${show(iss.input)}` })
    .nullable()
    .default(null),
});

const poolList = z.array(poolEntry, { error: (iss) => `expected a list of candidates, got ${show(iss.input)}` });

interface Problem {
  path: string;
  message: string;
}

function fail(source: string, problems: readonly Problem[]): never {
  throw new UsageError(`invalid pool file ${source}:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`);
}

/** Splits CSV text into objects keyed by the header (values as text). Throws UsageError naming the line. */
function csvRows(text: string, source: string): { rows: Record<string, string>[]; lines: number[] } {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((content, i) => ({ content, line: i + 1 }))
    .filter((l) => l.content.trim() !== '');
  const header = lines.shift();
  if (!header) fail(source, [{ path: 'header', message: 'the file is empty: expected a header line' }]);
  const problems: Problem[] = [];
  for (const l of lines.concat(header)) {
    if (l.content.includes('"')) problems.push({ path: `line ${l.line}`, message: 'quoted fields are not supported' });
  }
  const columns = header.content.split(',').map((c) => c.trim());
  const known: readonly string[] = [...POOL_COLUMNS, ...OPTIONAL_COLUMNS];
  columns.forEach((c, i) => {
    if (!known.includes(c)) problems.push({ path: 'header', message: `unknown column ${show(c)}: expected ${POOL_COLUMNS.join(',')}[,name]` });
    else if (columns.indexOf(c) < i) problems.push({ path: 'header', message: `duplicate column "${c}"` });
  });
  for (const c of POOL_COLUMNS) if (!columns.includes(c)) problems.push({ path: 'header', message: `missing column "${c}"` });
  lines.forEach((l, i) => {
    const cells = l.content.split(',');
    if (cells.length !== columns.length) {
      problems.push({ path: `pool[${i}]`, message: `expected ${columns.length} fields, got ${cells.length} (line ${l.line})` });
    }
  });
  if (problems.length) fail(source, problems);
  return {
    rows: lines.map((l) => Object.fromEntries(l.content.split(',').map((cell, i) => [columns[i]!, cell.trim()]))),
    lines: lines.map((l) => l.line),
  };
}

/** A CSV cell as the value the pool schema expects: numbers as numbers, empty as missing (null for creditGrade). */
function csvValue(column: string, cell: string): unknown {
  if (cell === '') return column === 'creditGrade' ? null : undefined;
  if (column === 'clues' || column === 'dataAnomalies' || column === 'lastYearFindings') {
    return /^-?\d+(\.\d+)?$/.test(cell) ? Number(cell) : cell;
  }
  return cell;
}

/**
 * Parses and validates a candidate pool (YAML/JSON list or CSV). Every problem is listed, by row and field
 * (`pool[3].creditGrade: expected one of A-E, ...`). Throws UsageError.
 */
export function parsePool(text: string, format: PoolFormat, source = 'pool'): ParsedPool {
  let data: unknown;
  let lineOf: ((row: number) => number | undefined) | undefined;
  if (format === 'csv') {
    const { rows, lines } = csvRows(text, source);
    data = rows.map((row) =>
      Object.fromEntries(Object.entries(row).flatMap(([column, cell]) => {
        const value = csvValue(column, cell);
        return value === undefined ? [] : [[column, value]];
      })),
    );
    lineOf = (row) => lines[row];
  } else {
    try {
      data = YAML.parse(text);
    } catch (error) {
      fail(source, [{ path: '(file)', message: `not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}` }]);
    }
  }

  const problems: Problem[] = [];
  const at = (issuePath: readonly PropertyKey[], message: string) => {
    const row = typeof issuePath[0] === 'number' ? issuePath[0] : undefined;
    const line = row !== undefined ? lineOf?.(row) : undefined;
    problems.push({ path: formatPath(['pool', ...issuePath]), message: line ? `${message} (line ${line})` : message });
  };
  const result = poolList.safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') for (const key of issue.keys) at([...issue.path, key], 'unknown field');
      else at(issue.path, issue.message);
    }
  }
  // Duplicate ids, judged on the raw rows so they are reported next to other problems.
  if (Array.isArray(data)) {
    const firstAt = new Map<string, number>();
    data.forEach((row: unknown, i) => {
      const rowId = typeof row === 'object' && row !== null ? (row as Record<string, unknown>).id : undefined;
      if (typeof rowId !== 'string') return;
      const first = firstAt.get(rowId);
      if (first === undefined) firstAt.set(rowId, i);
      else at([i, 'id'], `duplicate id "${rowId}" (first used at pool[${first}])`);
    });
    if (data.length === 0) problems.push({ path: 'pool', message: 'the pool is empty' });
  }
  if (problems.length || !result.success) fail(source, problems);

  const names: Record<string, string> = {};
  const candidates = result.data.map((entry): FlyingCandidate => {
    if (entry.name) names[entry.id] = entry.name;
    return {
      id: entry.id,
      kind: entry.kind,
      risk: { clues: entry.clues, dataAnomalies: entry.dataAnomalies, lastYearFindings: entry.lastYearFindings, creditGrade: entry.creditGrade },
    };
  });
  return { candidates, names };
}

/** `.csv` is CSV; anything else (.yaml, .yml, .json) is read as YAML, of which JSON is a subset. */
export function poolFormatOf(file: string): PoolFormat {
  return path.extname(file).toLowerCase() === '.csv' ? 'csv' : 'yaml';
}

export async function readPool(file: string): Promise<ParsedPool> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--pool: cannot read ${file} (${(error as Error).message})`);
  }
  return parsePool(text, poolFormatOf(file), file);
}

export interface DrawVerifyOptions {
  seed: string;
  pool: string;
  /** Defaults to the plan's flyingCheck.randomCount. */
  random?: number | undefined;
  /** Defaults to the plan's flyingCheck.riskCount. */
  risk?: number | undefined;
  json?: boolean | undefined;
  /** Plan file for the risk weights; default JIANGUAN_PLAN or the sample plan. */
  plan?: string | undefined;
}

/** Runs the draw and returns what `draw verify` prints (the published list, or JSON with --json). */
export async function drawVerify(options: DrawVerifyOptions): Promise<string> {
  const seed = options.seed.trim();
  if (!seed) throw new UsageError('--seed: must not be empty');
  const { candidates, names } = await readPool(options.pool);
  const plan = await loadPlan(options.plan ?? loadRuntimeConfig().planFile);
  let selection: FlyingSelection;
  try {
    selection = selectFlyingTargets({
      seed,
      pool: candidates,
      randomCount: options.random ?? plan.flyingCheck.randomCount,
      riskCount: options.risk ?? plan.flyingCheck.riskCount,
      weights: plan.flyingCheck.riskWeights,
    });
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(`cannot draw: ${error.message}`);
    throw error;
  }
  return options.json ? JSON.stringify(selection, null, 2) : formatSelection(selection, names);
}

function nonNegativeInteger(flag: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${flag}: expected a non-negative integer, got "${value}"`);
    return Number(value);
  };
}

/** Adds `draw verify` (and any later draw commands) to the program. */
export function registerDrawCommands(program: Command): void {
  const draw = program.command('draw').description('double-random draws (双随机、一公开): re-run and publish them');
  draw
    .command('verify')
    .description('re-run a flying-check target draw from its seed and candidate pool, printing the published list')
    .requiredOption('--seed <seed>', 'the recorded seed of the draw')
    .requiredOption('--pool <file>', 'candidate pool: YAML/JSON list or CSV (id,kind,clues,dataAnomalies,lastYearFindings,creditGrade[,name])')
    .option('--random <n>', 'targets drawn at random (default: flyingCheck.randomCount of the plan)', nonNegativeInteger('--random'))
    .option('--risk <m>', 'targets drawn by risk weight (default: flyingCheck.riskCount of the plan)', nonNegativeInteger('--risk'))
    .option('--plan <file>', 'jurisdiction plan with the risk weights (default: JIANGUAN_PLAN or the sample plan)')
    .option('--json', 'print the selection as JSON (all scores included)')
    .action(async (options: DrawVerifyOptions) => {
      console.log(await drawVerify(options));
    });
}
