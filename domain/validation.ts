// One way to turn zod issues into text that names each field, for config files, CLI flags and Update payloads; and the
// one rule for text that people type into them (bounded, no control or bidirectional characters).
import { z } from 'zod';

export interface Problem {
  path: string;
  message: string;
}

// C0 controls, DEL and C1 controls are never typed text: NUL is refused by PostgreSQL (22P05) on every attempt, the
// others hide in mails and logs. Tab and line breaks are text in free text only. The bidirectional embeddings,
// overrides and isolates reorder what a reader sees against what is stored ("Trojan Source", CVE-2021-42574).
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const BIDI = /[\u202a-\u202e\u2066-\u2069]/;
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with control and bidirectional characters written as `\uXXXX`, so a message shows them instead of obeying them. */
function visible(text: string): string {
  return text.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Shows a bad value in a message: quoted and cut short to `max` characters (`...` included), so one huge value cannot
 * flood the error. Lists and mappings are named, not printed.
 */
export function show(value: unknown, max = 40): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'a mapping';
  const text = visible(JSON.stringify(value));
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** `items[0].amountFen` style path for a zod issue path (a key's control characters shown, not obeyed). */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${visible(String(key))}` : visible(String(key))),
    '',
  );
}

export function zodProblems(error: z.ZodError): Problem[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path) || '(root)', message: issue.message }));
}

/** How many problems a message lists: a payload of 10,000 bad items gets a readable refusal, not a megabyte. */
export const PROBLEMS_LISTED = 20;

/** The first PROBLEMS_LISTED lines, and one saying how many more there are. */
export function listedProblems(lines: readonly string[]): string[] {
  if (lines.length <= PROBLEMS_LISTED) return [...lines];
  return [...lines.slice(0, PROBLEMS_LISTED), `... and ${lines.length - PROBLEMS_LISTED} more`];
}

export function formatProblems(problems: readonly Problem[]): string {
  return listedProblems(problems.map((p) => `${p.path}: ${p.message}`)).join('; ');
}

/** Parses `value` or throws an Error whose message lists every invalid field by path. */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new Error(`invalid ${what}: ${formatProblems(zodProblems(result.error))}`);
  return result.data;
}

// ---------------------------------------------------------------------------------------------------------------------
// Text fields

/** A name, id, role, category, article or reference: one line. */
export const NAME_MAX = 100;
/** A note or a reason: a few paragraphs. */
export const NOTE_MAX = 4000;

const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Why `value` may not be stored as text, naming the first offending character and its position (1-based); undefined
 * when it may. `multiline` allows tab, line feed and carriage return.
 */
export function forbiddenCharacter(value: string, multiline: boolean): string | undefined {
  const control = (multiline ? CONTROL_BUT_LINE_BREAKS : CONTROL).exec(value);
  const bidi = BIDI.exec(value);
  const first = control && (!bidi || control.index < bidi.index) ? control : bidi;
  if (!first) return undefined;
  const what = first === bidi ? 'the bidirectional control' : 'the control character';
  return `must not contain ${what} ${codePoint(first[0])} (character ${first.index + 1})`;
}

export interface TextOptions {
  /** Free text: tab and line breaks allowed. */
  multiline?: boolean;
}

/** `schema` (a string with its own messages) bounded to `max` characters, without control or bidirectional characters. */
export function boundedText(schema: z.ZodString, max: number, { multiline = false }: TextOptions = {}): z.ZodString {
  return schema.max(max, `at most ${max} characters`).superRefine((value, ctx) => {
    const problem = forbiddenCharacter(value, multiline);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** A string of at most `max` characters, as given (a note), without control or bidirectional characters. */
export function text(max: number, options: TextOptions = {}): z.ZodString {
  return boundedText(z.string(), max, options);
}

/** The same, trimmed and not empty (`empty`: the message when it is). */
export function requiredText(max: number, options: TextOptions = {}, empty = 'required'): z.ZodString {
  return boundedText(z.string().trim().min(1, empty), max, options);
}
