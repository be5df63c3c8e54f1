// One way to turn zod issues into text that names each field, for config files, CLI flags and Update payloads.
import type { z } from 'zod';

export interface Problem {
  path: string;
  message: string;
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
