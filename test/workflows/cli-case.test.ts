// The `jianguan case …` / `points deduct` senders (cli/case/, cli/points.ts) against the real workflows on the
// time-skipping server: payloads built from flags are accepted, and the workflow validators' refusals come back as
// one clean UsageError line (separation of duties, the penalty table, the points rules, an unknown case). `case
// ack-referral`, `case list` and `case show` run as commands, against a case whose ledger is on PostgreSQL, and on the
// PGlite ledger the harness worker serves (the time-skipping server has no visibility list to fall back on).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it, vi } from 'vitest';
import { listCommand } from '../../cli/case/list';
import { publishCommand } from '../../cli/case/publish';
import { reportYearCommand } from '../../cli/report';
import { ruleAddCommand, ruleListCommand } from '../../cli/rule';
import { caseRecheckPayload, decisionPayload, paymentPayload } from '../../cli/case/payloads';
import { showCommand } from '../../cli/case/show';
import { ackReferralCommand, sendCaseUpdate } from '../../cli/case/updates';
import { UsageError } from '../../cli/context';
import {
  checkPenaltyPoints,
  deductionKey,
  deductionPayload,
  deductPoints,
  formatDeductionResult,
  pointsInputFromPlan,
  showPointsCommand,
} from '../../cli/points';
import { DEFAULT_PLAN_FILE, loadPlan } from '../../config';
import { localYear } from '../../domain/calendar';
import { DEFAULT_POINTS_RULES } from '../../domain/points';
import { caseStatusQuery } from '../../workflows/case/api';
import { caseWorkflow } from '../../workflows/case/workflow';
import { caseInput } from '../helpers/case-input';
import { TZ } from '../helpers/inspection-input';
import { isolatedStoreOptions } from '../helpers/db';
import { freePort } from '../helpers/ports';
import { Client } from '@temporalio/client';
import { ledgerInstitution } from '../helpers/case-records';
import { createHarness } from '../helpers/workflow-harness';
import { TEST_CODEC_KEYS, TEST_SEALING_KEY, testSealer } from '../helpers/sealer';
import { dataConverterOfKeys } from '../../codec/data-converter';
import { resultAtRest, useWorkflowTestEnv } from '../helpers/workflow-test';

const fx = useWorkflowTestEnv();

describe('jianguan case … against the case workflow', () => {
  it('sends recheck, penalty, payment and suspension from flags; refusals are one line', async () => {
    await fx.harness.run(async () => {
      // I02 recorded the findings (1,234.50 yuan under Art. 38); L1/L2 may decide, I04 may record payments.
      const input = caseInput(`CLI-${process.pid}`);
      const id = `case:349901:${input.caseNo}`;
      await fx.env.client.workflow.start(caseWorkflow, { workflowId: id, taskQueue: fx.harness.taskQueue, args: [input] });
      const send = (flags: Parameters<typeof decisionPayload>[0]) => {
        const decision = decisionPayload(flags);
        return sendCaseUpdate(fx.env.client, id, decision.update, decision.payload);
      };

      const rechecked = await sendCaseUpdate(
        fx.env.client,
        id,
        'recordRecheck',
        caseRecheckPayload({ inspector: 'I03', notRectified: true }),
      );
      expect(rechecked.stage).toBe('interview');

      await expect(send({ action: 'penalty', by: 'I02', reason: '违反条例第三十八条', fine: ['38:1'] })).rejects.toThrow(
        new UsageError(
          'rejected: decidedBy: "I02" recorded the findings of this case; the decision must come from someone else (separation of duties)',
        ),
      );
      await expect(send({ action: 'penalty', by: 'L2', reason: '违反条例第三十八条', fine: ['38:2.5'] })).rejects.toThrow(
        /^rejected: invalid penalty decision: fines\[0\]\.multiple: 2\.5 is outside 1–2×/,
      );
      const decided = await send({ action: 'penalty', by: 'L2', reason: '违反条例第三十八条', fine: ['38:1.5'] });
      expect(decided.penalty?.assessment).toMatchObject({ recoveryFen: 123_450, fineFen: 185_175, totalFen: 308_625 });

      await expect(
        sendCaseUpdate(fx.env.client, id, 'recordPayment', paymentPayload({ amount: '3,086.26', reference: 'PAY-1', by: 'I04' })),
      ).rejects.toThrow(new UsageError('rejected: amountFen: 308626 is more than the 308625 fen outstanding'));
      const paid = await sendCaseUpdate(
        fx.env.client,
        id,
        'recordPayment',
        paymentPayload({ amount: '3,086.25', reference: 'PAY-1', by: 'I04' }),
      );
      expect(paid.penalty?.paidFen).toBe(308_625);

      await expect(send({ action: 'blacklist', by: 'L1', reason: '情节严重' })).rejects.toThrow(
        /^rejected: action: "blacklist" is not possible at stage interview/,
      );
      // Money returned to patients, apart from the penalty: once per reference.
      const refund = (amount: string) => paymentPayload({ amount, reference: 'RF-1', by: 'I04' });
      expect((await sendCaseUpdate(fx.env.client, id, 'recordPatientRefund', refund('800.00'))).patientRefundedFen).toBe(80_000);
      expect((await sendCaseUpdate(fx.env.client, id, 'recordPatientRefund', refund('800.00'))).patientRefundedFen).toBe(80_000);
      await expect(sendCaseUpdate(fx.env.client, id, 'recordPatientRefund', refund('1.00'))).rejects.toThrow(
        new UsageError('rejected: reference: "RF-1" is already recorded for 80000 fen, not 100 fen'),
      );

      expect(() => send({ action: 'suspend', by: 'L1', reason: '约谈后仍未整改', months: '6', turnover: '3千' })).toThrow(
        /^--turnover: "3千" is not an amount in yuan/,
      );
      const suspended = await send({
        action: 'suspend',
        by: 'L1',
        reason: '约谈后仍未整改',
        months: '6',
        publicCriticism: true,
        turnover: '300,000.00',
      });
      expect(suspended.decisions.at(-1)).toMatchObject({
        action: 'suspend',
        months: 6,
        decidedBy: 'L1',
        publicCriticism: true,
        monthlyTurnoverFen: 30_000_000,
      });
      // The Update answers once the decision is taken; the ladder then moves on to the suspension.
      await fx.env.sleep('1 minute');
      expect(await fx.env.client.workflow.getHandle(id).query(caseStatusQuery)).toMatchObject({
        stage: 'suspended',
        publicCriticism: true,
      });
      // The turnover goes into the ledger with the suspension (the weekly table's 减少基金损失), the refund too.
      const trail = await fx.harness.store.listAudit(id);
      expect(trail.find((a) => a.action === 'suspended')?.detail).toMatchObject({ monthlyTurnoverFen: 30_000_000 });
      expect(trail.filter((a) => a.action === 'patient-refund-recorded')).toHaveLength(1);
    });
  });

  it('names a case that does not exist', async () => {
    // (Inside run() so the harness's worker is started and shut down, releasing the connection.)
    await fx.harness.run(() =>
      expect(sendCaseUpdate(fx.env.client, 'case:349901:NO-SUCH-CASE', 'withdraw', { decidedBy: 'L1', reason: 'r' })).rejects.toThrow(
        new UsageError('no running workflow case:349901:NO-SUCH-CASE (unknown, or already ended)'),
      ),
    );
  });
});

describe('jianguan case ack-referral | list | show against a running case', () => {
  it('acknowledges a referral, lists the case and shows its status with the ledger trail', async () => {
    const { options, cleanup } = await isolatedStoreOptions('postgres');
    // The CLI encrypts what it sends: this worker runs the codec with the same key.
    const harness = await createHarness(fx.env, { storeOptions: options, dataConverter: dataConverterOfKeys([TEST_SEALING_KEY]) });
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    });
    // The CLI's settings: this test server, the harness's ledger schema (search_path in the URL), the sample plan (349901).
    vi.stubEnv('TEMPORAL_ADDRESS', fx.env.address);
    vi.stubEnv('DATABASE_URL', `${options.databaseUrl}?options=${encodeURIComponent(`-c search_path=${options.schema}`)}`);
    vi.stubEnv('JIANGUAN_PLAN', '');
    vi.stubEnv('JIANGUAN_CODEC_KEYS', TEST_CODEC_KEYS);
    const client = new Client({ connection: fx.env.connection, dataConverter: dataConverterOfKeys([TEST_SEALING_KEY]) });
    try {
      // (The default harness's worker runs too, so that it is shut down and lets go of the connection.)
      await fx.harness.run(() =>
        harness.run(async () => {
          const input = caseInput(`CLI-ACK-${process.pid}`);
          const id = `case:349901:${input.caseNo}`;
          const handle = await client.workflow.start(caseWorkflow, { workflowId: id, taskQueue: harness.taskQueue, args: [input] });
          await sendCaseUpdate(client, id, 'recordRecheck', caseRecheckPayload({ inspector: 'I03', rectified: true }));
          const refer = decisionPayload({
            action: 'refer',
            agency: 'discipline',
            by: 'L1',
            reason: '公职人员涉嫌违纪',
            person: ['某某|院长'],
          });
          await sendCaseUpdate(client, id, refer.update, refer.payload);
          await fx.env.sleep('2 days');
          const ackAt = new Date(await fx.env.currentTimeMs()).toISOString();
          const ack = { agency: 'discipline', by: '区纪委案管室', reference: 'JW-2026-3', at: ackAt };

          await ackReferralCommand(input.caseNo, ack);
          expect(lines.at(-1)).toBe(`acknowledged: referral of case ${input.caseNo} to 纪检监察机关 → acknowledged`);
          await expect(ackReferralCommand(input.caseNo, ack)).rejects.toThrow(
            new UsageError('rejected: agency: the referral to discipline is acknowledged'),
          );
          await expect(ackReferralCommand(input.caseNo, { ...ack, agency: 'health' })).rejects.toThrow(
            new UsageError('rejected: agency: the case was not referred to health'),
          );
          // The ledger follows the Update's answer by a step.
          for (let i = 0; (await harness.store.listReferrals(id))[0]?.status !== 'acknowledged'; i++) {
            if (i > 100) throw new Error('the acknowledgement never reached the ledger');
            await new Promise((resolve) => setTimeout(resolve, 100));
          }

          lines.length = 0;
          await listCommand({ open: true });
          expect(lines[0]).toBe('清溪区 (349901): 1 case(s) (open), 0 overdue');
          expect(lines[1]).toMatch(new RegExp(`^[\\s│]+case no[\\s│]+institution[\\s│]+stage`));
          expect(lines[1]).toMatch(
            new RegExp(
              `\\n[\\s│]+${input.caseNo.replaceAll('.', '\\.')}[\\s│]+H001[\\s│]+已整改[\\s│]+-[\\s│]+1,234\\.50[\\s│]+0\\.00[\\s│]+0\\.00$`,
            ),
          );

          lines.length = 0;
          await showCommand(input.caseNo, {});
          const shown = lines.join('\n');
          expect(shown).toContain(`case         ${input.caseNo} (${id})`);
          expect(shown).toContain('stage        rectified (已整改)');
          expect(shown).toMatch(
            /referral {5}纪检监察机关 \(discipline\) acknowledged, sent .*, acknowledged by 区纪委案管室 at \d{4}-\d\d-\d\d \d\d:\d\d \(JW-2026-3\), 1 person\(s\) flagged \(人事同查, in the ledger\)/,
          );
          expect(shown).toMatch(/audit trail \(\d+\)/);
          expect(shown).toMatch(/L1[\s│]+referral-sent[\s│]+公职人员涉嫌违纪/);
          expect(shown).toMatch(/区纪委案管室[\s│]+referral-acknowledged[\s│]+已受理（JW-2026-3）/);
          // The flagged person's name stays in the ledger, sealed: the command counts them, it does not print them.
          expect(shown).not.toContain('某某');
          const [referral] = await harness.store.listReferrals(id);
          expect(referral).toMatchObject({ acknowledgedAt: ackAt, persons: { count: 1 } });
          expect(JSON.parse(testSealer.open(referral!.persons!.keyId, referral!.persons!.sealed))).toEqual([
            { name: '某某', role: '院长' },
          ]);

          await sendCaseUpdate(client, id, 'withdraw', { decidedBy: 'L1', reason: '测试结束' });
          await resultAtRest(handle);
        }),
      );
    } finally {
      vi.unstubAllEnvs();
      log.mockRestore();
      await harness.close();
      await cleanup();
    }
  });
});

describe('jianguan case list | show | points show without DATABASE_URL', () => {
  it('reads the running worker’s embedded ledger: amounts and the audit trail, not only what Temporal knows', async () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    });
    // The CLI's settings: this test server and the harness worker's task queue, no DATABASE_URL: the harness's
    // in-memory PGlite ledger, served where a worker serves its embedded ledger.
    vi.stubEnv('TEMPORAL_ADDRESS', fx.env.address);
    vi.stubEnv('TEMPORAL_TASK_QUEUE', fx.harness.taskQueue);
    vi.stubEnv('LEDGER_PORT', String(fx.harness.ledgerPort));
    vi.stubEnv('DATABASE_URL', '');
    vi.stubEnv('JIANGUAN_PLAN', '');
    try {
      await fx.harness.run(async () => {
        const input = caseInput(`CLI-W-${process.pid}`);
        const id = `case:349901:${input.caseNo}`;
        await fx.env.client.workflow.start(caseWorkflow, { workflowId: id, taskQueue: fx.harness.taskQueue, args: [input] });
        await sendCaseUpdate(fx.env.client, id, 'recordRecheck', caseRecheckPayload({ inspector: 'I03', rectified: true }));
        for (let i = 0; (await fx.harness.store.getCase(id))?.stage !== 'rectified'; i++) {
          if (i > 100) throw new Error('the recheck never reached the ledger');
          await new Promise((resolve) => setTimeout(resolve, 100));
        }

        await listCommand({ institution: 'H001' });
        expect(lines[0]).toMatch(/^清溪区 \(349901\): 1 case\(s\) \(institution H001\), 0 overdue$/);
        expect(lines[1]).toMatch(
          new RegExp(
            `\\n[\\s│]+${input.caseNo.replaceAll('.', '\\.')}[\\s│]+H001[\\s│]+已整改[\\s│]+-[\\s│]+1,234\\.50[\\s│]+0\\.00[\\s│]+0\\.00$`,
          ),
        );
        expect(lines.join('\n')).not.toContain('from Temporal visibility');

        lines.length = 0;
        await showCommand(input.caseNo, {});
        const shown = lines.join('\n');
        expect(shown).toMatch(/audit trail \(\d+\)/);
        expect(shown).toMatch(/I03[\s│]+recheck-recorded/);
        expect(shown).not.toContain('no audit trail');
        await sendCaseUpdate(fx.env.client, id, 'withdraw', { decidedBy: 'L1', reason: '测试结束' });
      });

      // No worker serves a ledger: the command says what it could not read, without failing.
      const nobody = await freePort();
      vi.stubEnv('LEDGER_PORT', String(nobody));
      lines.length = 0;
      await showPointsCommand('D-NOBODY', {});
      expect(lines).toEqual([
        expect.stringMatching(
          new RegExp(
            `^no points workflow points:D-NOBODY:\\d{4}: no deductions known to Temporal \\(no worker serves its embedded ledger on 127\\.0\\.0\\.1:${nobody} \\(LEDGER_PORT`,
          ),
        ),
      ]);
    } finally {
      vi.unstubAllEnvs();
      log.mockRestore();
    }
  });
});

describe('jianguan case publish, rule add and report year', () => {
  it('publishes a closed case once as a typical case, records a rule adopted, and counts both in the year statistics', async () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    });
    vi.stubEnv('TEMPORAL_ADDRESS', fx.env.address);
    vi.stubEnv('LEDGER_PORT', String(fx.harness.ledgerPort));
    vi.stubEnv('DATABASE_URL', '');
    vi.stubEnv('JIANGUAN_PLAN', '');
    const dir = mkdtempSync(path.join(tmpdir(), 'jianguan-year-'));
    try {
      await fx.harness.run(async () => {
        // The institution as the worker's plan puts it into the ledger.
        await fx.harness.store.upsertInstitutions([ledgerInstitution()]);
        const input = caseInput(`CLI-T-${process.pid}`);
        const id = `case:349901:${input.caseNo}`;
        const handle = await fx.env.client.workflow.start(caseWorkflow, { workflowId: id, taskQueue: fx.harness.taskQueue, args: [input] });
        // Still open: nothing to publish yet.
        await sendCaseUpdate(fx.env.client, id, 'recordRecheck', caseRecheckPayload({ inspector: 'I03', rectified: true }));
        await expect(publishCommand(input.caseNo, { approvedBy: 'leader-director' })).rejects.toThrow(
          /is not closed \(stage (rectifying|rectified)\)/,
        );
        const decision = decisionPayload({ action: 'penalty', by: 'L2', reason: '违反条例第三十八条', fine: ['38:1'] });
        await sendCaseUpdate(fx.env.client, id, decision.update, decision.payload);
        await sendCaseUpdate(fx.env.client, id, 'recordPayment', paymentPayload({ amount: '2,469.00', reference: 'PAY-T', by: 'I04' }));
        await resultAtRest(handle);

        await expect(publishCommand(input.caseNo, { approvedBy: 'I02' })).rejects.toThrow(
          /^--approved-by: "I02" is not a leader of the plan/,
        );
        await publishCommand(input.caseNo, { approvedBy: 'leader-director', preview: true });
        const heads = () => lines.map((l) => l.split('\n')[0]);
        expect(heads()).toEqual([`${id}: PREVIEW, not recorded`]);
        expect(await fx.harness.store.listTypicalCases('349901', 2026)).toEqual([]);
        await publishCommand(input.caseNo, { approvedBy: 'leader-director' });
        await publishCommand(input.caseNo, { approvedBy: 'leader-director' });
        expect(heads().slice(1)).toEqual([
          `${id}: published, approved by leader-director`,
          expect.stringMatching(/: already published on /),
        ]);
        const [published] = await fx.harness.store.listTypicalCases('349901', 2026);
        // The text names the institution and what it did, from the case's facts (the items' categories only).
        expect(published?.publication).toMatch(/^经查，清溪区人民医院存在.+等违法违规使用医保基金问题。/);
        expect(published?.publication).toContain('追回医保基金1,234.50 元，处罚款1,234.50 元');

        // A rule adopted (建章立制): bad flags all named, nothing recorded; then recorded once and listed.
        await expect(ruleAddCommand({ name: ' ', adopted: '2026-02-30', by: 'I02' })).rejects.toThrow(
          /^nothing recorded:\n {2}--name: required.*\n {2}--adopted: "2026-02-30" is not a date YYYY-MM-DD\n {2}--by: "I02" is not a leader/,
        );
        lines.length = 0;
        await ruleAddCommand({
          name: '《医保违规行为内部通报制度》',
          adopted: '2026-03-02',
          by: 'leader-director',
          document: '清医保发〔2026〕3号',
        });
        await ruleListCommand({ year: 2026 });
        expect(lines[0]).toBe('rule 《医保违规行为内部通报制度》: recorded, adopted 2026-03-02 by leader-director');
        expect(lines[1]).toBe('清溪区 (349901): 1 rule(s) adopted in 2026');
        expect(lines[2]).toMatch(/2026-03-02[\s│]+《医保违规行为内部通报制度》[\s│]+清医保发〔2026〕3号[\s│]+leader-director/);

        lines.length = 0;
        await reportYearCommand({ year: 2026 });
        expect(lines[0]).toContain('建章立制（制度、措施） 1 项，公开曝光典型案例 1 件');
        lines.length = 0;
        const out = path.join(dir, 'year.xlsx');
        await reportYearCommand({ year: 2026, out });
        expect(lines[0]).toMatch(new RegExp(`^wrote the 2026 statistics and 1 typical case\\(s\\) \\(as of .+\\) to ${out}$`));
        const book = new ExcelJS.Workbook();
        await book.xlsx.readFile(out);
        expect(book.getWorksheet('典型案例')!.getRow(3).getCell(3).value).toBe(published?.publication);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      vi.unstubAllEnvs();
      log.mockRestore();
    }
  });
});

describe('jianguan points deduct against the points workflow', () => {
  it('starts the practitioner’s year once, deducts, and prints the rules’ refusal', async () => {
    await fx.harness.run(async () => {
      const year = localYear(new Date(await fx.env.currentTimeMs()), TZ);
      const practitionerId = `CLI-D-${process.pid}`;
      const input = {
        practitionerId,
        jurisdiction: { code: '349901', name: '清溪区', timeZone: TZ },
        year,
        rules: DEFAULT_POINTS_RULES,
        notify: [{ name: '清溪区医疗保障局', email: 'lingdao@example.org' }],
        officers: ['L1', 'L2'],
      };

      const first = await deductPoints(
        fx.env.client,
        fx.harness.taskQueue,
        input,
        deductionPayload({ tier: '2', points: '5', by: 'L1', reason: '超量开药' }, '349901'),
      );
      expect(first).toMatchObject({ total: 5, eligibility: 'eligible' });
      // The second deduction reaches 9 points: the suspension months are required, and the workflow says so.
      await expect(
        deductPoints(
          fx.env.client,
          fx.harness.taskQueue,
          input,
          deductionPayload({ tier: '2', points: '4', by: 'L1', reason: '串换药品' }, '349901'),
        ),
      ).rejects.toThrow(/^rejected: deduction refused: suspensionMonths: required: the year's total goes from 5 to 9/);
      const second = await deductPoints(
        fx.env.client,
        fx.harness.taskQueue,
        input,
        deductionPayload({ tier: '2', points: '4', months: '3', by: 'L1', reason: '串换药品', case: 'C-1' }, '349901'),
      );
      expect(second).toMatchObject({ total: 9, eligibility: 'suspended' });
      // Started once: the run that took the first deduction took the second.
      expect(second.deductions.map((d) => d.caseId)).toEqual([null, 'case:349901:C-1']);
    });
  });

  it('checks a penalty decision’s points against each practitioner’s standing before anything is decided', async () => {
    const plan = await loadPlan(DEFAULT_PLAN_FILE);
    await fx.harness.run(async () => {
      const now = new Date(await fx.env.currentTimeMs());
      const year = localYear(now, plan.jurisdiction.timeZone);
      const fresh = `CLI-P-${process.pid}`;
      const known = `CLI-Q-${process.pid}`;
      const points = (practitionerId: string, tier: number, n: number, suspensionMonths?: number) => ({
        practitionerId,
        tier,
        points: n,
        ...(suspensionMonths && { suspensionMonths }),
      });
      const check = (...deductions: Array<ReturnType<typeof points>>) => checkPenaltyPoints(fx.env.client, plan, deductions, now);

      // No points workflow yet: the year starts at zero, and 9 points at once need the suspension months.
      await expect(check(points(fresh, 3, 9))).rejects.toThrow(
        new RegExp(
          `^--points #1 \\(${fresh}, ${year}\\): suspensionMonths: required: the year's total goes from 0 to 9.*; nothing was decided$`,
        ),
      );
      await expect(check(points(fresh, 3, 9, 3))).resolves.toBeUndefined();
      // A standing of 5 points: 4 more reach 9; a second deduction in the same decision counts on top of the first.
      await deductPoints(
        fx.env.client,
        fx.harness.taskQueue,
        pointsInputFromPlan(plan, known, year),
        deductionPayload({ tier: '2', points: '5', by: plan.leaders[0]!.id, reason: '超量开药' }, plan.jurisdiction.code),
      );
      await expect(check(points(fresh, 1, 2), points(known, 2, 4))).rejects.toThrow(
        /^--points #2 \(CLI-Q-\d+, \d{4}\): suspensionMonths: required: the year's total goes from 5 to 9/,
      );
      await expect(check(points(known, 2, 4, 3), points(known, 1, 1, 2))).rejects.toThrow(
        /^--points #2 .*suspensionMonths: not allowed: the year's total goes from 9 to 10 and 9 was already reached this year/,
      );
      await expect(check(points(known, 2, 4, 3), points(known, 1, 1))).resolves.toBeUndefined();
    });
  });

  it('deducts once when the same command runs twice, refuses a used --key for another deduction and an unknown --by', async () => {
    await fx.harness.run(async () => {
      const year = localYear(new Date(await fx.env.currentTimeMs()), TZ);
      const practitionerId = `CLI-K-${process.pid}`;
      const input = {
        practitionerId,
        jurisdiction: { code: '349901', name: '清溪区', timeZone: TZ },
        year,
        rules: DEFAULT_POINTS_RULES,
        notify: [{ name: '清溪区医疗保障局', email: 'lingdao@example.org' }],
        officers: ['L1', 'L2'],
      };
      const flags = { tier: '2', points: '5', by: 'L1', reason: '超量开药', case: 'C-9' };

      const first = await deductPoints(fx.env.client, fx.harness.taskQueue, input, deductionPayload(flags, '349901'));
      expect(first).toMatchObject({
        total: 5,
        duplicate: false,
        deduction: { key: `manual:${practitionerId}:${year}:case:349901:C-9:2-5:L1:超量开药` },
      });
      const again = await deductPoints(fx.env.client, fx.harness.taskQueue, input, deductionPayload(flags, '349901'));
      expect(again).toMatchObject({
        total: 5,
        duplicate: true,
        deduction: { key: first.deduction.key, decidedAt: first.deduction.decidedAt },
      });
      expect(formatDeductionResult(again, TZ)).toMatch(
        /^already deducted under key manual:CLI-K-\d+:\d{4}:case:349901:C-9:2-5:L1:超量开药 on .*: nothing deducted again → 5 points in \d{4}, eligible$/,
      );
      expect((await fx.harness.store.listPointsDeductions(practitionerId, year)).map((d) => d.points)).toEqual([5]);

      // A --key names one deduction: the same one again deducts nothing, another one under it is refused.
      const keyed = {
        ...deductionPayload({ tier: '1', points: '2', by: 'L2', reason: '处方不规范' }, '349901'),
        key: deductionKey(practitionerId, year, deductionPayload(flags, '349901'), '清医保罚〔2027〕12号'),
      };
      expect(await deductPoints(fx.env.client, fx.harness.taskQueue, input, keyed)).toMatchObject({ total: 7, duplicate: false });
      expect(await deductPoints(fx.env.client, fx.harness.taskQueue, input, keyed)).toMatchObject({ total: 7, duplicate: true });
      await expect(deductPoints(fx.env.client, fx.harness.taskQueue, input, { ...keyed, points: 3 })).rejects.toThrow(
        new RegExp(
          `^rejected: key: "manual:${practitionerId}:${year}:清医保罚〔2027〕12号" is already used by another deduction \\(tier 1, 2 points, 处方不规范`,
        ),
      );
      await expect(
        deductPoints(fx.env.client, fx.harness.taskQueue, input, deductionPayload({ ...flags, by: 'X9', reason: '另案' }, '349901')),
      ).rejects.toThrow(
        new UsageError(
          '--by (decidedBy): "X9" is not an officer of 清溪区 who may decide points deductions (the plan\'s leaders and inspectors)',
        ),
      );
      expect((await fx.harness.store.listPointsDeductions(practitionerId, year)).map((d) => d.points)).toEqual([5, 2]);
    });
  });
});
