// Zod's issues as plan problems. Zod's default messages speak JavaScript ("expected object, received array"); plan
// authors write YAML.
import type { z } from 'zod';
import { show } from '../../domain/validation';
import { formatPath, type PlanProblem } from './errors';
import { field } from './unchecked';

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
};

export const planMessages: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? 'required'
        : `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${show(issue.input, 60)}`;
    case 'invalid_value':
      return `${issue.input === undefined ? 'required' : `got ${show(issue.input, 60)}`}: one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union': {
      // A discriminated union reports a bad `kind` on the whole entry.
      if (issue.note === 'No matching discriminator' && typeof issue.discriminator === 'string') {
        const got = field(issue.input, issue.discriminator);
        const options = (issue.options as unknown[]).map((v) => JSON.stringify(v)).join(', ');
        return `${got === undefined ? 'required' : `got ${show(got, 60)}`}: one of ${options}`;
      }
      return undefined;
    }
    case 'too_small':
      if (issue.origin === 'array') return `needs at least ${issue.minimum} item(s)`;
      if (issue.origin === 'number') return `must be at least ${issue.minimum}, got ${show(issue.input, 60)}`;
      return undefined;
    case 'too_big':
      if (issue.origin === 'number') return `must be at most ${issue.maximum}, got ${show(issue.input, 60)}`;
      return undefined;
    default:
      return undefined;
  }
};

export function schemaProblems(issues: readonly z.core.$ZodIssue[]): PlanProblem[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: 'unknown key' }))
      : [{ path: formatPath(issue.path), message: issue.message }],
  );
}
