// The year's on-site inspection is claimed at the visit (DESIGN §2, domain/onsite.ts), on the time-skipping server,
// sample plan: full coverage starts every institution's inspection on 1 January without claiming it; those whose
// findings are recorded are claimed then. On 1 July the flying checks' random pool holds exactly the institutions not
// visited yet, and draws them; a visited one is left out, with the coverage inspection that visited it. A flying check
// claims at its own start (unannounced, straight to the site), so when the coverage inspection of an institution it
// visited records findings afterwards, that inspection ends as covered by the flying check: no second claim, the
// audit trail names the flying inspection, and coverage counts it covered. One whose team has not come ends covered at
// its next reminder once the flying visit's findings are recorded (not before: 四不两直), its team told.
import { describe, expect, it } from 'vitest';
import { drawTeam } from '../../domain/draw';
import { STAGE_LABELS } from '../../domain/inspection';
import { coverageStatusQuery } from '../../workflows/coverage/api';
import { fullCoverage } from '../../workflows/coverage/workflow';
import { flyingChecksStatusQuery } from '../../workflows/flying/api';
import { flyingChecks } from '../../workflows/flying/workflow';
import { inspectionStatusQuery, recordFindingsUpdate } from '../../workflows/inspection/api';
import { terminateAtRest, untilAtRest } from '../helpers/workflow-test';
import { useYearFixture } from '../helpers/year-fixture';

const fx = useYearFixture();

const at = (iso: string) => new Date(iso).getTime();

describe('the on-site inspection of the year claimed at the visit', () => {
  it('leaves the institutions coverage has not visited in the flying draw; a flying visit ends their coverage inspection as covered', async () => {
    const { env, harness, plan, year: YEAR } = fx;
    const J = plan.jurisdiction.code;
    const COVERAGE = `${J}-coverage-${YEAR}`;
    const FLYING = `${J}-flying-${YEAR}`;
    const coverage = (id: string) => `inspection:${COVERAGE}:${id}`;
    const flying = (id: string) => `inspection:${FLYING}:${id}`;
    const visited = plan.institutions.slice(0, 41).map((i) => i.id);
    const notVisited = plan.institutions.slice(41).map((i) => i.id);
    const now = async () => new Date(await env.currentTimeMs()).toISOString();
    /** Findings "no violation" from the inspection's first team member; the inspection's status after them. */
    const recordNoViolation = async (workflowId: string) => {
      const handle = env.client.workflow.getHandle(workflowId);
      const { team } = await handle.query(inspectionStatusQuery);
      return handle.executeUpdate(recordFindingsUpdate, { args: [{ inspectorId: team[0], inspectedAt: await now(), violation: false }] });
    };

    await harness.run(async () => {
      const cover = await env.client.workflow.start(fullCoverage, {
        workflowId: `coverage:${J}:${YEAR}`,
        taskQueue: harness.taskQueue,
        args: [{ jurisdiction: J, year: YEAR, pageSize: 20 }],
      });
      await env.sleep(at(`${YEAR}-02-01T02:00:00Z`) - (await env.currentTimeMs()));
      expect(await cover.query(coverageStatusQuery)).toMatchObject({ stage: 'running', members: 44, started: 44, notStarted: [] });
      // Started, not claimed: nobody has had the year's on-site inspection yet.
      for (const id of [visited[0], notVisited[0]]) expect(await harness.store.listOnSiteInspections(J, id, YEAR)).toEqual([]);

      const { drawSeed } = (await harness.store.getCampaign(COVERAGE))!;
      for (const id of visited) {
        const inspectorId = drawTeam(drawSeed, plan.inspectors, id, plan.inspection.teamSize)[0];
        await env.client.workflow.getHandle(coverage(id)).executeUpdate(recordFindingsUpdate, {
          args: [{ inspectorId, inspectedAt: await now(), violation: false }],
        });
      }
      // Each visit claimed the year's on-site inspection, once.
      expect((await harness.store.listOnSiteInspections(J, visited[0], YEAR)).map((o) => [o.inspectionId, o.reason])).toEqual([
        [coverage(visited[0]), null],
      ]);

      // Second half: the draw's pool is the institutions not visited yet; with no risk signals the random part draws
      // them all (the plan asks 4 + 4; the draw is clamped to the pool of 3).
      const flyingHandle = await env.client.workflow.start(flyingChecks, {
        workflowId: `flying:${J}:${YEAR}`,
        taskQueue: harness.taskQueue,
        args: [{ jurisdiction: J, year: YEAR }],
      });
      await untilAtRest(cover);
      await env.sleep(at(`${YEAR}-07-02T02:00:00Z`) - (await env.currentTimeMs()));
      const drawn = await flyingHandle.query(flyingChecksStatusQuery);
      expect(drawn).toMatchObject({ stage: 'inspecting', eligible: 3, excluded: 41, started: 3, refused: [], risk: [] });
      expect([...drawn.random].sort()).toEqual([...notVisited].sort());
      const draw = (await harness.store.getFlyingDraw(FLYING))!;
      expect(draw.pool.map((r) => r.id).sort()).toEqual([...notVisited].sort());
      expect(draw.excluded.find((e) => e.id === visited[0])?.inspections).toEqual([coverage(visited[0])]);

      // The flying check claimed the year's on-site inspection at its start, and visits.
      const [target] = notVisited;
      expect((await harness.store.listOnSiteInspections(J, target, YEAR)).map((o) => o.inspectionId)).toEqual([flying(target)]);
      expect((await recordNoViolation(flying(target))).stage).toBe('compliant');

      // The coverage team comes with its findings afterwards: the year's one on-site inspection has been had.
      const after = await recordNoViolation(coverage(target));
      expect(after).toMatchObject({ stage: 'covered', stageLabel: STAGE_LABELS.covered, coveredBy: [flying(target)] });
      expect(after.creditGrade).toBeUndefined();
      expect(after.caseId).toBeUndefined();

      // The flying check visits a second one, whose coverage team has not come: at its next reminder (17 July), the
      // coverage inspection finds the visit recorded, tells its team the visit is called off and ends covered. The
      // third one's flying findings are not in yet: nobody is told of the unannounced visit, its coverage waits on.
      const [, second, third] = notVisited;
      expect((await recordNoViolation(flying(second))).stage).toBe('compliant');
      await untilAtRest(cover);
      await env.sleep(at(`${YEAR}-07-18T02:00:00Z`) - (await env.currentTimeMs()));
      const secondStatus = await env.client.workflow.getHandle(coverage(second)).query(inspectionStatusQuery);
      expect(secondStatus).toMatchObject({ stage: 'covered', coveredBy: [flying(second)] });
      expect(secondStatus.findings).toBeUndefined();
      expect((await env.client.workflow.getHandle(coverage(third)).query(inspectionStatusQuery)).stage).toBe('assigned');
      const toTeam = (id: string, kind: string) => harness.sent.filter((m) => m.kind === kind && m.key.startsWith(`${coverage(id)}:`));
      expect(toTeam(second, 'covered')).toHaveLength(1);
      expect(toTeam(second, 'covered')[0].text).toContain('本次现场检查不再进行');
      expect(toTeam(second, 'findings-reminder').map((m) => m.key)).toEqual([`${coverage(second)}:findings-reminder:30`]);
      expect(toTeam(third, 'findings-reminder')).toHaveLength(2);
      expect(toTeam(target, 'covered')).toEqual([]);

      // Coverage's progress, re-read daily, counts them covered: not uninspected, not pending.
      const progress = (await cover.query(coverageStatusQuery)).progress!;
      expect(progress.byStage).toMatchObject({ compliant: 41, covered: 2, assigned: 1 });
      expect((await harness.store.listUninspected(COVERAGE)).map((u) => u.institutionId)).toEqual([third]);

      await terminateAtRest(flyingHandle, 'test over');
      await terminateAtRest(cover, 'test over');
    });

    // No second claim: the flying check's is the institution's only on-site inspection of the year.
    const [target] = notVisited;
    expect((await harness.store.listOnSiteInspections(J, target, YEAR)).map((o) => o.inspectionId)).toEqual([flying(target)]);
    expect(await harness.store.getFindings(coverage(target))).toBeUndefined();
    expect((await harness.store.getInspection(coverage(target)))?.stage).toBe('covered');
    const [covered] = (await harness.store.listAudit(coverage(target))).filter((a) => a.action === 'onsite-covered');
    expect(covered.reason).toContain(flying(target));
    expect(covered.detail).toMatchObject({
      stage: 'covered',
      coveredBy: [flying(target)],
      refusedFindings: { violation: false, items: 0 },
    });
    const second = notVisited[1];
    expect((await harness.store.listOnSiteInspections(J, second, YEAR)).map((o) => o.inspectionId)).toEqual([flying(second)]);
    const [meanwhile] = (await harness.store.listAudit(coverage(second))).filter((a) => a.action === 'onsite-covered');
    expect(meanwhile.detail).toEqual({ stage: 'covered', coveredBy: [flying(second)] });
  });
});
