// Yearly holiday-calendar check (see "Yearly update" at the top of domain/workdays.ts).
//
//   npx tsx scripts/update-holidays.ts [YEAR]      (default: next year)
//
// Run it after `npm install --save chinese-days@latest`. It prints the year's official holidays and make-up workdays
// (调休上班) as the working-day code will see them, in the order of the State Council notice, for a line-by-line check
// against 国务院办公厅关于YEAR年部分节假日安排的通知 on www.gov.cn. It exits 1 when the year is not covered, and
// names supplement years (domain/holidays/supplement.ts) that the package now has, so they can be removed.
import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import calendarData from 'chinese-days/dist/chinese-days.json';
import { HOLIDAY_SUPPLEMENT } from '../domain/holidays/supplement';
import { holidayCalendarCovers, holidayCalendarYears, isWorkingDay } from '../domain/workdays';

const WEEKDAYS = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];

function label(date: string): string {
  const d = DateTime.fromISO(date, { zone: 'UTC' });
  return `${d.month}月${d.day}日（${WEEKDAYS[d.weekday]}）`;
}

/** Festival name (中文) of a package entry "English,中文,id". */
function festival(entry: string | undefined): string {
  return entry?.split(',')[1] ?? '';
}

function main(): number {
  const year = Number(process.argv[2] ?? DateTime.now().setZone('Asia/Shanghai').year + 1);
  if (!Number.isInteger(year)) throw new RangeError(`usage: update-holidays.ts [YEAR], got "${process.argv[2]}"`);
  const pkg = JSON.parse(readFileSync(require.resolve('chinese-days/package.json'), 'utf8')) as { version: string };
  const { first, last } = holidayCalendarYears();
  console.log(`chinese-days ${pkg.version}: official holiday calendar ${first}-${last}`);

  const holidays: Record<string, string> = calendarData.holidays;
  const workdays: Record<string, string> = calendarData.workdays;
  for (const supplementYear of Object.keys(HOLIDAY_SUPPLEMENT)) {
    const inPackage = Object.keys(holidays).some((date) => date.startsWith(`${supplementYear}-`));
    console.log(
      `supplement ${supplementYear}: ${inPackage ? 'the package has this year now: compare, then remove it from domain/holidays/supplement.ts' : 'not in the package yet'}`,
    );
  }

  if (!holidayCalendarCovers(year)) {
    console.error(
      `${year}: NOT covered by the built-in data. Once the notice is out, add it to the plan (calendar.holidays.${year}, README "Holiday calendar"); ` +
        'for workflows already running, wait for the package (npm install --save chinese-days@latest) or copy the notice into domain/holidays/supplement.ts.',
    );
    return 1;
  }

  const supplement = HOLIDAY_SUPPLEMENT[year];
  console.log(`\n${year}: covered (${supplement ? `supplement: ${supplement.source}` : 'from the package'})`);
  const inYear = (dates: Iterable<string>) => [...dates].filter((date) => date.startsWith(`${year}-`)).sort();
  const offDays = supplement ? [...supplement.holidays].sort() : inYear(Object.keys(holidays));
  const makeUp = supplement ? [...supplement.workdays].sort() : inYear(Object.keys(workdays));

  // Group consecutive days off into the notice's ranges.
  const ranges: { from: string; to: string; days: number; name: string }[] = [];
  for (const date of offDays) {
    const previous = ranges[ranges.length - 1];
    if (previous && DateTime.fromISO(previous.to, { zone: 'UTC' }).plus({ days: 1 }).toISODate() === date) {
      previous.to = date;
      previous.days++;
    } else {
      ranges.push({ from: date, to: date, days: 1, name: festival(holidays[date]) });
    }
  }
  for (const range of ranges) {
    const work = makeUp.filter((date) => festival(workdays[date]) === range.name && range.name !== '');
    const workText = work.length > 0 ? ` ${work.map(label).join('、')}上班。` : '';
    const span = range.from === range.to ? label(range.from) : `${label(range.from)}至${label(range.to)}`;
    console.log(`${range.name || '假日'}：${span}放假，共${range.days}天。${workText}`);
  }
  console.log(`\n调休上班（all）：${makeUp.map(label).join('、') || '无'}`);

  // The working-day code must agree with the listing: every day off is not a working day, every make-up day is one.
  const disagreements = [...offDays.filter((date) => isWorkingDay(date)), ...makeUp.filter((date) => !isWorkingDay(date))];
  if (disagreements.length > 0) {
    console.error(`domain/workdays.ts disagrees on: ${disagreements.join(', ')}`);
    return 1;
  }
  return 0;
}

process.exitCode = main();
