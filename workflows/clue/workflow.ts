// One tip-off clue (举报线索, DESIGN §5 "clue"): registered → the acceptance decision by its time limit (reminders,
// escalation) → not accepted: the reporter told why; accepted: assigned to a unit that verifies it by its time limit
// (extended once by a leader) → concluded 查证属实 / 部分属实 / 不属实: a case on the ladder or a flying check of the
// institution, the reporter told, the processing report filed → the reward: computed, approved by a leader other than
// the handler, the reporter told and given the claim window → paid, or waived when unclaimed. The Updates are
// handlers.ts; the types, query and Updates others import are api.ts.
import { allHandlersFinished, condition, patched } from '@temporalio/workflow';
import { formatLocal, formatLocalDate, monthsLater } from '../../domain/calendar';
import { clueCaseNo } from '../../domain/business-keys';
import { computeReward, rewardDue, splitReward } from '../../domain/clue';
import * as messages from '../../domain/clue-messages';
import { formatYuan } from '../../domain/inspection';
import { describePeriod } from '../../domain/period';
import { startCase } from '../case/open';
import { runActivity } from '../activities';
import { msUntil } from '../waiting';
import type { ClueInput, ClueStatus } from './api';
import { registerHandlers } from './handlers';
import { orderFlyingCheck } from './flying-check';
import { createClueState, type ClueState } from './state';
import { deadline, enterStage, handlers, notify, record, showDetails, tellReporter, waitStep } from './steps';

/**
 * The clue's patches (patching-api sequence). orderedFlyingCheck: a conclusion with action flying-check orders the
 * inspection now (./flying-check.ts); clues recorded before only weighed the institution in the year's draw.
 */
const CLUE_PATCHES = { orderedFlyingCheck: 'clue-orders-flying-check' } as const;

export async function clueWorkflow(input: ClueInput): Promise<ClueStatus> {
  const s = createClueState(input);
  registerHandlers(s);
  await register(s);
  if ((await decideAcceptance(s)) && (await verify(s))) {
    await act(s);
    await reward(s);
  }
  await Promise.all(s.strands);
  // An Update still answering (its effect done, its reply pending) gets its reply before the clue ends.
  await condition(allHandlersFinished);
  return s.status;
}

/** Registered: the intake unit and its leader hear of it with the acceptance deadline. */
async function register(s: ClueState): Promise<void> {
  const due = deadline(s, new Date(s.input.receivedAt), s.input.rules.acceptance);
  await enterStage(
    s,
    'awaiting-acceptance',
    'registered',
    `登记举报线索，受理期限 ${describePeriod(s.input.rules.acceptance)}`,
    undefined,
    due,
  );
  await notify(s, 'registered', [s.input.intakeUnit, s.input.leader], messages.intakeMessage(s.facts, formatLocal(due, s.tz)));
}

/** 受理 or 不予受理 by the deadline. False when not accepted (the reporter told why) or never decided. */
async function decideAcceptance(s: ClueState): Promise<boolean> {
  const { status } = s;
  const due = new Date(status.dueAt!);
  const decided = await waitStep(s, {
    key: 'acceptance',
    what: '受理决定',
    done: () => status.acceptance !== undefined,
    deadline: () => due,
  });
  if (!decided) return leaveUnhandled(s, '受理决定');
  const decision = status.acceptance!;
  if (!decision.accepted) {
    await enterStage(s, 'rejected', 'rejected', decision.reason!, decision.decidedBy);
    await tellReporter(s, 'rejected', '不予受理', { kind: 'rejected', reason: decision.reason! });
    await fileReport(s);
    s.applied.add('acceptance');
    return false;
  }
  const unit = s.unit!;
  const verifyDue = deadline(s, new Date(decision.decidedAt), s.input.rules.handling);
  await enterStage(s, 'verifying', 'accepted', `受理，交${unit.name}核查`, decision.decidedBy, verifyDue);
  await notify(
    s,
    'assigned',
    [unit, unit.leader],
    messages.assignedMessage(s.facts, unit.name, formatLocal(verifyDue, s.tz), decision.note ?? ''),
  );
  await tellReporter(s, 'accepted', '受理', { kind: 'accepted' });
  s.applied.add('acceptance');
  return true;
}

/** The verification by its deadline, which an approved extension moves once. False when nothing was concluded. */
async function verify(s: ClueState): Promise<boolean> {
  const { status } = s;
  const due = new Date(status.dueAt!);
  const concluded = await waitStep(s, {
    key: 'verification',
    what: '线索核查',
    done: () => status.conclusion !== undefined,
    deadline: () => (status.extension ? new Date(status.extension.until) : due),
  });
  if (!concluded) return leaveUnhandled(s, '线索核查');
  const c = status.conclusion!;
  await enterStage(s, 'concluded', 'concluded', `核查结论：${messages.outcomeText(c.outcome, c.verifiedFen)}`, c.handledBy);
  return true;
}

/** What the conclusion leads to: a case, or the institution weighed in this year's flying checks; then the report. */
async function act(s: ClueState): Promise<void> {
  const { input, status } = s;
  const c = status.conclusion!;
  const institution = input.subject.institution;
  if (c.action === 'case' && institution) {
    const { unit, leader } = handlers(s);
    status.caseId = await startCase(input.cases, {
      jurisdiction: input.jurisdiction,
      caseNo: clueCaseNo(input.clueNo),
      year: input.year,
      institution,
      source: { inspectionId: null, campaignId: null, origin: `举报线索 ${input.clueNo}`, recordedBy: c.handledBy, team: [c.handledBy] },
      items: s.items,
      responsibleUnit: unit,
      leader,
      campaignId: s.workflowId,
      originText: `举报线索 ${input.clueNo}`,
    });
  }
  if (c.action === 'flying-check' && institution && patched(CLUE_PATCHES.orderedFlyingCheck)) {
    status.flyingCheckId = await orderFlyingCheck(s);
  } else if (c.action === 'flying-check' && institution) {
    await runActivity('importClueSignal', `纳入飞行检查：${institution.name}`, {
      jurisdiction: input.jurisdiction.code,
      reference: input.clueNo,
      institutionId: institution.id,
      kind: 'clue',
      date: formatLocalDate(new Date(c.concludedAt), s.tz),
      note: `举报线索 ${input.clueNo} 核查${messages.outcomeText(c.outcome, c.verifiedFen)}`,
    });
  }
  await tellReporter(s, 'concluded', '处理结果', { kind: 'concluded', outcome: c.outcome, action: c.action });
  await fileReport(s);
  s.applied.add('conclusion');
}

/** The reward of a verified clue: computed, approved by a leader (not the handler), told, then claimed or waived. */
async function reward(s: ClueState): Promise<void> {
  const { input, status } = s;
  const c = status.conclusion!;
  const rule = input.rules.reward;
  if (!rewardDue({ ...c, reachable: input.reporter.reachable, duplicateOf: input.duplicateOf })) return close(s, rewardNote(s));
  const computed = computeReward(c.verifiedFen, rule);
  const approvalDue = deadline(s, new Date(), input.rules.rewardApproval);
  await enterStage(
    s,
    'reward-approval',
    'reward-computed',
    `拟奖励 ${formatYuan(computed.totalFen)}（${rule.source}）`,
    undefined,
    approvalDue,
  );
  const leaders = input.units.filter((u) => input.approvers.includes(u.leader.id)).map((u) => u.leader);
  const approvers = leaders.length > 0 ? leaders : [input.leader];
  await notify(
    s,
    'reward-approval',
    approvers,
    messages.rewardApprovalMessage(s.facts, computed, input.reporter.signatories, formatLocal(approvalDue, s.tz)),
  );
  const approved = await waitStep(s, {
    key: 'reward-approval',
    what: '举报奖励审批',
    done: () => s.approval !== undefined,
    deadline: () => approvalDue,
  });
  if (!approved) return void (await leaveUnhandled(s, '举报奖励审批'));
  await offerReward(s, computed.totalFen);
}

/** Approved: the reporter told of the amount and the claim window; the claim or the window's end closes the clue. */
async function offerReward(s: ClueState, computedFen: number): Promise<void> {
  const { input, status } = s;
  const rule = input.rules.reward;
  const approval = s.approval!;
  const amountFen = approval.amountFen ?? computedFen;
  const at = new Date();
  const claimDue = monthsLater(at, rule.claimMonths, s.tz);
  const sharesFen = splitReward(amountFen, input.reporter.signatories, rule.jointReport);
  status.reward = {
    computedFen,
    amountFen,
    sharesFen,
    approvedBy: approval.approvedBy,
    approvedAt: at.toISOString(),
    claimDueAt: claimDue.toISOString(),
  };
  const reason = `审批奖励 ${formatYuan(amountFen)}${approval.reason ? `：${approval.reason}` : ''}，领取期限 ${formatLocal(claimDue, s.tz)}`;
  await enterStage(s, 'reward-claim', 'reward-approved', reason, approval.approvedBy, claimDue);
  await tellReporter(s, 'reward', '举报奖励', {
    kind: 'reward',
    shareFen: sharesFen[0]!,
    claimDue: formatLocal(claimDue, s.tz),
    source: rule.source,
  });
  const claimed = await condition(() => s.claim !== undefined, msUntil(claimDue), {
    summary: `举报奖励领取期限 ${formatLocal(claimDue, s.tz)}`,
  });
  if (claimed) {
    Object.assign(status.reward, { paidAt: s.claim!.paidAt, paidBy: s.claim!.paidBy, reference: s.claim!.reference });
    await close(s, `奖励已领取（${s.claim!.reference}）`, s.claim!.paidBy);
  } else {
    status.reward.waivedAt = new Date().toISOString();
    await close(s, `领取期限 ${formatLocal(claimDue, s.tz)} 已过，视为放弃奖励`);
  }
}

function rewardNote(s: ClueState): string {
  const c = s.status.conclusion!;
  if (c.outcome === 'unfounded' || c.verifiedFen === 0) return '无查实金额，不予奖励';
  if (s.input.duplicateOf) return `同一事项已由线索 ${s.input.duplicateOf} 先行举报，奖励首位举报人`;
  return '举报人无法联系，不予奖励';
}

async function close(s: ClueState, reason: string, actor?: string): Promise<void> {
  s.status.rewardNote = s.status.reward ? undefined : reason;
  await enterStage(s, 'closed', 'closed', reason, actor);
  await fileReport(s);
}

/** The processing report (处理报告), filed in the ledger; a transferred clue's goes upward with the weekly tables. */
async function fileReport(s: ClueState): Promise<void> {
  const { input, status } = s;
  const c = status.conclusion;
  const report = messages.processingReport(s.facts, {
    receivedAt: formatLocal(new Date(input.receivedAt), s.tz),
    summary: input.summary,
    decision: status.acceptance?.accepted ? '予以受理' : `不予受理（${status.acceptance?.reason ?? ''}）`,
    unitName: s.unit?.name,
    extension: status.extension && `经批准延期至 ${formatLocal(new Date(status.extension.until), s.tz)}`,
    ...(c && {
      outcome: c.outcome,
      verifiedFen: c.verifiedFen,
      findings: c.findings,
      action: c.action,
      caseNo: status.caseId && clueCaseNo(input.clueNo),
      flyingCheckId: status.flyingCheckId,
      concludedAt: formatLocal(new Date(c.concludedAt), s.tz),
    }),
    reward: status.reward && messages.rewardText(status.reward),
  });
  await record(s, `report:${status.stage}`, '处理报告', undefined, report);
  showDetails(s);
}

/** Past every escalation: recorded as unhandled (逾期未办) and the leader told; the clue's workflow ends. */
async function leaveUnhandled(s: ClueState, what: string): Promise<false> {
  const { leader, unit } = handlers(s);
  await enterStage(s, 'unhandled', 'unhandled', `${what}经督办仍未办理`);
  await notify(s, `unhandled:${what}`, [leader, unit], messages.unhandledMessage(s.facts, leader.name, what));
  return false;
}
