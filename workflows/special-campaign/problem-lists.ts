// The responsible tasks' weekly 问题台账 of a special campaign whose file asks for them (`ledgerSubmissions`): a loop
// of its own (workflows/problem-list/), started as a child when the campaign starts and running from the first phase's
// start to the campaign's end. Campaigns recorded before it (test/replay/) have no such child: the patch keeps them.
import { patched, startChild, type ChildWorkflowHandle } from '@temporalio/workflow';
import { dayInstant } from '../../domain/campaign-file';
import { PROBLEM_LISTS_PATCH, problemListsStartOptions, type Contact, type ProblemListsInput } from '../problem-list/api';
import { problemLists } from '../problem-list/workflow';
import type { SpecialRun } from './state';

export async function startProblemLists(r: SpecialRun): Promise<ChildWorkflowHandle<typeof problemLists> | undefined> {
  const submissions = r.input.file.ledgerSubmissions;
  // Asked first, so that a campaign recorded before the patch replays on its old side whatever its file.
  if (!patched(PROBLEM_LISTS_PATCH) || !submissions) return undefined;
  return startChild(problemLists, problemListsStartOptions(problemListsInput(r, submissions)));
}

function problemListsInput(r: SpecialRun, submissions: NonNullable<SpecialRun['input']['file']['ledgerSubmissions']>): ProblemListsInput {
  const { file } = r.input;
  const { plan, status, tz } = r;
  const contact = ({ id, name, email }: Contact): Contact => ({ id, name, email });
  const named = new Set(file.tasks.flatMap((t) => [t.leader, ...t.units]));
  return {
    jurisdiction: { code: plan.jurisdiction.code, name: plan.jurisdiction.name, timeZone: tz },
    campaign: { id: file.id, title: file.title, year: status.year },
    tasks: file.tasks.map(({ leader, units, deadline, ongoing }) => ({ leader, units, deadline, ongoing })),
    rules: {
      weekday: submissions.weekday,
      time: submissions.time ?? plan.calendar.endOfDay,
      reminderDaysBefore: submissions.reminderDaysBefore,
      reminderTime: plan.reminders.timeOfDay,
    },
    leadUnit: contact(plan.responsibleUnits.find((u) => u.id === submissions.leadUnit)!),
    units: plan.responsibleUnits.filter((u) => named.has(u.id)).map(contact),
    leaders: plan.leaders.filter((l) => named.has(l.id)).map(contact),
    startsAt: dayInstant(status.phases[0].startsOn, '00:00', tz).toISOString(),
    endsAt: dayInstant(status.phases.at(-1)!.endsOn, plan.calendar.endOfDay, tz).toISOString(),
  };
}
