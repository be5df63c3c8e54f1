// Practitioner points on the time-skipping server: thresholds, the timer that lifts a suspension, the year boundary
// (zero points, restrictions carried into next year's workflow), and deductions decided in a case.
import { pointsWorkflowId } from '../../domain/business-keys';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { deductionPayload, deductPoints } from '../../cli/points';
import { DEFAULT_POINTS_RULES } from '../../domain/points';
import { caseRecheckUpdate, decidePenaltyUpdate, withdrawUpdate } from '../../workflows/case/api';
import { caseWorkflow } from '../../workflows/case/workflow';
import { deductPointsSignal, deductPointsUpdate, pointsStatusQuery, type PointsInput } from '../../workflows/points/api';
import { practitionerPoints } from '../../workflows/points/workflow';
import { caseInput } from '../helpers/case-input';
import { TZ } from '../helpers/inspection-input';
import { createHarness } from '../helpers/workflow-harness';
import { resultAtRest, updateRejection, useWorkflowTestEnv } from '../helpers/workflow-test';

const fx = useWorkflowTestEnv();
let n = 0;

const local = (ms: number | string) =>
  typeof ms === 'number' ? DateTime.fromMillis(ms, { zone: TZ }) : DateTime.fromISO(ms, { zone: TZ });

/** Moves the (shared, virtual) clock to 2 January 10:00 of next year, so a test's months stay within one year. */
async function newYear(): Promise<void> {
  const now = await fx.env.currentTimeMs();
  await fx.env.sleep(local(now).plus({ years: 1 }).startOf('year').plus({ days: 1, hours: 10 }).toMillis() - now);
}

/** Moves the clock to `at` (local) of this year, or of next year when this year's is past. */
async function moveTo(at: { month: number; day: number; hour: number; minute?: number; second?: number }): Promise<DateTime> {
  const now = await fx.env.currentTimeMs();
  let target = local(now).set({ ...at, minute: at.minute ?? 0, second: at.second ?? 0, millisecond: 0 });
  if (target.toMillis() <= now) target = target.plus({ years: 1 });
  await fx.env.sleep(target.toMillis() - now);
  return target;
}

/** Moves the clock just past the end of the current local year. */
async function pastYearEnd(): Promise<void> {
  const now = await fx.env.currentTimeMs();
  // fx.env.sleep, not result(): awaiting a result lets the server skip ahead to the next timer of any workflow.
  await fx.env.sleep(local(now).plus({ years: 1 }).startOf('year').plus({ minutes: 1 }).toMillis() - now);
}

async function start(year?: number, extra: Partial<PointsInput> = {}, taskQueue = fx.harness.taskQueue) {
  const practitionerId = `D${process.pid}${++n}`;
  const input: PointsInput = {
    practitionerId,
    jurisdiction: { code: '349901', name: '清溪区', timeZone: TZ },
    year: year ?? local(await fx.env.currentTimeMs()).year,
    rules: DEFAULT_POINTS_RULES,
    notify: [{ name: '领导小组', email: 'lingdao@example.org' }],
    ...extra,
  };
  const handle = await fx.env.client.workflow.start(practitionerPoints, {
    workflowId: pointsWorkflowId(practitionerId, input.year),
    taskQueue,
    args: [input],
  });
  return { handle, input };
}

const deduct = (tier: number, points: number, extra: Record<string, unknown> = {}) => ({
  tier,
  points,
  reason: '串换药品',
  decidedBy: 'L1',
  ...extra,
});

/** Polls (real time) until `check` holds; the workflows run on their own. */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const actions = async (practitionerId: string) => (await fx.harness.store.listAudit(practitionerId)).map((a) => a.action);

describe('practitioner points', () => {
  it('suspends at 9 points for the decided months and lifts the suspension by its timer', async () => {
    await fx.harness.run(async () => {
      await newYear();
      const { handle, input } = await start();
      expect((await handle.executeUpdate(deductPointsUpdate, { args: [deduct(2, 5)] })).total).toBe(5);
      expect(await updateRejection(handle.executeUpdate(deductPointsUpdate, { args: [deduct(2, 7)] }))).toMatch(/points/);
      expect(await updateRejection(handle.executeUpdate(deductPointsUpdate, { args: [deduct(2, 4)] }))).toMatch(/suspensionMonths/);
      expect(await updateRejection(handle.executeUpdate(deductPointsUpdate, { args: [deduct(2, 4, { suspensionMonths: 7 })] }))).toMatch(
        /suspensionMonths/,
      );
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
      const yearEnd = local(await fx.env.currentTimeMs())
        .plus({ years: 1 })
        .startOf('year');
      await fx.env.sleep(yearEnd.plus({ minutes: 1 }).toMillis() - (await fx.env.currentTimeMs()));
      expect((await handle.describe()).status.name).toBe('COMPLETED');
      const thisYear = await handle.query(pointsStatusQuery);
      expect(thisYear).toMatchObject({ total: 9, eligibility: 'suspended', year });

      const next = fx.env.client.workflow.getHandle(pointsWorkflowId(input.practitionerId, year + 1));
      const nextStatus = await next.query(pointsStatusQuery);
      expect(nextStatus).toMatchObject({ year: year + 1, total: 0, eligibility: 'suspended', suspendedUntil: thisYear.suspendedUntil });
      // The year's close and the carried suspension are in the ledger and the audit trail, and the bureau is told.
      expect(await fx.harness.store.getPointsStatus(input.practitionerId, year)).toMatchObject({
        total: 9,
        eligibility: 'suspended',
        closed: true,
      });
      await eventually(
        async () => (await fx.harness.store.getPointsStatus(input.practitionerId, year + 1)) !== undefined,
        'next year in the ledger',
      );
      expect(await fx.harness.store.getPointsStatus(input.practitionerId, year + 1)).toMatchObject({
        total: 0,
        eligibility: 'suspended',
        suspendedUntil: thisYear.suspendedUntil,
        closed: false,
      });
      expect(await actions(input.practitionerId)).toEqual(
        expect.arrayContaining(['points-suspended', 'points-year-closed', 'points-carried-over']),
      );
      expect(fx.harness.sent.find((s) => s.kind === 'points-year-closed')?.text).toContain('清零');
      // A January deduction counts from zero: 2 points, still under the carried suspension, no new threshold reached.
      const january = await next.executeUpdate(deductPointsUpdate, { args: [deduct(1, 2)] });
      expect(january).toMatchObject({ total: 2, eligibility: 'suspended', suspendedUntil: thisYear.suspendedUntil, duplicate: false });
      await fx.env.sleep('100 days');
      expect((await next.query(pointsStatusQuery)).eligibility).toBe('eligible');
      expect(fx.harness.sent.some((s) => s.kind === 'points-lifted')).toBe(true);
      expect(await fx.harness.store.getPointsStatus(input.practitionerId, year + 1)).toMatchObject({
        total: 2,
        eligibility: 'eligible',
        suspendedUntil: null,
      });
      expect(await actions(input.practitionerId)).toContain('points-lifted');
      await next.terminate('test done');
    });
  });

  it('resets at the year boundary: 8 points in December and 2 in January suspend nothing', async () => {
    await fx.harness.run(async () => {
      const december = await moveTo({ month: 12, day: 10, hour: 10 });
      const { handle, input } = await start(december.year);
      expect(await handle.executeUpdate(deductPointsUpdate, { args: [deduct(3, 8)] })).toMatchObject({ total: 8, eligibility: 'eligible' });
      await pastYearEnd();
      await eventually(async () => (await handle.describe()).status.name === 'COMPLETED', 'the year to close');
      expect(await handle.query(pointsStatusQuery)).toMatchObject({ total: 8, eligibility: 'eligible', closing: true });
      expect(await fx.harness.store.getPointsStatus(input.practitionerId, december.year)).toMatchObject({
        total: 8,
        eligibility: 'eligible',
        closed: true,
      });
      expect(await actions(input.practitionerId)).toEqual(['points-deducted', 'points-year-closed']);
      // Nothing ran on: no workflow was started for next year.
      await expect(
        fx.env.client.workflow.getHandle(pointsWorkflowId(input.practitionerId, december.year + 1)).describe(),
      ).rejects.toBeInstanceOf(WorkflowNotFoundError);

      // January, through the CLI's sender: 2 points on zero. Had 8 carried, 10 would need the suspension months.
      const next = { ...input, year: december.year + 1 };
      const january = await deductPoints(
        fx.env.client,
        fx.harness.taskQueue,
        next,
        deductionPayload({ tier: '1', points: '2', by: 'L1', reason: '处方不规范' }, '349901'),
      );
      expect(january).toMatchObject({ year: december.year + 1, total: 2, eligibility: 'eligible', suspendedUntil: null });
      expect((await fx.harness.store.listPointsDeductions(input.practitionerId, december.year + 1)).map((d) => d.points)).toEqual([2]);
      expect((await fx.harness.store.listPointsDeductions(input.practitionerId, december.year)).map((d) => d.points)).toEqual([8]);
      await fx.env.client.workflow.getHandle(pointsWorkflowId(input.practitionerId, december.year + 1)).terminate('test done');
    });
  });

  it('ends eligibility at 12 points reached over several deductions, with the 1-year bar; only officers decide', async () => {
    await fx.harness.run(async () => {
      await newYear();
      const { handle, input } = await start(undefined, { officers: ['L1', 'L2', 'I02'] });
      expect(await updateRejection(handle.executeUpdate(deductPointsUpdate, { args: [deduct(2, 5, { decidedBy: 'X9' })] }))).toBe(
        'decidedBy: "X9" is not an officer of 清溪区 who may decide points deductions',
      );
      await handle.executeUpdate(deductPointsUpdate, { args: [deduct(2, 5)] });
      expect(await handle.executeUpdate(deductPointsUpdate, { args: [deduct(1, 2)] })).toMatchObject({ total: 7, eligibility: 'eligible' });
      expect(
        await handle.executeUpdate(deductPointsUpdate, { args: [deduct(1, 2, { suspensionMonths: 2, decidedBy: 'L2' })] }),
      ).toMatchObject({ total: 9, eligibility: 'suspended' });
      const endedAt = await fx.env.currentTimeMs();
      const ended = await handle.executeUpdate(deductPointsUpdate, { args: [deduct(1, 3, { decidedBy: 'I02' })] });
      expect(ended).toMatchObject({ total: 12, eligibility: 'ended', suspendedUntil: null });
      // Accumulated, not at once: barred for barYears (1), not barYearsAtOnce (3).
      expect(local(ended.barredUntil!).toISODate()).toBe(local(endedAt).plus({ years: 1 }).toISODate());
      expect(await updateRejection(handle.executeUpdate(deductPointsUpdate, { args: [deduct(1, 1)] }))).toMatch(
        /^deduction refused: \(root\): billing eligibility has already ended/,
      );
      await eventually(
        async () => (await fx.harness.store.getPointsStatus(input.practitionerId, input.year))?.eligibility === 'ended',
        'the end in the ledger',
      );
      expect(await fx.harness.store.getPointsStatus(input.practitionerId, input.year)).toMatchObject({
        total: 12,
        barredUntil: ended.barredUntil,
        version: 4,
      });
      expect(await actions(input.practitionerId)).toEqual(['points-deducted', 'points-deducted', 'points-suspended', 'points-ended']);
      expect((await fx.harness.store.listPointsDeductions(input.practitionerId, input.year)).map((d) => d.decidedBy)).toEqual([
        'L1',
        'L1',
        'L2',
        'I02',
      ]);
      await handle.terminate('test done');
    });
  });

  it('continues as new within the year keeping points, deductions, refusals, the suspension and its keys', async () => {
    await fx.harness.run(async () => {
      await newYear();
      // A tiny history bound forces continue-as-new after (nearly) every change.
      const { handle, input } = await start(undefined, { settings: { historyEventsLimit: 10 } });
      const runs = [handle.firstExecutionRunId];
      const runId = async () => (await handle.describe()).runId;
      const nextRun = async (what: string) => {
        await eventually(async () => !runs.includes(await runId()), what);
        runs.push(await runId());
      };
      // The deductions carry keys, so a send that met a run continuing as new is simply sent again.
      const send = async (payload: Record<string, unknown>) => {
        for (let attempt = 1; ; attempt++) {
          try {
            return await handle.executeUpdate(deductPointsUpdate, { args: [payload] });
          } catch (error) {
            if (error instanceof WorkflowUpdateFailedError || attempt === 5) throw error;
          }
        }
      };
      const first = await send(deduct(2, 5, { key: 'K-1' }));
      expect(first).toMatchObject({ total: 5, duplicate: false });
      await nextRun('a continue-as-new after the first deduction');
      // An older sender's signal the rules refuse (9 points without the months): kept in `rejected`, in the audit trail.
      await handle.signal(deductPointsSignal, {
        key: 'K-2',
        tier: 2,
        points: 4,
        caseId: null,
        reason: '串换药品',
        decidedBy: 'L1',
        decidedAt: new Date(await fx.env.currentTimeMs()).toISOString(),
      });
      await eventually(async () => fx.harness.sent.some((m) => m.kind === 'points-refused'), 'the refusal notice');
      await nextRun('a continue-as-new after the refusal');
      const suspended = await send(deduct(2, 4, { key: 'K-3', suspensionMonths: 2 }));
      expect(suspended).toMatchObject({ total: 9, eligibility: 'suspended' });
      await nextRun('a continue-as-new after the suspension');

      const status = await handle.query(pointsStatusQuery);
      expect(status).toMatchObject({
        year: input.year,
        total: 9,
        eligibility: 'suspended',
        suspendedUntil: suspended.suspendedUntil,
        barredUntil: null,
        closing: false,
      });
      expect(status.deductions.map((d) => d.key)).toEqual(['K-1', 'K-3']);
      expect(status.rejected).toEqual([{ key: 'K-2', reason: expect.stringMatching(/^suspensionMonths: required/) }]);
      // Keys survive continue-as-new: the same deduction again is answered with the first; another under its key is refused.
      const again = await send(deduct(2, 5, { key: 'K-1' }));
      expect(again).toMatchObject({
        total: 9,
        duplicate: true,
        deduction: { key: 'K-1', points: 5, decidedAt: first.deduction.decidedAt },
      });
      expect(await updateRejection(send(deduct(2, 6, { key: 'K-1' })))).toMatch(
        /^key: "K-1" is already used by another deduction \(tier 2, 5 points/,
      );
      // Every deduction reached the ledger before its run continued as new; the refusal is in the audit trail.
      expect((await fx.harness.store.listPointsDeductions(input.practitionerId, input.year)).map((d) => d.key)).toEqual(['K-1', 'K-3']);
      expect(await actions(input.practitionerId)).toEqual(['points-deducted', 'points-refused', 'points-suspended']);
      expect(fx.harness.sent.filter((m) => m.kind === 'points-deduction')).toHaveLength(2);
      // The suspension's timer runs on in a later run and lifts it.
      await fx.env.sleep('62 days');
      expect(await handle.query(pointsStatusQuery)).toMatchObject({ total: 9, eligibility: 'eligible' });
      await eventually(
        async () => (await fx.harness.store.getPointsStatus(input.practitionerId, input.year))?.eligibility === 'eligible',
        'the lift in the ledger',
      );
      await handle.terminate('test done');
    });
  });

  it('refuses deductions once the year is closing, and finishes the one still being written before it closes', async () => {
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // A ledger that stalls the first deduction until the test lets it go.
    const slow = await createHarness(fx.env, {
      activities: (real) => ({
        async recordPointsDeduction(...args: Parameters<typeof real.recordPointsDeduction>) {
          entered();
          await gate;
          return real.recordPointsDeduction(...args);
        },
      }),
    });
    try {
      // (The file's harness runs too, so that its worker is started and shut down, releasing the connection.)
      await fx.harness.run(() =>
        slow.run(async () => {
          // Seconds before midnight: the test server's clock runs in real time while an activity is running.
          const lastSeconds = await moveTo({ month: 12, day: 31, hour: 23, minute: 59, second: 52 });
          const { handle, input } = await start(lastSeconds.year, {}, slow.taskQueue);
          const first = handle.executeUpdate(deductPointsUpdate, { args: [deduct(2, 5, { key: 'LATE-1' })] });
          await Promise.race([inside, first]); // the first deduction is in the ledger activity (or refused: the test fails)
          await fx.env.sleep('10 seconds'); // past midnight, with the first deduction still in the ledger activity
          await eventually(async () => (await handle.query(pointsStatusQuery)).closing === true, 'the year closing');
          expect(await updateRejection(handle.executeUpdate(deductPointsUpdate, { args: [deduct(1, 2, { key: 'LATE-2' })] }))).toBe(
            `the points year ${input.year} of ${input.practitionerId} is closing (it ended ${input.year + 1}-01-01 00:00): deductions decided from then on count in next year's workflow ${pointsWorkflowId(input.practitionerId, input.year + 1)} (\`jianguan points deduct … --year ${input.year + 1}\`)`,
          );
          expect((await handle.describe()).status.name).toBe('RUNNING');
          release();
          expect(await first).toMatchObject({ total: 5, duplicate: false });
          const closed = await resultAtRest(handle);
          expect(closed).toMatchObject({ total: 5, closing: true, deductions: [{ key: 'LATE-1' }] });
          // Nothing lost: the row, the notice, then the close.
          expect((await slow.store.listPointsDeductions(input.practitionerId, input.year)).map((d) => d.key)).toEqual(['LATE-1']);
          expect(slow.sent.filter((m) => m.kind === 'points-deduction')).toHaveLength(1);
          expect((await slow.store.listAudit(input.practitionerId)).map((a) => a.action)).toEqual([
            'points-deducted',
            'points-year-closed',
          ]);
          expect(await slow.store.getPointsStatus(input.practitionerId, input.year)).toMatchObject({ total: 5, closed: true });
        }),
      );
    } finally {
      release();
      await slow.close();
    }
  });

  it('takes deductions decided with a case penalty, and reports one the rules refuse', async () => {
    await fx.harness.run(async () => {
      const input = caseInput(`P-${process.pid}-${++n}`);
      const handle = await fx.env.client.workflow.start(caseWorkflow, {
        workflowId: `case:349901:${input.caseNo}`,
        taskQueue: fx.harness.taskQueue,
        args: [input],
      });
      await handle.executeUpdate(caseRecheckUpdate, {
        args: [{ inspectorId: 'I03', checkedAt: new Date(await fx.env.currentTimeMs()).toISOString(), rectified: true }],
      });
      await handle.executeUpdate(decidePenaltyUpdate, {
        args: [
          {
            decidedBy: 'L2',
            fines: [{ article: '38', multiple: 1 }],
            practitioners: [
              { practitionerId: 'DOC-A', tier: 2, points: 6, reason: '开具串换药品处方' },
              { practitionerId: 'DOC-B', tier: 3, points: 9, reason: '伪造处方' },
            ],
            reason: '违反条例第三十八条',
          },
        ],
      });
      const year = local(await fx.env.currentTimeMs()).year;
      const deadline = Date.now() + 60_000;
      while ((await fx.harness.store.listPointsDeductions('DOC-A', year)).length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 200));
      expect((await fx.harness.store.listPointsDeductions('DOC-A', year)).map((r) => r.points)).toEqual([6]);
      const docA = fx.env.client.workflow.getHandle(pointsWorkflowId('DOC-A', year));
      const status = await docA.query(pointsStatusQuery);
      expect(status.total).toBe(6);
      // The hand-off retried (the activity's Update sent again, with the same key): answered with the first result.
      const [handed] = status.deductions;
      const { key, tier, points, reason, decidedBy, decidedAt } = handed!;
      const retried = await docA.executeUpdate(deductPointsUpdate, {
        args: [{ key, tier, points, caseId: handed!.caseId!, reason, decidedBy, decidedAt }],
      });
      expect(retried).toMatchObject({ total: 6, duplicate: true });
      expect(await fx.harness.store.listPointsDeductions('DOC-A', year)).toHaveLength(1);
      // DOC-B reaches 9 points without the decided suspension months: refused by the points workflow's own validator
      // (the case got its answer), recorded and reported, not lost.
      while (!fx.harness.sent.some((s) => s.kind === 'case-points-rejected') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 200));
      expect(fx.harness.sent.find((s) => s.kind === 'case-points-rejected')?.subject).toContain('DOC-B');
      expect(fx.harness.sent.find((s) => s.kind === 'case-points-rejected')?.text).toContain(
        "suspensionMonths: required: the year's total goes from 0 to 9",
      );
      expect((await fx.env.client.workflow.getHandle(pointsWorkflowId('DOC-B', year)).query(pointsStatusQuery)).deductions).toEqual([]);
      expect(await fx.harness.store.listPointsDeductions('DOC-B', year)).toEqual([]);
      // The points workflows go first: awaiting the case's result lets the server skip ahead to their year-end timers
      // (in the moment between the case ending and the client locking time again), and DOC-B would have ended.
      await docA.terminate('test done');
      await fx.env.client.workflow.getHandle(pointsWorkflowId('DOC-B', year)).terminate('test done');
      await handle.executeUpdate(withdrawUpdate, { args: [{ decidedBy: 'L1', reason: '测试结束' }] });
      await resultAtRest(handle);
    });
  });
});
