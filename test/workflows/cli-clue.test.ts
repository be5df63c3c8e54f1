// `jianguan clue …` as a person runs it (the commander program, its flags and output) against the clue workflow on the
// time-skipping server: a harness worker with the real activities, its PGlite ledger served where the CLI looks for
// it (LEDGER_PORT), and the payload codec over the test key on both sides (the CLI encrypts what it sends, and seals
// reporters under the same key the worker opens them with). The plan is the sample's with the clue limits in calendar
// days, so that no deadline reaches a year the official holiday calendar does not cover yet, whenever this runs.
//
// What is guarded: intake → accept → verify → reward → claim from the command line; bad intake and batch files named
// problem by problem with the ledger unchanged; a 200-row batch imported twice (200 workflows, then none); GBK CSV and
// XLSX batches; and the reporter's identity nowhere in any output (nor the ledger, nor Temporal's history) but that of
// `clue reporter`, whose every look is in the audit trail.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Command } from 'commander';
import { Workbook } from 'exceljs';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import YAML from 'yaml';
import { buildProgram } from '../../cli/main';
import { dataConverterOfKeys } from '../../codec/data-converter';
import { DEFAULT_PLAN_FILE } from '../../config';
import { caseWorkflowId, clueCaseNo } from '../../domain/business-keys';
import { TEST_CODEC_KEYS, TEST_SEALING_KEY } from '../helpers/sealer';
import { createHarness, type Harness } from '../helpers/workflow-harness';
import { terminateAtRest, useServerPerTest } from '../helpers/workflow-test';

const JURISDICTION = '349901';
const H1 = 'H34990100001';
const H2 = 'H34990100002';

/** A resident ID number with its check digit (GB 11643): a fictitious birth date and sequence. */
function idNumber(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((total, w, i) => total + w * Number(first17[i]), 0);
  return first17 + '10X98765432'[sum % 11];
}

/** The planted reporter: fictitious; every leak check looks for these. */
const PLANTED = {
  name: '司马示例',
  phone: '13712345678',
  idNumber: idNumber('11010519900307123'),
  address: '示例市虚构区和平路88号',
  email: 'sima.reporter@example.net',
};
const SECRETS = [PLANTED.name, PLANTED.phone, PLANTED.idNumber, PLANTED.address, PLANTED.email];

const fx = {} as { env: TestWorkflowEnvironment; dir: string; planFile: string };
let n = 0;

useServerPerTest(fx);

beforeAll(async () => {
  fx.dir = mkdtempSync(path.join(tmpdir(), 'jianguan-cli-clue-'));
  fx.planFile = path.join(fx.dir, 'plan.yaml');
  // The sample plan, its clue limits in calendar days (the national ones are working days: see the header).
  const plan = YAML.parse(readFileSync(DEFAULT_PLAN_FILE, 'utf8')) as { clues: Record<string, unknown> };
  Object.assign(plan.clues, {
    acceptance: { days: 15 },
    handling: { days: 15 },
    extension: { days: 15 },
    reporterNotice: { days: 5 },
    rewardApproval: { days: 10 },
  });
  writeFileSync(fx.planFile, YAML.stringify(plan));
});

afterAll(async () => {
  if (fx.dir) rmSync(fx.dir, { recursive: true, force: true });
});

interface Cli {
  harness: Harness;
  /** Runs `jianguan …args`; its output (what it printed, or the error's message, which it also throws). */
  run(...args: string[]): Promise<string>;
  /** Everything every command printed or refused with, but `clue reporter`'s own output. */
  transcript: string[];
  file(name: string, content: string | Buffer): string;
  count(table: string): Promise<number>;
}

/** A harness with the codec over the test key, the CLI's settings pointing at it, and a way to run commands. */
async function withCli(fn: (cli: Cli) => Promise<void>): Promise<void> {
  const harness = await createHarness(fx.env, { planFile: fx.planFile, dataConverter: dataConverterOfKeys([TEST_SEALING_KEY]) });
  const printed: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    printed.push(args.map(String).join(' '));
  });
  vi.stubEnv('TEMPORAL_ADDRESS', fx.env.address);
  vi.stubEnv('TEMPORAL_TASK_QUEUE', harness.taskQueue);
  vi.stubEnv('LEDGER_PORT', String(harness.ledgerPort));
  vi.stubEnv('DATABASE_URL', '');
  vi.stubEnv('JIANGUAN_PLAN', fx.planFile);
  vi.stubEnv('JIANGUAN_CODEC_KEYS', TEST_CODEC_KEYS);
  vi.stubEnv('JIANGUAN_DATA_DIR', fx.dir);
  const transcript: string[] = [];
  const files = path.join(fx.dir, `files-${++n}`);
  mkdirSync(files);
  const cli: Cli = {
    harness,
    transcript,
    async run(...args) {
      const program = buildProgram();
      let err = '';
      const configure = (command: Command) => {
        command.exitOverride().configureOutput({ writeOut: (s) => printed.push(s), writeErr: (s) => (err += s) });
        command.commands.forEach(configure);
      };
      configure(program);
      const from = printed.length;
      const keep = (text: string) => {
        if (args[1] !== 'reporter') transcript.push(text);
        return text;
      };
      try {
        await program.parseAsync(['node', 'jianguan', ...args]);
      } catch (error) {
        keep(`${printed.slice(from).join('\n')}${err}${(error as Error).message}`);
        throw error;
      }
      return keep(printed.slice(from).join('\n'));
    },
    file(name, content) {
      const file = path.join(files, name);
      writeFileSync(file, content);
      return file;
    },
    async count(table) {
      const [row] = await harness.store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      return row!.n;
    },
  };
  try {
    await harness.run(() => fn(cli));
  } finally {
    vi.unstubAllEnvs();
    log.mockRestore();
    await harness.close();
  }
}

/** Waits until `check` holds (the workflows write the ledger a step after the command returns). */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  for (const start = Date.now(); !(await check());) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const intakeYaml = (clueNo: string, reporter: Record<string, string | boolean>, extra = '') =>
  [
    `clueNo: ${clueNo}`,
    'channel: phone',
    `institutionId: ${H1}`,
    'summary: 反映该院存在挂床住院、虚记诊疗项目等问题',
    'reporter:',
    ...Object.entries(reporter).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`),
    extra,
  ].join('\n');

/** Nothing of the planted identity in `text`. */
function expectNoSecrets(text: string, where: string): void {
  for (const secret of SECRETS) expect(text, `${where} shows ${secret}`).not.toContain(secret);
}

async function ledgerText(cli: Cli): Promise<string> {
  const tables = ['clues', 'clue_reporters', 'clue_batches', 'audit_trail', 'notifications'];
  const parts = await Promise.all(tables.map((t) => cli.harness.store.db.query(`SELECT * FROM ${t}`)));
  return JSON.stringify(parts);
}

describe('jianguan clue … against the clue workflow', () => {
  it('intake → accept → verify → reward → claim from the command line; the reporter masked everywhere but `clue reporter`', async () => {
    await withCli(async (cli) => {
      const clueNo = `JB-${process.pid}-1`;
      const id = `clue:${JURISDICTION}:${clueNo}`;
      const file = cli.file('intake.yaml', intakeYaml(clueNo, PLANTED));

      const registered = await cli.run('clue', 'intake', file);
      expect(registered).toMatch(new RegExp(`^registered clue ${clueNo} \\(${id}\\): 待受理, acceptance due \\d{4}-\\d\\d-\\d\\d 23:59`));
      expect(registered).toContain('reporter     real name, 司***, told by e-mail; identity sealed in the ledger');
      // The same file again: nothing started, nothing written.
      expect(await cli.run('clue', 'intake', file)).toBe(`clue ${clueNo} already registered (${id}): nothing started`);
      expect(await cli.count('clue_reporters')).toBe(1);
      // Another reporter under the same number is refused.
      const other = cli.file('other.yaml', intakeYaml(clueNo, { name: '另一人', email: 'other@example.net' }));
      await expect(cli.run('clue', 'intake', other)).rejects.toThrow(
        `clue ${clueNo} refused: it is registered with another reporter (司***): a clue number is one report; give the other report its own clue number (nothing written)`,
      );
      await until('the clue in the ledger', async () => (await cli.harness.store.getClue(JURISDICTION, clueNo)) !== undefined);

      expect(
        await cli.run('clue', 'accept', clueNo, '--by', 'leader-deputy-fund', '--unit', 'audit-centre', '--note', '请尽快核查'),
      ).toMatch(
        new RegExp(`^accepted, assigned to audit-centre: clue ${clueNo} → verifying \\(核查中\\), due \\d{4}-\\d\\d-\\d\\d 23:59$`),
      );
      // The workflow's refusal is one line.
      await expect(cli.run('clue', 'accept', clueNo, '--by', 'leader-deputy-fund', '--unit', 'audit-centre')).rejects.toThrow(
        `rejected: clue ${clueNo} is 核查中 (verifying): no acceptance decision now`,
      );
      // A payload problem is named by its flag before anything is sent.
      await expect(
        cli.run('clue', 'verify', clueNo, '--by', 'insp-08', '--outcome', 'verified', '--findings', '查实', '--action', 'case'),
      ).rejects.toThrow('invalid conclusion: --item: a case needs at least one item found');

      const verified = await cli.run(
        'clue',
        'verify',
        clueNo,
        '--by',
        'insp-08',
        '--outcome',
        'verified',
        '--amount',
        '100,000',
        '--findings',
        '查实挂床住院',
        '--action',
        'case',
        '--item',
        '挂床住院|虚构住院天数结算|100000|38',
      );
      expect(verified).toContain(`concluded (verified, case): clue ${clueNo} → reward-approval (奖励待审批)`);
      const caseId = caseWorkflowId(JURISDICTION, clueCaseNo(clueNo));
      expect(verified).toContain(`case         ${caseId}`);

      await expect(cli.run('clue', 'reward', clueNo, '--by', 'insp-08')).rejects.toThrow(/^rejected: approvedBy: insp-08 is not a leader/);
      const rewarded = await cli.run('clue', 'reward', clueNo, '--by', 'leader-director');
      expect(rewarded).toContain(`reward approved: clue ${clueNo} → reward-claim (奖励待领取)`);
      expect(rewarded).toMatch(/reward {7}2,000\.00 元, approved by leader-director; claim by \d{4}-\d\d-\d\d/);
      expect(await cli.run('clue', 'claim', clueNo, '--by', 'insp-02', '--reference', 'JL-2026-001')).toBe(
        `reward paid (JL-2026-001): clue ${clueNo} → closed (已结案)`,
      );
      await until('the closed clue and its report in the ledger', async () => {
        const row = await cli.harness.store.getClue(JURISDICTION, clueNo);
        return row?.stage === 'closed' && (row.report ?? '').includes('已领取');
      });

      const list = await cli.run('clue', 'list');
      expect(list).toMatch(/^清溪区 \(349901\): 1 clue\(s\), 0 overdue\n/);
      expect(list).toMatch(
        new RegExp(`${clueNo}[\\s│]+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d[\\s│]+本级受理[\\s│]+.*（${H1}）[\\s│]+司\\*\\*\\*[\\s│]+已结案`),
      );
      expect(await cli.run('clue', 'list', '--stage', 'verifying')).toBe('no clues in 清溪区 (349901) (核查中)');

      const shown = await cli.run('clue', 'show', clueNo);
      expect(shown).toContain(`clue         ${clueNo} (${id})`);
      expect(shown).toContain('reporter     real name, 司***');
      expect(shown).toContain('stage        closed (已结案)');
      expect(shown).toMatch(/concluded {4}verified \(查证属实\), verified 100,000\.00 元, case \(立案查处\) by insp-08/);
      expect(shown).toMatch(
        /reward {7}2,000\.00 元 \(computed 2,000\.00 元\), approved by leader-director; paid at .* by insp-02 \(JL-2026-001\)/,
      );
      expect(shown).toContain('reporter notices (3)');
      expect(shown).toMatch(/accepted[\s│]+受理[\s│]+.*[\s│]+email/);
      expect(shown).toContain('processing report (处理报告)');
      expect(shown).toContain(`清溪区医疗保障局关于举报线索 ${clueNo} 的处理报告`);

      const report = await cli.run('clue', 'report', clueNo);
      expect(report).toMatch(new RegExp(`^清溪区医疗保障局关于举报线索 ${clueNo} 的处理报告\\n`));
      expect(report).toContain('举报人：实名（司***）');
      expect(report).toContain('六、举报奖励：奖励 2,000.00 元，已领取（JL-2026-001）');
      const out = path.join(fx.dir, 'report.txt');
      expect(await cli.run('clue', 'report', clueNo, '--out', out)).toBe(`wrote 1 processing report of clue ${clueNo} to ${out}`);
      expect(readFileSync(out, 'utf8')).toBe(`${report}\n`);
      // As a Word document: the same paragraphs, read back by a .docx parser.
      const docx = path.join(fx.dir, 'report.docx');
      await cli.run('clue', 'report', clueNo, '--out', docx);
      const words = (await mammoth.extractRawText({ path: docx })).value.split('\n').filter((l) => l.trim() !== '');
      expect(words).toEqual(report.split('\n').filter((l) => l.trim() !== ''));
      await expect(cli.run('clue', 'report', clueNo, '--batch', 'P-1')).rejects.toThrow('give either <clueNo> or --batch <no>');

      // Only the handling unit's inspectors and the leaders see the reporter; every look is audited first.
      await expect(cli.run('clue', 'reporter', clueNo, '--by', 'insp-01')).rejects.toThrow(
        "--by: insp-01 is an inspector of fund-supervision: only the handling unit's (audit-centre) inspectors and the plan's leaders may see the reporter",
      );
      expect((await cli.harness.store.listAudit(id)).filter((e) => e.action === 'reporter-revealed')).toEqual([]);
      const revealed = await cli.run('clue', 'reporter', clueNo, '--by', 'insp-08', '--reason', '电话核实线索细节');
      for (const secret of SECRETS) expect(revealed).toContain(secret);
      const looks = (await cli.harness.store.listAudit(id)).filter((e) => e.action === 'reporter-revealed');
      expect(looks).toMatchObject([
        {
          actor: 'insp-08',
          subjectType: 'clue',
          reason: '查阅举报人身份信息：电话核实线索细节',
          detail: { unitId: 'audit-centre', keyId: 'test-key' },
        },
      ]);

      // Nowhere else: every other output, the ledger (the sealed table included), Temporal's history (encrypted).
      expectNoSecrets(cli.transcript.join('\n'), 'the CLI output');
      expectNoSecrets(await ledgerText(cli), 'the ledger');
      const history = await fx.env.client.workflow.getHandle(id).fetchHistory();
      expectNoSecrets(Buffer.from(JSON.stringify(history)).toString('utf8'), "the workflow's history");
      expect(cli.harness.sent.some((m) => m.to.includes(PLANTED.email) && m.text.startsWith(`${PLANTED.name}：`))).toBe(true);
      await terminateAtRest(fx.env.client.workflow.getHandle(caseId), 'test over');
    });
  });

  it('extend, reject, and a reporter without e-mail told by the unit (`clue told`)', async () => {
    await withCli(async (cli) => {
      const [a, b] = [`JB-${process.pid}-a`, `JB-${process.pid}-b`];
      await cli.run('clue', 'intake', cli.file('a.yaml', intakeYaml(a, { anonymous: true })));
      await cli.run('clue', 'intake', cli.file('b.yaml', intakeYaml(b, { name: '测试戊', phone: '13900000009' })));
      await cli.run('clue', 'accept', a, '--by', 'insp-08', '--unit', 'audit-centre');
      await expect(
        cli.run('clue', 'assign', a, '--by', 'insp-08', '--unit', 'medical-services', '--reason', '涉及协议管理'),
      ).rejects.toThrow(/^rejected: assignedBy: insp-08 is not a leader/);
      expect(
        await cli.run('clue', 'assign', a, '--by', 'leader-director', '--unit', 'medical-services', '--reason', '涉及协议管理'),
      ).toMatch(new RegExp(`^reassigned to medical-services: clue ${a} → verifying \\(核查中\\), due `));
      await expect(cli.run('clue', 'extend', a, '--by', 'insp-08', '--reason', '情况复杂')).rejects.toThrow(
        /^rejected: approvedBy: insp-08 is not a leader/,
      );
      expect(await cli.run('clue', 'extend', a, '--by', 'leader-director', '--reason', '情况复杂')).toMatch(
        new RegExp(`^extended: clue ${a} → verifying \\(核查中\\), due \\d{4}-\\d\\d-\\d\\d 23:59$`),
      );
      await expect(cli.run('clue', 'reject', b, '--by', 'insp-08')).rejects.toThrow("required option '--reason <text>' not specified");
      expect(await cli.run('clue', 'reject', b, '--by', 'leader-deputy-fund', '--reason', '不属于医保基金监管范围')).toBe(
        `not accepted: clue ${b} → rejected (不予受理)`,
      );
      await expect(cli.run('clue', 'told', b, '--event', 'accepted', '--by', 'insp-01', '--how', 'phone')).rejects.toThrow(
        'rejected: event: no notice "accepted" awaits telling the reporter (awaiting: rejected)',
      );
      expect(await cli.run('clue', 'told', b, '--event', 'rejected', '--by', 'insp-01', '--how', 'phone')).toBe(
        `reporter told of rejected (phone): clue ${b} → rejected (不予受理)`,
      );
      const shown = await cli.run('clue', 'show', b);
      expect(shown).toContain('reporter     real name, 测**');
      expect(shown).toMatch(/rejected[\s│]+不予受理[\s│]+\S+ \S+[\s│]+\S+ \S+[\s│]+phone/);
      expect(await cli.run('clue', 'show', a)).toContain('reporter     anonymous');
      // A clue whose workflow is gone (past the namespace's retention): shown from its ledger row, report and all.
      await until("b's report filed", async () => Boolean((await cli.harness.store.getClue(JURISDICTION, b))?.report));
      const row = (await cli.harness.store.getClue(JURISDICTION, b))!;
      const gone = `${b}-2025`;
      const goneId = `clue:${JURISDICTION}:${gone}`;
      const audit = {
        key: `${goneId}:test`,
        actor: 'test',
        action: 'test',
        subjectType: 'clue',
        subjectId: goneId,
        reason: '',
        detail: {},
        at: row.updatedAt,
      };
      await cli.harness.store.saveClue({ ...row, id: goneId, clueNo: gone }, audit);
      const fromLedger = await cli.run('clue', 'show', gone);
      expect(fromLedger).toContain(`clue         ${gone} (${goneId}) — from the ledger`);
      expect(fromLedger).toContain('stage        rejected (不予受理)');
      expect(fromLedger).toContain('processing report (处理报告)');
      expect(fromLedger).toContain(`(ledger only: the workflow ${goneId} is gone, past its retention)`);
      // An anonymous reporter without an address: the ledger holds only that.
      expect(await cli.run('clue', 'reporter', a, '--by', 'leader-director')).toContain('(no way to reach the reporter was given)');
    });
  });

  it('bad intake files: every problem named by its path, nothing written, nothing started', async () => {
    await withCli(async (cli) => {
      const before = { clues: await cli.count('clues'), reporters: await cli.count('clue_reporters') };
      const bad = cli.file(
        'bad.yaml',
        [
          'clueNo: 20260001',
          'receivedAt: "2099-01-01T00:00:00+08:00"',
          'channel: transferred',
          'institutionId: H99999999999',
          'summary: ""',
          'reporter:',
          '  anonymous: true',
          '  name: 王五',
          '  email: not-an-email',
          'signatories: 0',
          'colour: red',
        ].join('\n'),
      );
      const error = await cli.run('clue', 'intake', bad).then(
        () => '',
        (e: Error) => e.message,
      );
      expect(error).toMatch(new RegExp(`^invalid clue intake in ${bad.replaceAll('.', '\\.')}: `));
      for (const problem of [
        'clueNo: write the clue number as text (in quotes)',
        'receivedAt: must not be in the future',
        'channel: expected one of phone, letter, web, in-person, fax',
        'summary: required',
        'reporter.email: expected an e-mail address',
        'reporter.name: an anonymous reporter gives no name',
        'signatories: at least 1',
        'colour: unknown field',
        'institutionId: unknown institution "H99999999999" (not in the plan of 349901)',
      ])
        expect(error).toContain(problem);

      const named = cli.file(
        'named.yaml',
        intakeYaml(`JB-${process.pid}-bad`, { name: '测试', phone: '12345', idNumber: '110105194912310021' }, 'subject: 另一对象'),
      );
      const second = await cli.run('clue', 'intake', named).then(
        () => '',
        (e: Error) => e.message,
      );
      expect(second).toContain('reporter.phone: expected a mobile number (11 digits) or a landline with its area code');
      expect(second).toContain('reporter.idNumber: the check digit does not match (a digit is mistyped)');
      expect(second).toContain('subject: give institutionId or subject, not both');

      await expect(cli.run('clue', 'intake', cli.file('broken.yaml', 'clueNo: [unclosed'))).rejects.toThrow(/is not valid JSON or YAML/);
      await expect(cli.run('clue', 'intake', path.join(fx.dir, 'missing.yaml'))).rejects.toThrow(/cannot read .*missing\.yaml/);

      expect({ clues: await cli.count('clues'), reporters: await cli.count('clue_reporters') }).toEqual(before);
      await expect(fx.env.client.workflow.getHandle(`clue:${JURISDICTION}:JB-${process.pid}-bad`).describe()).rejects.toBeInstanceOf(
        WorkflowNotFoundError,
      );
    });
  });

  it('a 200-row CSV batch imported twice: 200 workflows, then none; a bad batch writes nothing', async () => {
    await withCli(async (cli) => {
      const batch = `B${process.pid}`;
      const rows = Array.from({ length: 200 }, (_, i) => {
        const no = `NB-${process.pid}-${String(i + 1).padStart(3, '0')}`;
        const subject = i % 5 === 4 ? `,某药店员工（非定点）${i}` : `${i % 2 ? H1 : H2},`;
        // A third named with phone and ID, a third anonymous, a third anonymous with an e-mail address.
        const reporter =
          i % 3 === 0
            ? `测试举报人${i},139${String(i).padStart(8, '0')},${idNumber(`11010519900101${String(i).padStart(3, '0')}`)},`
            : i % 3 === 1
              ? ',,,'
              : `,,,anon${i}@example.net`;
        return `${no},${subject},"反映问题 ${i}：串换药品, 虚记费用",,${reporter}`;
      });
      const header = 'clueNo,institutionId,subject,summary,receivedAt,reporterName,reporterPhone,reporterIdNumber,reporterEmail';
      const file = cli.file('batch.csv', [header, ...rows].join('\n'));
      const args = ['clue', 'import-batch', file, '--source', 'national', '--batch', batch, '--date', '2026-11-30'];

      expect(await cli.run(...args)).toBe(`batch national ${batch} (2026-11-30): 200 clue(s): 200 started, 0 already registered`);
      await until('200 clues in the ledger', async () => (await cli.count('clues')) === 200, 240_000);
      expect(await cli.run(...args)).toBe(`batch national ${batch} (2026-11-30): 200 clue(s): 0 started, 200 already registered`);
      expect(await cli.count('clue_reporters')).toBe(200);
      expect(await cli.harness.store.listClueBatches(JURISDICTION)).toMatchObject([
        { source: 'national', batchNo: batch, batchDate: '2026-11-30', clueCount: 200 },
      ]);
      const first = await cli.harness.store.getClue(JURISDICTION, `NB-${process.pid}-001`);
      expect(first).toMatchObject({
        channel: 'transferred',
        source: 'national',
        batchNo: batch,
        realName: true,
        reporterMasked: '测*****',
      });
      const anonymous = await cli.harness.store.getClue(JURISDICTION, `NB-${process.pid}-002`);
      expect(anonymous).toMatchObject({ realName: false, reporterMasked: '匿名' });

      const list = await cli.run('clue', 'list', '--batch', batch, '--source', 'national');
      expect(list.split('\n')[0]).toBe(`清溪区 (349901): 200 clue(s) (国家局移交, batch ${batch}), 0 overdue`);
      expect(list).toContain(`国家局移交 ${batch}`);
      expect(list).not.toMatch(/测试举报人\d/);
      expect(list).not.toMatch(/139\d{8}/);
      const year = first!.year;
      expect((await cli.run('clue', 'list', '--year', String(year))).split('\n')[0]).toMatch(/: 200 clue\(s\)/);
      expect(await cli.run('clue', 'list', '--year', String(year - 1))).toBe(`no clues in 清溪区 (349901) (${year - 1})`);

      // The batch's processing reports, one per decided clue, for the report upward; the rest are still open.
      await expect(cli.run('clue', 'report', '--batch', batch)).rejects.toThrow(`batch ${batch} has no processing report yet`);
      const decided = [`NB-${process.pid}-001`, `NB-${process.pid}-002`];
      for (const no of decided) await cli.run('clue', 'reject', no, '--by', 'leader-deputy-fund', '--reason', '重复举报');
      await until(
        'two reports filed',
        async () =>
          (await cli.harness.store.listClues({ jurisdiction: JURISDICTION, batchNo: batch })).filter((r) => r.report).length === 2,
      );
      const docx = path.join(fx.dir, 'batch.docx');
      expect(await cli.run('clue', 'report', '--batch', batch, '--out', docx)).toBe(
        `wrote 2 processing reports of batch ${batch} to ${docx}`,
      );
      const text = (await mammoth.extractRawText({ path: docx })).value;
      expect(decided.map((no) => text.indexOf(`关于举报线索 ${no} 的处理报告`))).toEqual([expect.any(Number), expect.any(Number)]);
      expect(text.match(/的处理报告/g)).toHaveLength(2);
      expect(text).toContain(`国家局移交（批次 ${batch}，2026-11-30）`);
      expect(text).not.toMatch(/测试举报人\d/);

      // A bad file: every problem by row and column with its line; nothing written.
      const counts = async () => [await cli.count('clues'), await cli.count('clue_reporters'), await cli.count('clue_batches')];
      const before = await counts();
      const bad = cli.file(
        'bad.csv',
        [
          header,
          `NB-BAD-1,${H1},,反映问题,,测试,12345,,`,
          `NB-BAD-2,,,反映问题,2099-01-01T00:00:00+08:00,,13900000000,,`,
          `NB-BAD-1,H00000000000,,,,,,110105194912310021,x@`,
        ].join('\n'),
      );
      const error = await cli.run('clue', 'import-batch', bad, '--source', 'provincial', '--batch', 'P1', '--date', '2026-11-30').then(
        () => '',
        (e: Error) => e.message,
      );
      expect(error.split('\n')[0]).toBe(`invalid clue batch ${bad} (nothing imported):`);
      for (const problem of [
        'rows[0].reporterPhone: expected a mobile number (11 digits) or a landline with its area code (e.g. 0571-87654321) (line 2)',
        "rows[1].institutionId: required: the designated institution's id, or subject (who or what else the clue is about) (line 3)",
        'rows[1].receivedAt: must not be in the future (line 3)',
        'rows[1].reporterPhone: needs reporterName (a row without one is an anonymous report: an e-mail address at most) (line 3)',
        'rows[2].summary: required (line 4)',
        'rows[2].institutionId: unknown institution "H00000000000" (not in the plan of 349901)',
        'rows[2].reporterIdNumber: the check digit does not match (a digit is mistyped) (line 4)',
        'rows[2].reporterEmail: expected an e-mail address (line 4)',
        'rows[2].clueNo: duplicate clue number "NB-BAD-1" (first at rows[0]) (line 4)',
      ])
        expect(error).toContain(problem);
      // The same batch number with another count is refused before anything is written.
      const fewer = cli.file('fewer.csv', [header, rows[0]!].join('\n'));
      await expect(
        cli.run('clue', 'import-batch', fewer, '--source', 'national', '--batch', batch, '--date', '2026-11-30'),
      ).rejects.toThrow(
        `batch national ${batch} (2026-11-30) refused: the batch is recorded with date 2026-11-30 and 200 clues, not 2026-11-30 and 1`,
      );
      expect(await counts()).toEqual(before);
      expectNoSecrets(cli.transcript.join('\n'), 'the CLI output');
    });
  }, 300_000); // 200 workflows started and run on a 2-core machine shared with the rest of the suite

  it('a GBK-encoded CSV and an XLSX workbook; a number cell for an ID number is refused by sheet row', async () => {
    await withCli(async (cli) => {
      const gbk = path.resolve(__dirname, '../fixtures/clue-batch-gbk.csv');
      expect(await cli.run('clue', 'import-batch', gbk, '--source', 'provincial', '--batch', 'GBK-1', '--date', '2026-11-30')).toBe(
        'batch provincial GBK-1 (2026-11-30): 3 clue(s): 3 started, 0 already registered',
      );
      await until('the GBK clues in the ledger', async () => (await cli.count('clues')) === 3);
      expect(await cli.harness.store.getClue(JURISDICTION, 'GBK-002')).toMatchObject({
        summary: '举报：冒用他人医保卡, 挂床住院',
        subject: '某养老院内设诊所（非定点）',
        institutionId: null,
      });
      expect(await cli.harness.store.getClue(JURISDICTION, 'GBK-001')).toMatchObject({
        receivedAt: '2026-11-30T01:00:00.000Z',
        reporterMasked: '测**',
      });

      const workbook = new Workbook();
      const sheet = workbook.addWorksheet('线索');
      sheet.addRow([
        'clueNo',
        'institutionId',
        'subject',
        'summary',
        'receivedAt',
        'reporterName',
        'reporterPhone',
        'reporterIdNumber',
        'reporterEmail',
      ]);
      // A number cell for the clue number and the phone, a date cell (wall-clock time), an e-mail as a hyperlink.
      sheet.addRow([
        20261201,
        H1,
        null,
        '反映该院虚开检查',
        new Date(Date.UTC(2026, 10, 29, 14, 30)),
        '测试丙',
        13800000001,
        idNumber('11010519800101001'),
        null,
      ]);
      sheet.addRow([
        'XL-2',
        null,
        '某个体诊所',
        { richText: [{ text: '反映' }, { text: '无证行医' }] },
        null,
        null,
        null,
        null,
        {
          text: 'xl.anon@example.net',
          hyperlink: 'mailto:xl.anon@example.net',
        },
      ]);
      const xlsx = cli.file('batch.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));
      expect(await cli.run('clue', 'import-batch', xlsx, '--source', 'national', '--batch', 'XL-1', '--date', '2026-12-01')).toBe(
        'batch national XL-1 (2026-12-01): 2 clue(s): 2 started, 0 already registered',
      );
      await until('the XLSX clues in the ledger', async () => (await cli.count('clues')) === 5);
      expect(await cli.harness.store.getClue(JURISDICTION, '20261201')).toMatchObject({
        receivedAt: '2026-11-29T06:30:00.000Z',
        reporterMasked: '测**',
        batchNo: 'XL-1',
      });
      expect(await cli.harness.store.getClue(JURISDICTION, 'XL-2')).toMatchObject({ summary: '反映无证行医', realName: false });

      const counts = async () => [await cli.count('clues'), await cli.count('clue_reporters'), await cli.count('clue_batches')];
      const before = await counts();
      const badBook = new Workbook();
      const badSheet = badBook.addWorksheet('线索');
      badSheet.addRow(['clueNo', 'institutionId', 'summary', 'reporterName', 'reporterIdNumber', 'colour']);
      badSheet.addRow(['XL-3', H1, '反映问题', '测试丁', 110105194912310000]);
      const bad = cli.file('bad.xlsx', Buffer.from(await badBook.xlsx.writeBuffer()));
      const error = await cli.run('clue', 'import-batch', bad, '--source', 'national', '--batch', 'XL-2', '--date', '2026-12-01').then(
        () => '',
        (e: Error) => e.message,
      );
      expect(error).toContain('header: unknown column "colour"');
      expect(error).toContain(
        'rows[0].reporterIdNumber: a number cell (sheet row 2): format the column as text and type the ID number again (as a number it lost digits)',
      );
      expect(await counts()).toEqual(before);
    });
  });
});
