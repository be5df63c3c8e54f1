// `jianguan case list`: the jurisdiction's cases from the ledger, overdue first, or from Temporal visibility (stages
// and deadlines, no amounts) when the ledger cannot be read.
import { type Client } from '@temporalio/client';
import { formatLocal } from '../../domain/calendar';
import { CASE_STAGE_LABELS, type CaseStage } from '../../domain/case';
import { formatYuan } from '../../domain/inspection';
import { caseWorkflowId } from '../../domain/business-keys';
import type { CaseRecord } from '../../records/types';
import { CAMPAIGN_KIND, CAMPAIGN_YEAR, DUE_AT, INSTITUTION_ID, JURISDICTION, OVERDUE, STAGE } from '../../workflows/search-attributes';
import { plan as loadPlanFile, settings, withClient } from '../context';
import { noLedgerNote, withLedger } from '../ledger';
import { formatTable } from '../output';
import type { Target } from './target';

export interface CaseRow {
  caseNo: string;
  institutionId: string;
  stage: string;
  overdue: boolean;
  open: boolean;
  dueAt: string | null;
  /** Undefined when read from Temporal visibility (amounts are in the ledger only). */
  lossFen?: number;
  fineFen?: number;
  paidFen?: number;
}

export interface ListOptions extends Target {
  year?: number;
  open?: boolean;
  institution?: string;
}

/** Overdue first, then by deadline (none last), then by case number. */
export function byUrgency(a: CaseRow, b: CaseRow): number {
  const due = (row: CaseRow) => (row.dueAt ? new Date(row.dueAt).getTime() : Number.POSITIVE_INFINITY);
  return Number(b.overdue) - Number(a.overdue) || due(a) - due(b) || a.caseNo.localeCompare(b.caseNo);
}

export function stageLabel(stage: string): string {
  return CASE_STAGE_LABELS[stage as CaseStage] ?? stage;
}

export function caseRowFromRecord(record: CaseRecord): CaseRow {
  return {
    caseNo: record.caseNo,
    institutionId: record.institutionId,
    stage: record.stage,
    overdue: record.overdue,
    open: record.open,
    dueAt: record.dueAt,
    lossFen: record.lossFen,
    fineFen: record.fineFen,
    paidFen: record.paidFen,
  };
}

/** The table `case list` prints (rows already sorted). */
export function formatCaseList(rows: readonly CaseRow[], timeZone: string): string {
  const money = (fen: number | undefined) => (fen === undefined ? '-' : formatYuan(fen).replace(/ 元$/, ''));
  const columns = ['', 'case no', 'institution', 'stage', 'due'].map((header) => ({ header }));
  const amounts = ['loss (元)', 'fine (元)', 'paid (元)'].map((header) => ({ header, align: 'right' as const }));
  const table = rows.map((row) => [
    row.overdue ? '!' : '',
    row.caseNo,
    row.institutionId,
    stageLabel(row.stage),
    row.dueAt ? formatLocal(new Date(row.dueAt), timeZone) : '-',
    money(row.lossFen),
    money(row.fineFen),
    money(row.paidFen),
  ]);
  return formatTable([...columns, ...amounts], table).join('\n');
}

/** From Temporal visibility, when the ledger cannot be read: stages and deadlines, no amounts. */
async function listFromVisibility(client: Client, jurisdiction: string, options: ListOptions): Promise<CaseRow[]> {
  const q = (value: string) => `"${value.replaceAll('"', '')}"`;
  const where = [`${JURISDICTION.name} = ${q(jurisdiction)}`, `${CAMPAIGN_KIND.name} = "case"`];
  if (options.year !== undefined) where.push(`${CAMPAIGN_YEAR.name} = ${options.year}`);
  if (options.institution) where.push(`${INSTITUTION_ID.name} = ${q(options.institution)}`);
  if (options.open) where.push(`${STAGE.name} != "closed" AND ${STAGE.name} != "withdrawn"`);
  const prefix = caseWorkflowId(jurisdiction, '');
  const rows: CaseRow[] = [];
  for await (const wf of client.workflow.list({ query: where.join(' AND ') })) {
    if (!wf.workflowId.startsWith(prefix)) continue;
    const sa = wf.typedSearchAttributes;
    const stage = sa.get(STAGE) ?? '?';
    rows.push({
      caseNo: wf.workflowId.slice(prefix.length),
      institutionId: sa.get(INSTITUTION_ID) ?? '?',
      stage,
      overdue: sa.get(OVERDUE) ?? false,
      open: stage !== 'closed' && stage !== 'withdrawn',
      dueAt: sa.get(DUE_AT)?.toISOString() ?? null,
    });
  }
  return rows;
}

export async function listCommand(options: ListOptions): Promise<void> {
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const jurisdiction = plan.jurisdiction.code;
  const filter = {
    jurisdiction,
    ...(options.year !== undefined && { year: options.year }),
    ...(options.open && { open: true }),
    ...(options.institution && { institutionId: options.institution }),
  };
  let rows = await withLedger(config, async (ledger) => (await ledger.listCases(filter)).map(caseRowFromRecord));
  const fromLedger = rows !== undefined;
  rows ??= await withClient(config, (client) => listFromVisibility(client, jurisdiction, options));
  rows.sort(byUrgency);
  const scope = [options.year && `${options.year}`, options.open && 'open', options.institution && `institution ${options.institution}`]
    .filter(Boolean)
    .join(', ');
  if (rows.length === 0) {
    console.log(`no cases in ${plan.jurisdiction.name} (${jurisdiction})${scope ? ` (${scope})` : ''}`);
  } else {
    console.log(
      `${plan.jurisdiction.name} (${jurisdiction}): ${rows.length} case(s)${scope ? ` (${scope})` : ''}, ${rows.filter((r) => r.overdue).length} overdue`,
    );
    console.log(formatCaseList(rows, plan.jurisdiction.timeZone));
  }
  if (!fromLedger) console.log(`\n(from Temporal visibility, without amounts: ${noLedgerNote(config)})`);
}
