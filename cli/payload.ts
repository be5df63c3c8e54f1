// Update payloads built by the CLI from flags or --file, checked with the workflow's own zod schema before anything is
// sent, with every problem named by the flag that carried the field (or its path in the file). The workflow's Update
// validator stays the authority; this only spares a round trip and names flags rather than payload fields.
import type { z } from 'zod';
import { InputFileError, MiB, parseYaml, readTextFile, YamlError } from '../config/input-file';
import { CASE_NO_PATTERN } from '../domain/business-keys';
import { parseYuanToFen } from '../domain/inspection';
import { formatPath, listedProblems } from '../domain/validation';
import { UsageError } from './context';

/** An Update payload file: a findings list at its limits is about 0.4 MB. */
export const PAYLOAD_MAX_BYTES = MiB;

/**
 * A whole Update payload from `--file` (JSON is YAML too): at most PAYLOAD_MAX_BYTES, UTF-8 or GBK/GB18030. An
 * unreadable, oversized or malformed file is refused naming `--file`.
 */
export function readPayloadFile(file: string): unknown {
  try {
    return parseYaml(readTextFile(file, PAYLOAD_MAX_BYTES));
  } catch (error) {
    if (error instanceof InputFileError) throw new UsageError(`--file: ${error.message}`);
    if (error instanceof YamlError)
      throw new UsageError(
        error.syntax ? `--file: ${file} is not valid JSON or YAML (${error.message})` : `--file: ${file}: ${error.message}`,
      );
    throw error;
  }
}

/** How the fields of a payload were given: flags (named `--flag`), or a file (named by their path in it). */
export type FieldNames = Record<string, string> | { file: string };

/** `fines[0].multiple` → `--fine #1 (fines[0].multiple)` when built from flags; the path itself for a file. */
function fieldName(path: readonly PropertyKey[], names: FieldNames): string {
  const text = formatPath(path) || '(root)';
  if ('file' in names && typeof names.file === 'string') return text;
  const flags = names as Record<string, string>;
  const flag = flags[String(path[0])];
  if (!flag) return text;
  if (typeof path[1] === 'number') return `${flag} #${path[1] + 1} (${text})`;
  return path.length > 1 ? `${flag} (${text})` : flag;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (v, key) => (typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[key] : undefined),
    value,
  );
}

/** Parses `payload` with `schema` or throws one UsageError listing every problem by flag (or file path). */
export function validated<S extends z.ZodType>(schema: S, payload: unknown, what: string, names: FieldNames): z.infer<S> {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${fieldName([...issue.path, key], names)}: unknown field`);
    // A field left out reads "required" (with the choices, for an enum), not "expected string, received undefined".
    let message = issue.message;
    if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && valueAt(payload, issue.path) === undefined) {
      message = issue.code === 'invalid_value' ? `required (one of ${issue.values.map(String).join(', ')})` : 'required';
    }
    return [`${fieldName(issue.path, names)}: ${message}`];
  });
  const source = 'file' in names && typeof names.file === 'string' ? ` in ${names.file}` : '';
  throw new UsageError(`invalid ${what}${source}: ${listedProblems(problems).join('; ')}`);
}

/** A flag's whole number (digits only, blanks around allowed); undefined when the flag was not given. */
export function wholeNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`${flag}: expected a whole number, got "${value}"`);
  return Number(value.trim());
}

/** `--amount 1234.50` (yuan) → integer fen, by string arithmetic (never a float); undefined when not given. */
export function yuanToFen(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  let fen: number;
  try {
    fen = parseYuanToFen(value);
  } catch (error) {
    throw new UsageError(`${flag}: ${(error as Error).message}`);
  }
  if (!Number.isSafeInteger(fen)) throw new UsageError(`${flag}: "${value}" is too large`);
  return fen;
}

/**
 * The case number as given on the command line: the part after `{prefix}:{jurisdiction}:` (the full workflow id is
 * accepted too, when it names this jurisdiction); `case` for an institution's case, `person-case` for a person's.
 */
export function parseCaseNo(value: string, jurisdiction: string, prefix: 'case' | 'person-case' = 'case'): string {
  let caseNo = value.trim();
  const full = new RegExp(`^${prefix}:([^:]*):(.*)$`).exec(caseNo);
  if (full) {
    if (full[1] !== jurisdiction)
      throw new UsageError(`<caseNo>: "${value}" is a case of jurisdiction ${full[1]}, not of ${jurisdiction} (the plan's)`);
    caseNo = full[2]!;
  }
  if (!CASE_NO_PATTERN.test(caseNo))
    throw new UsageError(`<caseNo>: "${value}" is not a case number (letters, digits, - _ ., e.g. 349901-demo-2026.H001)`);
  return caseNo;
}
