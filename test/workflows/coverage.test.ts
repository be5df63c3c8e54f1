// Full coverage on the time-skipping server, on the sample plan (44 institutions) in shards of 20: scripted
// inspectors record findings for 30 institutions in February; the other 14 stay uninspected. Checks the tree, the
// reminders to responsible units at 09:00 Asia/Shanghai on the plan's offsets, the uncovered list at the deadline
// (31 July 23:59 +08:00), and that the campaign keeps tracking until its inspections end.
import { describe, expect, it } from 'vitest';
import { drawTeam } from '../../domain/draw';
import { coverageStatusQuery, fullCoverage } from '../../workflows/coverage';
import { recordFindingsUpdate } from '../../workflows/inspection';
import { useYearFixture } from '../helpers/year-fixture';

const fx = useYearFixture();

const at = (iso: string) => new Date(iso).getTime();

describe('fullCoverage', () => {
  it('inspects every institution through shards, reminds units of the uninspected, escalates the uncovered list at the deadline', async () => {
    const { env, harness, plan, year: YEAR } = fx;
    const CAMPAIGN = `349901-coverage-${YEAR}`;
    const inspected = plan.institutions.slice(0, 30);
    const result = await harness.run(async () => {
      const handle = await env.client.workflow.start(fullCoverage, {
        workflowId: `coverage:349901:${YEAR}`,
        taskQueue: harness.taskQueue,
        args: [{ jurisdiction: '349901', year: YEAR, shardSize: 20 }],
      });
      // Into February: the campaign has started on 1 January and fanned out.
      await env.sleep(at(`${YEAR}-02-01T02:00:00Z`) - (await env.currentTimeMs()));
      const status = await handle.query(coverageStatusQuery);
      expect(status).toMatchObject({ stage: 'running', members: 44, shards: 3 });
      const { drawSeed } = (await harness.store.getCampaign(CAMPAIGN))!;
      for (const institution of inspected) {
        const inspector = drawTeam(drawSeed, plan.inspectors, institution.id, plan.inspection.teamSize)[0];
        await env.client.workflow
          .getHandle(`inspection:${CAMPAIGN}:${institution.id}`)
          .executeUpdate(recordFindingsUpdate, { args: [{ inspectorId: inspector, inspectedAt: new Date(await env.currentTimeMs()).toISOString(), violation: false }] });
      }
      return handle.result();
    });

    expect(result).toMatchObject({ stage: 'completed', members: 44, shards: 3, uncoveredAtDeadline: 14 });
    expect(result.progress?.byStage).toEqual({ compliant: 30, unreported: 14 });

    // Unit reminders: at 09:00 +08:00 on 07-01, 07-17, 07-24, 07-30, each listing only that unit's uninspected ones.
    const uninspected = new Set(plan.institutions.slice(30).map((i) => i.id));
    const reminders = harness.sent.filter((s) => s.kind === 'pending-reminder');
    const instants = [...new Set(reminders.map((r) => r.at.toISOString().slice(0, 16)))].sort();
    expect(instants).toEqual([`${YEAR}-07-01T01:00`, `${YEAR}-07-17T01:00`, `${YEAR}-07-24T01:00`, `${YEAR}-07-30T01:00`]);
    const listed = (texts: typeof reminders) => texts.flatMap((r) => [...r.text.matchAll(/（([A-Z0-9]+)）/g)].map((m) => m[1]));
    const first = reminders.filter((r) => r.key.includes(':uninspected-reminder:30:'));
    expect(new Set(listed(first))).toEqual(uninspected);
    for (const reminder of first) {
      const unitId = reminder.key.split(':').at(-1)!;
      const unit = plan.responsibleUnits.find((u) => u.id === unitId)!;
      expect(reminder.to).toEqual([unit.email]);
      for (const id of listed([reminder])) expect(plan.institutions.find((i) => i.id === id)?.responsibleUnitId).toBe(unitId);
    }

    // At the deadline: the uncovered list goes to each unit's leader (and the unit).
    const escalations = harness.sent.filter((s) => s.kind === 'pending-escalation');
    expect(new Set(listed(escalations))).toEqual(uninspected);
    for (const e of escalations) {
      expect(Math.abs(e.at.getTime() - at(`${YEAR}-07-31T15:59:00Z`))).toBeLessThan(60_000);
      const unit = plan.responsibleUnits.find((u) => u.id === e.key.split(':').at(-1))!;
      expect(e.to).toEqual([plan.leaders.find((l) => l.id === unit.leaderId)!.email, unit.email]);
    }
    // Every institution got exactly one inspection in the ledger.
    const rows = await harness.store.listInspections(CAMPAIGN);
    expect(rows).toHaveLength(44);
    expect(new Set(rows.map((r) => r.institutionId)).size).toBe(44);
  });
});
