// Waiting for a person with a deadline: remind at the planned instants, then give up at the deadline.
// Every wait in jianguan goes through here, so none can wait forever.
import { condition } from '@temporalio/workflow';
import { formatLocal, type Reminder } from '../domain/calendar';

/** Milliseconds from workflow time until `at` (at least 1 ms: a zero timeout would mean "no timeout"). */
export function msUntil(at: Date): number {
  return Math.max(1, at.getTime() - new Date().getTime());
}

/**
 * Waits until `done()` or `deadline`, calling `remind` at each reminder instant that passes first.
 * Returns true when done, false when the deadline passed.
 */
export async function waitWithReminders(options: {
  done: () => boolean;
  deadline: Date;
  reminders: readonly Reminder[];
  timeZone: string;
  what: string;
  remind: (reminder: Reminder) => Promise<void>;
}): Promise<boolean> {
  const { done, deadline, reminders, timeZone, what, remind } = options;
  for (const reminder of reminders) {
    const summary = `${what}：提前${reminder.offsetDays}天提醒 ${formatLocal(reminder.at, timeZone)}`;
    if (await condition(done, msUntil(reminder.at), { summary })) return true;
    await remind(reminder);
  }
  return condition(done, msUntil(deadline), { summary: `${what}期限 ${formatLocal(deadline, timeZone)}` });
}

/** How long an Update waits for its effect before answering: a technical bound, not a business deadline. */
const UPDATE_SETTLE_TIMEOUT = '2 minutes';

/**
 * Waits, in an Update handler, until the main flow has acted on the accepted payload (`done`), so the sender sees the
 * result; bounded, so the sender always gets an answer even when the ledger is unreachable.
 */
export async function settle(done: () => boolean): Promise<void> {
  await condition(done, UPDATE_SETTLE_TIMEOUT);
}
