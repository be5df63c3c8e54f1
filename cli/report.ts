// `jianguan report weekly`: the weekly tables of seed 004 for any week whose cut-off has passed, made by hand from the
// same code the weeklyReport workflow runs (activities/weekly-report.ts), written as XLSX or CSV by the file's extension,
// or their figures printed. `jianguan report year`: the year's statistics table and typical cases (seed 003 附件2).
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { weeklyTablesFromLedger } from '../activities/weekly-report';
import { weeklyReportCsv, weeklyReportXlsx } from '../activities/weekly-report-files';
import { yearStatisticsFromLedger, yearStatisticsXlsx } from '../activities/year-statistics';
import { formatLocal, isoWeekOf, localYear } from '../domain/calendar';
import { weeklyPeriod } from '../domain/weekly-report';
import { weeklyReportSummary } from '../domain/weekly-report-forms';
import { yearStatisticsSummary } from '../domain/year-statistics';
import type { Plan } from '../config';
import { plan as loadPlanFile, settings, UsageError } from './context';
import { noLedgerNote, withLedger } from './ledger';
import { planOption, weekArg, yearArg } from './options';

/** The latest week whose cut-off (the plan's weekday and time) has passed at `now`. */
export function lastReportedWeek(plan: Plan, now: Date): string {
  const tz = plan.jurisdiction.timeZone;
  const cutOffOf = (week: string) => weeklyPeriod(week, plan.calendar.weeklyReportWeekday, plan.weeklyReport.time, tz).cutOff;
  const thisWeek = isoWeekOf(now, tz);
  return cutOffOf(thisWeek) <= now ? thisWeek : isoWeekOf(new Date(now.getTime() - 7 * 86_400_000), tz);
}

export async function reportWeeklyCommand(options: { week?: string; out?: string; plan?: string }): Promise<void> {
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const tz = plan.jurisdiction.timeZone;
  const now = new Date();
  const week = options.week ?? lastReportedWeek(plan, now);
  const { cutOff } = weeklyPeriod(week, plan.calendar.weeklyReportWeekday, plan.weeklyReport.time, tz);
  // A week still running has no tables yet: figures as of now would differ from the ones its report will send.
  if (cutOff > now) throw new UsageError(`--week ${week}: its cut-off ${formatLocal(cutOff, tz)} has not come yet`);
  const tables = await withLedger(config, (store) =>
    weeklyTablesFromLedger(store, {
      jurisdiction: { code: plan.jurisdiction.code, name: plan.jurisdiction.name },
      week,
      timeZone: tz,
      weekday: plan.calendar.weeklyReportWeekday,
      time: plan.weeklyReport.time,
    }),
  );
  if (!tables) throw new UsageError(`the weekly tables come from the ledger: ${noLedgerNote(config)}`);
  if (!options.out) return console.log(weeklyReportSummary(tables));
  const csv = options.out.toLowerCase().endsWith('.csv');
  writeFileSync(options.out, csv ? weeklyReportCsv(tables) : await weeklyReportXlsx(tables));
  console.log(`wrote the weekly tables of ${week} (as of ${formatLocal(cutOff, tz)}) to ${options.out}`);
}

export async function reportYearCommand(options: { year?: number; out?: string; plan?: string }): Promise<void> {
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const tz = plan.jurisdiction.timeZone;
  const now = new Date();
  const year = options.year ?? localYear(now, tz);
  if (year > localYear(now, tz)) throw new UsageError(`--year ${year}: the year has not begun`);
  const input = await withLedger(config, (store) =>
    yearStatisticsFromLedger(store, {
      jurisdiction: { code: plan.jurisdiction.code, name: plan.jurisdiction.name },
      year,
      timeZone: tz,
      now,
    }),
  );
  if (!input) throw new UsageError(`the statistics come from the ledger: ${noLedgerNote(config)}`);
  const asOf = `as of ${formatLocal(new Date(input.tables.cutOff), tz)}`;
  if (!options.out) return console.log(`${plan.jurisdiction.name} ${year}年 (${asOf})\n${yearStatisticsSummary(input)}`);
  writeFileSync(options.out, await yearStatisticsXlsx(input));
  console.log(`wrote the ${year} statistics and ${input.typicalCases.length} typical case(s) (${asOf}) to ${options.out}`);
}

export function registerReportCommands(program: Command): void {
  const report = program.command('report').description('reports from the ledger');
  planOption(
    report
      .command('weekly')
      .description("the weekly tables of seed 004 (周报表一、二、三) as of a week's cut-off: printed, or written as XLSX / CSV")
      .option('--week <YYYY-Www>', 'ISO week, e.g. 2027-W14 (default: the latest week whose cut-off has passed)', weekArg)
      .option('--out <file>', 'write the tables to FILE: CSV when it ends in .csv, XLSX otherwise'),
  ).action(reportWeeklyCommand);
  planOption(
    report
      .command('year')
      .description("the year's statistics table (seed 003 附件2) and the typical cases published, as of the year's end or now")
      .option('--year <year>', 'the year (default: this year, as of now)', yearArg)
      .option('--out <file>', 'write the statistics and the typical cases list to FILE as XLSX'),
  ).action(reportYearCommand);
}
