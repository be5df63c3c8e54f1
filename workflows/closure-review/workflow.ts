// Closure review (结案检查, seed 000 item 5): every March, last year's cases not fully penalised, executed or
// rectified get a closing deadline (the plan's calendar.closureReview.deadline, ending at calendar.endOfDay), recorded
// per case in the ledger. Each responsible unit is told its cases by case number with what is outstanding on each;
// reminders at the plan's offsets list the cases still open then; at the deadline those still open go to the unit's
// leader, again every closureReview.escalationWindowDays, closureReview.maxEscalations times in all; one window after
// the last, the review records in the ledger what remained open. Open cases are read from the ledger; the case
// workflow itself (escalation ladder) closes them.
import { setCurrentDetails, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import { closureCampaignId } from '../../domain/business-keys';
import { daysLaterAt, formatLocal, localInstant, reminderSchedule } from '../../domain/calendar';
import { closureReviewRules } from '../../domain/closure-review';
import { runActivity } from '../activities';
import { CLOSURE_REVIEW_STAGE_LABELS } from '../../domain/stages';
import { upsertWithLabels } from '../upsert';
import { msUntil } from '../waiting';
import { ClosureReviewInput, ClosureReviewStatus, closureReviewStatusQuery } from './api';

export async function closureReview(input: ClosureReviewInput): Promise<ClosureReviewStatus> {
  const plan = await runActivity('loadPlanDigest', '读取监管计划', input.jurisdiction);
  const { workflowId } = workflowInfo();
  const tz = plan.jurisdiction.timeZone;
  const rules = closureReviewRules(plan);
  const caseYear = input.year - 1;
  const { start, deadline } = plan.calendar.closureReview;
  const startAt = localInstant(input.year, start, plan.reminders.timeOfDay, tz);
  const dueAt = localInstant(input.year, deadline, rules.endOfDay, tz);
  const due = formatLocal(dueAt, tz);
  const status: ClosureReviewStatus = { stage: 'waiting', dueAt: dueAt.toISOString(), escalations: 0 };
  setHandler(closureReviewStatusQuery, () => status);
  const setStage = (stage: ClosureReviewStatus['stage']) => {
    status.stage = stage;
    upsertWithLabels({ stage }, { stageLabel: CLOSURE_REVIEW_STAGE_LABELS[stage] });
  };
  upsertWithLabels(
    {
      jurisdiction: input.jurisdiction,
      campaignId: closureCampaignId(input.jurisdiction, input.year),
      campaignKind: 'closure-review',
      year: input.year,
      dueAt,
      stage: status.stage,
    },
    { stageLabel: CLOSURE_REVIEW_STAGE_LABELS[status.stage] },
  );
  setCurrentDetails(`${caseYear}年未结案件结案检查：${formatLocal(startAt, tz)} 开始，结案期限 ${due}`);
  if (new Date() < startAt) await sleep(msUntil(startAt), { summary: `结案检查开始 ${formatLocal(startAt, tz)}` });

  const review = { reviewId: workflowId, jurisdiction: input.jurisdiction, reviewYear: input.year, timeZone: tz };
  const notice = {
    ...review,
    units: plan.responsibleUnits.map(({ id, name, email, leaderId }) => ({ id, name, email, leaderId })),
    leaders: plan.leaders.map(({ id, name, email }) => ({ id, name, email })),
    due,
  };
  const progress = (what: string) => setCurrentDetails(`${caseYear}年未结案件：${what}，结案期限 ${due}`);
  setStage('reviewing');
  const deadlines = await runActivity('setClosureDeadlines', `${caseYear}年未结案件：登记结案期限 ${due}`, {
    ...review,
    dueAt: dueAt.toISOString(),
    at: new Date().toISOString(),
  });
  status.openAtStart = deadlines.cases;
  let open = deadlines.cases;
  if (open > 0) {
    open = (
      await runActivity('noticeClosureCases', `${caseYear}年未结案件：下达结案期限 ${due}`, {
        ...notice,
        keyPrefix: `${workflowId}:closing-deadline`,
        occasion: 'deadline',
      })
    ).pending;
  }
  status.openNow = open;
  progress(`${open} 件`);

  // Reminders before the deadline list only the cases still open then; once none is, the review is done.
  for (const reminder of reminderSchedule(dueAt, plan.reminders.offsetsDays, plan.reminders.timeOfDay, tz, new Date())) {
    if (open === 0) break;
    await sleep(msUntil(reminder.at), { summary: `提前${reminder.offsetDays}天催办未结案件 ${formatLocal(reminder.at, tz)}` });
    open = (
      await runActivity('noticeClosureCases', `催办未结案件（提前${reminder.offsetDays}天）`, {
        ...notice,
        keyPrefix: `${workflowId}:closing-reminder:${reminder.offsetDays}`,
        occasion: 'reminder',
        offsetDays: reminder.offsetDays,
      })
    ).pending;
    status.openNow = open;
    progress(`剩余 ${open}/${status.openAtStart} 件`);
  }

  if (open > 0) {
    await sleep(msUntil(dueAt), { summary: `结案期限 ${due}` });
    // At the deadline, then every escalation window: what is still open goes to the leaders, until none is or the
    // plan's number of escalations is reached; one more window for the last one, then the result is recorded.
    const rounds = rules.maxEscalations;
    for (let n = 1; n <= rounds && open > 0; n++) {
      if (n > 1) {
        const at = daysLaterAt(dueAt, (n - 1) * rules.escalationWindowDays, rules.endOfDay, tz);
        await sleep(msUntil(at), { summary: `第${n}次督办逾期案件 ${formatLocal(at, tz)}` });
      }
      open = (
        await runActivity('noticeClosureCases', `结案逾期：第${n}次督办（共${rounds}次）`, {
          ...notice,
          keyPrefix: `${workflowId}:closing-overdue:${n}`,
          occasion: 'escalation',
          round: { n, of: rounds },
        })
      ).pending;
      if (n === 1) {
        status.openAtDeadline = open;
        if (open > 0) {
          status.stage = 'overdue';
          upsertWithLabels({ stage: status.stage, overdue: true }, { stageLabel: CLOSURE_REVIEW_STAGE_LABELS[status.stage] });
        }
      }
      if (open > 0) status.escalations = n;
      status.openNow = open;
      progress(`逾期未结 ${open} 件，已督办 ${status.escalations} 次`);
    }
    if (open > 0) {
      const end = daysLaterAt(dueAt, rounds * rules.escalationWindowDays, rules.endOfDay, tz);
      await sleep(msUntil(end), { summary: `结案检查结束 ${formatLocal(end, tz)}` });
    }
  }
  status.openAtDeadline ??= open;

  const result = await runActivity('completeClosureReview', `结案检查结束：记录未办结案件`, { ...review, at: new Date().toISOString() });
  status.openAtEnd = result.open;
  status.openNow = result.open;
  status.openCaseNos = result.openCaseNos;
  status.stage = 'completed';
  upsertWithLabels({ stage: status.stage, overdue: result.open > 0 }, { stageLabel: CLOSURE_REVIEW_STAGE_LABELS[status.stage] });
  setCurrentDetails(
    `${caseYear}年未结案件：期初 ${result.cases} 件，期间办结 ${result.closed} 件，仍未办结 ${result.open} 件（已督办 ${status.escalations} 次）`,
  );
  return status;
}
