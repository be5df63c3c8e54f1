// Flying checks under the one-on-site-inspection-a-year rule (DESIGN §2), on the time-skipping server, sample plan:
// full coverage has inspected every institution this year; risk signals come in with `jianguan risk import` (into the
// ledger the worker serves, no DATABASE_URL); the draw works on the eligible pool only, records who was left out and why; the
// institutions with a clue or a data lead are inspected again, with the references recorded in the ledger
// (onsite_inspections) and the audit trail; the recorded draw exports and re-runs MATCH.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { drawExport, drawVerifyRecorded } from '../../cli/draw';
import { riskImport } from '../../cli/risk';
import { DEFAULT_PLAN_FILE, loadRuntimeConfig, type RuntimeConfig } from '../../config';
import { flyingChecks } from '../../workflows/flying/workflow';
import { flyingChecksStatusQuery } from '../../workflows/flying/api';
import { inspectionStatusQuery, recordFindingsUpdate } from '../../workflows/inspection/api';
import { useYearFixture } from '../helpers/year-fixture';

const fx = useYearFixture();
const dir = mkdtempSync(path.join(tmpdir(), 'jianguan-flying-onsite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The CLI's settings for the test server and the harness worker (no DATABASE_URL: the ledger the harness serves). */
const cliConfig = (): RuntimeConfig =>
  loadRuntimeConfig({
    TEMPORAL_ADDRESS: fx.env.address,
    TEMPORAL_TASK_QUEUE: fx.harness.taskQueue,
    LEDGER_PORT: String(fx.harness.ledgerPort),
  });

describe('flyingChecks and the one-on-site-inspection-a-year rule', () => {
  it('does not inspect again an institution full coverage inspected this year; one with a clue or data lead is, its reference recorded', async () => {
    const { env, harness, plan, year: YEAR } = fx;
    const CAMPAIGN = `349901-flying-${YEAR}`;
    const coverage = (id: string) => `inspection:349901-coverage-${YEAR}:${id}`;
    // Full coverage has inspected every institution on site this year (it claims them as it starts them).
    for (const { id } of plan.institutions) {
      expect(
        await harness.store.claimOnSiteInspection({ jurisdiction: '349901', institutionId: id, year: YEAR, inspectionId: coverage(id) }),
      ).toMatchObject({ allowed: true });
    }
    const clue = 'H34990100003';
    const lead = 'P34990100002';
    const signals = path.join(dir, 'signals.csv');
    writeFileSync(
      signals,
      `institutionId,kind,reference,date,note\n${clue},clue,JB-${YEAR}-0012,${YEAR}-03-05,"举报：挂床住院, 虚开检查"\n${lead},data-anomaly,YD-${YEAR}-0102,${YEAR}-05-02,\n`,
    );

    const result = await harness.run(async () => {
      // `jianguan risk import` into the ledger the worker serves; importing the same file again changes nothing.
      expect(await riskImport(signals, { plan: DEFAULT_PLAN_FILE }, cliConfig())).toBe(
        "imported 2 risk signal(s) into the running worker's embedded ledger of 349901",
      );
      expect(await riskImport(signals, { plan: DEFAULT_PLAN_FILE }, cliConfig())).toContain('imported 0 risk signal(s)');
      const handle = await env.client.workflow.start(flyingChecks, {
        workflowId: `flying:349901:${YEAR}`,
        taskQueue: harness.taskQueue,
        args: [{ jurisdiction: '349901', year: YEAR }],
      });
      await env.sleep(new Date(`${YEAR}-07-02T02:00:00Z`).getTime() - (await env.currentTimeMs()));
      const status = await handle.query(flyingChecksStatusQuery);
      // Only the two with signals are eligible: the plan's 4 + 4 draw everyone there is (at random).
      expect(status).toMatchObject({ stage: 'inspecting', eligible: 2, excluded: plan.institutions.length - 2, started: 2, refused: [] });
      expect([...status.random, ...status.risk].sort()).toEqual([clue, lead].sort());
      expect([...status.extra!].sort()).toEqual([clue, lead].sort());
      // Nobody else is visited again.
      await expect(env.client.workflow.getHandle(`inspection:${CAMPAIGN}:H34990100001`).describe()).rejects.toBeInstanceOf(
        WorkflowNotFoundError,
      );
      for (const id of [clue, lead]) {
        const inspection = env.client.workflow.getHandle(`inspection:${CAMPAIGN}:${id}`);
        const { team } = await inspection.query(inspectionStatusQuery);
        await inspection.executeUpdate(recordFindingsUpdate, {
          args: [{ inspectorId: team[0], inspectedAt: new Date(await env.currentTimeMs()).toISOString(), violation: false }],
        });
      }
      const result = await handle.result();
      await drawExport({ campaign: CAMPAIGN, out: path.join(dir, 'draw-2.json') }, cliConfig());
      return result;
    });
    expect(result).toMatchObject({ outcome: 'all-finished', lookBacks: [] });

    // The draw says who was left out and why.
    const draw = (await harness.store.getFlyingDraw(CAMPAIGN))!;
    expect(draw.excluded.find((e) => e.id === 'H34990100001')).toEqual({
      id: 'H34990100001',
      name: '清溪区人民医院',
      inspections: [coverage('H34990100001')],
    });
    expect(draw.requested).toEqual({ random: 4, risk: 4 });
    expect(draw.counts).toEqual({ random: 2, risk: 0 });
    const [published] = (await harness.store.listAudit(CAMPAIGN)).filter((a) => a.action === 'flying-draw');
    expect(published.reason).toContain(`未列入候选：${plan.institutions.length - 2} 家（${YEAR}年已进行现场检查，且无举报线索或数据疑点`);
    expect(
      (published.detail.excluded as Array<{ id: string; inspections: string[] }>).find((e) => e.id === 'H34990100001')?.inspections,
    ).toEqual([coverage('H34990100001')]);

    // The further inspections are recorded with their reason and reference, in the ledger and the audit trail.
    expect((await harness.store.listOnSiteInspections('349901', clue, YEAR)).map((o) => [o.inspectionId, o.reason, o.reference])).toEqual([
      [coverage(clue), null, null],
      [`inspection:${CAMPAIGN}:${clue}`, 'clue', `JB-${YEAR}-0012`],
    ]);
    expect((await harness.store.listOnSiteInspections('349901', lead, YEAR)).map((o) => [o.reason, o.reference])).toEqual([
      [null, null],
      ['data-lead', `YD-${YEAR}-0102`],
    ]);
    const [extra] = (await harness.store.listAudit(clue)).filter((a) => a.action === 'onsite-extra' && a.detail.campaignId === CAMPAIGN);
    expect(extra.reason).toBe(`${YEAR}年已进行现场检查（${coverage(clue)}），因举报线索（JB-${YEAR}-0012）再次现场检查（飞行检查）`);
    expect((await drawVerifyRecorded({ draw: path.join(dir, 'draw-2.json') })).match).toBe(true);
  });
});
