// The money: the penalty decision (recovery + fine per article; taken by the `decidePenalty` Update), its notice and the
// practitioners' points, then payments until paid in full, a late window past the payment deadline.
import { condition } from '@temporalio/workflow';
import { formatLocal, localYear, reminderSchedule } from '../../domain/calendar';
import type { PenaltyDecision } from '../../domain/case';
import { caseDeadline } from '../../domain/case-deadlines';
import * as messages from '../../domain/case-messages';
import { runActivity } from '../activities';
import { msUntil, waitWithReminders } from '../waiting';
import { withdrawn, type CaseState } from './state';
import { notify, record, waitStep } from './steps';

export async function money(s: CaseState): Promise<void> {
  const { input, rules, status, tz, facts } = s;
  const decisionDue = caseDeadline('decision', new Date(), rules, tz);
  const decided = await waitStep(s, {
    key: 'penalty-decision',
    what: '行政处理决定',
    done: () => status.penalty !== undefined,
    deadline: decisionDue,
    remindTo: [input.responsibleUnit],
    markOverdue: async () => {
      status.penaltyStatus = 'decision-overdue';
      await record(s, 'penalty-decision-overdue', 'penalty-decision-overdue', `处理决定期限 ${formatLocal(decisionDue, tz)} 已过`);
    },
  });
  if (!decided) {
    if (!withdrawn(s)) status.penaltyStatus = 'no-decision';
    return;
  }
  const penalty = status.penalty!;
  const { decision, assessment } = penalty;
  const paymentDue = new Date(penalty.dueAt);
  status.penaltyStatus = assessment.totalFen > 0 ? 'awaiting-payment' : 'paid';
  await record(s, 'penalty-decided', 'penalty-decided', decision.reason, decision.decidedBy, {
    decision,
    assessment,
    ...(decision.approvedBy && { approvedBy: decision.approvedBy }),
  });
  if (assessment.totalFen > 0) {
    await notify(
      s,
      'penalty-decision',
      [...input.institution.contacts, input.responsibleUnit],
      messages.penaltyDecisionMessage(facts, assessment, formatLocal(paymentDue, tz)),
    );
  } else {
    // No money to return or pay (e.g. no fund loss): still a decision the institution is told of.
    await notify(
      s,
      'penalty-decision',
      [...input.institution.contacts, input.responsibleUnit],
      messages.penaltyDecisionWithoutMoneyMessage(facts, decision.reason),
    );
  }
  await deductPoints(s, decision);
  if (assessment.totalFen === 0) return;

  const paid = () => penalty.paidFen >= assessment.totalFen;
  const inTime = await waitWithReminders({
    done: () => paid() || withdrawn(s),
    deadline: paymentDue,
    reminders: reminderSchedule(paymentDue, rules.reminderOffsetsDays, rules.timeOfDay, tz, new Date()),
    timeZone: tz,
    what: '缴款',
    remind: async (r) => {
      status.remindersSent++;
      await notify(
        s,
        `payment-reminder:${r.offsetDays}`,
        input.institution.contacts,
        messages.paymentReminderMessage(facts, assessment.totalFen - penalty.paidFen, formatLocal(paymentDue, tz), r.offsetDays),
      );
    },
  });
  if (withdrawn(s)) return;
  if (!inTime) {
    status.penaltyStatus = 'payment-overdue';
    status.escalations++;
    status.institutionLate = true;
    await record(
      s,
      'payment-overdue',
      'payment-overdue',
      `缴款期限 ${formatLocal(paymentDue, tz)} 已过，尚欠 ${assessment.totalFen - penalty.paidFen} 分`,
    );
    await notify(
      s,
      'payment-escalation:1',
      s.leadership,
      messages.escalationMessage(facts, input.leader.name, '缴款', formatLocal(paymentDue, tz), 1),
    );
    const until = caseDeadline('payment-late', paymentDue, rules, tz);
    await condition(() => paid() || withdrawn(s), msUntil(until), { summary: `逾期缴款等待至 ${formatLocal(until, tz)}` });
    if (withdrawn(s)) return;
  }
  status.penaltyStatus = paid() ? 'paid' : 'unpaid';
  await record(s, 'payment-concluded', paid() ? 'paid-in-full' : 'unpaid', paid() ? '罚没款已缴清' : '逾期仍未缴清，待申请强制执行');
}

/** Deducts the decided practitioner points; a deduction the rules refuse is recorded and reported, not lost. */
async function deductPoints(s: CaseState, decision: PenaltyDecision): Promise<void> {
  const { input, rules, workflowId, tz } = s;
  const decidedAt = s.status.penalty!.decidedAt;
  for (const p of decision.practitioners) {
    const result = await runActivity('deductPractitionerPoints', `记分：${p.practitionerId} ${p.points} 分`, {
      workflow: { jurisdiction: input.jurisdiction, rules: rules.points, notify: [input.bureau], officers: input.officers },
      practitionerId: p.practitionerId,
      year: localYear(new Date(decidedAt), tz),
      // One deduction per practitioner in a decision (the validator refuses a second), so this key is unique.
      deduction: {
        key: `${workflowId}:points:${p.practitionerId}`,
        tier: p.tier,
        points: p.points,
        ...(p.suspensionMonths && { suspensionMonths: p.suspensionMonths }),
        caseId: workflowId,
        reason: p.reason,
        decidedBy: decision.decidedBy,
        decidedAt,
      },
    });
    if (!result.accepted) {
      await record(s, `points-rejected:${p.practitionerId}`, 'points-rejected', result.reason, 'system', {
        practitionerId: p.practitionerId,
      });
      await notify(
        s,
        `points-rejected:${p.practitionerId}`,
        [input.responsibleUnit],
        messages.pointsRejectedMessage(s.facts, p.practitionerId, result.reason),
      );
    }
  }
}
