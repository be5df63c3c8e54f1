// Notices per responsible unit: what is pending (uninspected institutions, open cases) grouped by the unit that answers
// for it, one notice per unit keyed `{keyPrefix}:{unitId}` so a retry never sends it twice; an escalation goes to the
// unit's leader and the unit.
import type { MessageText } from '../domain/inspection-messages';
import type { Notification } from './notifications';

export interface UnitContact {
  id: string;
  name: string;
  email: string;
  leaderId: string;
}

export interface LeaderContact {
  id: string;
  name: string;
  email: string;
}

export interface PendingNotice {
  /** Prefix of every notification key, e.g. `coverage:349901:2027:uninspected-reminder:7`. */
  keyPrefix: string;
  units: UnitContact[];
  leaders: LeaderContact[];
  /** Reminder to each unit, or escalation to each unit's leader. */
  escalate: boolean;
}

export type Send = (n: Notification) => Promise<unknown>;

/** Groups `items` by responsible unit (an item without a known unit goes to the first unit) and sends one notice per unit. */
export async function noticePerUnit<Item extends { responsibleUnitId: string | null }, Line>(
  send: Send,
  notice: PendingNotice,
  items: readonly Item[],
  lineOf: (item: Item) => Line,
  build: (unit: UnitContact, leader: LeaderContact, lines: Line[]) => MessageText,
): Promise<{ pending: number; units: string[] }> {
  const byUnit = new Map<string, Line[]>();
  for (const item of items) {
    const unitId = notice.units.some((u) => u.id === item.responsibleUnitId) ? item.responsibleUnitId! : notice.units[0].id;
    byUnit.set(unitId, [...(byUnit.get(unitId) ?? []), lineOf(item)]);
  }
  for (const [unitId, lines] of byUnit) {
    const unit = notice.units.find((u) => u.id === unitId)!;
    const leader = notice.leaders.find((l) => l.id === unit.leaderId)!;
    const to = notice.escalate ? [leader, unit] : [unit];
    await send({
      key: `${notice.keyPrefix}:${unitId}`,
      kind: notice.escalate ? 'pending-escalation' : 'pending-reminder',
      to: to.map(({ name, email }) => ({ name, email })),
      ...build(unit, leader, lines),
    });
  }
  return { pending: items.length, units: [...byUnit.keys()] };
}
