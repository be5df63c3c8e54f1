// The registration of a clue (domain/clue-intake.ts): ID numbers with their check digit, phone numbers, the reporter's
// two forms, every problem named at once.
import { describe, expect, it } from 'vitest';
import { clueBatchRowSchema, clueIntakeSchema, idNumberProblem, phoneProblem } from '../../domain/clue-intake';
import { zodProblems } from '../../domain/validation';

const context = { now: new Date('2026-12-07T00:00:00Z'), institutions: new Set(['H1']), jurisdiction: '349901' };

describe('clue intake rules', () => {
  it('checks a resident ID number: shape, date of birth, check digit (X included)', () => {
    expect(idNumberProblem('11010519491231002X')).toBeUndefined();
    expect(idNumberProblem('11010519491231002x')).toBeUndefined();
    expect(idNumberProblem('110105194912310021')).toBe('the check digit does not match (a digit is mistyped)');
    expect(idNumberProblem('110105194902300027')).toMatch(/^characters 7-14 are not a date of birth \(19490230\)/);
    expect(idNumberProblem('11010519491231002')).toMatch(/^expected an 18-character PRC ID number/);
  });

  it('takes mobile numbers (+86 too) and landlines with an area code', () => {
    for (const ok of ['13912345678', '+86 139 1234 5678', '0571-87654321', '010-12345678']) expect(phoneProblem(ok)).toBeUndefined();
    for (const bad of ['12345', '23912345678', '87654321']) expect(phoneProblem(bad)).toBeDefined();
  });

  it('an intake file: real name or anonymous, every problem at once', () => {
    const schema = clueIntakeSchema(context);
    expect(
      schema.parse({
        clueNo: 'A1',
        channel: 'web',
        subject: '某诊所',
        summary: 's',
        reporter: { anonymous: true, email: 'a@example.net' },
      }),
    ).toEqual({
      clueNo: 'A1',
      channel: 'web',
      subject: '某诊所',
      summary: 's',
      reporter: { anonymous: true, email: 'a@example.net' },
      signatories: 1,
    });
    const result = schema.safeParse({ clueNo: 'A1', channel: 'web', institutionId: 'H2', summary: 's', reporter: { phone: 13912345678 } });
    expect(result.success).toBe(false);
    expect(zodProblems(result.error!)).toEqual([
      { path: 'reporter.name', message: 'required (the real-name reporter), or anonymous: true' },
      {
        path: 'institutionId',
        message: 'unknown institution "H2" (not in the plan of 349901): give subject instead for one that is not designated',
      },
    ]);
  });

  it('a batch row without a name is anonymous, and may then give an e-mail address only', () => {
    const schema = clueBatchRowSchema(context);
    expect(schema.parse({ clueNo: 'B1', institutionId: 'H1', summary: 's', reporterEmail: 'x@example.net' }).reporter).toEqual({
      anonymous: true,
      email: 'x@example.net',
    });
    const result = schema.safeParse({ clueNo: 'B1', institutionId: 'H1', summary: 's', reporterPhone: '13912345678' });
    expect(zodProblems(result.error!)).toEqual([
      { path: 'reporterPhone', message: 'needs reporterName (a row without one is an anonymous report: an e-mail address at most)' },
    ]);
  });
});
