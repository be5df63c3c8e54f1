// The Update of a person case and its validator: the payload parsed (every bad field named), separation of duties
// (domain/case-duties.ts), the fine within its paragraph's range and the months within the table's, a second approver
// above the plan's amount. A refusal changes nothing; an accepted decision is answered once the workflow has acted on it.
import { setHandler } from '@temporalio/workflow';
import { approverProblem, deciderProblem } from '../../domain/case-duties';
import { personDecisionSchema, type PersonDecision } from '../../domain/person-case';
import { assessPersonPenalty, personFineProblem, suspensionMonthsProblem } from '../../domain/person-penalty';
import { parseOrReject, reject } from '../payloads';
import { settle } from '../waiting';
import { decidePersonUpdate, personCaseStatusQuery } from './api';
import type { PersonCaseState } from './state';

function validate(s: PersonCaseState, payload: unknown): PersonDecision {
  if (s.closing) reject(`case ${s.input.caseNo} is closing or closed: no decision is accepted any more`, 'InvalidStage');
  const d = parseOrReject(personDecisionSchema, payload, 'person case decision');
  const { input, status } = s;
  const duties = { officers: input.officers, recordedBy: input.source.recordedBy, jurisdictionName: input.jurisdiction.name };
  const decider = deciderProblem(d.decidedBy, 'decidedBy', duties);
  if (decider) reject(decider.message, decider.type);
  if (d.action === 'suspend-card') {
    const problem = suspensionMonthsProblem(d.months, input.rules.penalties);
    if (problem) reject(`invalid person case decision: ${problem}`);
    if (s.queue.some((q) => q.action === 'suspend-card') || status.cardSuspendedUntil)
      reject('the card settlement is already suspended in this case', 'InvalidStage');
  }
  if (d.action === 'penalty') {
    const problem = personFineProblem(d.paragraph, d.multiple, input.rules.penalties);
    if (problem) reject(`invalid person case decision: ${problem}`);
    if (s.queue.some((q) => q.action === 'penalty') || status.penalty) reject('a penalty is already decided in this case', 'InvalidStage');
    const { totalFen } = assessPersonPenalty(status.amountFen, d.paragraph, d.multiple, input.rules.penalties);
    const approver = approverProblem({ ...d, totalFen }, { approvers: input.approvers, recordedBy: input.source.recordedBy }, input.rules);
    if (approver) reject(approver.message, approver.type);
  }
  return d;
}

export function registerHandlers(s: PersonCaseState): void {
  setHandler(personCaseStatusQuery, () => s.status);
  setHandler(
    decidePersonUpdate,
    async (payload) => {
      const d = personDecisionSchema.parse(payload);
      s.queue.push(d);
      const index = s.queue.length;
      if (d.action === 'close') s.closing = true;
      await settle(() => s.applied >= index || s.status.stage !== 'open');
      return s.status;
    },
    { validator: (payload) => void validate(s, payload) },
  );
}
