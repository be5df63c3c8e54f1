// The years past the package's holiday data get an arrangement through the plan (calendar.holidays), as a bureau adds a
// new year's notice: in tests a FICTITIOUS one (the first three days of January off), so that a test whose clock runs
// into such a year counts its working days there instead of waiting for an official calendar, on any date.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { holidayCalendarCovers, type HolidayArrangements } from '../../domain/workdays';

/** A fictitious arrangement for each of the four years from `from` that the package does not cover. */
export function fictitiousYears(from: number): HolidayArrangements {
  const years: Record<string, { notice: string; daysOff: string[] }> = {};
  for (let year = from; year < from + 4; year++)
    if (!holidayCalendarCovers(year))
      years[String(year)] = { notice: '测试用虚构安排（非官方通知）', daysOff: [`${year}-01-01/${year}-01-03`] };
  return years;
}

/**
 * A copy of `planFile` (in a new temporary folder) whose calendar.holidays also holds the fictitious years from
 * `from`: for a run whose clock goes on for years (the replay recorder), where a working-day deadline would otherwise
 * wait for an official calendar.
 */
export function planWithFictitiousYears(planFile: string, from: number): string {
  const plan = YAML.parse(readFileSync(planFile, 'utf8')) as { calendar: { holidays?: HolidayArrangements } };
  plan.calendar.holidays = { ...fictitiousYears(from), ...plan.calendar.holidays };
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'jianguan-plan-')), 'plan.yaml');
  writeFileSync(file, YAML.stringify(plan, { lineWidth: 0 }));
  return file;
}
