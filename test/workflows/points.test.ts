// Practitioner points on the time-skipping server: thresholds, the timer that lifts a suspension, the year boundary
// (zero points, restrictions carried into next year's workflow), and deductions decided in a case.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POINTS_RULES } from '../../domain/points';
import { caseRecheckUpdate, caseWorkflow, decidePenaltyUpdate, withdrawUpdate } from '../../workflows/case';
import { deductPointsUpdate, pointsStatusQuery, pointsWorkflowId, practitionerPoints, type PointsInput } from '../../workflows/points';
import { caseInput } from '../helpers/case-input';
import { TZ } from '../helpers/inspection-input';
import { updateRejection, useWorkflowTestEnv } from '../helpers/workflow-harness';

const fx = useWorkflowTestEnv();
let n = 0;

const local = (ms: number | string) => (typeof ms === 'number' ? DateTime.fromMillis(ms, { zone: TZ }) : DateTime.fromISO(ms, { zone: TZ }));

/** Moves the (shared, virtual) clock to 2 January 10:00 of next year, so a test's months stay within one year. */
async function newYear(): Promise<void> {
  const now = await fx.env.currentTimeMs();
  await fx.env.sleep(local(now).plus({ years: 1 }).startOf('year').plus({ days: 1, hours: 10 }).toMillis() - now);
}

async function start(year?: number) {
  const practitionerId = `D${process.pid}${++n}`;
  const input: PointsInput = {
    practitionerId,
    jurisdiction: { code: '349901', name: '清溪区', timeZone: TZ },
    year: year ?? local(await fx.env.currentTimeMs()).year,
    rules: DEFAULT_POINTS_RULES,
    notify: [{ name: '领导小组', email: 'lingdao@example.org' }],
  };
  const handle = await fx.env.client.workflow.start(practitionerPoints, { workflowId: pointsWorkflowId(practitionerId, input.year), taskQueue: fx.harness.taskQueue, args: [input] });
  return { handle, input };
}

const deduct = (tier: number, points: number, extra: Record<string, unknown> = {}) => ({ tier, points, reason: '串换药品', decidedBy: 'L1', ...extra });


describe('practitioner points', () => {
  it('suspends at 9 points for the decided months and lifts the suspension by its timer', async () => {
    await fx.harness.run(async () => {
      await newYear();
      const { handle, input } = await start();
      expect((await handle.executeUpdate(deductPointsUpdate, { args: [deduct(2, 5)] })).total).toBe(5);
      expect(await updateRejection(handle.executeUpdate(deductPointsUpdate, { args: [deduct(2, 7)] }))).toMatch(/points/);
      expect(await updateRejection(handle.executeUpdate(deductPointsUpdate, { args: [deduct(2, 4)] }))).toMatch(/suspensionMonths/);
      expect(await updateRejection(handle.executeUpdate(deductPointsUpdate, { args: [deduct(2, 4, { suspensionMonths: 7 })] }))).toMatch(/suspensionMonths/);
      const suspendedAt = await fx.env.currentTimeMs();
      const suspended = await handle.executeUpdate(deductPointsUpdate, { args: [deduct(2, 4, { suspensionMonths: 1 })] });
      expect(suspended).toMatchObject({ total: 9, eligibility: 'suspended' });
      expect(local(suspended.suspendedUntil!).toISODate()).toBe(local(suspendedAt).plus({ months: 1 }).toISODate());
      await fx.env.sleep('32 days');
      expect((await handle.query(pointsStatusQuery)).eligibility).toBe('eligible');
      const lifted = fx.harness.sent.find((s) => s.kind === 'points-lifted')!;
      expect(local(lifted.at.getTime()).toFormat('yyyy-MM-dd HH:mm')).toBe(local(suspended.suspendedUntil!).toFormat('yyyy-MM-dd HH:mm'));
      const rows = await fx.harness.store.listPointsDeductions(input.practitionerId, input.year);
      expect(rows.map((r) => r.points)).toEqual([5, 4]);
      await handle.terminate('test done');
    });
  });

  it('ends eligibility at 12 points at once with a 3-year bar, and refuses further deductions', async () => {
    await fx.harness.run(async () => {
      await newYear();
      const { handle } = await start();
      const now = await fx.env.currentTimeMs();
      const ended = await handle.executeUpdate(deductPointsUpdate, { args: [deduct(4, 12)] });
      expect(ended.eligibility).toBe('ended');
      expect(local(ended.barredUntil!).toISODate()).toBe(local(now).plus({ years: 3 }).toISODate());
      expect(await updateRejection(handle.executeUpdate(deductPointsUpdate, { args: [deduct(1, 1)] }))).toMatch(/ended/);
      await handle.terminate('test done');
    });
  });

  it('starts next year at zero points and carries a running suspension into next year’s workflow, which lifts it', async () => {
    await fx.harness.run(async () => {
      const now = await fx.env.currentTimeMs();
      const year = local(now).year;
      const { handle, input } = await start(year);
      // Late in the year: 9 points with a 3-month suspension that runs into next year.
      const december = local(now).set({ month: 12, day: 20, hour: 10 });
      if (december.toMillis() > now) await fx.env.sleep(december.toMillis() - now);
      await handle.executeUpdate(deductPointsUpdate, { args: [deduct(3, 9, { suspensionMonths: 3 })] });
      // Past the year's end by a minute (fx.env.sleep, not result(): awaiting a result lets the server skip ahead to the
      // next timer of any workflow, here next year's lift).
      const yearEnd = local(await fx.env.currentTimeMs()).plus({ years: 1 }).startOf('year');
      await fx.env.sleep(yearEnd.plus({ minutes: 1 }).toMillis() - (await fx.env.currentTimeMs()));
      expect((await handle.describe()).status.name).toBe('COMPLETED');
      const thisYear = await handle.query(pointsStatusQuery);
      expect(thisYear).toMatchObject({ total: 9, eligibility: 'suspended', year });

      const next = fx.env.client.workflow.getHandle(pointsWorkflowId(input.practitionerId, year + 1));
      const nextStatus = await next.query(pointsStatusQuery);
      expect(nextStatus).toMatchObject({ year: year + 1, total: 0, eligibility: 'suspended', suspendedUntil: thisYear.suspendedUntil });
      await fx.env.sleep('100 days');
      expect((await next.query(pointsStatusQuery)).eligibility).toBe('eligible');
      expect(fx.harness.sent.some((s) => s.kind === 'points-lifted')).toBe(true);
      await next.terminate('test done');
    });
  });

  it('takes deductions decided with a case penalty, and reports one the rules refuse', async () => {
    await fx.harness.run(async () => {
      const input = caseInput(`P-${process.pid}-${++n}`);
      const handle = await fx.env.client.workflow.start(caseWorkflow, { workflowId: `case:349901:${input.caseNo}`, taskQueue: fx.harness.taskQueue, args: [input] });
      await handle.executeUpdate(caseRecheckUpdate, { args: [{ inspectorId: 'I03', checkedAt: new Date(await fx.env.currentTimeMs()).toISOString(), rectified: true }] });
      await handle.executeUpdate(decidePenaltyUpdate, {
        args: [{
          decidedBy: 'L2',
          fines: [{ article: '38', multiple: 1 }],
          practitioners: [
            { practitionerId: 'DOC-A', tier: 2, points: 6, reason: '开具串换药品处方' },
            { practitionerId: 'DOC-B', tier: 3, points: 9, reason: '伪造处方' },
          ],
          reason: '违反条例第三十八条',
        }],
      });
      const year = local(await fx.env.currentTimeMs()).year;
      const deadline = Date.now() + 60_000;
      while ((await fx.harness.store.listPointsDeductions('DOC-A', year)).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect((await fx.harness.store.listPointsDeductions('DOC-A', year)).map((r) => r.points)).toEqual([6]);
      const status = await fx.env.client.workflow.getHandle(pointsWorkflowId('DOC-A', year)).query(pointsStatusQuery);
      expect(status.total).toBe(6);
      // DOC-B reaches 9 points without the decided suspension months: refused and reported, not lost.
      while (!fx.harness.sent.some((s) => s.kind === 'case-points-rejected') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(fx.harness.sent.find((s) => s.kind === 'case-points-rejected')?.subject).toContain('DOC-B');
      expect(await fx.harness.store.listPointsDeductions('DOC-B', year)).toEqual([]);
      await handle.executeUpdate(withdrawUpdate, { args: [{ decidedBy: 'L1', reason: '测试结束' }] });
      await handle.result();
      await fx.env.client.workflow.getHandle(pointsWorkflowId('DOC-A', year)).terminate('test done');
    });
  });
});
