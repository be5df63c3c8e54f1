// Risk signals (风险信号) that weight the flying-check draw and allow a further on-site inspection in a year (DESIGN §2:
// "unless a clue or a data lead requires another"): a tip-off (举报线索, kind `clue`) or a smart-monitoring flag
// (智能监控疑点, kind `data-anomaly`), each with the bureau's own reference (clue number, anomaly id), which is what a
// further inspection names as its reason. One schema for `jianguan risk import` and the activity that writes them.
// A reference is a case-file number, never a person: the reporter of a clue stays out of the ledger's signal rows.
import { z } from 'zod';
import { boundedText, show } from './validation';

export const RISK_SIGNAL_KINDS = ['clue', 'data-anomaly'] as const;

/** A real calendar date written YYYY-MM-DD. */
export function isLocalDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

const required = (what: string) => (iss: { input: unknown }) =>
  iss.input === undefined || iss.input === '' ? 'required' : `expected ${what}, got ${show(iss.input, 40)}`;

export const riskSignalRowSchema = z.strictObject({
  institutionId: z.string({ error: required('an institution id') }).regex(/^[A-Z0-9][A-Z0-9-]{1,31}$/, {
    error: (iss) => `expected an institution id (2-32 upper-case letters, digits or "-"), got ${show(iss.input, 40)}`,
  }),
  kind: z.enum(RISK_SIGNAL_KINDS, {
    error: (iss) =>
      iss.input === undefined || iss.input === '' ? 'required' : `expected clue or data-anomaly, got ${show(iss.input, 40)}`,
  }),
  reference: boundedText(
    z
      .string({ error: required('a reference (clue number, anomaly id)') })
      .trim()
      .min(1, 'required'),
    64,
  ).refine((r) => !/[,\s]/.test(r), {
    error: (iss) => `expected a reference without commas or spaces, got ${show(iss.input, 40)}`,
  }),
  date: z
    .string({ error: required('a date YYYY-MM-DD') })
    .refine(isLocalDate, { error: (iss) => `expected a date YYYY-MM-DD, got ${show(iss.input, 40)}` }),
  note: boundedText(z.string({ error: (iss) => `expected text, got ${show(iss.input, 40)}` }), 500, { multiline: true }).default(''),
});

export const riskSignalItemsSchema = z.array(riskSignalRowSchema, {
  error: (iss) => `expected a list of risk signals, got ${show(iss.input, 40)}`,
});

export type RiskSignalRow = z.infer<typeof riskSignalRowSchema>;
