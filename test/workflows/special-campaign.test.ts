// A special campaign (专项整治, kind `special`) through its three phases, as a person runs it with the CLI against the
// time-skipping server: a harness worker with the real activities, its PGlite ledger served where the CLI looks, the
// payload codec on both sides. Phases are relative to the start and time moves only by env.sleep, so nothing depends
// on today's date.
//
// What is guarded: the notice with the 典型问题清单 and the reminders to each target; reports taken by the validated
// Update (`jianguan selfcheck submit`), on time or late, their refunds in fen in the ledger; a bad report refused field
// by field with nothing sent, a second one refused, one after the phase refused; the missing list to the unit at the
// due date and, with the late ones, to its leader when the phase closes; the investigation's selection (non-submitters,
// refund far below the estimate, a seeded random share of the rest) recorded and re-drawn from its seed; inspections
// started for exactly those by page activities, no children; a violation opening a case, closed and published as a
// typical case; a rule adopted under the campaign; the summary's figures in the ledger and mailed to the leaders; the
// campaign's history small.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { dataConverterOfKeys } from '../../codec/data-converter';
import {
  campaignWorkflowId,
  inspectionWorkflowId,
  lookBackWorkflowId,
  selfCheckWorkflowId,
  specialInspectionCampaignId,
} from '../../domain/business-keys';
import { selectForInvestigation } from '../../domain/self-check';
import { inspectionStatusQuery, recordFindingsUpdate } from '../../workflows/inspection/api';
import { specialCampaignStatusQuery, type SpecialCampaignStatus } from '../../workflows/special-campaign/api';
import { count, until, useCliTestEnv, withCli } from '../helpers/cli-harness';
import { TEST_SEALING_KEY } from '../helpers/sealer';

const fx = useCliTestEnv('jianguan-special-');

let n = 0;
function file(content: string): string {
  const name = path.join(fx.dir, `file-${++n}.yaml`);
  writeFileSync(name, content);
  return name;
}

const [A, B, C, D, E, F] = ['H34990100001', 'H34990100002', 'H34990100003', 'H34990100004', 'H34990100005', 'H34990100006'];
const CAMPAIGN = 'fund-special';

const special = `id: ${CAMPAIGN}
kind: special
title: 医保基金管理突出问题专项整治
legalBasis: [《医疗保障基金使用监督管理条例》第三十八条]
targets:
  - { institutions: [${A}, ${B}, ${C}, ${D}, ${E}, ${F}] }
phases:
  - { name: 自查自纠, end: { days: 20 } }
  - { name: 严肃查处, end: { days: 30 } }
  - { name: 建章立制, end: { days: 10 } }
selfCheck:
  checklist:
    - { category: 虚假诊疗, description: 诱导、协助他人冒名就医、虚构住院 }
    - { category: 重复收费, description: 重复收费、超标准收费、分解项目收费 }
  reportDue: { days: 14 }
  reminderOffsetsDays: [7, 1]
  estimates:
    - { institution: ${B}, amountFen: 1000000, source: 智能监控疑点数据测算 }
investigation:
  randomPercent: 50
`;

const report = (refundedFen: number) => `submittedBy: 院办 王主任
items:
  - { category: 重复收费, description: 检验项目重复收费, amountFen: ${refundedFen}, refundedFen: ${refundedFen} }
measures:
  - { measure: 完善收费审核制度, deadline: 2099-12-31 }
`;

describe('special campaign', () => {
  it('runs 自查自纠 → 严肃查处 → 建章立制 from a file, with reports, refunds, inspections of the non-submitters and the summary', async () => {
    await withCli(fx.env, fx.dir, async (run, harness) => {
      const client = new Client({ connection: fx.env.connection, dataConverter: dataConverterOfKeys([TEST_SEALING_KEY]) });
      const handle = client.workflow.getHandle(campaignWorkflowId('349901', CAMPAIGN));
      expect(await run('campaign', 'start', file(special))).toMatch(/campaign fund-special \(special\): started/);
      await until('the self-checks started', async () => (await handle.query(specialCampaignStatusQuery)).selfChecksStarted === 6);
      await until('the notices sent', async () => harness.sent.filter((m) => m.kind === 'selfcheck-notice').length === 6);
      expect(harness.sent.find((m) => m.kind === 'selfcheck-notice')!.text).toContain('1. 虚假诊疗：诱导、协助他人冒名就医、虚构住院');

      // A bad report: every problem by its path, nothing sent.
      const bad = file(`submittedBy: 王主任\nitems:\n  - { category: 重复收费, description: 重复, amountFen: 100, refundedFen: 500 }\n`);
      const refused = await run('selfcheck', 'submit', bad, '--campaign', CAMPAIGN, '--institution', A).then(
        () => '',
        (e: Error) => e.message,
      );
      expect(refused).toContain('items[0].refundedFen: 500 fen is more than the item');
      expect(refused).toContain('measures: problems were found');

      expect(await run('selfcheck', 'submit', file(report(120_000)), '--campaign', CAMPAIGN, '--institution', A)).toMatch(
        /recorded: H34990100001 → submitted .*refunded 1,200.00 元/,
      );
      await run('selfcheck', 'submit', file(report(100_000)), '--campaign', CAMPAIGN, '--institution', B);
      await expect(run('selfcheck', 'submit', file(report(1)), '--campaign', CAMPAIGN, '--institution', A)).rejects.toThrow(
        /H34990100001 submitted its report at .*\(已按期提交\): a second one is not taken/,
      );

      expect(await run('selfcheck', 'show', '--campaign', CAMPAIGN, '--institution', D)).toMatch(/stage +open \(待提交\)/);
      await fx.env.sleep('15 days'); // past the due date (day 14, 23:59)
      await until('the missing list to the unit', async () => harness.sent.some((m) => m.key.includes(':selfcheck-missing:')));
      const toUnit = harness.sent.filter((m) => m.key.includes(':selfcheck-missing:'));
      expect(toUnit.map((m) => m.to)).toEqual([['yyfw@example.org']]);
      for (const id of [C, D, E, F]) expect(toUnit[0].text).toContain(id);
      expect(harness.sent.filter((m) => m.kind === 'selfcheck-reminder').length).toBe(4 * 2); // C–F, 7 and 1 day before
      expect(await run('selfcheck', 'submit', file(report(50_000)), '--campaign', CAMPAIGN, '--institution', C)).toMatch(/→ late/);

      await fx.env.sleep('6 days'); // past the phase's close (day 20, 23:59): the investigation selects
      await until('the escalation', async () => harness.sent.some((m) => m.key.includes(':selfcheck-escalation:')));
      const escalation = harness.sent.find((m) => m.key.includes(':selfcheck-escalation:'))!;
      expect(escalation.to).toEqual(['chen.guodong@example.org', 'yyfw@example.org']);
      expect(escalation.subject).toContain('3 家机构未提交自查报告，1 家逾期提交');
      await expect(run('selfcheck', 'submit', file(report(1)), '--campaign', CAMPAIGN, '--institution', D)).rejects.toThrow(
        /no self-check open for H34990100004.*nothing sent/,
      );

      expect(await run('selfcheck', 'show', '--campaign', CAMPAIGN, '--institution', D)).toMatch(
        /stage +missing \(未提交\)[\s\S]*reminders +2/,
      );
      const inspectionCampaign = specialInspectionCampaignId(CAMPAIGN);
      await until('the investigation started', async () => (await handle.query(specialCampaignStatusQuery)).stage === 'investigation');
      const selection = (await harness.store.getInvestigation(CAMPAIGN))!;
      const reasons = Object.fromEntries(selection.targets.map((t) => [t.id, t.reasons]));
      expect(reasons).toMatchObject({
        [B]: ['refund-below-estimate'],
        [D]: ['not-submitted'],
        [E]: ['not-submitted'],
        [F]: ['not-submitted'],
      });
      expect(selection.randomPool).toEqual([A, C]);
      expect(selection.randomCount).toBe(1);
      // Re-drawn from the recorded seed and the ledger's standings, it comes out the same (verifiable).
      const standings = await harness.store.selfCheckStandings(CAMPAIGN);
      const again = selectForInvestigation(
        selection.seed,
        standings.map((s) => ({ ...s, id: s.institutionId, riskSignals: 0, creditGrade: null })),
        selection.rules,
      );
      expect(again).toEqual(selection);
      await until(
        'the inspections started',
        async () => (await count(harness, 'inspections WHERE campaign_id = $1', [inspectionCampaign])) === selection.targets.length,
      );

      // A violation at one non-submitter opens a case.
      const inspection = client.workflow.getHandle(inspectionWorkflowId(inspectionCampaign, D));
      const { team } = await inspection.query(inspectionStatusQuery);
      const at = new Date(await fx.env.currentTimeMs()).toISOString();
      await inspection.executeUpdate(recordFindingsUpdate, {
        args: [
          {
            inspectorId: team[0],
            inspectedAt: at,
            violation: true,
            items: [{ category: '虚假诊疗', description: '虚构住院', amountFen: 300_000, article: '条例第四十条' }],
          },
        ],
      });
      await until('the case opened', async () => (await count(harness, 'cases WHERE campaign_id = $1', [inspectionCampaign])) === 1);

      // 建章立制: the case rectified, decided and paid, then published as a typical case by a leader; a rule adopted.
      const [opened] = await harness.store.listCases({ jurisdiction: '349901', institutionId: D });
      const caseNo = opened!.caseNo;
      await run('case', 'recheck', caseNo, '--inspector', team[1]!, '--rectified');
      await run(
        'case',
        'decide',
        caseNo,
        '--action',
        'penalty',
        '--by',
        'leader-director',
        '--reason',
        '违反条例第四十条',
        '--fine',
        '40:2',
      );
      await run('case', 'pay', caseNo, '--amount', '9000.00', '--reference', 'PAY-S1', '--by', 'leader-deputy-fund');
      await until('the case closed', async () => (await harness.store.getCase(opened!.id))?.stage === 'closed');
      expect(await run('case', 'publish', caseNo, '--approved-by', 'leader-director')).toMatch(
        /published, approved by leader-director\n.+虚假诊疗案\n经查，.+存在虚假诊疗等违法违规使用医保基金问题。/,
      );
      // (Adopted today by the real clock: `rule add` refuses a date still to come, and this clock has skipped ahead.)
      const today = new Date().toISOString().slice(0, 10);
      const rule = ['rule', 'add', '--name', '《定点医药机构自查自纠长效机制》', '--adopted', today, '--by', 'leader-director'];
      await run(...rule, '--campaign', CAMPAIGN);

      await fx.env.sleep('45 days'); // past the last phase's end (day 61, 23:59): the summary
      await until('the campaign completed', async () => (await handle.describe()).status.name === 'COMPLETED');
      const status: SpecialCampaignStatus = await handle.result();
      const figures = {
        targets: 6,
        submittedOnTime: 2,
        submittedLate: 1,
        missing: 3,
        refundedFen: 270_000,
        selected: selection.targets.length,
        inspections: selection.targets.length,
        violations: 1,
        cases: 1,
        typicalCases: 1,
        rules: ['《定点医药机构自查自纠长效机制》'],
      };
      expect(status).toMatchObject({
        stage: 'completed',
        members: 6,
        missingAtDue: 4,
        missingAtClose: 3,
        lateAtClose: 1,
        lookBacks: 1,
        figures,
      });
      // The look-back (回头看) of the institution with findings, ordered at the last phase's start, runs on its own.
      const lookBack = await client.workflow.getHandle(lookBackWorkflowId(inspectionCampaign, D)).describe();
      expect(lookBack.type).toBe('flyingLookBack');
      expect((await harness.store.getSpecialSummary(CAMPAIGN))?.figures).toEqual(figures);
      const summaries = harness.sent.filter((m) => m.kind === 'special-summary');
      expect(summaries).toHaveLength(3);
      expect(summaries[0].text).toContain('退回医保基金 2,700.00 元');
      expect(summaries[0].text).toContain('制定制度措施 1 项（《定点医药机构自查自纠长效机制》），曝光典型案例 1 件');
      expect(await run('campaign', 'status', CAMPAIGN)).toMatch(/2 on time, 1 late, 3 missing; refunded 2,700.00 元/);

      const history = await handle.fetchHistory();
      expect(history.events?.some((e) => e.startChildWorkflowExecutionInitiatedEventAttributes)).toBe(false);
      expect(history.events!.length).toBeLessThan(200);
      expect(await count(harness, "audit_trail WHERE action = 'selfcheck-recorded'")).toBe(3);
      expect((await harness.store.getSelfCheck(CAMPAIGN, C))?.late).toBe(true);
      const notice = await client.workflow.getHandle(selfCheckWorkflowId(CAMPAIGN, D)).describe();
      expect(notice.status.name).toBe('COMPLETED');
    });
  });

  it('withdraws the open self-checks when cancelled in the 自查自纠 phase', async () => {
    await withCli(fx.env, fx.dir, async (run) => {
      const client = new Client({ connection: fx.env.connection, dataConverter: dataConverterOfKeys([TEST_SEALING_KEY]) });
      const id = 'fund-special-cancelled';
      const handle = client.workflow.getHandle(campaignWorkflowId('349901', id));
      await run('campaign', 'start', file(special.replace(`id: ${CAMPAIGN}`, `id: ${id}`)));
      await until('the self-checks started', async () => (await handle.query(specialCampaignStatusQuery)).selfChecksStarted === 6);
      await run('selfcheck', 'submit', file(report(1_000)), '--campaign', id, '--institution', A);
      expect(await run('campaign', 'cancel', id, '--reason', '方案调整')).toMatch(/cancellation sent/);
      await expect(handle.result()).rejects.toThrow();
      expect(await handle.query(specialCampaignStatusQuery)).toMatchObject({ stage: 'cancelled', withdrawn: 5 });
      expect((await client.workflow.getHandle(selfCheckWorkflowId(id, B)).describe()).status.name).toBe('CANCELLED');
      expect((await client.workflow.getHandle(selfCheckWorkflowId(id, A)).describe()).status.name).toBe('COMPLETED');
    });
  });
});
