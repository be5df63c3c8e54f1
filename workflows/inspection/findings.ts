// Waiting for the findings: reminders to the team before the deadline; after it, the inspection is overdue, the
// leader and the responsible unit are told, and late findings are still taken for a last window (input.lateWindowDays).
import { daysLaterAt, formatLocal, reminderSchedule } from '../../domain/calendar';
import * as messages from '../../domain/inspection-messages';
import { waitWithReminders } from '../waiting';
import type { InspectionState } from './state';
import { enterStage, notify } from './steps';
import { coveredMeanwhile } from './visit';

/**
 * True once the findings are in, or another visit covered the inspection meanwhile (visit.ts); false (the inspection
 * recorded as unreported) when the late window has passed too.
 */
export async function awaitFindings(s: InspectionState): Promise<boolean> {
  return (await findingsByDeadline(s)) || (await coveredMeanwhile(s)) || (await findingsInLateWindow(s));
}

const findingsIn = (s: InspectionState): boolean => s.status.findings !== undefined || s.status.coveredBy !== undefined;

/** Waits until the deadline, reminding the team at the configured days before it. */
async function findingsByDeadline(s: InspectionState): Promise<boolean> {
  const { input, status, facts, tz, dueAt } = s;
  return waitWithReminders({
    done: () => findingsIn(s),
    deadline: dueAt,
    reminders: reminderSchedule(dueAt, input.reminders.offsetsDays, input.reminders.timeOfDay, tz, new Date()),
    timeZone: tz,
    what: '检查结果',
    remind: async (reminder) => {
      if (await coveredMeanwhile(s)) return;
      status.remindersSent++;
      await notify(
        s,
        `findings-reminder:${reminder.offsetDays}`,
        s.teamMembers,
        messages.findingsReminderMessage(facts, reminder.offsetDays),
      );
    },
  });
}

/** Overdue: escalates to leadership and waits a last window; unreported if nothing comes. */
async function findingsInLateWindow(s: InspectionState): Promise<boolean> {
  const { input, status, facts, tz } = s;
  const leadership = [input.leader, input.responsibleUnit];
  status.overdue = true;
  const lateUntil = daysLaterAt(s.dueAt, input.lateWindowDays, input.reminders.timeOfDay, tz);
  await enterStage(s, 'overdue', 'findings-overdue', `检查结果期限 ${facts.due} 已过`);
  await notify(s, 'findings-overdue', leadership, messages.findingsOverdueMessage(facts, input.leader.name, formatLocal(lateUntil, tz)));
  const reported = await waitWithReminders({
    done: () => findingsIn(s),
    deadline: lateUntil,
    reminders: [],
    timeZone: tz,
    what: '逾期检查结果',
    remind: async () => undefined,
  });
  if (reported || (await coveredMeanwhile(s))) return true;
  await enterStage(s, 'unreported', 'unreported', `延长等待至 ${formatLocal(lateUntil, tz)} 仍无检查结果`);
  await notify(s, 'unreported', leadership, messages.unreportedMessage(facts, input.leader.name));
  return false;
}
