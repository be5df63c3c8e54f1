// `jianguan case show`: a case's status query and its audit trail from the ledger; the ledger alone once the workflow
// is gone or Temporal is out of reach.
import { formatLocal } from '../../domain/calendar';
import { AGENCY_LABELS, type ReferralAgency } from '../../domain/case';
import { formatYuan } from '../../domain/inspection';
import type { AuditEntry, CaseRecord, PaymentRecord, ReferralRecord } from '../../records/types';
import { caseStatusQuery, type CaseStatus } from '../../workflows/case/api';
import { queryOrUnreachable, UsageError } from '../context';
import { noLedgerNote, withLedger } from '../ledger';
import { formatTable } from '../output';
import { stageLabel } from './list';
import { target, type Target } from './target';

export function penaltyLine(status: CaseStatus): string {
  const p = status.penalty;
  if (!p) return `penalty      ${status.penaltyStatus}`;
  return `penalty      ${status.penaltyStatus}: total ${formatYuan(p.assessment.totalFen)} (recovery ${formatYuan(p.assessment.recoveryFen)} + fine ${formatYuan(p.assessment.fineFen)}), paid ${formatYuan(p.paidFen)}`;
}

export interface LedgerView {
  record?: CaseRecord;
  audit: AuditEntry[];
  payments: PaymentRecord[];
  referrals: ReferralRecord[];
}

/** What `case show` prints: the workflow's status when it answers, then the ledger's trail when readable. */
export function formatCaseShow(caseId: string, status: CaseStatus | undefined, ledger: LedgerView | undefined, timeZone: string): string {
  const at = (iso: string | null | undefined) => (iso ? formatLocal(new Date(iso), timeZone) : '-');
  // Persons flagged for the discipline commission (人事同查) are in the ledger's referral record: counted here, not named.
  const flagged = (agency: string) => {
    const n = ledger?.referrals.find((r) => r.agency === agency)?.persons?.count ?? 0;
    return n ? `, ${n} person(s) flagged (人事同查, in the ledger)` : '';
  };
  const lines: string[] = [];
  if (status) {
    lines.push(
      `case         ${status.caseNo} (${caseId})`,
      `institution  ${status.institutionId} ${status.institutionName}`,
      `stage        ${status.stage} (${status.stageLabel})${status.overdue ? ' OVERDUE' : ''}`,
      `due          ${at(status.dueAt)}`,
      `opened       ${at(status.openedAt)}`,
      `loss         ${formatYuan(status.lossFen)}`,
      ...(status.recheck
        ? [
            `recheck      ${status.recheck.rectified ? 'rectified' : 'not rectified'} by ${status.recheck.inspectorId} at ${at(status.recheck.checkedAt)}`,
          ]
        : []),
      ...status.decisions.map(
        (d) =>
          `decision     ${at(d.at)} ${d.action}${d.action === 'suspend' ? ` ${d.months} months` : ''} by ${d.decidedBy}${d.publicCriticism ? ', public criticism' : ''}: ${d.reason}`,
      ),
      ...(status.suspendedUntil ? [`suspended    until ${at(status.suspendedUntil)}`] : []),
      penaltyLine(status),
    );
    if (status.penalty) {
      const { decision, assessment } = status.penalty;
      lines.push(
        `  decided by ${decision.decidedBy}${decision.approvedBy ? `, approved by ${decision.approvedBy}` : ''} at ${at(status.penalty.decidedAt)}; pay by ${at(status.penalty.dueAt)}`,
      );
      for (const line of assessment.lines)
        lines.push(`  art. ${line.article}: ${formatYuan(line.lossFen)} × ${line.multiple} = ${formatYuan(line.fineFen)}`);
      for (const p of decision.practitioners)
        lines.push(
          `  points: ${p.practitionerId} tier ${p.tier}, ${p.points} points${p.suspensionMonths ? `, ${p.suspensionMonths} months` : ''}`,
        );
    }
    for (const r of status.referrals) {
      const acknowledged = r.acknowledgedBy
        ? `, acknowledged by ${r.acknowledgedBy}${r.acknowledgedAt ? ` at ${at(r.acknowledgedAt)}` : ''} (${r.reference ?? '-'})`
        : '';
      lines.push(
        `referral     ${AGENCY_LABELS[r.agency]} (${r.agency}) ${r.status}, sent ${at(r.sentAt)}, due ${at(r.dueAt)}${acknowledged}${flagged(r.agency)}`,
      );
    }
    if (status.withdrawal) lines.push(`withdrawn    by ${status.withdrawal.decidedBy}: ${status.withdrawal.reason}`);
    if (status.outcome) lines.push(`outcome      ${status.outcome}`);
    lines.push(
      `reminders    ${status.remindersSent}, escalations ${status.escalations}${status.institutionLate ? '; the institution missed a deadline of its own (counts in its credit grade)' : ''}`,
    );
  } else if (ledger?.record) {
    const r = ledger.record;
    lines.push(
      `case         ${r.caseNo} (${caseId}) — from the ledger`,
      `institution  ${r.institutionId}`,
      `stage        ${r.stage} (${stageLabel(r.stage)})${r.overdue ? ' OVERDUE' : ''}${r.open ? '' : ', ended'}`,
      `due          ${at(r.dueAt)}`,
      `opened       ${at(r.openedAt)}`,
      `money        loss ${formatYuan(r.lossFen)}, fine ${formatYuan(r.fineFen)}, paid ${formatYuan(r.paidFen)}`,
      ...(r.outcome ? [`outcome      ${r.outcome}`] : []),
    );
    for (const ref of ledger.referrals) {
      const acknowledged = ref.acknowledgedBy
        ? `, acknowledged by ${ref.acknowledgedBy} at ${at(ref.acknowledgedAt)} (${ref.reference ?? '-'})`
        : '';
      lines.push(
        `referral     ${AGENCY_LABELS[ref.agency as ReferralAgency] ?? ref.agency} (${ref.agency}) ${ref.status}, sent ${at(ref.sentAt)}, due ${at(ref.dueAt)}${acknowledged}${flagged(ref.agency)}`,
      );
    }
  }
  if (ledger) {
    if (ledger.payments.length) {
      lines.push('', 'payments');
      const columns = [
        { header: 'paid at' },
        { header: 'amount', align: 'right' as const },
        { header: 'reference' },
        { header: 'recorded by' },
      ];
      lines.push(
        ...formatTable(
          columns,
          ledger.payments.map((p) => [at(p.paidAt), formatYuan(p.amountFen), p.reference, p.recordedBy]),
        ),
      );
    }
    lines.push('', `audit trail (${ledger.audit.length})`);
    const columns = ['at', 'actor', 'action', 'reason'].map((header) => ({ header }));
    lines.push(
      ...formatTable(
        columns,
        ledger.audit.map((e) => [at(e.at), e.actor, e.action, e.reason]),
      ),
    );
  }
  return lines.join('\n');
}

export async function showCommand(caseNoArg: string, options: Target): Promise<void> {
  const t = await target(options, caseNoArg);
  const { status, unreachable } = await queryOrUnreachable(t.config, t.workflowId, caseStatusQuery);
  const ledger = await withLedger(t.config, async (store): Promise<LedgerView> => {
    const [record, audit, payments, referrals] = await Promise.all([
      store.getCase(t.workflowId),
      store.listAudit(t.workflowId),
      store.listPayments(t.workflowId),
      store.listReferrals(t.workflowId),
    ]);
    return { ...(record && { record }), audit, payments, referrals };
  });
  if (!status && !ledger?.record) {
    if (unreachable) throw new UsageError(unreachable);
    throw new UsageError(
      `case ${t.caseNo} not found: no workflow ${t.workflowId}${ledger ? ' and no ledger row' : ` (and ${noLedgerNote(t.config)})`}`,
    );
  }
  console.log(formatCaseShow(t.workflowId, status, ledger, t.timeZone));
  if (!ledger) console.log(`\n(no audit trail: ${noLedgerNote(t.config)})`);
  if (unreachable) console.log(`\n(ledger only: ${unreachable})`);
  else if (!status) console.log(`\n(ledger only: the workflow ${t.workflowId} is gone, past its retention)`);
}
