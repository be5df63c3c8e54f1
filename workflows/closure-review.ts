// Closure review (结案检查, seed 000 item 5): every March, last year's cases not fully penalised, executed or
// rectified get a closing deadline (the plan's calendar.closureReview.deadline); responsible units are told and
// reminded, and what is still open at the deadline goes to their leaders. Open cases are read from the ledger;
// the case workflow itself (escalation ladder) closes them.
import { defineQuery, setCurrentDetails, setHandler, sleep, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { formatLocal, localInstant, reminderSchedule } from '../domain/calendar';
import { runActivity } from './activities';
import { CAMPAIGN_ID, CAMPAIGN_KIND, CAMPAIGN_YEAR, DUE_AT, JURISDICTION, OVERDUE, STAGE } from './search-attributes';
import { msUntil } from './waiting';

export interface ClosureReviewInput {
  jurisdiction: string;
  /** The year of the review; it covers the cases of the year before. */
  year: number;
}

export interface ClosureReviewStatus {
  stage: 'waiting' | 'reviewing' | 'completed';
  openAtStart?: number;
  openAtDeadline?: number;
  dueAt: string;
}

export const closureReviewStatusQuery = defineQuery<ClosureReviewStatus>('status');

export async function closureReview(input: ClosureReviewInput): Promise<ClosureReviewStatus> {
  const { workflowId } = workflowInfo();
  const plan = await runActivity('loadPlanDigest', '读取监管计划', input.jurisdiction);
  const tz = plan.jurisdiction.timeZone;
  const { start, deadline } = plan.calendar.closureReview;
  const startAt = localInstant(input.year, start, plan.reminders.timeOfDay, tz);
  const dueAt = localInstant(input.year, deadline, '23:59', tz);
  const due = formatLocal(dueAt, tz);
  const status: ClosureReviewStatus = { stage: 'waiting', dueAt: dueAt.toISOString() };
  setHandler(closureReviewStatusQuery, () => status);
  upsertSearchAttributes([
    { key: JURISDICTION, value: input.jurisdiction },
    { key: CAMPAIGN_ID, value: `${input.jurisdiction}-closure-${input.year}` },
    { key: CAMPAIGN_KIND, value: 'closure-review' },
    { key: CAMPAIGN_YEAR, value: input.year },
    { key: DUE_AT, value: dueAt },
    { key: STAGE, value: status.stage },
  ]);
  if (new Date() < startAt) await sleep(msUntil(startAt), { summary: `结案检查开始 ${formatLocal(startAt, tz)}` });

  const notice = {
    units: plan.responsibleUnits.map(({ id, name, email, leaderId }) => ({ id, name, email, leaderId })),
    leaders: plan.leaders.map(({ id, name, email }) => ({ id, name, email })),
    jurisdiction: input.jurisdiction,
    reviewYear: input.year,
    due,
  };
  status.stage = 'reviewing';
  upsertSearchAttributes([{ key: STAGE, value: status.stage }]);
  const opened = await runActivity('noticeOpenCases', `${input.year - 1}年未结案件：下达结案期限`, { ...notice, keyPrefix: `${workflowId}:closing-deadline`, escalate: false });
  status.openAtStart = opened.pending;
  setCurrentDetails(`${input.year - 1}年未结案件 ${opened.pending} 件，结案期限 ${due}`);

  for (const reminder of reminderSchedule(dueAt, plan.reminders.offsetsDays, plan.reminders.timeOfDay, tz, new Date())) {
    await sleep(msUntil(reminder.at), { summary: `提前${reminder.offsetDays}天催办未结案件 ${formatLocal(reminder.at, tz)}` });
    const left = await runActivity('noticeOpenCases', `催办未结案件（提前${reminder.offsetDays}天）`, { ...notice, keyPrefix: `${workflowId}:closing-reminder:${reminder.offsetDays}`, escalate: false });
    setCurrentDetails(`${input.year - 1}年未结案件：剩余 ${left.pending}/${opened.pending} 件，结案期限 ${due}`);
  }

  await sleep(msUntil(dueAt), { summary: `结案期限 ${due}` });
  const overdue = await runActivity('noticeOpenCases', '结案期限已到：逾期案件报送责任领导', { ...notice, keyPrefix: `${workflowId}:closing-overdue`, escalate: true });
  status.openAtDeadline = overdue.pending;
  status.stage = 'completed';
  upsertSearchAttributes([
    { key: STAGE, value: status.stage },
    { key: OVERDUE, value: overdue.pending > 0 },
  ]);
  setCurrentDetails(`${input.year - 1}年未结案件：期初 ${opened.pending} 件，逾期未结 ${overdue.pending} 件`);
  return status;
}
