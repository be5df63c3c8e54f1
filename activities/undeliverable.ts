// When the mail server refuses a notice for good, or some of its recipients, the leadership group's mailbox is told
// (idempotent by the notice's key). A refusal of that alert itself is only recorded: nobody else is there to tell.
import { loadPlan } from '../config';
import { refusalMessage } from '../domain/refusal-messages';
import type { Notification, Refusal } from './notifications';

export const REFUSAL_KIND = 'notice-refused';

export function refusalAlert(deps: { planFile: string; send: (n: Notification) => Promise<unknown> }) {
  return async (n: Notification, refusal: Refusal): Promise<void> => {
    if (n.kind === REFUSAL_KIND) return;
    const plan = await loadPlan(deps.planFile);
    const recipients = n.recordedAs ?? n.to.map((r) => (r.name ? `${r.name} <${r.email}>` : r.email)).join('、');
    // A reporter's notice (recordedAs set): the refused addresses are the reporter's, so only their number is named.
    const refused = refusal.refused && (n.recordedAs ? refusal.refused.map(() => n.recordedAs!) : refusal.refused);
    await deps.send({
      key: `${n.key}:refused`,
      kind: REFUSAL_KIND,
      to: [{ name: `${plan.jurisdiction.name}医保基金监管领导小组`, email: plan.notifications.leadershipEmail }],
      ...refusalMessage(plan.jurisdiction.name, { key: n.key, subject: n.subject, recipients }, refusal.refusal ? refusal : { refused }),
    });
  };
}
