// The plan's who and where: the jurisdiction, its leaders, responsible units, institutions and inspectors, and the
// references between them (a unit's leader, an institution's unit, an inspector's unit and conflicts of interest).
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { show } from '../../domain/validation';
import { email, id, institutionId, text } from './fields';
import { field, rows, type Report, type Row } from './unchecked';

export const INSTITUTION_LEVELS = ['I', 'II', 'III', 'unrated'] as const;
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export const jurisdiction = z.strictObject({
  code: z
    .string({
      error: (iss) => (iss.input === undefined ? 'required' : `expected a 6-digit GB/T 2260 code in quotes, got ${show(iss.input, 60)}`),
    })
    .regex(/^\d{6}$/, { error: (iss) => `expected a 6-digit GB/T 2260 code, got ${show(iss.input, 60)}` }),
  name: text,
  timeZone: z
    .string()
    .refine((zone) => IANAZone.isValidZone(zone), {
      error: (iss) => `expected an IANA time zone such as "Asia/Shanghai", got ${show(iss.input, 60)}`,
    })
    .default(DEFAULT_TIME_ZONE),
});

const leader = z.strictObject({ id, name: text, title: text, email });
export const leaders = z.array(leader).min(1, 'needs at least one leader');

const responsibleUnit = z.strictObject({ id, name: text, email, leaderId: id });
export const responsibleUnits = z.array(responsibleUnit).min(1, 'needs at least one responsible unit');

const contact = z.strictObject({
  name: text,
  role: text,
  email,
  phone: z
    .string()
    .regex(/^[0-9+()\- ]{3,24}$/, { error: (iss) => `expected a phone number, got ${show(iss.input, 60)}` })
    .optional(),
});

const institutionFields = {
  id: institutionId,
  name: text,
  ownership: z.enum(['public', 'private']),
  district: text,
  responsibleUnitId: id,
  contacts: z.array(contact).min(1, 'needs at least one contact'),
};

// Hospitals carry a grade (等级); pharmacies have none, and say so with null rather than a made-up grade.
const institution = z.discriminatedUnion('kind', [
  z.strictObject({
    ...institutionFields,
    kind: z.literal('hospital'),
    level: z.enum(INSTITUTION_LEVELS, {
      error: (iss) =>
        `${iss.input === undefined ? 'required for a hospital' : `got ${show(iss.input, 60)}`}: one of "I", "II", "III", "unrated"`,
    }),
  }),
  z.strictObject({
    ...institutionFields,
    kind: z.literal('pharmacy'),
    level: z.null({ error: (iss) => `a pharmacy has no level: leave it out (got ${show(iss.input, 60)})` }).default(null),
  }),
]);
export const institutions = z.array(institution).min(1, 'needs at least one institution');

const inspector = z.strictObject({
  id,
  name: text,
  unitId: id,
  email,
  /** Institutions this inspector must never be assigned to (回避: former employer, relatives, ...). */
  conflicts: z.array(institutionId).default([]),
});
export const inspectors = z.array(inspector);

/** Ids unique within each list, and every reference naming an entry of the list it points into. */
export function referenceProblems(plan: unknown, report: Report): void {
  const leaderRows = rows(field(plan, 'leaders'));
  const unitRows = rows(field(plan, 'responsibleUnits'));
  const institutionRows = rows(field(plan, 'institutions'));
  const inspectorRows = rows(field(plan, 'inspectors'));

  /** Ids of a list; a repeated id is reported at its second occurrence. */
  function idsOf(list: string, entries: [number, Row][] | undefined): Set<string> | undefined {
    if (!entries) return undefined;
    const firstAt = new Map<string, number>();
    for (const [i, row] of entries) {
      if (typeof row.id !== 'string') continue;
      const first = firstAt.get(row.id);
      if (first === undefined) firstAt.set(row.id, i);
      else report([list, i, 'id'], `duplicate id "${row.id}" (first used at ${list}[${first}])`);
    }
    return new Set(firstAt.keys());
  }
  const leaderIds = idsOf('leaders', leaderRows);
  const unitIds = idsOf('responsibleUnits', unitRows);
  const institutionIds = idsOf('institutions', institutionRows);
  idsOf('inspectors', inspectorRows);

  /** A reference is judged only when it is a string and the list it points into is well-formed. */
  function checkRef(path: (string | number)[], value: unknown, known: Set<string> | undefined, what: string) {
    if (typeof value === 'string' && known && !known.has(value)) report(path, `unknown ${what} "${value}"`);
  }
  for (const [i, unit] of unitRows ?? []) checkRef(['responsibleUnits', i, 'leaderId'], unit.leaderId, leaderIds, 'leader');
  for (const [i, inst] of institutionRows ?? []) {
    checkRef(['institutions', i, 'responsibleUnitId'], inst.responsibleUnitId, unitIds, 'responsible unit');
  }
  const inspectorByEmail = new Map<string, number>();
  for (const [i, person] of inspectorRows ?? []) {
    checkRef(['inspectors', i, 'unitId'], person.unitId, unitIds, 'responsible unit');
    // Assignments, reminders and separation of duties are per person: a shared mailbox would mix two inspectors' duties.
    const address = typeof person.email === 'string' ? person.email.trim().toLowerCase() : undefined;
    const first = address === undefined ? undefined : inspectorByEmail.get(address);
    if (first !== undefined)
      report(['inspectors', i, 'email'], `same address as inspectors[${first}].email: each inspector needs their own`);
    else if (address !== undefined) inspectorByEmail.set(address, i);
    const conflicts = Array.isArray(person.conflicts) ? person.conflicts : [];
    conflicts.forEach((c, j) => checkRef(['inspectors', i, 'conflicts', j], c, institutionIds, 'institution'));
  }
}
