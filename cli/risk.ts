// `jianguan risk import FILE`: risk signals (风险信号) into the ledger, where they weight the flying-check draw and
// allow a further on-site inspection in a year (domain/risk.ts). One signal per row:
//   institutionId, kind (clue | data-anomaly), reference (the clue number / anomaly id), date (YYYY-MM-DD), note.
// CSV (`.csv`, a header line; fields may be quoted "…" with "" for a quote) or a YAML/JSON list of mappings.
//
// Every row is validated (zod, by row and field), checked against the plan's institutions and for repeated references
// before anything is written; the import is one transaction and idempotent by reference: the same file again changes
// nothing, and a reference already recorded for another institution, kind or date refuses the whole file.
// Where it goes: the ledger as cli/ledger.ts reaches it (PostgreSQL with DATABASE_URL, otherwise the embedded ledger
// the running worker serves: `npm start` must be running).
import path from 'node:path';
import type { Command } from 'commander';
import { loadPlan, loadRuntimeConfig, type RuntimeConfig } from '../config';
import { riskSignalItemsSchema, type RiskSignalRow } from '../domain/risk';
import type { Problem } from '../domain/validation';
import { UsageError } from './context';
import { ledgerSource, noLedgerNote, withLedger } from './ledger';
import { plainCsv, readTable, readTableFile, tableError, validateRows, type TableFormat } from './table-file';

const COLUMNS = ['institutionId', 'kind', 'reference', 'date', 'note'] as const;
const REQUIRED_COLUMNS = ['institutionId', 'kind', 'reference', 'date'] as const;

function fail(source: string, problems: readonly Problem[]): never {
  throw tableError(`invalid risk signal file ${source} (nothing imported)`, problems);
}

/**
 * Parses and validates a risk signal file. `institutions` are the plan's ids (unknown ones are refused). Every problem
 * is listed, by row and field (`rows[2].kind: expected clue or data-anomaly, got "tip" (line 4)`). Throws UsageError.
 */
export function parseRiskSignals(
  text: string,
  format: TableFormat,
  source: string,
  institutions: ReadonlySet<string>,
  jurisdiction: string,
): RiskSignalRow[] {
  const table = readTable(text, format, {
    root: 'rows',
    fail: (problems) => fail(source, problems),
    // Empty cells are missing values (a missing note is an empty note).
    csv: plainCsv(COLUMNS, REQUIRED_COLUMNS),
  });
  const { data } = table;
  const { result, problems, at } = validateRows(riskSignalItemsSchema, table);
  if (Array.isArray(data)) {
    if (data.length === 0) problems.push({ path: 'rows', message: 'the file has no risk signals' });
    const firstAt = new Map<string, number>();
    data.forEach((row: unknown, i) => {
      const r = typeof row === 'object' && row !== null ? (row as Record<string, unknown>) : {};
      if (typeof r.institutionId === 'string' && /^[A-Z0-9][A-Z0-9-]{1,31}$/.test(r.institutionId) && !institutions.has(r.institutionId)) {
        at([i, 'institutionId'], `unknown institution "${r.institutionId}" (not in the plan of ${jurisdiction})`);
      }
      if (typeof r.reference !== 'string') return;
      const reference = r.reference.trim();
      const first = firstAt.get(reference);
      if (first === undefined) firstAt.set(reference, i);
      else at([i, 'reference'], `duplicate reference "${reference}" (first at rows[${first}])`);
    });
  }
  if (problems.length || !result.success) fail(source, problems);
  return result.data;
}

export interface RiskImportOptions {
  plan?: string | undefined;
}

/** Reads, validates and imports `file`; returns the line to print. */
export async function riskImport(file: string, options: RiskImportOptions, config: RuntimeConfig = loadRuntimeConfig()): Promise<string> {
  const text = readTableFile(file);
  const plan = await loadPlan(options.plan ?? config.planFile);
  const jurisdiction = plan.jurisdiction.code;
  const format = path.extname(file).toLowerCase() === '.csv' ? 'csv' : 'yaml';
  const rows = parseRiskSignals(text, format, file, new Set(plan.institutions.map((i) => i.id)), jurisdiction);

  const result = await withLedger(config, (ledger) => ledger.importRiskSignals(rows.map((row) => ({ jurisdiction, ...row }))));
  if (!result) throw new UsageError(`nothing imported: ${noLedgerNote(config)}`);
  if (result.conflicts.length > 0) {
    throw new UsageError(
      `nothing imported: ${result.conflicts.map((c) => `reference ${c.reference} is recorded for ${c.recorded.institutionId} (${c.recorded.kind}, ${c.recorded.date})`).join('; ')}`,
    );
  }
  return `imported ${result.inserted.length} risk signal(s) into ${ledgerSource(config)} of ${jurisdiction}${result.unchanged.length ? `; ${result.unchanged.length} already recorded, unchanged` : ''}`;
}

export function registerRiskCommands(program: Command): void {
  const risk = program.command('risk').description('risk signals (clues, data anomalies) that weight and allow flying checks');
  risk
    .command('import')
    .description('import risk signals from CSV or YAML (institutionId,kind,reference,date,note); idempotent by reference')
    .argument('<file>', 'CSV with a header line, or a YAML/JSON list')
    .option('--plan <file>', 'jurisdiction plan (default: JIANGUAN_PLAN or the sample plan)')
    .action(async (file: string, options: RiskImportOptions) => {
      console.log(await riskImport(file, options));
    });
}
