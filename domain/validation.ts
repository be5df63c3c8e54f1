// One way to turn zod issues into text that names each field, for config files, CLI flags and Update payloads.
import type { z } from 'zod';

export interface Problem {
  path: string;
  message: string;
}

/**
 * Shows a bad value in a message: quoted and cut short to `max` characters (`...` included), so one huge value cannot
 * flood the error. Lists and mappings are named, not printed.
 */
export function show(value: unknown, max = 40): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'a mapping';
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** `items[0].amountFen` style path for a zod issue path. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}

export function zodProblems(error: z.ZodError): Problem[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path) || '(root)', message: issue.message }));
}

export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `${p.path}: ${p.message}`).join('; ');
}

/** Parses `value` or throws an Error whose message lists every invalid field by path. */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new Error(`invalid ${what}: ${formatProblems(zodProblems(result.error))}`);
  return result.data;
}
