// Bad input given to the `jianguan` process itself: exit code 1 and one message naming the field or the file, never a
// stack trace (the operator saw a gRPC one for a 5 MB note), and nothing sent: TEMPORAL_ADDRESS points at a port where
// nothing listens, so a command that tried to send would say it cannot reach Temporal instead.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const corpus = (name: string) => path.resolve(__dirname, 'files', name);
const dir = mkdtempSync(path.join(tmpdir(), 'jianguan-bad-input-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function generated(name: string, content: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** Runs `jianguan …` as `npm run jianguan` does; returns its exit code and what it printed. */
function jianguan(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, TEMPORAL_ADDRESS: '127.0.0.1:9', LOG_LEVEL: 'silent' };
  const { status, stdout, stderr } = spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status, stdout, stderr };
}

const findings = (fields: object) =>
  JSON.stringify({
    inspectorId: 'I01',
    inspectedAt: '2026-11-24T10:30:00+08:00',
    violation: true,
    items: [{ category: '串换药品', description: '串换', amountFen: 100 }],
    ...fields,
  });
const record = (file: string) => jianguan('inspection', 'record', '--campaign', 'c', '--institution', 'H001', '--file', file);

/** A year whose full coverage (the corpus plan's deadline: 07-31) is due after today, in any time zone. */
const NEXT_YEAR = new Date().getUTCFullYear() + 1;
const RECHECK_NEXT_YEAR = `id: recheck-next-year
kind: recheck
title: 抽查复查
legalBasis: [《贵港市2021年打击欺诈骗保专项整治行动方案》三、（五）]
targets: [{ all: true }]
phases: [{ name: 抽查复查, end: { days: 30 } }]
recheck: { year: ${NEXT_YEAR} }
`;

describe('the jianguan process on bad input', () => {
  it.each([
    [
      'plan check: a NUL in a name',
      () => jianguan('plan', 'check', corpus('plan-nul-in-name.yaml')),
      /^error: Invalid jurisdiction plan .*\n {2}institutions\[0\]\.name: must not contain the control character U\+0000 \(character 8\)\n$/,
    ],
    [
      'plan check: a 100,000-deep plan',
      () => jianguan('plan', 'check', generated('deep.yaml', `jurisdiction: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`)),
      /^error: Invalid jurisdiction plan .*\n {2}line 1, column \d+: nested deeper than 64 levels\n$/,
    ],
    [
      'inspection record: a 5 MB note',
      () => record(generated('5mb-note.json', findings({ note: 'x'.repeat(5_000_000) }))),
      /^error: --file: .*5mb-note\.json is larger than 1 MiB, the limit for this file\n$/,
    ],
    [
      'inspection record: a 500 KB note',
      () => record(generated('500kb-note.json', findings({ note: '查'.repeat(170_000) }))),
      /^error: invalid findings in .*500kb-note\.json: note: at most 4000 characters\n$/,
    ],
    [
      'risk import: bytes neither UTF-8 nor GBK',
      () => jianguan('risk', 'import', corpus('risk-invalid-bytes.csv')),
      /^error: .*risk-invalid-bytes\.csv is neither UTF-8 nor GBK\/GB18030: byte 0xFF at offset \d+ \(line 3\) is invalid in both; save it as UTF-8\n$/,
    ],
    [
      'person-case open: an ID number whose check character is wrong, an unknown unit',
      () =>
        jianguan(
          'person-case',
          'open',
          generated(
            'person-case.yaml',
            JSON.stringify({
              caseNo: 'RY-1',
              person: { name: '示例', idNumber: '110105194912310021' },
              source: { kind: 'data', reference: 'SJ-1', recordedBy: 'insp-02' },
              items: [{ category: '冒名就医', description: '冒名', amountFen: 100 }],
              responsibleUnit: 'nobody',
            }),
          ),
        ),
      // The number itself is never echoed: a refusal may end up in a log.
      /^error: invalid person case in .*person-case\.yaml: person\.idNumber: the check character \(the 18th\) does not match the first 17 digits \(GB 11643\); responsibleUnit: expected one of the plan's responsible units: [^\n]*\n$/,
    ],
    [
      'person-case decide: a card suspension of 13 months, no --by',
      () => jianguan('person-case', 'decide', 'RY-1', '--action', 'suspend-card', '--months', '13', '--reason', '冒名就医'),
      /^error: invalid decision: --by: required; --months: at most 12 months\n$/,
    ],
    [
      'campaign start: a re-check of next year started today, before its full coverage is due',
      () => jianguan('campaign', 'start', generated('recheck-next-year.yaml', RECHECK_NEXT_YEAR), '--plan', corpus('plan.yaml')),
      new RegExp(
        `^error: .*recheck-next-year\\.yaml: started today, phases\\[0\\]\\.start: \\d{4}-\\d{2}-\\d{2} is before the full coverage of ${NEXT_YEAR} is due \\(calendar\\.coverage\\.deadline 07-31\\): .*it may start from ${NEXT_YEAR}-08-01 \\(nothing started\\)\n$`,
      ),
    ],
  ])('%s: exit 1, one message, no stack trace', (_what, run, message) => {
    const { status, stdout, stderr } = run();
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stdout).toBe('');
    expect(status).toBe(1);
  });
});
