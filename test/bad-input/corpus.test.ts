// The bad-input corpus (issue 9): each file of test/bad-input/files, and the oversize and deep inputs made here, through
// the entry point that takes it: the plan loader (`plan check`, every worker), the campaign file loader (`campaign
// start`), the CLI's payload builders (`--file` and flags, checked with the Updates' own schemas before anything is
// sent), `risk import` into a PostgreSQL ledger of its own, and `draw verify`'s pool reader. Each is refused naming its
// field (or the file, byte offset and line), the ledger's row counts unchanged; or accepted with exactly the text it
// holds, in whatever encoding it came.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseRecheckPayload, decisionPayload, paymentPayload } from '../../cli/case/payloads';
import { UsageError } from '../../cli/context';
import { readPool } from '../../cli/draw';
import { findingsPayload } from '../../cli/inspection';
import { deductionPayload } from '../../cli/points';
import { riskImport } from '../../cli/risk';
import { DEFAULT_PLAN_FILE, loadPlan, loadRuntimeConfig, PlanError, type RuntimeConfig } from '../../config';
import { loadCampaignFile } from '../../config/campaign';
import { openStore, type SqlStore } from '../../records';
import { freshDatabase } from '../helpers/db';
import { rowCounts } from './ledger';

const corpus = (name: string) => path.resolve(__dirname, 'files', name);
const dir = mkdtempSync(path.join(tmpdir(), 'jianguan-bad-input-'));
/** Writes a generated input into the test's folder and returns its path. */
const generated = (name: string, content: string | Buffer) => {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
};
const MiB = 1024 * 1024;
const base = readFileSync(corpus('plan.yaml'), 'utf8');

/** The message of the error `run` fails with; fails the test when it succeeds or fails with another class. */
async function refusal(run: () => unknown, kind: new (...args: never[]) => Error = UsageError): Promise<string> {
  const error = await Promise.resolve()
    .then(run)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error, 'expected a refusal').toBeInstanceOf(kind);
  const { message } = error as Error;
  // One clear message, never a parser's or the runtime's own failure passed through.
  expect(message).not.toMatch(/Maximum call stack|heap out of memory|\uFFFD/);
  return message;
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('plans', () => {
  it.each([
    ['plan-nul-in-name.yaml', 'institutions[0].name: must not contain the control character U+0000 (character 8)'],
    ['plan-bidi-in-name.yaml', 'leaders[0].name: must not contain the bidirectional control U+202E (character 2)'],
    [
      'plan-invalid-bytes.yaml',
      `(file): ${corpus('plan-invalid-bytes.yaml')} is neither UTF-8 nor GBK/GB18030: byte 0xFF at offset ${readFileSync(corpus('plan-invalid-bytes.yaml')).indexOf(0xff)} (line 11)`,
    ],
    ['plan-aliases.yaml', '(root): Excessive alias count indicates a resource exhaustion attack (aliases are limited to 100 expansions)'],
  ])('%s is refused: %s', async (name, problem) => {
    const message = await refusal(() => loadPlan(corpus(name)), PlanError);
    expect(message).toContain(`  ${problem}`);
  });

  it('refuses a 100,000-deep list and a 2,000-deep mapping as too deep, not as a stack overflow', async () => {
    const flow = generated('deep-flow.yaml', `${base}demoCampaign: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
    expect(await refusal(() => loadPlan(flow), PlanError)).toMatch(
      new RegExp(
        `^Invalid jurisdiction plan .*deep-flow\\.yaml \\(1 problem\\):\n {2}line ${base.split('\n').length}, column \\d+: nested deeper than 64 levels$`,
      ),
    );
    const block = generated(
      'deep-block.yaml',
      `${base}demoCampaign:\n${Array.from({ length: 2_000 }, (_, i) => `${' '.repeat(i + 1)}k:`).join('\n')} 1\n`,
    );
    expect(await refusal(() => loadPlan(block), PlanError)).toMatch(/\n {2}line \d+, column \d+: nested deeper than 64 levels$/);
  });

  it('refuses a plan over 64 MiB before reading it whole, and YAML over 5 MiB that is not JSON', async () => {
    const huge = generated('huge-plan.yaml', `${base}# ${'x'.repeat(64 * MiB)}\n`);
    expect(await refusal(() => loadPlan(huge), PlanError)).toContain(`(file): ${huge} is larger than 64 MiB, the limit for this file`);
    const big = generated('big-plan.yaml', `${base}# ${'x'.repeat(5 * MiB)}\n`);
    expect(await refusal(() => loadPlan(big), PlanError)).toContain('give it as JSON or CSV');
  });

  it('reads a GBK plan as the UTF-8 one, and a GB18030 one with a character GBK lacks', async () => {
    const utf8 = await loadPlan(corpus('plan.yaml'));
    expect(await loadPlan(corpus('plan-gbk.yaml'))).toEqual(utf8);
    const gb18030 = await loadPlan(corpus('plan-gb18030.yaml'));
    expect(gb18030.inspectors[2]!.name).toBe('邹𠮷华');
    expect({ ...gb18030, inspectors: utf8.inspectors }).toEqual(utf8);
  });
});

describe('findings and decision payloads', () => {
  const target = { campaign: 'c', institution: 'H001' };
  const findings = (file: string) => () => findingsPayload({ ...target, file });
  const item = { category: '串换药品', description: '将自费药品串换为医保药品结算', amountFen: 123_450 };
  const findingsJson = (fields: object) =>
    JSON.stringify({ inspectorId: 'I01', inspectedAt: '2026-11-24T10:30:00+08:00', violation: true, items: [item], ...fields });

  it.each([
    ['findings-nul-note.yaml', 'note: must not contain the control character U+0000 (character 7)'],
    ['findings-bidi-description.yaml', 'items[0].description: must not contain the bidirectional control U+202E (character 2)'],
  ])('%s is refused: %s', async (name, problem) => {
    expect(await refusal(findings(corpus(name)))).toBe(`invalid findings in ${corpus(name)}: ${problem}`);
  });

  it('refuses 201 items, a 4,001-character note and a nesting of 100,000, naming the field or the line', async () => {
    const items = generated('201-items.json', findingsJson({ items: Array(201).fill(item) }));
    expect(await refusal(findings(items))).toBe(`invalid findings in ${items}: items: at most 200 items`);
    const note = generated('long-note.json', findingsJson({ note: '查'.repeat(4_001) }));
    expect(await refusal(findings(note))).toBe(`invalid findings in ${note}: note: at most 4000 characters`);
    const deep = generated('deep.yaml', `inspectorId: I01\nitems: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
    expect(await refusal(findings(deep))).toMatch(/^--file: .*deep\.yaml: line 2, column \d+: nested deeper than 64 levels$/);
  });

  it('refuses a payload file over 1 MiB (10,000 items, a 5 MB note) before reading it whole', async () => {
    for (const [name, fields] of [
      ['10000-items.json', { items: Array(10_000).fill(item) }],
      ['5mb-note.json', { note: 'x'.repeat(5_000_000) }],
    ] as const) {
      const file = generated(name, findingsJson(fields));
      expect(await refusal(findings(file))).toBe(`--file: ${file} is larger than 1 MiB, the limit for this file`);
    }
  });

  it('reads a GBK findings file as the UTF-8 one', () => {
    expect(findingsPayload({ ...target, file: corpus('findings-gbk.yaml') })).toEqual(
      findingsPayload({ ...target, file: corpus('findings.yaml') }),
    );
  });

  it.each([
    [
      'penalty',
      'decision-penalty-nul-reason.yaml',
      'invalid penalty decision',
      'reason: must not contain the control character U+0000 (character 10)',
    ],
    [
      'refer',
      'decision-refer-bidi-person.yaml',
      'invalid referral',
      'persons[0].name: must not contain the bidirectional control U+2067 (character 2)',
    ],
  ])('case decide --action %s --file %s is refused: %s', async (action, name, what, problem) => {
    expect(await refusal(() => decisionPayload({ action, file: corpus(name) }))).toBe(`${what} in ${corpus(name)}: ${problem}`);
  });

  it('refuses 51 fines; reads a GB18030 withdrawal with its four-byte character', async () => {
    const fines = generated(
      '51-fines.json',
      JSON.stringify({
        decidedBy: 'L2',
        reason: '违反条例第三十八条',
        fines: Array.from({ length: 51 }, () => ({ article: '38', multiple: 1 })),
      }),
    );
    expect(await refusal(() => decisionPayload({ action: 'penalty', file: fines }))).toBe(
      `invalid penalty decision in ${fines}: fines: at most 50 fines (one per article)`,
    );
    expect(decisionPayload({ action: 'withdraw', file: corpus('decision-withdraw-gb18030.yaml') }).payload).toEqual({
      decidedBy: 'L1',
      reason: '经复核证据不足，撤销立案（𠮷）',
    });
  });

  it('names the flag of a field given on the command line', async () => {
    expect(await refusal(() => deductionPayload({ tier: '1', points: '2', by: 'L1', reason: '违规\u202e收费' }, '349901'))).toBe(
      'invalid deduction: --reason: must not contain the bidirectional control U+202E (character 3)',
    );
    expect(await refusal(() => caseRecheckPayload({ inspector: 'I03', rectified: true, note: '查'.repeat(4_001) }))).toBe(
      'invalid recheck: --note: at most 4000 characters',
    );
    expect(await refusal(() => paymentPayload({ amount: '12.30', reference: 'R'.repeat(101), by: 'I04' }))).toBe(
      'invalid payment: --reference: at most 100 characters',
    );
    expect(await refusal(() => decisionPayload({ action: 'close', by: 'L1\u0007', reason: '结案' }))).toBe(
      'invalid close decision: --by: must not contain the control character U+0007 (character 3)',
    );
  });
});

describe('risk signal files (`risk import` into PostgreSQL)', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let ledger: SqlStore;
  let config: RuntimeConfig;
  beforeAll(async () => {
    database = await freshDatabase('bad_input');
    ledger = await openStore({ databaseUrl: database.url });
    config = loadRuntimeConfig({ DATABASE_URL: database.url });
  });
  afterAll(async () => {
    await ledger?.close();
    await database?.drop();
  });
  const importFile = (file: string) => riskImport(file, { plan: DEFAULT_PLAN_FILE }, config);
  const stored = (references: string[]) =>
    ledger.db.query('SELECT institution_id, kind, reference, note FROM risk_signal_items WHERE reference = ANY($1) ORDER BY signal_date', [
      references,
    ]);

  it.each([
    [
      'risk-invalid-bytes.csv',
      `is neither UTF-8 nor GBK/GB18030: byte 0xFF at offset ${readFileSync(corpus('risk-invalid-bytes.csv')).indexOf(0xff)} (line 3) is invalid in both`,
    ],
    ['risk-fffd.csv', 'contains U+FFFD on line 3, a character lost by an earlier conversion'],
    ['risk-nul.csv', 'rows[0].note: must not contain the control character U+0000 (character 3) (line 2)'],
    ['risk-bidi.csv', 'rows[0].reference: must not contain the bidirectional control U+202E (character 9) (line 2)'],
  ])('%s is refused, nothing written: %s', async (name, problem) => {
    const before = await rowCounts(ledger.db);
    expect(await refusal(() => importFile(corpus(name)))).toContain(problem);
    expect(await rowCounts(ledger.db)).toEqual(before);
  });

  it('refuses a file over 20 MiB before reading it whole, nothing written', async () => {
    const row = 'H34990100003,clue,JB-2027-0001,2027-03-05,举报\n';
    const big = generated(
      'big.csv',
      `institutionId,kind,reference,date,note\n${row.repeat(Math.ceil((20 * MiB) / Buffer.byteLength(row)) + 1)}`,
    );
    const before = await rowCounts(ledger.db);
    expect(await refusal(() => importFile(big))).toBe(`${big} is larger than 20 MiB, the limit for this file`);
    expect(await rowCounts(ledger.db)).toEqual(before);
  });

  it.each([
    [
      'risk.csv',
      [
        ['H34990100003', 'clue', 'JB-2027-0101', '群众举报：挂床住院, 虚开检查'],
        ['P34990100002', 'data-anomaly', 'YD-2027-0201', '智能监控：同一患者短期重复购药'],
      ],
    ],
    ['risk-bom.csv', [['H34990100003', 'clue', 'JB-2027-0102', '举报：串换药品']]],
    [
      'risk-gbk.csv',
      [
        ['H34990100003', 'clue', '清医保线索〔2027〕012号', '群众举报：挂床住院, 虚开检查'],
        ['P34990100002', 'data-anomaly', '清医保疑点〔2027〕101号', '智能监控：同一患者短期重复购药'],
      ],
    ],
    ['risk-gb18030.csv', [['H34990100003', 'clue', 'JB-2027-0104', '举报人称医生𠮷某串换药品']]],
    ['risk-utf16le.csv', [['H34990100003', 'clue', 'JB-2027-0105', '“Unicode 文本”另存的举报']]],
  ])('%s is imported with its text as written', async (name, rows) => {
    const before = (await rowCounts(ledger.db)).risk_signal_items!;
    expect(await importFile(corpus(name))).toMatch(new RegExp(`^imported ${rows.length} risk signal\\(s\\)`));
    const expected = rows.map(([institution_id, kind, reference, note]) => ({ institution_id, kind, reference, note }));
    expect(await stored(rows.map((r) => r[2]!))).toEqual(expected);
    expect((await rowCounts(ledger.db)).risk_signal_items).toBe(before + rows.length);
  });
});

describe('campaign files (`campaign start`, `campaign rehearse`)', () => {
  it('refuses a re-check that starts before the full coverage of its year is due, naming the day it may start', async () => {
    const plan = await loadPlan(corpus('plan.yaml'));
    const message = await refusal(() => loadCampaignFile(corpus('campaign-recheck-early.yaml'), plan), PlanError);
    expect(message).toContain(
      "  phases[0].start: 2026-07-31 is before the full coverage of 2026 is due (calendar.coverage.deadline 07-31): the re-check's pool of finished inspections would be partial; it may start from 2026-08-01",
    );
  });
});

describe('candidate pools (`draw verify --pool`)', () => {
  it('reads a GBK pool with its names', async () => {
    expect((await readPool(corpus('pool-gbk.csv'))).names).toEqual({
      P34990100003: '百草堂药店',
      H34990100001: '清溪区人民医院',
      H34990100016: '清溪仁和骨科医院',
    });
  });
});
