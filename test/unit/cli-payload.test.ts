// The CLI's whole-number flags (`--months`, `--tier`, `--points`): digits only, named by flag when they are not.
import { describe, expect, it } from 'vitest';
import { wholeNumber } from '../../cli/payload';
import { END_OF_DAY, yearStart } from '../../domain/calendar';

describe('wholeNumber', () => {
  it('reads digits, blanks around allowed, and leaves an absent flag undefined', () => {
    expect(wholeNumber('--months', '6')).toBe(6);
    expect(wholeNumber('--months', ' 12 ')).toBe(12);
    expect(wholeNumber('--months', undefined)).toBeUndefined();
  });

  it('refuses anything but digits, naming the flag', () => {
    for (const bad of ['', '-1', '1.5', '3x', '1e2', '0x10'])
      expect(() => wholeNumber('--points', bad), bad).toThrow(`--points: expected a whole number, got "${bad}"`);
  });
});

describe('yearStart and END_OF_DAY', () => {
  it('starts a (points) year at 1 January 00:00 local, and ends a day at 23:59', () => {
    expect(yearStart(2027, 'Asia/Shanghai').toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(END_OF_DAY).toBe('23:59');
  });
});
