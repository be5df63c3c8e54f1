// Reading a plan: YAML or JSON text (config/input-file.ts) through the plan schema, and what a valid plan still warns of.
import { localYear } from '../../domain/calendar';
import { holidayCalendarCovers, holidayCalendarYears } from '../../domain/workdays';
import { InputFileError, MiB, parseYaml, readTextFile, YamlError } from '../input-file';
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
 * Where the plan counts working days (a `{ workingDays: n }` period anywhere: `flyingCheck.statementPeriod`, a case
 * period of `cases` or `rectification`) while the loaded holiday calendar lacks this year or next (in the plan's time
 * zone): such deadlines cannot be computed there, so the workflows reaching them wait for the data update
 * (domain/workdays.ts, "Yearly update"). One line per uncovered year; none when all is well.
 */
export function holidayCalendarWarnings(plan: Plan, now: Date): string[] {
  const uses: string[] = [];
  const walk = (value: unknown, at: (string | number)[]) => {
    if (value === null || typeof value !== 'object') return;
    if ('workingDays' in value && typeof value.workingDays === 'number') uses.push(`${formatPath(at)} (${value.workingDays} working days)`);
    for (const [key, child] of Object.entries(value)) walk(child, [...at, Array.isArray(value) ? Number(key) : key]);
  };
  walk(plan, []);
  if (uses.length === 0) return [];
  const year = localYear(now, plan.jurisdiction.timeZone);
  const { first, last } = holidayCalendarYears();
  return [year, year + 1]
    .filter((y) => !holidayCalendarCovers(y))
    .map(
      (y) =>
        `the plan counts working days in ${uses.join(', ')}, but the official holiday calendar of ${y} is not loaded (covered ${first}-${last}): deadlines reaching into ${y} wait until it is; see "Yearly update" in domain/workdays.ts`,
    );
}
