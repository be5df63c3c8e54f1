// Reading a plan: YAML or JSON text (config/input-file.ts) through the plan schema, and what a valid plan still warns of.
import { DateTime } from 'luxon';
import { builtInDifference, holidayCalendar } from '../../domain/workdays';
import { InputFileError, MiB, parseYaml, readTextFile, YamlError } from '../input-file';
import { builtInName, describeDifference } from './calendar';
import { formatPath, PlanError } from './errors';
import { planMessages, schemaProblems } from './messages';
import { planSchema, type Plan } from './schema';

/**
 * The largest plan file read: room for a province's ~60,000 institutions (about 17 MB) several times over. Beyond
 * YAML_MAX_BYTES (5 MiB, about 19,000 institutions) it must be JSON: composing YAML takes some 60 times its size in
 * memory (a 20 MB plan took 1 GB), JSON.parse about 3 times.
 */
export const PLAN_MAX_BYTES = 64 * MiB;

/** Parses and validates plan YAML; `source` names it in errors (usually the file name). Throws PlanError. */
export function parsePlan(text: string, source: string): Plan {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    if (!(error instanceof YamlError)) throw error;
    throw new PlanError(source, error.problems, error.syntax ? `YAML syntax error in jurisdiction plan ${source}` : undefined);
  }
  const result = planSchema.safeParse(data, { error: planMessages });
  if (!result.success) throw new PlanError(source, schemaProblems(result.error.issues));
  return result.data;
}

/** Reads (at most PLAN_MAX_BYTES, UTF-8 or GBK/GB18030) and validates a plan file. Throws PlanError, also when the file cannot be read. */
export async function loadPlan(file: string): Promise<Plan> {
  let yamlText: string;
  try {
    yamlText = readTextFile(file, PLAN_MAX_BYTES);
  } catch (err) {
    if (!(err instanceof InputFileError)) throw err;
    throw new PlanError(file, [{ path: '(file)', message: err.message }], `Cannot read jurisdiction plan file ${file}`);
  }
  return parsePlan(yamlText, file);
}

/**
 * What a valid plan still warns of about the holiday calendar (the built-in data with the plan's `calendar.holidays`),
 * one line each, none when all is well:
 * - where the plan counts working days (a `{ workingDays: n }` period anywhere: `flyingCheck.statementPeriod`, a case
 *   period of `cases` or `rectification`) while this year or next (in the plan's time zone) is not covered: such
 *   deadlines cannot be computed there, so the workflows reaching them wait;
 * - from 1 November, when next year is not covered, whatever the plan counts in: the State Council's notice is usually
 *   out by then and belongs in the plan (`calendar.holidays.YYYY`) before the year begins; from 1 January, this year;
 * - a year the plan overrides the package in (`overridesPackage`), naming the dates, or where it overrides nothing.
 */
export function holidayCalendarWarnings(plan: Plan, now: Date): string[] {
  const uses: string[] = [];
  const walk = (value: unknown, at: (string | number)[]) => {
    if (value === null || typeof value !== 'object') return;
    if ('workingDays' in value && typeof value.workingDays === 'number') uses.push(`${formatPath(at)} (${value.workingDays} working days)`);
    for (const [key, child] of Object.entries(value)) walk(child, [...at, Array.isArray(value) ? Number(key) : key]);
  };
  walk(plan, []);
  const calendar = holidayCalendar(plan.calendar.holidays);
  const local = DateTime.fromJSDate(now, { zone: plan.jurisdiction.timeZone });
  const year = local.year;
  const covered = `covered ${calendar.describeYears()}`;
  const howTo = (y: number) =>
    `once 国务院办公厅关于${y}年部分节假日安排的通知 is out (usually in November), add it to the plan as calendar.holidays.${y}, run jianguan plan check and restart the workers (README "Holiday calendar")`;
  const warnings = [year, year + 1]
    .filter((y) => !calendar.covers(y))
    .flatMap((y) => {
      if (uses.length > 0) {
        return [
          `the plan counts working days in ${uses.join(', ')}, but the official holiday calendar of ${y} is not loaded (${covered}): deadlines reaching into ${y} wait until it is; ${howTo(y)}`,
        ];
      }
      if (y === year || local.month >= 11) {
        return [`the official holiday calendar of ${y} is not loaded (${covered}): working days in ${y} cannot be counted; ${howTo(y)}`];
      }
      return [];
    });
  for (const [key, arrangement] of Object.entries(plan.calendar.holidays ?? {})) {
    if (arrangement.overridesPackage !== true) continue;
    const difference = builtInDifference(Number(key), arrangement);
    const parts = difference
      ? [
          ...describeDifference('days off', difference.daysOff, difference.source),
          ...describeDifference('make-up workdays', difference.workdays, difference.source),
        ]
      : [];
    warnings.push(
      difference && parts.length > 0
        ? `calendar.holidays.${key} overrides ${builtInName(difference.source)}, and its dates are the ones counted: ${parts.join('; ')} (reason: ${arrangement.reason})`
        : `calendar.holidays.${key}.overridesPackage: ${difference ? `${builtInName(difference.source)} agrees with the plan` : `the built-in data has no ${key}`}, so there is nothing to override; remove overridesPackage and reason`,
    );
  }
  return warnings;
}
