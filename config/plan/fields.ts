// Field schemas shared by the plan's sections: ids, one-line texts, citations, e-mail addresses, dates and times of
// the yearly calendar, counts, reminder offsets and periods.
import { z } from 'zod';
import { ID_PATTERN } from '../../domain/business-keys';
import type { DaysOrPeriod, Period } from '../../domain/period';
import { NAME_MAX, requiredText, show } from '../../domain/validation';

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * `MM-DD` that exists in every year. 02-29 is refused: a yearly date that silently moves in three years out of four
 * would make deadlines differ from what the plan says.
 */
export function isMonthDay(value: string): boolean {
  const m = /^(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const month = Number(m[1]);
  const day = Number(m[2]);
  return month >= 1 && month <= 12 && day >= 1 && day <= DAYS_IN_MONTH[month - 1]!;
}

// Ids end up in workflow ids and search attributes (DESIGN §5), so they are short, ASCII and free of ':' and spaces.
export const id = z.string().regex(ID_PATTERN, {
  error: (iss) => `expected an id (letters, digits, "-", "_", "."; at most 64), got ${show(iss.input, 60)}`,
});
// The national 医保 codes of institutions are upper-case letters and digits (e.g. H34170200001).
export const institutionId = z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,31}$/, {
  error: (iss) => `expected 2-32 upper-case letters, digits or "-", got ${show(iss.input, 60)}`,
});
// Names, titles and categories: one line (they go into mail subjects and the ledger), the rule of every text field.
export const text = requiredText(NAME_MAX, {}, 'must not be empty');
/** A cited document and article, e.g. 《医疗保障基金使用监督管理条例》（2021）第三十八条. */
export const citation = requiredText(300, {}, 'must not be empty');
export const email = z.email({
  error: (iss) => (iss.input === undefined ? 'required' : `expected an e-mail address, got ${show(iss.input, 60)}`),
});
export const monthDay = z.string().refine(isMonthDay, {
  error: (iss) => `expected a date "MM-DD" that exists in every year, got ${show(iss.input, 60)}`,
});
export const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, {
  error: (iss) => `expected a time "HH:mm" (00:00-23:59), got ${show(iss.input, 60)}`,
});
// Not z.int(): its failure aborts the whole parse, which would hide the cross-reference problems of the same file.
export const integer = z.number().refine(Number.isInteger, { error: (iss) => `expected an integer, got ${show(iss.input, 60)}` });
export const positiveInt = integer.min(1);
export const nonNegativeInt = integer.min(0);

/** Day offsets before a deadline: distinct positive integers, handed out largest first (30, 14, 7, 1). */
export const dayOffsets = z
  .array(positiveInt)
  .superRefine(
    (offsets, ctx) => {
      offsets.forEach((offset, i) => {
        if (offsets.indexOf(offset) < i) ctx.addIssue({ code: 'custom', path: [i], message: `duplicate offset ${offset}` });
      });
    },
    { when: () => true }, // also next to a bad entry, so one run reports both
  )
  // `overwrite`, not `transform`: a transform is a pipe, and a failing pipe stops the plan-wide checks (schema.ts).
  .overwrite((offsets) => [...offsets].sort((a, b) => b - a));

/**
 * A period a rule gives (domain/period.ts): `{ days: n }` calendar days (日), or `{ workingDays: n }` working days
 * (工作日) on the official holiday calendar with its make-up workdays (调休).
 */
export const period = z
  .strictObject({ days: positiveInt.optional(), workingDays: positiveInt.optional() })
  .refine((p) => (p.days === undefined) !== (p.workingDays === undefined), {
    message: 'give exactly one of days, workingDays, e.g. { workingDays: 5 } or { days: 30 }',
    when: (payload) => payload.issues.length === 0,
  }) as unknown as z.ZodType<Period, { days?: number; workingDays?: number }>;

/**
 * A period that plan files may also give as a bare number of calendar days (the form before periods): `30`, `{ days: 30 }`
 * or `{ workingDays: 22 }`. Kept as given (domain/period.ts `periodOf` reads it), so workflow inputs stay as recorded.
 */
export const daysOrPeriod = z.union([positiveInt, period], {
  error: (iss) => `expected a number of calendar days or a period { days: n } / { workingDays: n }, got ${show(iss.input, 60)}`,
}) as unknown as z.ZodType<DaysOrPeriod, number | { days?: number; workingDays?: number }>;
