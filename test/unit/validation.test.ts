// Turning zod issues into messages that name each field (domain/validation.ts).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { findingsSchema } from '../../domain/inspection';
import { formatPath, formatProblems, parseOrThrow, zodProblems } from '../../domain/validation';

describe('formatPath', () => {
  it.each([
    [[], ''],
    [['inspectorId'], 'inspectorId'],
    [['items', 0, 'amountFen'], 'items[0].amountFen'],
    [['institutions', 12, 'contacts', 3, 'email'], 'institutions[12].contacts[3].email'],
    [['matrix', 1, 2], 'matrix[1][2]'],
    [['a', 'b', 'c'], 'a.b.c'],
    [[0, 'name'], '[0].name'],
  ] as [PropertyKey[], string][])('%j → %j', (path, text) => {
    expect(formatPath(path)).toBe(text);
  });

  it('prints symbol keys by their description', () => {
    expect(formatPath(['a', Symbol('s')])).toBe('a.Symbol(s)');
  });
});

describe('zodProblems and formatProblems', () => {
  it('names the root when the whole value is wrong', () => {
    const result = z.strictObject({ a: z.string() }).safeParse('not an object');
    expect(result.success).toBe(false);
    const problems = zodProblems(result.error!);
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe('(root)');
  });

  it('joins problems as "path: message; path: message"', () => {
    expect(formatProblems([{ path: 'a', message: 'required' }, { path: 'b[0]', message: 'too small' }])).toBe('a: required; b[0]: too small');
    expect(formatProblems([])).toBe('');
  });
});

describe('parseOrThrow', () => {
  const schema = z.strictObject({
    name: z.string().min(1, 'required'),
    teamSize: z.number().int().min(2, 'at least 2'),
    contacts: z.array(z.strictObject({ email: z.email('not an e-mail address') })),
  });

  it('returns the parsed value (with defaults and transforms applied)', () => {
    const value = parseOrThrow(findingsSchema, { inspectorId: ' I01 ', inspectedAt: '2027-05-06T10:00:00+08:00', violation: false }, 'findings');
    expect(value).toEqual({ inspectorId: 'I01', inspectedAt: '2027-05-06T10:00:00+08:00', violation: false, items: [], note: '' });
  });

  it('throws one error that lists every problem with its path', () => {
    let message = '';
    try {
      parseOrThrow(schema, { name: '', teamSize: 1, contacts: [{ email: 'ok@example.org' }, { email: 'nope' }] }, 'plan');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^invalid plan: /);
    expect(message).toContain('name: required');
    expect(message).toContain('teamSize: at least 2');
    expect(message).toContain('contacts[1].email: not an e-mail address');
    expect(message).not.toContain('contacts[0]');
    expect(message.split('; ')).toHaveLength(3);
  });

  it('lists the problems of an Update payload by field', () => {
    expect(() =>
      parseOrThrow(findingsSchema, { inspectorId: 'I01', inspectedAt: '2027-05-06T10:00:00', violation: true, items: [{ category: 'x', description: 'y', amountFen: 1.5 }] }, 'findings'),
    ).toThrow(/^invalid findings: .*inspectedAt: .*offset.*; items\[0\]\.amountFen: expected an integer amount in fen/);
  });

  it('throws a plain Error for a wrong type at the root', () => {
    expect(() => parseOrThrow(schema, null, 'plan')).toThrow(/^invalid plan: \(root\): /);
  });
});
