// The ladder (整改 → 复查 → 约谈 → 暂停 → 解除协议 → 黑名单): each rung waits for a human decision or its deadline,
// reminding before and escalating after. Returns the outcome in words (or the open item) and whether the institution
// rectified.
import { condition } from '@temporalio/workflow';
import { formatLocal, monthsLater, reminderSchedule } from '../../domain/calendar';
import { LADDER_ACTIONS, type CaseStage, type LadderAction, type LadderDecision } from '../../domain/case';
import { caseDeadline } from '../../domain/case-deadlines';
import * as messages from '../../domain/case-messages';
import type { Sanction } from '../../domain/credit';
import { msUntil, waitWithReminders } from '../waiting';
import { withdrawn, type CaseState } from './state';
import { enterStage, gradeOutcome, notify, record, setStage, waitStep } from './steps';

export type LadderResult = { outcome: string; rectified: boolean; concluded: boolean };

/**
 * Waits for the next ladder decision at the current stage, accepting `accepts` meanwhile; undefined when none came
 * after all escalations. `byInstitution`: the deadline is the institution's (rectify after the interview), so
 * missing it counts against its credit.
 */
async function awaitDecision(
  s: CaseState,
  key: string,
  what: string,
  deadline: Date,
  accepts: readonly LadderAction[],
  byInstitution = false,
): Promise<LadderDecision | undefined> {
  s.ladderAccepts = accepts;
  try {
    const decided = await waitStep(s, {
      key,
      what,
      done: () => s.pendingDecision !== undefined,
      deadline,
      remindTo: [s.input.responsibleUnit],
      markOverdue: async () => {
        s.status.overdue = true;
        if (byInstitution) s.status.institutionLate = true;
        await record(s, `${key}-overdue`, `${key}-overdue`, `${what}期限 ${formatLocal(deadline, s.tz)} 已过`);
      },
    });
    return decided ? s.pendingDecision : undefined;
  } finally {
    s.ladderAccepts = [];
  }
}

/** Takes a decision into the records: audit, public criticism where decided, the decision notice. */
async function accept(s: CaseState, decision: LadderDecision, label: string): Promise<void> {
  const { status, input } = s;
  status.decisions.push({ ...decision, at: new Date().toISOString() });
  await notify(
    s,
    `decision:${status.decisions.length}`,
    [...input.institution.contacts, ...s.leadership],
    messages.caseDecisionMessage(s.facts, label, decision.reason),
  );
  if (decision.publicCriticism && !status.publicCriticism) {
    status.publicCriticism = true;
    await record(s, 'public-criticism', 'public-criticism', decision.reason, decision.decidedBy);
    await notify(
      s,
      'public-criticism',
      [...input.institution.contacts, ...s.leadership],
      messages.publicCriticismMessage(s.facts, decision.reason),
    );
  }
}

/** The decision has taken effect: its Update may answer, and the ladder may wait for the next one. */
function applied(s: CaseState): void {
  s.pendingDecision = undefined;
  s.decisionsApplied++;
}

async function sanction(s: CaseState, rung: Sanction, stage: CaseStage, reason: string, actor: string, dueAt?: Date): Promise<void> {
  s.highestSanction = rung;
  await enterStage(s, stage, stage, reason, actor, dueAt);
}

/** The ladder has ended: no decision is awaited on it any more. */
function ladderEnded(s: CaseState, result: LadderResult): LadderResult {
  s.ladderAccepts = [];
  s.ladderOutcome = result.outcome;
  return result;
}
const withdrawnResult = (s: CaseState): LadderResult => ladderEnded(s, { outcome: '撤销', rectified: false, concluded: true });

/** The ladder; returns the outcome in words (or the open item), and whether the institution rectified. */
export async function ladder(s: CaseState): Promise<LadderResult> {
  const rectification = await rectify(s);
  if (rectification) return rectification;
  return climb(s);
}

/**
 * 1. Rectification order, recheck by the team, a last window after the deadline. The ladder's result when it ends
 * here (rectified, or withdrawn); undefined when the interview follows.
 */
async function rectify(s: CaseState): Promise<LadderResult | undefined> {
  const { input, rules, status, tz, facts } = s;
  const rectificationDue = caseDeadline('rectification', new Date(), rules, tz);
  await enterStage(
    s,
    'rectifying',
    'case-opened',
    `发现问题 ${input.items.length} 项，限期整改至 ${formatLocal(rectificationDue, tz)}`,
    input.source.recordedBy,
    rectificationDue,
    false,
    // What kinds of violation the case is about, for its publication as a typical case: not the items' free text.
    { items: input.items.map(({ category, article }) => ({ category, ...(article !== undefined && { article }) })) },
  );
  s.markOpened();
  await notify(
    s,
    'rectification-order',
    input.institution.contacts,
    messages.rectificationOrderMessage(facts, input.items, formatLocal(rectificationDue, tz)),
  );
  const recheckIn = () => status.recheck !== undefined;
  const inTime = await waitWithReminders({
    done: () => recheckIn() || withdrawn(s),
    deadline: rectificationDue,
    reminders: reminderSchedule(rectificationDue, rules.rectification.reminderOffsetsDays, rules.timeOfDay, tz, new Date()),
    timeZone: tz,
    what: '整改',
    remind: async (r) => {
      status.remindersSent++;
      await notify(
        s,
        `rectification-reminder:${r.offsetDays}`,
        input.institution.contacts,
        messages.stepReminderMessage(facts, '整改', formatLocal(rectificationDue, tz), r.offsetDays),
      );
    },
  });
  if (withdrawn(s)) return withdrawnResult(s);
  if (!inTime) {
    // The institution's own deadline has passed: it counts against its credit however the recheck turns out.
    status.institutionLate = true;
    const until = caseDeadline('recheck-window', rectificationDue, rules, tz);
    await enterStage(
      s,
      'rectification-overdue',
      'rectification-overdue',
      `整改期限 ${formatLocal(rectificationDue, tz)} 已过，尚无复查结果`,
      undefined,
      until,
      true,
    );
    await notify(
      s,
      'rectification-escalation:1',
      s.leadership,
      messages.escalationMessage(facts, input.leader.name, '整改', formatLocal(rectificationDue, tz), 1),
    );
    await condition(() => recheckIn() || withdrawn(s), msUntil(until), { summary: `复查期限 ${formatLocal(until, tz)}` });
    if (withdrawn(s)) return withdrawnResult(s);
  }
  if (status.recheck) {
    const { recheck } = status;
    // Rectified: the ladder ends here; the recheck's record carries the stage (no step of its own).
    if (recheck.rectified) setStage(s, 'rectified');
    await record(
      s,
      'rechecked',
      'recheck-recorded',
      recheck.note || (recheck.rectified ? '复查确认已整改' : '复查确认未整改'),
      recheck.inspectorId,
      { recheck },
    );
    if (recheck.rectified) {
      const outcome = inTime ? '按期整改' : '逾期整改';
      await gradeOutcome(s, 'rectified', true, outcome);
      s.recheckRecorded = true;
      return ladderEnded(s, { outcome, rectified: true, concluded: true });
    }
  }
  return undefined;
}

/** 2. Interview (约谈) with its own deadline; then the decisions climb the ladder. */
async function climb(s: CaseState): Promise<LadderResult> {
  const { input, rules, status, tz, facts, leadership } = s;
  const interviewDue = caseDeadline('interview', new Date(), rules, tz);
  // From the moment the stage says "interview", its decisions are accepted (the wait below picks them up).
  s.ladderAccepts = LADDER_ACTIONS.interview;
  await sanction(s, 'interview', 'interview', status.recheck ? '经复查整改未到位，约谈' : '逾期未整改，约谈', 'system', interviewDue);
  await notify(s, 'interview-notice', input.institution.contacts, messages.interviewNoticeMessage(facts, formatLocal(interviewDue, tz)));
  s.recheckRecorded = true;
  let decision = await awaitDecision(s, 'interview', '约谈后处理决定', interviewDue, LADDER_ACTIONS.interview, true);
  while (decision && !withdrawn(s)) {
    switch (decision.action) {
      case 'rectified': {
        const outcome = s.highestSanction === 'suspension' ? '暂停服务期满后整改到位' : '约谈后整改到位';
        await accept(s, decision, '确认已整改');
        await enterStage(s, 'rectified', 'rectified', decision.reason, decision.decidedBy, undefined, false, { decision });
        await gradeOutcome(s, 'rectified', true, outcome);
        applied(s);
        return ladderEnded(s, { outcome, rectified: true, concluded: true });
      }
      case 'suspend': {
        await accept(s, decision, `暂停医保服务 ${decision.months} 个月`);
        const until = monthsLater(new Date(), decision.months, tz);
        status.suspendedUntil = until.toISOString();
        await sanction(
          s,
          'suspension',
          'suspended',
          `${decision.reason}（${decision.months} 个月，至 ${formatLocal(until, tz)}）`,
          decision.decidedBy,
          until,
        );
        await notify(
          s,
          'suspension',
          input.institution.contacts,
          messages.suspensionMessage(facts, decision.months, formatLocal(until, tz)),
        );
        await gradeOutcome(s, 'suspension', false, `暂停医保服务 ${decision.months} 个月`);
        applied(s);
        // The durable timer that lifts the suspension; an earlier termination decision cuts it short.
        s.ladderAccepts = LADDER_ACTIONS.suspended;
        await condition(() => s.pendingDecision !== undefined || withdrawn(s), msUntil(until), {
          summary: `暂停医保服务至 ${formatLocal(until, tz)}`,
        });
        s.ladderAccepts = [];
        if (withdrawn(s)) return withdrawnResult(s);
        if (!s.pendingDecision) {
          s.suspensionLifted = true;
          s.ladderAccepts = LADDER_ACTIONS['suspension-lifted'];
          const recheckDue = caseDeadline('decision', until, rules, tz);
          const liftedReason = `暂停期满（${formatLocal(until, tz)}），恢复医保服务`;
          // Services run again: the case no longer says "suspended" (the ledger, `case list`, the Stage attribute).
          await enterStage(s, 'suspension-lifted', 'suspension-lifted', liftedReason, undefined, recheckDue);
          await notify(
            s,
            'suspension-lifted',
            [...input.institution.contacts, input.responsibleUnit],
            messages.suspensionLiftedMessage(facts),
          );
          decision = await awaitDecision(s, 'after-suspension', '暂停期满后复查决定', recheckDue, LADDER_ACTIONS['suspension-lifted']);
        } else {
          decision = s.pendingDecision;
        }
        continue;
      }
      case 'terminate': {
        await accept(s, decision, '解除定点协议');
        const due = caseDeadline('decision', new Date(), rules, tz);
        await sanction(s, 'termination', 'terminated', decision.reason, decision.decidedBy, due);
        await notify(s, 'termination', [...input.institution.contacts, ...leadership], messages.terminationMessage(facts));
        await gradeOutcome(s, 'termination', false, '解除定点协议');
        applied(s);
        decision = await awaitDecision(s, 'termination', '是否列入黑名单的决定', due, LADDER_ACTIONS.terminated);
        continue;
      }
      case 'blacklist':
        await accept(s, decision, '列入黑名单');
        await sanction(s, 'blacklist', 'blacklisted', decision.reason, decision.decidedBy);
        await notify(s, 'blacklist', [...input.institution.contacts, ...leadership], messages.blacklistMessage(facts));
        await gradeOutcome(s, 'blacklist', false, '列入黑名单');
        applied(s);
        return ladderEnded(s, { outcome: '解除协议并列入黑名单', rectified: false, concluded: true });
      case 'close':
        await accept(s, decision, '结案');
        // The agreement stays terminated; no ladder step is due any more.
        status.dueAt = null;
        status.overdue = false;
        await record(s, 'close-decided', 'close-decided', decision.reason, decision.decidedBy, { decision });
        applied(s);
        return ladderEnded(s, { outcome: '解除定点协议', rectified: false, concluded: true });
    }
  }
  if (withdrawn(s)) return withdrawnResult(s);
  return ladderEnded(s, { outcome: `${status.stageLabel}后逾期未作出决定`, rectified: false, concluded: false });
}
