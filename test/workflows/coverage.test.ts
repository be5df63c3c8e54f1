// Full coverage on the time-skipping server, on the sample plan (44 institutions) started in pages of 20: scripted
// inspectors record findings for 30 institutions in February; the other 14 stay uninspected. Checks the tree, the
// reminders to responsible units at 09:00 Asia/Shanghai on the plan's offsets, the uncovered list at the deadline
// (31 July 23:59 +08:00), that the campaign keeps tracking until its inspections end and then reports to the leaders,
// and that its progress in the Web UI is re-read from the ledger every day.
import { describe, expect, it } from 'vitest';
import { drawTeam } from '../../domain/draw';
import { coverageStatusQuery } from '../../workflows/coverage/api';
import { fullCoverage } from '../../workflows/coverage/workflow';
import { recordFindingsUpdate } from '../../workflows/inspection/api';
import { CAMPAIGN_ID } from '../../workflows/search-attributes';
import { useYearFixture } from '../helpers/year-fixture';

const fx = useYearFixture();

const at = (iso: string) => new Date(iso).getTime();

describe('fullCoverage', () => {
  it('starts every institution’s inspection page by page, reminds units of the uninspected, escalates the uncovered list at the deadline', async () => {
    const { env, harness, plan, year: YEAR } = fx;
    const CAMPAIGN = `349901-coverage-${YEAR}`;
    const inspected = plan.institutions.slice(0, 30);
    const result = await harness.run(async () => {
      const handle = await env.client.workflow.start(fullCoverage, {
        workflowId: `coverage:349901:${YEAR}`,
        taskQueue: harness.taskQueue,
        args: [{ jurisdiction: '349901', year: YEAR, pageSize: 20 }],
      });
      // Into February: the campaign has started on 1 January and fanned out.
      await env.sleep(at(`${YEAR}-02-01T02:00:00Z`) - (await env.currentTimeMs()));
      const status = await handle.query(coverageStatusQuery);
      expect(status).toMatchObject({ stage: 'running', members: 44, started: 44, notStarted: [] });
      // Each inspection is its own workflow (no parent), found by its campaign.
      const child = await env.client.workflow.getHandle(`inspection:${CAMPAIGN}:${plan.institutions[0].id}`).describe();
      expect(child.parentExecution).toBeUndefined();
      expect(child.typedSearchAttributes.get(CAMPAIGN_ID)).toBe(CAMPAIGN);
      const { drawSeed } = (await harness.store.getCampaign(CAMPAIGN))!;
      for (const institution of inspected) {
        const inspector = drawTeam(drawSeed, plan.inspectors, institution.id, plan.inspection.teamSize)[0];
        await env.client.workflow.getHandle(`inspection:${CAMPAIGN}:${institution.id}`).executeUpdate(recordFindingsUpdate, {
          args: [{ inspectorId: inspector, inspectedAt: new Date(await env.currentTimeMs()).toISOString(), violation: false }],
        });
      }
      return handle.result();
    });

    expect(result).toMatchObject({ stage: 'completed', members: 44, started: 44, uncoveredAtDeadline: 14, uninspectedAtEnd: 14 });
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
    // When the tracking ends (every inspection has ended): each leader learns what was made up and what is missing.
    const closed = harness.sent.filter((s) => s.kind === 'coverage-closed');
    expect(closed.map((c) => c.to[0]).sort()).toEqual(plan.leaders.map((l) => l.email).sort());
    for (const c of closed) {
      expect(c.subject).toContain('期限后补检 0 家，仍未检查 14 家');
      expect(new Set(listed([c]))).toEqual(uninspected);
      expect(c.at.getTime()).toBeGreaterThan(at(`${YEAR}-08-01T00:00:00Z`));
    }

    // Progress re-read every day: the history holds one local-activity marker per day from January to the end.
    const history = await env.client.workflow.getHandle(`coverage:349901:${YEAR}`).fetchHistory();
    const markers = history.events!.filter((e) => e.markerRecordedEventAttributes).length;
    expect(markers).toBeGreaterThan(212);
    expect(history.events!.length).toBeLessThan(4_096);

    // Every institution got exactly one inspection in the ledger, and its on-site inspection of the year is claimed.
    for (const institution of plan.institutions.slice(0, 3)) {
      expect(
        await harness.store.claimOnSiteInspection({
          jurisdiction: '349901',
          institutionId: institution.id,
          year: YEAR,
          inspectionId: `inspection:other:${institution.id}`,
        }),
      ).toMatchObject({
        allowed: false,
        inspections: [`inspection:${CAMPAIGN}:${institution.id}`],
      });
    }
    const rows = await harness.store.listInspections(CAMPAIGN);
    expect(rows).toHaveLength(44);
    expect(new Set(rows.map((r) => r.institutionId)).size).toBe(44);
  });
});
