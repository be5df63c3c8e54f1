// A violation case (案件, DESIGN §5 "case"), opened by an inspection whose findings have violations. It can outlive its
// campaign and its year. Three strands run side by side until each has ended:
//  - the ladder (ladder.ts): rectification order → recheck → interview (约谈) → suspension (a durable timer lifts it) →
//    termination of the agreement → blacklist, each rung waiting for a human decision or its deadline, reminding
//    before and escalating after;
//  - the money (money.ts): the penalty decision (recovery + fine per article, separation of duties, a second approver
//    above a configured amount), then payments until paid in full;
//  - referrals (referrals.ts, 移送): a letter per agency, an acknowledgement awaited by a deadline; by rule when a crime
//    is suspected.
// A withdrawal (with its reason) ends all three. Every step goes to the ledger and the audit trail, with a Chinese
// notification keyed so it is delivered once. The institution's credit grade is written at every outcome. The Updates
// and their validators are handlers.ts; the types, query and Updates others import are api.ts.
import { allHandlersFinished, condition } from '@temporalio/workflow';
import { suspectedCrime } from '../../domain/case';
import * as messages from '../../domain/case-messages';
import type { CaseInput, CaseStatus } from './api';
import { registerHandlers } from './handlers';
import { ladder, type LadderResult } from './ladder';
import { money } from './money';
import { startReferral, withdrawalNotices } from './referrals';
import { createCaseState, withdrawn, type CaseState } from './state';
import { enterStage, notify, record, saveGrade, creditInput } from './steps';

export async function caseWorkflow(input: CaseInput): Promise<CaseStatus> {
  const s = createCaseState(input);
  registerHandlers(s);
  const { rules } = input;
  if (suspectedCrime(input.items, rules.crimeReferral)) {
    startReferral(s, {
      agency: rules.crimeReferral.agency,
      decidedBy: 'system',
      reason: '涉嫌“三假”欺诈骗保且金额达到移送标准，依规移送',
      persons: [],
    });
  }
  const ladderDone = ladder(s);
  s.strands.push(money(s));
  const result = await ladderDone;
  // Referrals may be added while the others run: wait until no strand is left.
  await drain(s);
  // Close the gate at once, before the next await: from here validators refuse every Update. A referral accepted in
  // the instant before is followed to its end like the others.
  s.closing = true;
  await drain(s);
  await conclude(s, result);
  // The final status once every Update handler has answered (each of their waits is bounded).
  await condition(allHandlersFinished);
  return s.status;
}

/** Waits until every strand has ended, those added meanwhile included. */
async function drain(s: CaseState): Promise<void> {
  for (let seen = 0; seen < s.strands.length;) {
    const batch = s.strands.slice(seen);
    seen = s.strands.length;
    await Promise.all(batch);
  }
}

/** The case's end: withdrawn, left open (what is still missing), or closed with the ladder's outcome. */
async function conclude(s: CaseState, result: LadderResult): Promise<void> {
  const { input, status, workflowId, facts } = s;
  if (withdrawn(s)) {
    const { reason, decidedBy } = status.withdrawal!;
    status.outcome = `撤销：${reason}`;
    await enterStage(s, 'withdrawn', 'withdrawn', reason, decidedBy);
    // Withdrawn: the findings do not stand, so the institution is graded as if no violation had been found.
    await saveGrade(
      s,
      `${workflowId}:credit-grade:withdrawn`,
      { violation: false, lossFen: 0, items: 0, overdue: false },
      `案件 ${input.caseNo}：撤销（${reason}）`,
      { outcome: 'withdrawn' },
    );
    await withdrawalNotices(s, reason);
    return;
  }
  // The institution's credit grade for the case's year from its outcome (DESIGN §2 credit grade).
  await saveGrade(s, `${workflowId}:credit-grade`, creditInput(s, result.rectified), `案件 ${input.caseNo}：${result.outcome}`);
  const open = [
    ...(result.concluded ? [] : [result.outcome]),
    ...(status.penaltyStatus === 'no-decision' ? ['未作出处理决定'] : status.penaltyStatus === 'unpaid' ? ['罚没款未缴清'] : []),
    ...status.referrals.filter((r) => r.status === 'unacknowledged').map((r) => `${input.agencies[r.agency].name}未回执`),
  ];
  if (open.length) {
    // Not closed: the case stays open in the ledger, and next March's closure review sets it a closing deadline.
    status.outcome = `未结：${open.join('；')}`;
    status.overdue = true;
    await record(s, 'left-open', 'left-open', status.outcome);
    return;
  }
  status.outcome = result.outcome;
  await enterStage(s, 'closed', 'closed', result.outcome);
  await notify(s, 'closure', [...input.institution.contacts, input.leader], messages.closureMessage(facts, result.outcome));
}
