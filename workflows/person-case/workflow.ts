// A case against an insured person (参保人员) or a 职业骗保人 (issue 13 item 1, seed 004 表二): opened (the person sealed
// into the ledger, the unit told), then the decisions as they come — 约谈, 暂停医保卡结算 for the decided months (a
// durable timer lifts it and tells the agency), 行政处罚 under article 41 (return plus a fine as a multiple), 移交司法机关,
// other actions, the money recovered — each waited for by the plan's decision period with reminders and escalation;
// closed once decided, after the card is settled again. Left open when nobody decides. The Update is handlers.ts; the
// types, query and Update others import are api.ts.
import { allHandlersFinished, condition, sleep } from '@temporalio/workflow';
import { formatLocal, monthsLater } from '../../domain/calendar';
import * as messages from '../../domain/case-messages';
import { AGENCY_LABELS } from '../../domain/case';
import { PERSON_ACTION_LABELS, type PersonDecision } from '../../domain/person-case';
import * as personMessages from '../../domain/person-case-messages';
import { assessPersonPenalty, paragraphSource } from '../../domain/person-penalty';
import { formatYuan } from '../../domain/inspection';
import { runActivity } from '../activities';
import { msUntil } from '../waiting';
import type { PersonCaseInput, PersonCaseStatus } from './api';
import { registerHandlers } from './handlers';
import { createPersonCaseState, type PersonCaseState } from './state';
import { deadlineFrom, notify, record, recordAction, waitForDecision } from './steps';

export async function personCase(input: PersonCaseInput): Promise<PersonCaseStatus> {
  const s = createPersonCaseState(input);
  registerHandlers(s);
  await open(s);
  await decide(s);
  // A card suspension still running is lifted by its timer before the case ends.
  await Promise.all(s.strands);
  await conclude(s);
  await condition(allHandlersFinished);
  return s.status;
}

/** The person sealed into the ledger (the activity seals it), the case recorded, the unit told with the deadline. */
async function open(s: PersonCaseState): Promise<void> {
  const { input, status } = s;
  await runActivity('sealPersonSubject', `登记当事人：案件 ${input.caseNo}`, {
    jurisdiction: input.jurisdiction.code,
    caseNo: input.caseNo,
    person: input.person,
  });
  const due = deadlineFrom(s, new Date(status.openedAt));
  status.dueAt = due.toISOString();
  await record(s, 'opened', 'opened', `立案：${s.facts.institutionName}，${s.facts.origin}`, input.source.recordedBy);
  await notify(s, 'opened', s.leadership, personMessages.personCaseOpenedMessage(s.facts, status.amountFen, formatLocal(due, s.tz)));
}

/** Decisions in order until one closes the case; each next one awaited by the plan's decision period. */
async function decide(s: PersonCaseState): Promise<void> {
  const { status } = s;
  for (let round = 1; ; round++) {
    const due = new Date(status.dueAt!);
    if (!(await waitForDecision(s, round, due))) return leaveOpen(s);
    // The next decision is due a decision period after this one: the rows the actions write carry it.
    status.overdue = false;
    status.dueAt = deadlineFrom(s, new Date()).toISOString();
    while (s.applied < s.queue.length) {
      const d = s.queue[s.applied]!;
      await apply(s, d, s.applied + 1);
      s.applied++;
      if (d.action === 'close') return;
    }
  }
}

async function apply(s: PersonCaseState, d: PersonDecision, n: number): Promise<void> {
  // The action first: a notice's kind is its key's first part (steps.ts notify).
  const key = `${d.action}:${n}`;
  const base = { key, action: d.action, decidedBy: d.decidedBy, months: null, fineFen: 0, amountFen: 0, agency: null };
  switch (d.action) {
    case 'interview':
    case 'other': {
      const note = d.action === 'other' ? d.note : d.reason;
      await recordAction(s, { ...base, action: d.action, note });
      await notify(s, key, s.leadership, messages.caseDecisionMessage(s.facts, PERSON_ACTION_LABELS[d.action], note));
      return;
    }
    case 'suspend-card':
      return suspendCard(s, key, d);
    case 'penalty': {
      const { rules } = s.input;
      const a = assessPersonPenalty(s.status.amountFen, d.paragraph, d.multiple, rules.penalties);
      s.status.penalty = a;
      const note = `依据${paragraphSource(d.paragraph, rules.penalties)}，责令退回 ${formatYuan(a.recoveryFen)}，处 ${d.multiple} 倍罚款 ${formatYuan(a.fineFen)}。${d.reason}`;
      await recordAction(s, { ...base, action: 'penalty', fineFen: a.fineFen, amountFen: a.recoveryFen, note });
      await notify(s, key, s.leadership, messages.caseDecisionMessage(s.facts, '行政处罚', note));
      return;
    }
    case 'refer': {
      const agency = s.input.agencies[d.agency];
      const due = deadlineFrom(s, new Date(), s.input.rules.referralAckDays);
      await recordAction(s, { ...base, action: 'refer', agency: d.agency, note: `移交${AGENCY_LABELS[d.agency]}：${d.reason}` });
      // The letter names the case, not the person: the agency asks for the sealed file through the bureau.
      const letter = messages.referralLetterMessage(s.facts, d.agency, agency.name, d.reason, formatLocal(due, s.tz), []);
      await notify(s, key, [agency, ...s.leadership], letter);
      return;
    }
    case 'recover':
      s.status.recoveredFen += d.amountFen;
      await recordAction(s, {
        ...base,
        action: 'recover',
        amountFen: d.amountFen,
        note: `追回骗取医保基金 ${formatYuan(d.amountFen)}（${d.reference}）`,
      });
      return;
    case 'close':
      s.status.outcome = d.reason;
      return;
  }
}

/** Suspends the card settlement for the decided months; a durable timer lifts it and tells the agency. */
async function suspendCard(s: PersonCaseState, key: string, d: Extract<PersonDecision, { action: 'suspend-card' }>): Promise<void> {
  const until = monthsLater(new Date(), d.months, s.tz);
  s.status.cardSuspendedUntil = until.toISOString();
  const note = `暂停医疗费用联网结算 ${d.months} 个月，至 ${formatLocal(until, s.tz)}：${d.reason}`;
  await recordAction(s, {
    key,
    action: 'suspend-card',
    decidedBy: d.decidedBy,
    months: d.months,
    fineFen: 0,
    amountFen: 0,
    agency: null,
    note,
  });
  await notify(s, key, s.leadership, personMessages.cardSuspendedMessage(s.facts, d.months, formatLocal(until, s.tz)));
  s.strands.push(liftCard(s, until));
}

async function liftCard(s: PersonCaseState, until: Date): Promise<void> {
  await sleep(msUntil(until));
  s.status.cardLifted = true;
  const from = formatLocal(new Date(), s.tz);
  await recordAction(s, {
    key: 'card-lifted',
    action: 'card-lifted',
    decidedBy: 'system',
    months: null,
    fineFen: 0,
    amountFen: 0,
    agency: null,
    note: `暂停期满，自 ${from} 起恢复联网结算`,
  });
  await notify(s, 'card-lifted', s.leadership, personMessages.cardLiftedMessage(s.facts, from));
}

async function leaveOpen(s: PersonCaseState): Promise<void> {
  s.closing = true;
  s.status.stage = 'left-open';
  s.status.outcome = '未结：逾期未作出处理决定';
  await record(s, 'left-open', 'left-open', s.status.outcome);
}

async function conclude(s: PersonCaseState): Promise<void> {
  const { status } = s;
  if (status.stage !== 'open') return;
  const closing = s.queue[s.applied - 1]!;
  status.stage = 'closed';
  status.dueAt = null;
  status.overdue = false;
  await record(s, 'closed', 'closed', `结案：${status.outcome}`, closing.decidedBy);
  await notify(s, 'closure', s.leadership, messages.closureMessage(s.facts, status.outcome ?? ''));
}
