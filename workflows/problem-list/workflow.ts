// The campaign's weekly 问题台账 loop (a child of the special campaign): from the first phase's start to the campaign's
// end, one week a run — the week's units due (the tasks still running that week: ongoing ones, or before their
// deadline), its `problemListWeek` run as a child to its close, then continue-as-new with the next week. So the loop's
// history holds one week whatever the campaign's length (DESIGN §5); it ends when a week would fall due after the
// campaign's end or no task runs any more.
import { continueAsNew, executeChild, setHandler, sleep } from '@temporalio/workflow';
import { formatLocal, formatLocalDate } from '../../domain/calendar';
import { firstWeek, nextWeek, unitsDue, weekDeadline, weekReminder } from '../../domain/problem-list';
import { msUntil } from '../waiting';
import {
  problemListsStatusQuery,
  problemListWeekStartOptions,
  type ProblemListsInput,
  type ProblemListsStatus,
  type ProblemListWeekInput,
} from './api';
import { problemListWeek } from './week';

export async function problemLists(input: ProblemListsInput): Promise<ProblemListsStatus> {
  const tz = input.jurisdiction.timeZone;
  const status: ProblemListsStatus = { campaignId: input.campaign.id, stage: 'waiting', weeksDone: input.weeksDone ?? 0 };
  setHandler(problemListsStatusQuery, () => status);
  const startsAt = new Date(input.startsAt);
  if (new Date() < startsAt) await sleep(msUntil(startsAt), { summary: `问题台账首周开始 ${formatLocal(startsAt, tz)}` });

  const week = input.week ?? firstWeek(new Date(), input.rules, tz);
  const weekInput = weekOf(input, week);
  if (!weekInput) {
    status.stage = 'completed';
    return status;
  }
  Object.assign(status, { stage: 'collecting', week } satisfies Partial<ProblemListsStatus>);
  await executeChild(problemListWeek, problemListWeekStartOptions(weekInput));
  return continueAsNew<typeof problemLists>({ ...input, week: nextWeek(week, tz), weeksDone: status.weeksDone + 1 });
}

/** The week's input, or none when it falls due after the campaign's end or no unit owes a 台账 that week. */
function weekOf(input: ProblemListsInput, week: string): ProblemListWeekInput | undefined {
  const tz = input.jurisdiction.timeZone;
  const deadline = weekDeadline(week, input.rules, tz);
  if (deadline > new Date(input.endsAt)) return undefined;
  const due = unitsDue(input.tasks, formatLocalDate(deadline, tz));
  if (due.length === 0) return undefined;
  return {
    jurisdiction: input.jurisdiction,
    campaign: input.campaign,
    week,
    remindAt: weekReminder(deadline, input.rules, tz).toISOString(),
    deadline: deadline.toISOString(),
    units: due.map(({ unit, tasks }) => ({ ...input.units.find((u) => u.id === unit)!, tasks })),
    tasks: input.tasks,
    leaders: input.leaders,
    leadUnit: input.leadUnit,
  };
}
