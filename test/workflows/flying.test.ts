// Flying checks on the time-skipping server, sample plan, year 2027: the draw (random + risk-weighted, reproducible
// from the recorded seed and pool), unannounced visits (no message to an institution before its findings), the
// statement period, rectification, credit grades, and look-backs for the institutions with findings.
import { describe, expect, it } from 'vitest';
import { drawTeam } from '../../domain/draw';
import { selectFlyingTargets, type FlyingCandidate, type FlyingSelection } from '../../domain/flying';
import { flyingChecks, flyingChecksStatusQuery } from '../../workflows/flying';
import { caseRecheckUpdate } from '../../workflows/case';
import { inspectionStatusQuery, recordFindingsUpdate, submitStatementUpdate } from '../../workflows/inspection';
import { useYearFixture } from '../helpers/year-fixture';

const fx = useYearFixture();


describe('flyingChecks', () => {
  it('draws, visits unannounced, feeds back findings with a statement period, grades, and looks back', async () => {
    const { env, harness, plan, year: YEAR } = fx;
    const CAMPAIGN = `349901-flying-${YEAR}`;
    // Risk signals of the year: two institutions with clues and data anomalies.
    const risky = ['H34990100018', 'P34990100007'];
    await harness.store.upsertRiskSignals(risky.map((institutionId) => ({ jurisdiction: '349901', institutionId, year: YEAR, clues: 20, dataAnomalies: 20 })));
    const findingsAt = new Map<string, number>();
    let violators: string[] = [];

    const result = await harness.run(async () => {
      const handle = await env.client.workflow.start(flyingChecks, { workflowId: `flying:349901:${YEAR}`, taskQueue: harness.taskQueue, args: [{ jurisdiction: '349901', year: YEAR }] });
      await env.sleep(new Date(`${YEAR}-07-02T02:00:00Z`).getTime() - (await env.currentTimeMs()));
      const status = await handle.query(flyingChecksStatusQuery);
      expect(status.stage).toBe('inspecting');
      expect(status.random).toHaveLength(plan.flyingCheck.randomCount);
      expect(status.risk).toHaveLength(plan.flyingCheck.riskCount);
      const targets = [...status.random, ...status.risk];
      expect(new Set(targets).size).toBe(targets.length);
      violators = targets.slice(0, 2);
      for (const id of targets) {
        const inspection = env.client.workflow.getHandle(`inspection:${CAMPAIGN}:${id}`);
        const { team } = await inspection.query(inspectionStatusQuery);
        expect(team).toHaveLength(2);
        const violation = violators.includes(id);
        findingsAt.set(id, await env.currentTimeMs());
        const after = await inspection.executeUpdate(recordFindingsUpdate, {
          args: [{ inspectorId: team[0], inspectedAt: new Date(await env.currentTimeMs()).toISOString(), violation, items: violation ? [{ category: '虚构医疗服务', description: '伪造住院病历', amountFen: 2_000_000 }] : [] }],
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
        const rechecked = await env.client.workflow.getHandle(s.caseId!).executeUpdate(caseRecheckUpdate, { args: [{ inspectorId: s.team[1], checkedAt: new Date(await env.currentTimeMs()).toISOString(), rectified: true }] });
        expect(rechecked.recheck?.rectified).toBe(true);
      }
      return handle.result();
    });

    expect(result.stage).toBe('completed');
    expect(result.lookBacks.sort()).toEqual([...violators].sort());

    // 四不两直: nothing reached a target institution before its findings were recorded.
    for (const [id, at] of findingsAt) {
      const contacts = plan.institutions.find((i) => i.id === id)!.contacts.map((c) => c.email);
      const early = harness.sent.filter((s) => s.to.some((to) => contacts.includes(to)) && s.at.getTime() < at);
      expect(early, id).toEqual([]);
    }
    // Findings fed back with the statement deadline; the statement forwarded to the team.
    expect(harness.sent.filter((s) => s.kind === 'findings-feedback').map((s) => s.key.split(':')[2]).sort()).toEqual([...violators].sort());
    expect(harness.sent.filter((s) => s.kind === 'statement-forward').map((s) => s.key.split(':')[2])).toEqual([violators[0]]);
    const audit = await harness.store.listAudit(`inspection:${CAMPAIGN}:${violators[0]}`);
    expect(audit.map((a) => a.action)).toEqual(['team-drawn', 'findings-recorded', 'findings-concluded']);
    expect(audit[2].reason).toContain('已收到陈述申辩');

    // Credit grades: compliant targets A (from the default rules), violators by their loss while their cases run.
    for (const id of [...result.random, ...result.risk]) {
      const grade = await harness.store.getCreditGrade('349901', id, YEAR);
      expect(grade?.grade, id).toBe(violators.includes(id) ? 'D' : 'A');
    }

    // Each flying check was recorded as an on-site inspection of the year: a further one without a reason is refused.
    for (const id of violators) {
      const claim = await harness.store.claimOnSiteInspection({ jurisdiction: '349901', institutionId: id, year: YEAR, inspectionId: `inspection:other:${id}` });
      expect(claim).toEqual({ allowed: false, inspections: [`inspection:${CAMPAIGN}:${id}`] });
    }

    // Look-backs: a second, unannounced inspection of each violator, with a team drawn from another seed.
    const lookBacks = await harness.store.listInspections(`${CAMPAIGN}-lookback`);
    expect(lookBacks.map((r) => r.institutionId).sort()).toEqual([...violators].sort());

    // 一公开: the recorded seed and pool re-run to the same published selection.
    const [draw] = (await harness.store.listAudit(CAMPAIGN)).filter((a) => a.action === 'flying-draw');
    const { selection, pool } = draw.detail as { selection: FlyingSelection; pool: Array<{ id: string; kind: 'hospital' | 'pharmacy'; clues: number; dataAnomalies: number; lastYearFindings: number; creditGrade: null }> };
    const candidates: FlyingCandidate[] = pool.map(({ id, kind, ...risk }) => ({ id, kind, risk }));
    const again = selectFlyingTargets({ seed: result.seed!, pool: candidates, randomCount: plan.flyingCheck.randomCount, riskCount: plan.flyingCheck.riskCount, weights: plan.flyingCheck.riskWeights });
    expect({ random: again.random, risk: again.risk }).toEqual({ random: selection.random, risk: selection.risk });
    expect(pool).toHaveLength(44);
    expect(drawTeam(result.seed!, plan.inspectors, violators[0], 2)).toEqual((await harness.store.getInspection(`inspection:${CAMPAIGN}:${violators[0]}`))?.team);
  });
});
