// `jianguan clue show`: a clue's status (the workflow's query; the ledger's row once the workflow is gone), the
// reporter MASKED, the reporter's notices, the reward, and the processing report (处理报告) the ledger keeps
// (`clue report` writes it to a file).
import { ACTION_LABELS, CHANNEL_LABELS, OUTCOME_LABELS, type ClueChannel } from '../../domain/clue';
import { formatYuan } from '../../domain/inspection';
import type { ClueRecord } from '../../records/types';
import { clueStatusQuery, type ClueStatus } from '../../workflows/clue/api';
import { queryOrUnreachable, UsageError } from '../context';
import { noLedgerNote, withLedger } from '../ledger';
import { formatTable, localTime } from '../output';
import { clueStageLabel, sourceLabel } from './list';
import { target, type Target } from './target';

export type ShowOptions = Target;

/** What `clue show` prints: the workflow's status when it answers, else the ledger's row; then the report. */
export function formatClueShow(id: string, status: ClueStatus | undefined, row: ClueRecord | undefined, timeZone: string): string {
  const at = (iso: string | null | undefined) => localTime(iso, timeZone);
  const lines: string[] = [];
  const channel = row ? ` via ${CHANNEL_LABELS[row.channel as ClueChannel] ?? row.channel}` : '';
  if (status) {
    const source =
      status.source.kind === 'local'
        ? sourceLabel({ source: 'local', batchNo: null })
        : sourceLabel({ source: status.source.kind, batchNo: status.source.batchNo ?? null });
    lines.push(
      `clue         ${status.clueNo} (${id})`,
      `received     ${at(status.receivedAt)}, ${source}${status.source.batchDate ? ` (${status.source.batchDate})` : ''}${channel}`,
      `subject      ${row ? row.subject : '-'}${status.institutionId ? ` (${status.institutionId})` : ''}`,
      `reporter     ${status.reporter.realName ? `real name, ${status.reporter.masked}` : 'anonymous'}`,
      `stage        ${status.stage} (${status.stageLabel})${status.overdue ? ' OVERDUE' : ''}`,
      `due          ${at(status.dueAt)}`,
    );
    const a = status.acceptance;
    if (a)
      lines.push(
        a.accepted
          ? `accepted     by ${a.decidedBy} at ${at(a.decidedAt)}, assigned to ${a.unitId}${a.note ? `: ${a.note}` : ''}`
          : `not accepted by ${a.decidedBy} at ${at(a.decidedAt)}: ${a.reason}`,
      );
    if (status.extension)
      lines.push(`extended     by ${status.extension.approvedBy} until ${at(status.extension.until)}: ${status.extension.reason}`);
    const c = status.conclusion;
    if (c)
      lines.push(
        `concluded    ${c.outcome} (${OUTCOME_LABELS[c.outcome]}), verified ${formatYuan(c.verifiedFen)}, ${c.action} (${ACTION_LABELS[c.action]}) by ${c.handledBy} at ${at(c.concludedAt)}`,
        `findings     ${c.findings}`,
      );
    if (status.caseId) lines.push(`case         ${status.caseId}`);
    const r = status.reward;
    if (r) {
      const state = r.paidAt
        ? `paid at ${at(r.paidAt)} by ${r.paidBy} (${r.reference})`
        : r.waivedAt
          ? `waived at ${at(r.waivedAt)} (unclaimed)`
          : `to be claimed by ${at(r.claimDueAt)}`;
      lines.push(
        `reward       ${formatYuan(r.amountFen)} (computed ${formatYuan(r.computedFen)})${r.sharesFen.length > 1 ? `, shares ${r.sharesFen.map((f) => formatYuan(f)).join(' / ')}` : ''}, approved by ${r.approvedBy ?? '-'}; ${state}`,
      );
    } else if (status.rewardNote) lines.push(`reward       none: ${status.rewardNote}`);
    lines.push(`reminders    ${status.remindersSent}, escalations ${status.escalations}`);
    if (status.reporterNotices.length) {
      lines.push('', `reporter notices (${status.reporterNotices.length})`);
      lines.push(
        ...formatTable(
          ['event', 'what', 'due', 'told at', 'how', ''].map((header) => ({ header })),
          status.reporterNotices.map((n) => [n.event, n.what, at(n.dueAt), at(n.toldAt), n.how ?? '-', n.overdue ? '逾期' : '']),
        ),
      );
    }
  } else if (row) {
    lines.push(
      `clue         ${row.clueNo} (${id}) — from the ledger`,
      `received     ${at(row.receivedAt)}, ${sourceLabel(row)}${row.batchDate ? ` (${row.batchDate})` : ''}${channel}`,
      `subject      ${row.subject}${row.institutionId ? ` (${row.institutionId})` : ''}`,
      `reporter     ${row.realName ? `real name, ${row.reporterMasked}` : 'anonymous'}`,
      `stage        ${row.stage} (${clueStageLabel(row.stage)})${row.overdue ? ' OVERDUE' : ''}`,
      `due          ${at(row.dueAt)}`,
      ...(row.unitId ? [`assigned to  ${row.unitId}`] : []),
      ...(row.outcome
        ? [`concluded    ${row.outcome}, verified ${formatYuan(row.verifiedFen)}, ${row.action ?? '-'} at ${at(row.concludedAt)}`]
        : []),
      ...(row.caseId ? [`case         ${row.caseId}`] : []),
      ...(row.rewardFen
        ? [
            `reward       ${formatYuan(row.rewardFen)}${row.rewardPaidAt ? `, paid at ${at(row.rewardPaidAt)}` : row.rewardWaivedAt ? `, waived at ${at(row.rewardWaivedAt)}` : ''}`,
          ]
        : []),
    );
  }
  if (row) {
    lines.push('', 'processing report (处理报告)');
    lines.push(row.report ?? '(not filed yet: the report is filed when the clue is concluded or not accepted)');
  }
  return lines.join('\n');
}

export async function showClueCommand(clueNoArg: string, options: ShowOptions): Promise<void> {
  const t = await target(options, clueNoArg);
  const { status, unreachable } = await queryOrUnreachable(t.config, t.workflowId, clueStatusQuery);
  const ledger = await withLedger(t.config, (store) => store.getClue(t.plan.jurisdiction.code, t.clueNo).then((row) => ({ row })));
  const row = ledger?.row;
  if (!status && !row) {
    if (unreachable) throw new UsageError(unreachable);
    throw new UsageError(
      `clue ${t.clueNo} not found: no workflow ${t.workflowId}${ledger ? ' and no ledger row' : ` (and ${noLedgerNote(t.config)})`}`,
    );
  }
  console.log(formatClueShow(t.workflowId, status, row, t.timeZone));
  if (!ledger) console.log(`\n(no processing report: ${noLedgerNote(t.config)})`);
  if (unreachable) console.log(`\n(ledger only: ${unreachable})`);
  else if (!status) console.log(`\n(ledger only: the workflow ${t.workflowId} is gone, past its retention)`);
}
