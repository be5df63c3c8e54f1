// `jianguan draw verify`: re-runs a flying-check target draw (双随机、一公开, domain/flying.ts) and prints the published
// list, or a re-check campaign's sample (`--campaign C`: the 三个三分之一 draw recorded in the ledger, domain/recheck.ts,
// re-run from its seed, pool and rules: MATCH, or MISMATCH with exit code 1). For flying draws, two ways:
//   * `--draw FILE`: a campaign's recorded draw as `jianguan draw export` writes it (seed, eligible pool with its risk
//     figures, weights, requested counts, result); re-run with the recorded weights and counts (clamped to the pool as
//     the draw activity does), and compared with the recorded result: MATCH, or MISMATCH (exit code 1) with the reasons;
//   * `--seed S --pool FILE`: a seed and a pool file, with the risk weights and counts of the plan (or --random/--risk).
// Anyone holding the recorded draw gets the same list every time, which is what makes the published result checkable.
//
// `jianguan draw export --campaign C [--out FILE]`: the recorded draw of a flying campaign from the ledger (PostgreSQL
// with DATABASE_URL, otherwise the embedded ledger the running worker serves: cli/ledger.ts).
//
// Pool files: a YAML or JSON list, or a CSV file (`.csv`) with a header line. One candidate per entry/row:
//   id, kind (hospital | pharmacy), clues, dataAnomalies, lastYearFindings (non-negative integers),
//   creditGrade (A-E; null / empty when not graded), and optionally name (shown in the list).
// CSV is read by hand: comma-separated, no quoting (a field with a comma or a quote is refused, not guessed at).
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { z } from 'zod';
import { loadPlan, loadRuntimeConfig, type RuntimeConfig } from '../config';
import { ID_PATTERN, isId } from '../domain/business-keys';
import { CREDIT_GRADES } from '../domain/credit';
import {
  clampDrawCounts,
  FLYING_DRAW_ALGORITHM,
  formatSelection,
  selectFlyingTargets,
  type FlyingCandidate,
  type FlyingSelection,
} from '../domain/flying';
import { isRecheckDrawAlgorithm, publishedRecheckText, RECHECK_DRAW_ALGORITHMS, recheckDrawMismatches } from '../domain/recheck';
import { formatPath, NAME_MAX, requiredText, show, type Problem } from '../domain/validation';
import type { FlyingDrawRecord } from '../records/types';
import { UsageError } from './context';
import { ledgerSource, noLedgerNote, withLedger } from './ledger';
import { parseTableYaml, readTable, readTableFile, tableError, validateRows, type CsvRecord, type TableFormat } from './table-file';

export type PoolFormat = TableFormat;

export interface ParsedPool {
  candidates: FlyingCandidate[];
  /** Institution names given in the pool file, by id (optional column). */
  names: Record<string, string>;
}

const POOL_COLUMNS = ['id', 'kind', 'clues', 'dataAnomalies', 'lastYearFindings', 'creditGrade'] as const;
const OPTIONAL_COLUMNS = ['name'] as const;

const count = z
  .number({ error: (iss) => (iss.input === undefined ? 'required' : `expected a non-negative integer, got ${show(iss.input, 40)}`) })
  .refine((n) => Number.isSafeInteger(n) && n >= 0, { error: (iss) => `expected a non-negative integer, got ${show(iss.input, 40)}` });

const poolEntry = z.strictObject({
  id: z
    .string({ error: (iss) => (iss.input === undefined ? 'required' : `expected an id, got ${show(iss.input, 40)}`) })
    .regex(ID_PATTERN, { error: (iss) => `expected an id (letters, digits, "-", "_", "."), got ${show(iss.input, 40)}` }),
  name: requiredText(NAME_MAX, {}, 'must not be empty').optional(),
  kind: z.enum(['hospital', 'pharmacy'], {
    error: (iss) => `expected one of hospital, pharmacy, got ${show(iss.input, 40)}`,
  }),
  clues: count,
  dataAnomalies: count,
  lastYearFindings: count,
  creditGrade: z
    .enum(CREDIT_GRADES, { error: (iss) => `expected one of A-E, or null/empty when not graded, got ${show(iss.input, 40)}` })
    .nullable()
    .default(null),
});

const poolList = z.array(poolEntry, { error: (iss) => `expected a list of candidates, got ${show(iss.input, 40)}` });

function fail(source: string, problems: readonly Problem[]): never {
  throw tableError(`invalid pool file ${source}`, problems);
}

/** CSV without quoting: a record a non-blank line, split at every comma (a quote stays in its field, to be refused). */
function splitCsvLines(text: string): CsvRecord[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .flatMap((content, i) => (content.trim() === '' ? [] : [{ line: i + 1, fields: content.split(',') }]));
}

/** Any line with a quote is refused: quoting is not supported, and a quoted field is not guessed at. */
function quotedLines(header: CsvRecord, rows: readonly CsvRecord[]): Problem[] {
  return [...rows, header]
    .filter((r) => r.fields.some((f) => f.includes('"')))
    .map((r) => ({ path: `line ${r.line}`, message: 'quoted fields are not supported' }));
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
  const table = readTable(text, format, {
    root: 'pool',
    fail: (problems) => fail(source, problems),
    csv: {
      read: splitCsvLines,
      columns: [...POOL_COLUMNS, ...OPTIONAL_COLUMNS],
      required: POOL_COLUMNS,
      empty: 'the file is empty: expected a header line',
      unknownColumn: (c) => `unknown column ${show(c, 40)}: expected ${POOL_COLUMNS.join(',')}[,name]`,
      check: quotedLines,
      value: csvValue,
    },
  });
  const { data } = table;
  const { result, problems, at } = validateRows(poolList, table);
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
      risk: {
        clues: entry.clues,
        dataAnomalies: entry.dataAnomalies,
        lastYearFindings: entry.lastYearFindings,
        creditGrade: entry.creditGrade,
      },
    };
  });
  return { candidates, names };
}

/** `.csv` is CSV; anything else (.yaml, .yml, .json) is read as YAML, of which JSON is a subset. */
export function poolFormatOf(file: string): PoolFormat {
  return path.extname(file).toLowerCase() === '.csv' ? 'csv' : 'yaml';
}

export function readPool(file: string): ParsedPool {
  return parsePool(readTableFile(file, '--pool: '), poolFormatOf(file), file);
}

export interface DrawVerifyOptions {
  seed?: string | undefined;
  pool?: string | undefined;
  /** A recorded draw (`jianguan draw export`): seed, pool, weights and counts come from it. */
  draw?: string | undefined;
  /** Defaults to the plan's flyingCheck.randomCount. */
  random?: number | undefined;
  /** Defaults to the plan's flyingCheck.riskCount. */
  risk?: number | undefined;
  json?: boolean | undefined;
  /** Plan file for the risk weights; default JIANGUAN_PLAN or the sample plan. */
  plan?: string | undefined;
}

function runDraw(input: Parameters<typeof selectFlyingTargets>[0]): FlyingSelection {
  try {
    return selectFlyingTargets(input);
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(`cannot draw: ${error.message}`);
    throw error;
  }
}

function clampNote(requested: { random: number; risk: number }, counts: { random: number; risk: number }, poolSize: number): string[] {
  if (requested.random === counts.random && requested.risk === counts.risk) return [];
  return [
    `（计划随机 ${requested.random} 家、风险加权 ${requested.risk} 家，候选仅 ${poolSize} 家：按候选数抽取随机 ${counts.random} 家、风险加权 ${counts.risk} 家）`,
  ];
}

/**
 * Runs the draw from a seed and a pool file and returns what `draw verify` prints (the published list, or JSON with
 * --json). Counts larger than the pool are clamped as the draw activity does (random first, then risk).
 */
export async function drawVerify(options: DrawVerifyOptions): Promise<string> {
  if (options.draw) return (await drawVerifyRecorded(options)).text;
  const seed = (options.seed ?? '').trim();
  if (options.seed === undefined) throw new UsageError('--seed: required (or give --draw FILE, a recorded draw)');
  if (!seed) throw new UsageError('--seed: must not be empty');
  if (!options.pool) throw new UsageError('--pool: required (or give --draw FILE, a recorded draw)');
  const { candidates, names } = readPool(options.pool);
  const plan = await loadPlan(options.plan ?? loadRuntimeConfig().planFile);
  const requested = { random: options.random ?? plan.flyingCheck.randomCount, risk: options.risk ?? plan.flyingCheck.riskCount };
  const counts = clampDrawCounts(requested, candidates.length);
  const selection = runDraw({
    seed,
    pool: candidates,
    randomCount: counts.random,
    riskCount: counts.risk,
    weights: plan.flyingCheck.riskWeights,
  });
  return options.json
    ? JSON.stringify(selection, null, 2)
    : [formatSelection(selection, names), ...clampNote(requested, counts, candidates.length)].join('\n');
}

const drawCount = z.number().int().min(0);
const drawIds = z.array(z.string());
const drawFileSchema = z.object({
  format: z.literal('jianguan-flying-draw/1', {
    error: (iss) => `expected "jianguan-flying-draw/1" (a file from \`jianguan draw export\`), got ${show(iss.input, 40)}`,
  }),
  campaignId: z.string().optional(),
  algorithm: z.string({ error: 'required' }),
  seed: z.string({ error: 'required' }).trim().min(1, 'must not be empty'),
  weights: z.strictObject({
    base: z.number().int().min(1),
    clues: drawCount,
    dataAnomalies: drawCount,
    lastYearFindings: drawCount,
    grades: z.strictObject({ A: drawCount, B: drawCount, C: drawCount, D: drawCount, E: drawCount }),
  }),
  requested: z.strictObject({ random: drawCount, risk: drawCount }),
  counts: z.strictObject({ random: drawCount, risk: drawCount }),
  pool: z.array(poolEntry.extend({ references: z.array(z.string()).default([]) })),
  result: z.strictObject({ random: drawIds, risk: drawIds }),
});

/** A recorded draw file, validated; every problem named by its path (`draw.pool[3].kind: ...`). Throws UsageError. */
export function parseDrawFile(text: string, source: string): z.infer<typeof drawFileSchema> {
  const data = parseTableYaml(text, (problems) => {
    throw tableError(`invalid draw file ${source}`, problems);
  });
  const result = drawFileSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.flatMap((issue): Problem[] =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({ path: formatPath(['draw', ...issue.path, key]), message: 'unknown field' }))
        : [{ path: formatPath(['draw', ...issue.path]), message: issue.message }],
    );
    throw tableError(`invalid draw file ${source}`, problems);
  }
  return result.data;
}

/**
 * `draw verify --draw FILE`: re-runs a recorded draw with its own weights and counts (clamped to its pool as the draw
 * activity does) and compares the result with the recorded one. `--seed`, when given, replaces the recorded seed (to
 * check a seed published elsewhere).
 */
export async function drawVerifyRecorded(
  options: DrawVerifyOptions,
): Promise<{ text: string; match: boolean; selection: FlyingSelection }> {
  if (options.pool || options.random !== undefined || options.risk !== undefined) {
    throw new UsageError('--draw: the recorded draw has its own pool and counts; leave out --pool, --random and --risk');
  }
  const draw = parseDrawFile(readTableFile(options.draw!, '--draw: '), options.draw!);
  const seed = options.seed === undefined ? draw.seed : options.seed.trim();
  if (!seed) throw new UsageError('--seed: must not be empty');
  const problems: string[] = [];
  if (draw.algorithm !== FLYING_DRAW_ALGORITHM) {
    throw new UsageError(`--draw: the draw was made with ${draw.algorithm}; this version re-runs ${FLYING_DRAW_ALGORITHM} only`);
  }
  // Pool entries validated as in a pool file (duplicate ids, fields).
  const { candidates, names } = parsePool(
    JSON.stringify(draw.pool.map(({ references: _references, ...entry }) => entry)),
    'yaml',
    `${options.draw} (pool)`,
  );
  const counts = clampDrawCounts(draw.requested, candidates.length);
  const selection = runDraw({ seed, pool: candidates, randomCount: counts.random, riskCount: counts.risk, weights: draw.weights });
  if (seed !== draw.seed) problems.push(`seed: re-run with ${JSON.stringify(seed)}, recorded ${JSON.stringify(draw.seed)}`);
  if (counts.random !== draw.counts.random || counts.risk !== draw.counts.risk) {
    problems.push(
      `counts: clamped to the pool of ${candidates.length} they are random ${counts.random} + risk ${counts.risk}, recorded ${draw.counts.random} + ${draw.counts.risk}`,
    );
  }
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((id, i) => id === b[i]);
  if (!same(selection.random, draw.result.random))
    problems.push(`random: re-run gives ${selection.random.join(', ') || '(none)'}; recorded ${draw.result.random.join(', ') || '(none)'}`);
  if (!same(selection.risk, draw.result.risk))
    problems.push(`risk: re-run gives ${selection.risk.join(', ') || '(none)'}; recorded ${draw.result.risk.join(', ') || '(none)'}`);
  const match = problems.length === 0;
  const verdict = verdictText(problems, draw.campaignId);
  const out = options.json
    ? JSON.stringify({ match, problems, selection }, null, 2)
    : [formatSelection(selection, names), ...clampNote(draw.requested, counts, candidates.length), '', verdict].join('\n');
  return { text: out, match, selection };
}

/** MATCH, or MISMATCH with the reasons, for a re-run of a recorded draw. */
function verdictText(problems: readonly string[], campaignId: string | undefined): string {
  const of = campaignId ? `（${campaignId}）` : '';
  return problems.length === 0
    ? `MATCH：重新抽取结果与记录的抽取结果一致${of}`
    : `MISMATCH：重新抽取结果与记录的抽取结果不一致${of}\n${problems.map((p) => `  ${p}`).join('\n')}`;
}

/**
 * `draw verify --campaign C`: re-runs a re-check campaign's recorded sample (三个三分之一, domain/recheck.ts) from the
 * ledger — its seed (or `--seed`), pool and rules, by the algorithm it was drawn with — and compares it with the
 * recorded picks.
 */
export async function drawVerifyRecheck(
  options: Pick<DrawVerifyOptions, 'seed' | 'json' | 'pool' | 'draw'> & { campaign: string },
  config: RuntimeConfig = loadRuntimeConfig(),
): Promise<{ text: string; match: boolean }> {
  if (options.pool || options.draw) throw new UsageError('--campaign: the recorded sample has its own pool; leave out --pool and --draw');
  const read = await withLedger(config, async (ledger) => ({ draw: await ledger.getRecheckDraw(options.campaign) }));
  if (!read) throw new UsageError(`cannot read the recorded sample of ${options.campaign}: ${noLedgerNote(config)}`);
  if (!read.draw) throw new UsageError(`--campaign: ${options.campaign} has no recorded re-check sample in ${ledgerSource(config)}`);
  const { algorithm } = read.draw;
  if (!isRecheckDrawAlgorithm(algorithm))
    throw new UsageError(
      `--campaign: the sample was drawn with ${algorithm}; this version re-runs ${RECHECK_DRAW_ALGORITHMS.join(', ')} only`,
    );
  const draw = { ...read.draw, algorithm };
  const seed = options.seed === undefined ? draw.seed : options.seed.trim();
  if (!seed) throw new UsageError('--seed: must not be empty');
  const problems = recheckDrawMismatches(draw, seed);
  const match = problems.length === 0;
  const text = options.json
    ? JSON.stringify({ match, problems, picks: draw.picks, short: draw.short }, null, 2)
    : [publishedRecheckText({ ...draw, seed }), '', verdictText(problems, draw.campaignId)].join('\n');
  return { text, match };
}

export interface DrawExportOptions {
  campaign: string;
  out?: string | undefined;
}

/** The recorded draw of a campaign, from PostgreSQL (DATABASE_URL) or through the running worker. */
export async function readRecordedDraw(
  config: RuntimeConfig,
  campaignId: string,
): Promise<{ draw: FlyingDrawRecord | undefined; source: string }> {
  const read = await withLedger(config, async (ledger) => ({ draw: await ledger.getFlyingDraw(campaignId) }));
  if (!read) throw new UsageError(`cannot read the recorded draw of ${campaignId}: ${noLedgerNote(config)}`);
  return { draw: read.draw, source: ledgerSource(config) };
}

/** Writes `text` to `file` whole or not at all (a temporary file renamed into place). */
async function writeWhole(file: string, text: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw new UsageError(`--out: cannot write ${file} (${(error as Error).message})`);
  }
}

/** `draw export`: returns the JSON (no --out) or the line saying where it went. */
export async function drawExport(
  options: DrawExportOptions,
  config: RuntimeConfig = loadRuntimeConfig(),
): Promise<{ stdout: string; note: string }> {
  const { draw, source } = await readRecordedDraw(config, options.campaign);
  if (!draw)
    throw new UsageError(
      `--campaign: ${options.campaign} has no recorded draw in ${source} (has its flying checks drawn yet? e.g. ${'{jurisdiction}'}-flying-{year})`,
    );
  const text = `${JSON.stringify(draw, null, 2)}\n`;
  const what = `the draw of ${draw.campaignId} (seed ${draw.seed}; ${draw.pool.length} eligible, ${draw.excluded.length} excluded; ${draw.result.random.length} + ${draw.result.risk.length} drawn) from ${source}`;
  if (!options.out) return { stdout: text.trimEnd(), note: `exported ${what}` };
  await writeWhole(options.out, text);
  return { stdout: '', note: `wrote ${options.out}: ${what}; check it with \`jianguan draw verify --draw ${options.out}\`` };
}

function nonNegativeInteger(flag: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${flag}: expected a non-negative integer, got "${value}"`);
    return Number(value);
  };
}

function campaignId(value: string): string {
  if (!isId(value))
    throw new InvalidArgumentError(`--campaign: "${value}" is not a campaign id (letters, digits, - _ .), e.g. 349901-flying-2027`);
  return value;
}

/** Adds `draw verify` and `draw export` to the program. */
export function registerDrawCommands(program: Command): void {
  const draw = program.command('draw').description('double-random draws (双随机、一公开): re-run and publish them');
  draw
    .command('verify')
    .description(
      're-run a flying-check target draw (a recorded draw with --draw, or a seed and a candidate pool) or a re-check sample (--campaign); recorded ones say MATCH / MISMATCH',
    )
    .option('--draw <file>', 'a recorded draw from `jianguan draw export` (its seed, pool, weights and counts)')
    .option('--seed <seed>', 'the recorded seed of the draw (with --draw: instead of the recorded one)')
    .option('--pool <file>', 'candidate pool: YAML/JSON list or CSV (id,kind,clues,dataAnomalies,lastYearFindings,creditGrade[,name])')
    .option('--random <n>', 'targets drawn at random (default: flyingCheck.randomCount of the plan)', nonNegativeInteger('--random'))
    .option('--risk <m>', 'targets drawn by risk weight (default: flyingCheck.riskCount of the plan)', nonNegativeInteger('--risk'))
    .option('--plan <file>', 'jurisdiction plan with the risk weights (default: JIANGUAN_PLAN or the sample plan)')
    .option('--json', 'print the selection as JSON (all scores included)')
    .option('--campaign <id>', "a re-check campaign's recorded sample (三个三分之一) in the ledger", campaignId)
    .action(async (options: DrawVerifyOptions & { campaign?: string }) => {
      if (options.campaign) {
        const verified = await drawVerifyRecheck({ ...options, campaign: options.campaign });
        console.log(verified.text);
        if (!verified.match) process.exitCode = 1;
        return;
      }
      if (options.draw) {
        const verified = await drawVerifyRecorded(options);
        console.log(verified.text);
        if (!verified.match) process.exitCode = 1;
        return;
      }
      console.log(await drawVerify(options));
    });
  draw
    .command('export')
    .description(
      "write a flying campaign's recorded draw (seed, eligible pool with risk figures, weights, counts, result) for `draw verify --draw`",
    )
    .requiredOption('--campaign <id>', 'the flying campaign, e.g. 349901-flying-2027', campaignId)
    .option('--out <file>', 'write to this file (whole or not at all) instead of printing')
    .action(async (options: DrawExportOptions) => {
      const { stdout, note } = await drawExport(options);
      if (stdout) console.log(stdout);
      console.error(note);
    });
}
