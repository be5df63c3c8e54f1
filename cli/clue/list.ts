// `jianguan clue list`: the jurisdiction's clues from the ledger, in the order received: number, receipt, source and
// batch, subject, the reporter MASKED (the ledger holds nothing else outside the sealed table), stage, deadline.
import { SOURCE_LABELS, STAGE_LABELS, type ClueSourceKind, type ClueStage } from '../../domain/clue';
import type { ClueFilter, ClueRecord } from '../../records/types';
import { plan as loadPlanFile, settings, UsageError } from '../context';
import { noLedgerNote, withLedger } from '../ledger';
import { formatTable, localTime } from '../output';
import type { Target } from './target';

export interface ClueListOptions extends Target {
  year?: number;
  source?: string;
  batch?: string;
  stage?: string;
}

export function clueStageLabel(stage: string): string {
  return STAGE_LABELS[stage as ClueStage] ?? stage;
}

export function sourceLabel(r: Pick<ClueRecord, 'source' | 'batchNo'>): string {
  const label = SOURCE_LABELS[r.source as ClueSourceKind] ?? r.source;
  return r.batchNo ? `${label} ${r.batchNo}` : label;
}

/** Long subjects are cut to keep the table readable (`clue show` prints them whole). */
const SUBJECT_SHOWN = 24;
const cut = (text: string) => ([...text].length > SUBJECT_SHOWN ? `${[...text].slice(0, SUBJECT_SHOWN - 1).join('')}…` : text);

/** The table `clue list` prints. */
export function formatClueList(rows: readonly ClueRecord[], timeZone: string): string {
  const columns = ['clue no', 'received', 'source / batch', 'subject', 'reporter', 'stage', 'due', 'overdue'].map((header) => ({ header }));
  return formatTable(
    columns,
    rows.map((r) => [
      r.clueNo,
      localTime(r.receivedAt, timeZone),
      sourceLabel(r),
      cut(r.institutionId ? `${r.subject}（${r.institutionId}）` : r.subject),
      r.reporterMasked,
      clueStageLabel(r.stage),
      localTime(r.dueAt, timeZone),
      r.overdue ? '逾期' : '',
    ]),
  ).join('\n');
}

export async function listCluesCommand(options: ClueListOptions): Promise<void> {
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const jurisdiction = plan.jurisdiction.code;
  const filter: ClueFilter = {
    jurisdiction,
    ...(options.year !== undefined && { year: options.year }),
    ...(options.source && { source: options.source as ClueFilter['source'] }),
    ...(options.batch && { batchNo: options.batch }),
    ...(options.stage && { stage: options.stage }),
  };
  const rows = await withLedger(config, (ledger) => ledger.listClues(filter));
  if (!rows) throw new UsageError(`cannot list clues: ${noLedgerNote(config)}`);
  const scope = [
    options.year && `${options.year}`,
    options.source && SOURCE_LABELS[options.source as ClueSourceKind],
    options.batch && `batch ${options.batch}`,
    options.stage && clueStageLabel(options.stage),
  ]
    .filter(Boolean)
    .join(', ');
  if (rows.length === 0) {
    console.log(`no clues in ${plan.jurisdiction.name} (${jurisdiction})${scope ? ` (${scope})` : ''}`);
    return;
  }
  console.log(
    `${plan.jurisdiction.name} (${jurisdiction}): ${rows.length} clue(s)${scope ? ` (${scope})` : ''}, ${rows.filter((r) => r.overdue).length} overdue`,
  );
  console.log(formatClueList(rows, plan.jurisdiction.timeZone));
}
