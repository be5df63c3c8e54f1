// What a bureau registers of a clue (登记): one clue from an intake file (`jianguan clue intake`), or one row of a batch
// transferred by the national or provincial bureau (`jianguan clue import-batch`). The shapes are checked here, every
// problem named by its path (`reporter.idNumber: …`, `rows[3].reporterPhone: …`); the plan's institutions and the
// clock are given by the caller. The reporter's identity is checked here and then leaves the CLI only sealed.
import { z } from 'zod';
import { ID_PATTERN } from './business-keys';
import { CLUE_CHANNELS, type ClueChannel } from './clue';
import { NAME_MAX, NOTE_MAX, requiredText } from './validation';

/** The channels of a clue received here; `transferred` is a batch's (import-batch). */
export const INTAKE_CHANNELS = CLUE_CHANNELS.filter((c): c is Exclude<ClueChannel, 'transferred'> => c !== 'transferred');

/** A reporter's address: one line, a little longer than a name. */
export const ADDRESS_MAX = 200;
/** What a clue is about when it is not a designated institution: a short description (no more than a title). */
export const SUBJECT_MAX = 200;
/** A joint report (联名举报) of more signatories than this is a petition, not a clue. */
export const SIGNATORIES_MAX = 100;
/** How far a receipt time may lie ahead of the clock: machines' clocks differ by seconds. */
export const CLOCK_SKEW_MS = 5 * 60_000;

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/**
 * What is wrong with a resident identity card number (公民身份号码, GB 11643-1999): 17 digits (address code, date of
 * birth YYYYMMDD, sequence) and a check digit 0-9 or X (ISO 7064 MOD 11-2); undefined when it is well formed.
 */
export function idNumberProblem(value: string): string | undefined {
  if (!/^\d{17}[\dX]$/i.test(value)) return 'expected an 18-character PRC ID number (17 digits and a check digit 0-9 or X)';
  const [y, m, d] = [value.slice(6, 10), value.slice(10, 12), value.slice(12, 14)].map(Number) as [number, number, number];
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d)
    return `characters 7-14 are not a date of birth (${value.slice(6, 14)})`;
  const sum = ID_WEIGHTS.reduce((total, w, i) => total + w * Number(value[i]), 0);
  const check = ID_CHECK[sum % 11]!;
  if (value[17]!.toUpperCase() !== check) return 'the check digit does not match (a digit is mistyped)';
  return undefined;
}

/** A mobile number (11 digits, 1[3-9]…, optionally +86) or a landline with its area code (0…); spaces and dashes allowed. */
export function phoneProblem(value: string): string | undefined {
  const digits = value.replace(/[\s-]/g, '').replace(/^\+?86(?=1)/, '');
  if (/^1[3-9]\d{9}$/.test(digits) || /^0\d{9,11}$/.test(digits)) return undefined;
  return 'expected a mobile number (11 digits) or a landline with its area code (e.g. 0571-87654321)';
}

const clueNo = z
  .string({ error: (iss) => (typeof iss.input === 'number' ? 'write the clue number as text (in quotes)' : 'required') })
  .trim()
  .regex(ID_PATTERN, 'expected an id: a letter or digit, then up to 63 of letters, digits, . _ -');
const institutionId = z.string().trim().regex(ID_PATTERN, 'expected an institution id of the plan');
const name = requiredText(NAME_MAX);
const address = requiredText(ADDRESS_MAX);
const email = z
  .string()
  .trim()
  .pipe(z.email({ error: 'expected an e-mail address' }).max(NAME_MAX, `at most ${NAME_MAX} characters`));
/** A phone number; a YAML number (13912345678 unquoted) is taken as its digits. */
const phone = z.preprocess(
  (v) => (typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : v),
  z
    .string()
    .trim()
    .superRefine((v, ctx) => {
      const problem = phoneProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
);
/** An ID number as text: as a number (unquoted in YAML, a number cell) its 18 digits would already be rounded. */
const idNumber = z
  .string({
    error: (iss) => (typeof iss.input === 'number' ? 'write the ID number as text (in quotes): as a number it loses digits' : 'required'),
  })
  .trim()
  .superRefine((v, ctx) => {
    const problem = idNumberProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** The instant a clue was received: ISO-8601 with its offset, not in the future. */
function receivedAt(now: Date) {
  return z.iso
    .datetime({ offset: true, message: 'expected an ISO-8601 date-time with offset, e.g. 2026-12-01T10:00:00+08:00' })
    .refine((v) => Date.parse(v) <= now.getTime() + CLOCK_SKEW_MS, 'must not be in the future');
}

/** A reporter as an intake file gives one: anonymous (perhaps with an e-mail address to be reached), or by name. */
export interface ReporterEntry {
  anonymous: boolean;
  name?: string;
  phone?: string;
  idNumber?: string;
  address?: string;
  email?: string;
}

const ALWAYS = { when: () => true };
const IDENTIFYING = ['name', 'phone', 'idNumber', 'address'] as const;

const reporterSchema = z
  .strictObject({
    anonymous: z.boolean({ error: 'expected true or false' }).default(false),
    name: name.optional(),
    phone: phone.optional(),
    idNumber: idNumber.optional(),
    address: address.optional(),
    email: email.optional(),
  })
  .superRefine((r, ctx) => {
    // Runs even when a field is invalid, so that every problem is named at once; only presence is read here.
    const given = r as Record<string, unknown>;
    if (given.anonymous === true) {
      for (const key of IDENTIFYING)
        if (given[key] !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: 'an anonymous reporter gives no name, phone, ID number or address (an e-mail address to be reached at, at most)',
          });
    } else if (given.name === undefined) {
      ctx.addIssue({ code: 'custom', path: ['name'], message: 'required (the real-name reporter), or anonymous: true' });
    }
  }, ALWAYS);

/** The registration of one clue, as checked: what `jianguan clue intake` and each batch row come to. */
export interface ClueRegistration {
  clueNo: string;
  /** Undefined: received now (the intake's time). */
  receivedAt?: string;
  channel: ClueChannel;
  institutionId?: string;
  subject?: string;
  summary: string;
  duplicateOf?: string;
  reporter: ReporterEntry;
  signatories: number;
}

export interface IntakeContext {
  now: Date;
  /** The plan's institution ids; a clue about another one names it in `subject`. */
  institutions: ReadonlySet<string>;
  jurisdiction: string;
}

/** Exactly one of institutionId and subject; an institution of the plan. */
function checkSubject(r: Record<string, unknown>, ctx: z.RefinementCtx, context: IntakeContext, keys = ['institutionId', 'subject']) {
  const [idKey, subjectKey] = keys as [string, string];
  const id = r[idKey];
  if (id === undefined && r[subjectKey] === undefined)
    ctx.addIssue({
      code: 'custom',
      path: [idKey],
      message: `required: the designated institution's id, or ${subjectKey} (who or what else the clue is about)`,
    });
  if (id !== undefined && r[subjectKey] !== undefined)
    ctx.addIssue({ code: 'custom', path: [subjectKey], message: `give ${idKey} or ${subjectKey}, not both` });
  if (typeof id === 'string' && ID_PATTERN.test(id.trim()) && !context.institutions.has(id.trim()))
    ctx.addIssue({
      code: 'custom',
      path: [idKey],
      message: `unknown institution "${id.trim()}" (not in the plan of ${context.jurisdiction}): give subject instead for one that is not designated`,
    });
}

/** An intake file: one clue received here (by phone, letter, web, in person or fax). */
export function clueIntakeSchema(context: IntakeContext) {
  return z
    .strictObject({
      clueNo,
      receivedAt: receivedAt(context.now).optional(),
      channel: z.enum(INTAKE_CHANNELS, { error: `expected one of ${INTAKE_CHANNELS.join(', ')}` }),
      institutionId: institutionId.optional(),
      subject: requiredText(SUBJECT_MAX).optional(),
      summary: requiredText(NOTE_MAX, { multiline: true }),
      duplicateOf: clueNo.optional(),
      reporter: reporterSchema,
      signatories: z
        .number({ error: 'expected a whole number' })
        .int('expected a whole number')
        .min(1, 'at least 1')
        .max(SIGNATORIES_MAX, `at most ${SIGNATORIES_MAX}`)
        .default(1),
    })
    .superRefine((c, ctx) => {
      const r = c as Record<string, unknown>;
      checkSubject(r, ctx, context);
      if (typeof r.duplicateOf === 'string' && r.duplicateOf.trim() === (typeof r.clueNo === 'string' ? r.clueNo.trim() : undefined))
        ctx.addIssue({ code: 'custom', path: ['duplicateOf'], message: 'names this clue itself' });
    }, ALWAYS)
    .transform((c): ClueRegistration => ({
      clueNo: c.clueNo,
      ...(c.receivedAt !== undefined && { receivedAt: c.receivedAt }),
      channel: c.channel,
      ...(c.institutionId !== undefined && { institutionId: c.institutionId }),
      ...(c.subject !== undefined && { subject: c.subject }),
      summary: c.summary,
      ...(c.duplicateOf !== undefined && { duplicateOf: c.duplicateOf }),
      reporter: reporterEntry(c.reporter),
      signatories: c.signatories,
    }));
}

function reporterEntry(r: Omit<ReporterEntry, 'anonymous'> & { anonymous: boolean }): ReporterEntry {
  const entry: ReporterEntry = { anonymous: r.anonymous };
  for (const key of [...IDENTIFYING, 'email'] as const) if (r[key] !== undefined) entry[key] = r[key];
  return entry;
}

/** The columns of a batch file (CSV or the first sheet of an XLSX workbook), in the order a template lists them. */
export const BATCH_COLUMNS = [
  'clueNo',
  'institutionId',
  'subject',
  'summary',
  'receivedAt',
  'reporterName',
  'reporterPhone',
  'reporterIdNumber',
  'reporterAddress',
  'reporterEmail',
] as const;
export const BATCH_REQUIRED_COLUMNS = ['clueNo', 'summary'] as const;

/** One row of a transferred batch; empty cells are left out. A row without reporterName is an anonymous report. */
export function clueBatchRowSchema(context: IntakeContext) {
  return z
    .strictObject({
      clueNo,
      institutionId: institutionId.optional(),
      subject: requiredText(SUBJECT_MAX).optional(),
      summary: requiredText(NOTE_MAX, { multiline: true }),
      receivedAt: receivedAt(context.now).optional(),
      reporterName: name.optional(),
      reporterPhone: phone.optional(),
      reporterIdNumber: idNumber.optional(),
      reporterAddress: address.optional(),
      reporterEmail: email.optional(),
    })
    .superRefine((row, ctx) => {
      const r = row as Record<string, unknown>;
      checkSubject(r, ctx, context);
      if (r.reporterName === undefined)
        for (const key of ['reporterPhone', 'reporterIdNumber', 'reporterAddress'])
          if (r[key] !== undefined)
            ctx.addIssue({
              code: 'custom',
              path: [key],
              message: 'needs reporterName (a row without one is an anonymous report: an e-mail address at most)',
            });
    }, ALWAYS)
    .transform((row): ClueRegistration => ({
      clueNo: row.clueNo,
      ...(row.receivedAt !== undefined && { receivedAt: row.receivedAt }),
      channel: 'transferred',
      ...(row.institutionId !== undefined && { institutionId: row.institutionId }),
      ...(row.subject !== undefined && { subject: row.subject }),
      summary: row.summary,
      reporter: reporterEntry({
        anonymous: row.reporterName === undefined,
        name: row.reporterName,
        phone: row.reporterPhone,
        idNumber: row.reporterIdNumber,
        address: row.reporterAddress,
        email: row.reporterEmail,
      }),
      signatories: 1,
    }));
}

/** `--batch`: the batch's number as the transferring bureau gives it (an id). */
export const batchNoSchema = z.string().trim().regex(ID_PATTERN, 'expected a batch number: letters, digits, . _ - (up to 64)');
