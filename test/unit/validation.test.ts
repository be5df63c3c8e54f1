// Turning zod issues into messages that name each field (domain/validation.ts).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { findingsSchema } from '../../domain/inspection';
import {
  forbiddenCharacter,
  formatPath,
  formatProblems,
  parseOrThrow,
  requiredText,
  show,
  text,
  zodProblems,
} from '../../domain/validation';

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

  it('shows control and bidirectional characters of a key instead of printing them', () => {
    expect(formatPath(['rows', 0, 'na\u0000me\u202e'])).toBe('rows[0].na\\u0000me\\u202e');
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
    expect(
      formatProblems([
        { path: 'a', message: 'required' },
        { path: 'b[0]', message: 'too small' },
      ]),
    ).toBe('a: required; b[0]: too small');
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
    const value = parseOrThrow(
      findingsSchema,
      { inspectorId: ' I01 ', inspectedAt: '2027-05-06T10:00:00+08:00', violation: false },
      'findings',
    );
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
      parseOrThrow(
        findingsSchema,
        {
          inspectorId: 'I01',
          inspectedAt: '2027-05-06T10:00:00',
          violation: true,
          items: [{ category: 'x', description: 'y', amountFen: 1.5 }],
        },
        'findings',
      ),
    ).toThrow(/^invalid findings: .*inspectedAt: .*offset.*; items\[0\]\.amountFen: expected an integer amount in fen/);
  });

  it('throws a plain Error for a wrong type at the root', () => {
    expect(() => parseOrThrow(schema, null, 'plan')).toThrow(/^invalid plan: \(root\): /);
  });
});

describe('the text rule', () => {
  it.each([
    ['0000', 'the control character'],
    ['0007', 'the control character'],
    ['001B', 'the control character'],
    ['007F', 'the control character'],
    ['0085', 'the control character'],
    ['202A', 'the bidirectional control'],
    ['202E', 'the bidirectional control'],
    ['2066', 'the bidirectional control'],
    ['2069', 'the bidirectional control'],
  ])('refuses U+%s in any text, naming it and where', (hex, what) => {
    const c = String.fromCharCode(parseInt(hex, 16));
    expect(forbiddenCharacter(`清溪${c}区`, false)).toBe(`must not contain ${what} U+${hex} (character 3)`);
    expect(forbiddenCharacter(`清溪${c}区`, true)).toBe(`must not contain ${what} U+${hex} (character 3)`);
  });

  it('allows tab and line breaks in free text only; names the first of several; lets other marks be', () => {
    expect(forbiddenCharacter('第一行\r\n\t第二行', true)).toBeUndefined();
    expect(forbiddenCharacter('名\n称', false)).toBe('must not contain the control character U+000A (character 2)');
    expect(forbiddenCharacter('a\u202eb\u0000', true)).toBe('must not contain the bidirectional control U+202E (character 2)');
    expect(forbiddenCharacter('a\u0001b\u202e', true)).toBe('must not contain the control character U+0001 (character 2)');
    // Marks that do not reorder text (LRM, RLM, zero-width joiner) and characters beyond the BMP are text.
    expect(forbiddenCharacter('a\u200e\u200f\u200d𠮷', false)).toBeUndefined();
  });

  it("bounds the length and keeps each schema's own messages", () => {
    expect(text(3).safeParse('abcd').error?.issues[0]?.message).toBe('at most 3 characters');
    expect(requiredText(3).safeParse('  ').error?.issues[0]?.message).toBe('required');
    expect(requiredText(3, {}, 'must not be empty').safeParse('').error?.issues[0]?.message).toBe('must not be empty');
    // Trimmed before it is judged: a trailing line break of a YAML block scalar is not a control character.
    expect(requiredText(3).parse(' ab\n')).toBe('ab');
    expect(text(10).parse(' ab ')).toBe(' ab ');
  });

  it('shows a bad value with its invisible characters escaped', () => {
    expect(show('a\u202eb\u0000')).toBe('"a\\u202eb\\u0000"');
  });

  it('lists at most 20 problems, then how many more', () => {
    const problems = Array.from({ length: 10_000 }, (_, i) => ({ path: `items[${i}].category`, message: 'required' }));
    const message = formatProblems(problems);
    expect(message.split('; ')).toHaveLength(21);
    expect(message).toMatch(/^items\[0\]\.category: required; .*; items\[19\]\.category: required; \.\.\. and 9980 more$/);
  });
});
