// `jianguan risk import` (cli/risk.ts): CSV (quoted fields) and YAML read into the same rows, every bad row and field
// named before anything is written, references unique in the file, institutions known to the plan.
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/context';
import { parseRiskSignals, riskImport } from '../../cli/risk';
import { parseCsv } from '../../cli/table-file';
import { DEFAULT_PLAN_FILE } from '../../config';
import { loadRuntimeConfig } from '../../config';

const fixture = (name: string) => path.resolve(__dirname, '../fixtures', name);
const INSTITUTIONS = new Set(['H34990100003', 'P34990100002']);
const parse = (file: string) =>
  parseRiskSignals(readFileSync(fixture(file), 'utf8'), file.endsWith('.csv') ? 'csv' : 'yaml', file, INSTITUTIONS, '349901');
const messageOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('parseCsv', () => {
  it('reads quoted fields with commas, quotes and line breaks, and numbers records by their first line', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\n\n"multi\nline",z\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 4, fields: ['multi\nline', 'z'] },
    ]);
    expect(() => parseCsv('a\n"open')).toThrow(/line 2: a quoted field is not closed/);
  });
});

describe('parseRiskSignals', () => {
  it('reads CSV and YAML into the same rows', () => {
    const expected = [
      { institutionId: 'H34990100003', kind: 'clue', reference: 'JB-2027-0012', date: '2027-03-05', note: '群众举报：挂床住院, 虚开检查' },
      {
        institutionId: 'H34990100003',
        kind: 'data-anomaly',
        reference: 'YD-2027-0101',
        date: '2027-04-18',
        note: '智能监控：同一患者短期重复住院',
      },
      { institutionId: 'P34990100002', kind: 'data-anomaly', reference: 'YD-2027-0102', date: '2027-05-02', note: '' },
    ];
    expect(parse('risk-signals.csv')).toEqual(expected);
    expect(parse('risk-signals.yaml')).toEqual(expected);
  });

  it('names every bad row and field, with its line', () => {
    const message = messageOf(() => parse('risk-signals-broken.csv'));
    expect(message).toContain('invalid risk signal file risk-signals-broken.csv (nothing imported)');
    expect(message).toContain('rows[1].kind: expected clue or data-anomaly, got "tip" (line 3)');
    expect(message).toContain('rows[1].date: expected a date YYYY-MM-DD, got "2027-02-30" (line 3)');
    expect(message).toContain('rows[2].institutionId: unknown institution "H99999999999" (not in the plan of 349901) (line 4)');
    expect(message).toContain('rows[2].reference: duplicate reference "JB-2027-0012" (first at rows[0]) (line 4)');
    expect(message).toContain(
      'rows[3].institutionId: expected an institution id (2-32 upper-case letters, digits or "-"), got "p-lower" (line 5)',
    );
    expect(message).toContain('rows[3].reference: required (line 5)');
  });

  it('refuses a bad header, a wrong number of fields, an empty file and what is not a list', () => {
    expect(messageOf(() => parseRiskSignals('', 'csv', 'x.csv', INSTITUTIONS, '349901'))).toContain('header: the file is empty');
    const header = messageOf(() => parseRiskSignals('institutionId,kind,ref,date\n', 'csv', 'x.csv', INSTITUTIONS, '349901'));
    expect(header).toContain('header: unknown column "ref"');
    expect(header).toContain('header: missing column "reference"');
    expect(
      messageOf(() =>
        parseRiskSignals('institutionId,kind,reference,date\nH34990100003,clue,R1\n', 'csv', 'x.csv', INSTITUTIONS, '349901'),
      ),
    ).toContain('rows[0]: expected 4 fields, got 3 (line 2)');
    expect(messageOf(() => parseRiskSignals('institutionId,kind,reference,date\n', 'csv', 'x.csv', INSTITUTIONS, '349901'))).toContain(
      'rows: the file has no risk signals',
    );
    expect(messageOf(() => parseRiskSignals('a: 1\n', 'yaml', 'x.yaml', INSTITUTIONS, '349901'))).toContain(
      'rows: expected a list of risk signals, got a mapping',
    );
    expect(
      messageOf(() =>
        parseRiskSignals(
          '- { institutionId: H34990100003, kind: clue, reference: "A, B", date: "2027-01-01", by: me }\n',
          'yaml',
          'x.yaml',
          INSTITUTIONS,
          '349901',
        ),
      ),
    ).toMatch(/rows\[0\]\.reference: expected a reference without commas or spaces[\s\S]*rows\[0\]\.by: unknown field/);
  });

  it('refuses an unreadable file before asking anyone', async () => {
    await expect(riskImport(fixture('no-such.csv'), { plan: DEFAULT_PLAN_FILE }, loadRuntimeConfig({}))).rejects.toThrow(
      /cannot read .*no-such\.csv/,
    );
  });
});
