// `jianguan person-case show|list`: a person's case from the ledger (its row and actions, the person masked) with the
// workflow's status when it answers; the jurisdiction's person cases as a table. Neither ever opens the sealed person.
import { personCaseWorkflowId } from '../../domain/business-keys';
import { formatLocal } from '../../domain/calendar';
import { formatYuan } from '../../domain/inspection';
import { PERSON_ACTION_LABELS, PERSON_STAGE_LABELS } from '../../domain/person-case';
import type { PersonActionRecord, PersonCaseRecord } from '../../records/types';
import { personCaseStatusQuery, type PersonCaseStatus } from '../../workflows/person-case/api';
import { plan as loadPlanFile, queryOrUnreachable, settings, UsageError } from '../context';
import { noLedgerNote, withLedger } from '../ledger';
import { formatTable } from '../output';
import { parseCaseNo } from '../payload';

const money = (fen: number) => formatYuan(fen).replace(/ 元$/, '');

export function formatPersonCaseShow(
  row: PersonCaseRecord | undefined,
  actions: readonly PersonActionRecord[],
  status: PersonCaseStatus | undefined,
  timeZone: string,
): string[] {
  const at = (iso: string | null | undefined) => (iso ? formatLocal(new Date(iso), timeZone) : '-');
  const lines: string[] = [];
  if (row) {
    lines.push(
      `case         ${row.caseNo} (${row.id})`,
      `person       ${row.professional ? '职业骗保人' : '参保人员'} ${row.personMasked} (identity sealed in the ledger)`,
      `source       ${row.sourceKind} ${row.sourceRef}`,
      `stage        ${PERSON_STAGE_LABELS[row.stage]}${row.overdue ? ' OVERDUE' : ''}, due ${at(row.dueAt)}`,
      `amount       ${formatYuan(row.amountFen)}`,
      ...(row.cardSuspendedUntil ? [`card         暂停结算至 ${at(row.cardSuspendedUntil)}`] : []),
    );
  }
  if (status?.penalty)
    lines.push(
      `penalty      退回 ${formatYuan(status.penalty.recoveryFen)} + 罚款 ${formatYuan(status.penalty.fineFen)} (${status.penalty.paragraph})`,
    );
  if (status) lines.push(`recovered    ${formatYuan(status.recoveredFen)}`);
  if (actions.length > 0) {
    const table = actions.map((a) => [at(a.at), PERSON_ACTION_LABELS[a.action], a.decidedBy, money(a.fineFen), money(a.amountFen), a.note]);
    const headers = ['at', 'action', 'by', 'fine (元)', 'amount (元)', 'note'].map((header) => ({ header }));
    lines.push('', ...formatTable(headers, table));
  }
  return lines;
}

export async function personShowCommand(caseNoArg: string, options: { plan?: string }): Promise<void> {
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const jurisdiction = plan.jurisdiction.code;
  const caseNo = parseCaseNo(caseNoArg, jurisdiction, 'person-case');
  const workflowId = personCaseWorkflowId(jurisdiction, caseNo);
  const { status, unreachable } = await queryOrUnreachable(config, workflowId, personCaseStatusQuery);
  const ledger = await withLedger(config, async (store) => {
    const row = await store.getPersonCase(jurisdiction, caseNo);
    return { row, actions: row ? await store.listPersonActions(row.id) : [] };
  });
  if (!status && !ledger?.row) throw new UsageError(`no person case ${caseNo} (${workflowId})${unreachable ? `: ${unreachable}` : ''}`);
  for (const line of formatPersonCaseShow(ledger?.row, ledger?.actions ?? [], status, plan.jurisdiction.timeZone)) console.log(line);
  if (!ledger) console.log(`\n(${noLedgerNote(config)})`);
}

export async function personListCommand(options: { plan?: string; year?: number; open?: boolean }): Promise<void> {
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const filter = {
    jurisdiction: plan.jurisdiction.code,
    ...(options.year !== undefined && { year: options.year }),
    ...(options.open && { stage: 'open' as const }),
  };
  const rows = await withLedger(config, (store) => store.listPersonCases(filter));
  if (!rows) throw new UsageError(noLedgerNote(config));
  if (rows.length === 0) return void console.log(`no person cases in ${plan.jurisdiction.name} (${plan.jurisdiction.code})`);
  const at = (iso: string | null) => (iso ? formatLocal(new Date(iso), plan.jurisdiction.timeZone) : '-');
  const headers = ['', 'case no', 'person', 'source', 'stage', 'due', 'amount (元)'].map((header) => ({ header }));
  const table = rows.map((r) => [
    r.overdue ? '!' : '',
    r.caseNo,
    r.personMasked,
    `${r.sourceKind} ${r.sourceRef}`,
    PERSON_STAGE_LABELS[r.stage],
    at(r.dueAt),
    money(r.amountFen),
  ]);
  console.log(`${plan.jurisdiction.name} (${plan.jurisdiction.code}): ${rows.length} person case(s)`);
  for (const line of formatTable(headers, table)) console.log(line);
}
