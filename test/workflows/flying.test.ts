// Flying checks on the time-skipping server, sample plan: the draw (random + risk-weighted on the eligible pool,
// recorded once, exported and re-run MATCH), targets started page by page, unannounced visits (no message to an
// institution before its findings), the statement period, credit grades, look-backs as workflows of their own.
// The one-on-site-inspection-a-year rule: flying-onsite.test.ts; scale: flying-scale.test.ts.
import { lookBackWorkflowId } from '../../domain/business-keys';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { afterAll, describe, expect, it } from 'vitest';
import { drawExport, drawVerifyRecorded } from '../../cli/draw';
import { loadRuntimeConfig, type RuntimeConfig } from '../../config';
import { drawTeam } from '../../domain/draw';
import { caseRecheckUpdate } from '../../workflows/case/api';
import { flyingChecks } from '../../workflows/flying/workflow';
import { flyingChecksStatusQuery } from '../../workflows/flying/api';
import { inspectionStatusQuery, recordFindingsUpdate, submitStatementUpdate } from '../../workflows/inspection/api';
import { flyingLookBack } from '../../workflows/look-back/workflow';
import { CAMPAIGN_ID, CAMPAIGN_KIND } from '../../workflows/search-attributes';
import { workflowBundle } from '../helpers/temporal';
import { useYearFixture } from '../helpers/year-fixture';

const fx = useYearFixture();
const dir = mkdtempSync(path.join(tmpdir(), 'jianguan-flying-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The CLI's settings for the test server and the harness worker (no DATABASE_URL: the ledger the harness serves). */
const cliConfig = (): RuntimeConfig =>
  loadRuntimeConfig({
    TEMPORAL_ADDRESS: fx.env.address,
    TEMPORAL_TASK_QUEUE: fx.harness.taskQueue,
    LEDGER_PORT: String(fx.harness.ledgerPort),
  });

/** Events of a workflow's history of the given activity type. */
async function activitiesOf(workflowId: string, type: string): Promise<number> {
  const history = await fx.env.client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === type).length;
}

describe('flyingChecks', () => {
  it('draws, visits unannounced page by page, feeds back findings with a statement period, grades, and orders look-backs', async () => {
    const { env, harness, plan, year: YEAR } = fx;
    const CAMPAIGN = `349901-flying-${YEAR}`;
    // Risk signals of the year: two institutions with clues and data anomalies (counts without references).
    const risky = ['H34990100018', 'P34990100007'];
    await harness.store.upsertRiskSignals(
      risky.map((institutionId) => ({ jurisdiction: '349901', institutionId, year: YEAR, clues: 20, dataAnomalies: 20 })),
    );
    const findingsAt = new Map<string, number>();
    let violators: string[] = [];
    const exported = path.join(dir, 'draw.json');

    const { result, lookBacks } = await harness.run(async () => {
      const handle = await env.client.workflow.start(flyingChecks, {
        workflowId: `flying:349901:${YEAR}`,
        taskQueue: harness.taskQueue,
        args: [{ jurisdiction: '349901', year: YEAR, pageSize: 3 }],
      });
      await env.sleep(new Date(`${YEAR}-07-02T02:00:00Z`).getTime() - (await env.currentTimeMs()));
      const status = await handle.query(flyingChecksStatusQuery);
      expect(status).toMatchObject({
        stage: 'inspecting',
        eligible: 44,
        excluded: 0,
        pages: 3,
        started: 8,
        refused: [],
        statementPeriod: '5日',
      });
      expect(status.random).toHaveLength(plan.flyingCheck.randomCount);
      expect(status.risk).toHaveLength(plan.flyingCheck.riskCount);
      const targets = [...status.random, ...status.risk];
      expect(new Set(targets).size).toBe(targets.length);
      violators = targets.slice(0, 2);
      for (const id of targets) {
        const inspection = env.client.workflow.getHandle(`inspection:${CAMPAIGN}:${id}`);
        const described = await inspection.describe();
        // Started by the campaign's activity, not as a child; leadership finds it by its campaign.
        expect(described.typedSearchAttributes.get(CAMPAIGN_ID)).toBe(CAMPAIGN);
        const { team } = await inspection.query(inspectionStatusQuery);
        expect(team).toHaveLength(2);
        const violation = violators.includes(id);
        findingsAt.set(id, await env.currentTimeMs());
        const after = await inspection.executeUpdate(recordFindingsUpdate, {
          args: [
            {
              inspectorId: team[0],
              inspectedAt: new Date(await env.currentTimeMs()).toISOString(),
              violation,
              items: violation ? [{ category: '虚构医疗服务', description: '伪造住院病历', amountFen: 2_000_000 }] : [],
            },
          ],
        });
        expect(after.stage).toBe(violation ? 'stating-case' : 'compliant');
      }
      // The first violator states its case within the period; the second lets it lapse.
      const first = env.client.workflow.getHandle(`inspection:${CAMPAIGN}:${violators[0]}`);
      await first.executeUpdate(submitStatementUpdate, { args: [{ submittedBy: '院长 张某', text: '对第1项有异议，已补充材料。' }] });
      await env.sleep('10 days');
      for (const id of violators) {
        const inspection = env.client.workflow.getHandle(`inspection:${CAMPAIGN}:${id}`);
        const s = await inspection.query(inspectionStatusQuery);
        // The conclusion opens a case, which orders the rectification and takes the team's recheck.
        expect(s.stage).toBe('case-opened');
        expect(s.caseId).toBe(`case:349901:${CAMPAIGN}.${id}`);
        const rechecked = await env.client.workflow.getHandle(s.caseId!).executeUpdate(caseRecheckUpdate, {
          args: [{ inspectorId: s.team[1], checkedAt: new Date(await env.currentTimeMs()).toISOString(), rectified: true }],
        });
        expect(rechecked.recheck?.rectified).toBe(true);
      }
      const result = await handle.result();
      // `jianguan draw export` from the ledger the worker serves (no DATABASE_URL), then `draw verify --draw` on the file.
      const { note } = await drawExport({ campaign: CAMPAIGN, out: exported }, cliConfig());
      expect(note).toContain(`wrote ${exported}: the draw of ${CAMPAIGN}`);
      // The look-backs run on by themselves, lookBackAfterDays after the findings.
      const lookBacks = await Promise.all(
        violators.map((id) => env.client.workflow.getHandle<typeof flyingLookBack>(lookBackWorkflowId(CAMPAIGN, id)).result()),
      );
      return { result, lookBacks };
    });

    expect(result).toMatchObject({ stage: 'completed', outcome: 'all-finished', pending: 0, started: 8 });
    expect([...result.lookBacks].sort()).toEqual([...violators].sort());
    // Pages of 3: three start activities, and the campaign holds no children.
    expect(await activitiesOf(`flying:349901:${YEAR}`, 'startFlyingTargets')).toBe(3);

    // 四不两直: nothing reached a target institution before its findings were recorded, in any page.
    for (const [id, at] of findingsAt) {
      const contacts = plan.institutions.find((i) => i.id === id)!.contacts.map((c) => c.email);
      const early = harness.sent.filter((s) => s.to.some((to) => contacts.includes(to)) && s.at.getTime() < at);
      expect(early, id).toEqual([]);
    }
    // Findings fed back with the statement deadline; the statement forwarded to the team.
    expect(
      harness.sent
        .filter((s) => s.kind === 'findings-feedback')
        .map((s) => s.key.split(':')[2])
        .sort(),
    ).toEqual([...violators].sort());
    expect(harness.sent.filter((s) => s.kind === 'statement-forward').map((s) => s.key.split(':')[2])).toEqual([violators[0]]);
    const audit = await harness.store.listAudit(`inspection:${CAMPAIGN}:${violators[0]}`);
    expect(audit.map((a) => a.action)).toEqual(['team-drawn', 'findings-recorded', 'findings-concluded']);
    expect(audit[1].reason).toContain('陈述申辩期 5日，至');
    expect(audit[2].reason).toContain('已收到陈述申辩');

    // Credit grades: compliant targets A (from the default rules), violators by their loss while their cases run.
    for (const id of [...result.random, ...result.risk]) {
      const grade = await harness.store.getCreditGrade('349901', id, YEAR);
      expect(grade?.grade, id).toBe(violators.includes(id) ? 'D' : 'A');
    }

    // Look-backs: a second, unannounced inspection of each violator (a team from another seed), recorded as an
    // on-site inspection of the year with reason 'look-back' and the inspection whose findings it follows.
    for (const lookBack of lookBacks)
      expect(lookBack).toMatchObject({ stage: 'completed', outcome: 'inspected', inspectionStage: 'unreported' });
    const lookBackRows = await harness.store.listInspections(`${CAMPAIGN}-lookback`);
    expect(lookBackRows.map((r) => r.institutionId).sort()).toEqual([...violators].sort());
    for (const id of violators) {
      const onsite = await harness.store.listOnSiteInspections('349901', id, YEAR);
      expect(onsite.map((o) => [o.inspectionId, o.reason, o.reference]).slice(-1)).toEqual([
        [`inspection:${CAMPAIGN}-lookback:${id}`, 'look-back', `inspection:${CAMPAIGN}:${id}`],
      ]);
      expect(onsite[0].inspectionId).toBe(`inspection:${CAMPAIGN}:${id}`);
      // A further one without a reason is refused.
      const claim = await harness.store.claimOnSiteInspection({
        jurisdiction: '349901',
        institutionId: id,
        year: YEAR,
        inspectionId: `inspection:other:${id}`,
      });
      expect(claim).toEqual({ allowed: false, inspections: onsite.map((o) => o.inspectionId) });
      const described = await env.client.workflow.getHandle(lookBackWorkflowId(CAMPAIGN, id)).describe();
      expect(described.typedSearchAttributes.get(CAMPAIGN_KIND)).toBe('look-back');
    }

    // 一公开: the exported draw re-runs to the same selection.
    const verified = await drawVerifyRecorded({ draw: exported });
    expect(verified.text).toContain('MATCH');
    expect(verified.match).toBe(true);
    expect({ random: verified.selection.random, risk: verified.selection.risk }).toEqual({ random: result.random, risk: result.risk });
    const draw = (await harness.store.getFlyingDraw(CAMPAIGN))!;
    expect(draw.pool).toHaveLength(44);
    expect(draw.seed).toBe(result.seed);
    expect(drawTeam(result.seed!, plan.inspectors, violators[0], 2)).toEqual(
      (await harness.store.getInspection(`inspection:${CAMPAIGN}:${violators[0]}`))?.team,
    );

    // The new paths replay deterministically (as a worker that lost its cache would run them again).
    const ids = [`flying:349901:${YEAR}`, ...violators.map((id) => lookBackWorkflowId(CAMPAIGN, id))];
    const histories = await Promise.all(
      ids.map(async (workflowId) => ({ workflowId, history: await env.client.workflow.getHandle(workflowId).fetchHistory() })),
    );
    const replayed = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, histories)) replayed.push(result);
    expect(replayed.map((r) => [r.workflowId, r.error])).toEqual(ids.map((id) => [id, undefined]));
  });
});
