// The full-coverage inspection (全覆盖现场检查): teams, findings, rectification orders, and the demo campaign.
import { z } from 'zod';
import { dayOffsets, daysOrPeriod, integer, positiveInt, text } from './fields';
import { field, rows, type Report } from './unchecked';

export const DEFAULT_TEAM_SIZE = 2;

export const inspection = z
  .strictObject({
    teamSize: integer.min(2, 'at least 2 (two enforcement officers per inspection)').default(DEFAULT_TEAM_SIZE),
    findingsPeriodDays: positiveInt.default(30),
    lateWindowDays: positiveInt.default(30),
    announced: z.boolean().default(false),
  })
  .prefault({});

export const rectification = z
  .strictObject({
    /** Days to rectify after the findings (限期整改): calendar days, or a period `{ days: n }` / `{ workingDays: n }`. */
    periodDays: daysOrPeriod.default(30),
    reminderOffsetsDays: dayOffsets.default([7, 1]),
    /** Days after the missed rectification deadline in which a recheck still counts (逾期整改); a number or a period. */
    recheckWindowDays: daysOrPeriod.default(15),
  })
  .prefault({});

export const demoCampaign = z.strictObject({ title: text.default('示范检查'), durationDays: positiveInt.default(21) }).prefault({});

/** Every inspection needs a team of `teamSize` inspectors, none with a conflict of interest with the institution. */
export function teamProblems(plan: unknown, report: Report): void {
  const inspectors = rows(field(plan, 'inspectors'));
  const institutions = rows(field(plan, 'institutions'));
  const teamSize = field(field(plan, 'inspection'), 'teamSize') ?? DEFAULT_TEAM_SIZE;
  if (!inspectors || typeof teamSize !== 'number' || !Number.isInteger(teamSize) || teamSize < 2) return;
  if (inspectors.length < teamSize) {
    report(['inspectors'], `needs at least ${teamSize} inspectors (inspection.teamSize), has ${inspectors.length}`);
    return;
  }
  for (const [i, inst] of institutions ?? []) {
    if (typeof inst.id !== 'string') continue;
    const free = inspectors.filter(([, p]) => !(Array.isArray(p.conflicts) && p.conflicts.includes(inst.id))).length;
    if (free < teamSize) {
      report(
        ['institutions', i],
        `only ${free} inspector(s) without a conflict of interest with "${inst.id}", inspection.teamSize is ${teamSize}`,
      );
    }
  }
}
