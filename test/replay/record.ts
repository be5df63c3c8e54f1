// Records workflow histories for the replay test: `npx tsx test/replay/record.ts`. Run it BEFORE a change to a
// workflow's command sequence (which comes with `patched()` guarding the histories recorded before it), with VERSION
// set to the release, and commit the new files beside the old ones, so that every shape of history that may still be
// open in production keeps replaying.
// Recorded without the payload codec, on purpose: the histories are committed test data (fictitious people) that must
// replay anywhere without a secret key; the replay test runs them through the codec, which passes clear payloads on.
import { ledgerIdentityWorkflowId, lookBackWorkflowId, pointsWorkflowId } from '../../domain/business-keys';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { ensureTemporalBinaries } from '../../scripts/provision-temporal';
import { campaignInputFromPlan } from '../../cli/campaign-input';
import { loadPlan, DEFAULT_PLAN_FILE } from '../../config';
import { drawTeam } from '../../domain/draw';
import { inspectionCampaign } from '../../workflows/campaign/workflow';
import { annualCycle, yearStarter } from '../../workflows/annual-cycle/workflow';
import { flyingChecksStatusQuery } from '../../workflows/flying/api';
import { ledgerIdentity } from '../../workflows/ledger-identity/workflow';
import { inspection } from '../../workflows/inspection/workflow';
import { recordFindingsUpdate, submitStatementUpdate } from '../../workflows/inspection/api';
import {
  ackReferralUpdate,
  caseRecheckUpdate,
  decidePenaltyUpdate,
  decideUpdate,
  recordPaymentUpdate,
  referUpdate,
  withdrawUpdate,
} from '../../workflows/case/api';
import { caseWorkflow } from '../../workflows/case/workflow';
import { deductPointsSignal, deductPointsUpdate, pointsStatusQuery } from '../../workflows/points/api';
import { practitionerPoints } from '../../workflows/points/workflow';
import { DEFAULT_POINTS_RULES } from '../../domain/points';
import { caseInput } from '../helpers/case-input';
import { inspectionInput, localEndOfDay } from '../helpers/inspection-input';
import { createTimeSkippingEnv, retryUpdatesTheTestServerLoses } from '../helpers/temporal';
import { createHarness } from '../helpers/workflow-harness';
import { recordClues } from './record-clues';
import { recordWeeklyReport } from './record-weekly-report';
import { recordSpecial } from './record-special';
import { recordProblemLists } from './record-problem-lists';
import { ledgerInstitution } from '../helpers/case-records';
import { planWithFictitiousYears } from '../helpers/holidays';
import { recordPersonCase } from './record-person-case';
import { recordVisit } from './record-visit';

const OUT = path.join(__dirname, 'histories');
const VERSION = '1.1';
/** The histories to write (`npx tsx test/replay/record.ts ledger-identity …`); all of them when none are named. */
const ONLY = process.argv.slice(2);

async function main(): Promise<void> {
  process.env.TEMPORAL_TEST_SERVER_PATH ??= ensureTemporalBinaries().testServer;
  const env = await createTimeSkippingEnv();
  retryUpdatesTheTestServerLoses(env.client.workflow);
  // The clock runs on for years (a ledger's register first sleeps through one): the years the holiday package lacks
  // get a fictitious arrangement, or a working-day deadline there would wait for an official calendar for ever.
  const planFile = planWithFictitiousYears(DEFAULT_PLAN_FILE, new Date().getUTCFullYear());
  const plan = await loadPlan(planFile);
  const harness = await createHarness(env, { planFile });
  mkdirSync(OUT, { recursive: true });
  /**
   * Waits for a workflow to end. Waiting for a result lets the time-skipping server skip time; for a workflow that is
   * about to end on its own (its last activity in flight) that skip can run years ahead before the result comes back
   * (it jumped 10 years), and every later scenario would start in the wrong year. So first give it a few real seconds
   * without skipping, and only then wait for the result with time skipping (timers still to fire).
   */
  const finish = async (handle: WorkflowHandle) => {
    for (let n = 0; n < 60; n++) {
      if ((await handle.describe()).status.name !== 'RUNNING') return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await handle.result();
  };
  const save = async (name: string, handle: WorkflowHandle) => {
    if (ONLY.length > 0 && !ONLY.includes(name)) return;
    const history = await handle.fetchHistory();
    writeFileSync(path.join(OUT, `${VERSION}-${name}.json`), historyToJSON(history));
    console.log(`recorded ${name}: ${history.events?.length} events`);
  };
  try {
    await harness.run(async () => {
      // The register of a task queue's ledger: a year open, then continued as new with its memo. First, while no other
      // workflow's timers make the server skip through the year step by step.
      const register = await env.client.workflow.start(ledgerIdentity, {
        workflowId: ledgerIdentityWorkflowId(harness.taskQueue),
        taskQueue: harness.taskQueue,
        args: [{ ledgerId: await harness.store.ledgerId() }],
        memo: { ledgerId: await harness.store.ledgerId() },
      });
      await env.sleep('366 days');
      await save('ledger-identity', env.client.workflow.getHandle(register.workflowId, register.firstExecutionRunId));
      await register.terminate('recorded');
      if (ONLY.length > 0 && ONLY.every((name) => name === 'ledger-identity')) return;
      await recordPersonCase(env, harness, save);
      if (ONLY.length > 0 && ONLY.every((name) => name === 'ledger-identity' || name === 'person-case')) return;
      await recordVisit(env, harness, save, finish);
      if (
        ONLY.length > 0 &&
        ONLY.every((name) =>
          ['ledger-identity', 'person-case', 'inspection-covered-at-visit', 'inspection-covered-meanwhile'].includes(name),
        )
      )
        return;
      if (ONLY.length > 0 && ONLY.every((name) => name.includes('problem-list'))) {
        await recordProblemLists(env, harness, plan, save);
        return;
      }
      await recordWeeklyReport(env, harness, save, finish);
      if (ONLY.length > 0 && ONLY.every((name) => name === 'ledger-identity' || name.startsWith('weekly-report'))) return;
      await recordClues(env, harness, save, finish);
      if (ONLY.length > 0 && ONLY.every((name) => name === 'ledger-identity' || name.startsWith('clue-'))) return;
      await recordSpecial(env, harness, plan, save, finish);
      await recordProblemLists(env, harness, plan, save);
      const since11 = (name: string) =>
        ['ledger-identity', 'person-case', 'inspection-covered-', 'weekly-report', 'clue-', 'special-', 'selfcheck-'].some((prefix) =>
          name.startsWith(prefix),
        );
      if (ONLY.length > 0 && ONLY.every(since11)) return;

      const now = await env.currentTimeMs();
      const input = inspectionInput(localEndOfDay(now, 20));
      const team = drawTeam(input.drawSeed, input.inspectorPool, input.institution.id, input.teamSize);
      const at = () => env.currentTimeMs().then((ms) => new Date(ms).toISOString());
      await harness.store.upsertInstitutions([ledgerInstitution({ responsibleUnitId: undefined })]);
      const startOne = async (scenario: string) => {
        const campaignId = `replay-${scenario}`;
        await harness.store.ensureCampaign({
          id: campaignId,
          jurisdiction: '349901',
          kind: 'coverage',
          title: '回放',
          year: 2026,
          startsAt: new Date().toISOString(),
          dueAt: input.dueAt,
          drawSeed: input.drawSeed,
        });
        const fresh = inspectionInput(localEndOfDay(await env.currentTimeMs(), 20));
        const handle = await env.client.workflow.start(inspection, {
          workflowId: `inspection:${campaignId}:H001`,
          taskQueue: harness.taskQueue,
          args: [{ ...fresh, campaign: { ...fresh.campaign, id: campaignId } }],
        });
        // Let the start's workflow task finish first: an Update racing it can stall the time-skipping test server.
        await env.sleep('1 minute');
        return handle;
      };

      const compliant = await startOne('compliant');
      await env.sleep('2 days');
      await compliant.executeUpdate(recordFindingsUpdate, { args: [{ inspectorId: team[0], inspectedAt: await at(), violation: false }] });
      await finish(compliant);
      await save('inspection-compliant', compliant);

      const unreported = await startOne('unreported');
      await finish(unreported);
      await save('inspection-unreported', unreported);

      // An inspection whose violations open a case, and the case climbing the whole ladder with every strand.
      const withCases = await startOne('case');
      await withCases.executeUpdate(recordFindingsUpdate, {
        args: [
          {
            inspectorId: team[0],
            inspectedAt: await at(),
            violation: true,
            items: [{ category: '串换药品', description: '串换', amountFen: 100_000, article: '38' }],
          },
        ],
      });
      await finish(withCases);
      await save('inspection-case-opened', withCases);

      const ladder = await env.client.workflow.start(caseWorkflow, {
        workflowId: 'case:349901:replay-ladder',
        taskQueue: harness.taskQueue,
        args: [caseInput('replay-ladder')],
      });
      await ladder.executeUpdate(caseRecheckUpdate, { args: [{ inspectorId: 'I03', checkedAt: await at(), rectified: false }] });
      await ladder.executeUpdate(referUpdate, { args: [{ agency: 'health', decidedBy: 'L1', reason: '涉及医疗行为' }] });
      await ladder.executeUpdate(ackReferralUpdate, {
        args: [{ agency: 'health', acknowledgedBy: '卫健局', reference: 'WJ-1', acknowledgedAt: await at() }],
      });
      await ladder.executeUpdate(decidePenaltyUpdate, {
        args: [
          {
            decidedBy: 'L2',
            fines: [{ article: '38', multiple: 2 }],
            practitioners: [{ practitionerId: 'DOC-R', tier: 1, points: 2, reason: '处方不规范' }],
            reason: '违反条例第三十八条',
          },
        ],
      });
      await ladder.executeUpdate(recordPaymentUpdate, {
        args: [{ amountFen: 370_350, paidAt: await at(), reference: 'R-1', recordedBy: 'L1' }],
      });
      await ladder.executeUpdate(decideUpdate, {
        args: [{ action: 'suspend', months: 6, decidedBy: 'L1', reason: '拒不整改', publicCriticism: true }],
      });
      await env.sleep('30 days');
      await ladder.executeUpdate(decideUpdate, { args: [{ action: 'terminate', decidedBy: 'L1', reason: '情节严重' }] });
      await ladder.executeUpdate(decideUpdate, { args: [{ action: 'blacklist', decidedBy: 'L1', reason: '列入黑名单' }] });
      await finish(ladder);
      await save('case-ladder', ladder);

      const withdrawn = await env.client.workflow.start(caseWorkflow, {
        workflowId: 'case:349901:replay-withdrawn',
        taskQueue: harness.taskQueue,
        args: [caseInput('replay-withdrawn')],
      });
      await env.sleep('40 days');
      await withdrawn.executeUpdate(withdrawUpdate, { args: [{ decidedBy: 'L1', reason: '复核不构成违规' }] });
      await finish(withdrawn);
      await save('case-withdrawn', withdrawn);

      // Cases side by side on one timeline: a suspension lifted by its timer, an interview whose deadline passes,
      // a referral never acknowledged, a payment in the late window, a close after termination without money (the 0-fen
      // decision's notice, the closure notice), a withdrawal with an open referral (the agency told).
      const startCase = (caseNo: string, items = caseInput(caseNo).items) =>
        env.client.workflow.start(caseWorkflow, {
          workflowId: `case:349901:${caseNo}`,
          taskQueue: harness.taskQueue,
          args: [caseInput(caseNo, { items })],
        });
      const casePenalty = { decidedBy: 'L2', fines: [{ article: '38', multiple: 1 }], reason: '违反条例第三十八条' };
      const casePayment = async (reference: string) => ({ amountFen: 246_900, paidAt: await at(), reference, recordedBy: 'L1' });
      const caseRecheck = async (rectified: boolean) => ({ inspectorId: 'I03', checkedAt: await at(), rectified });
      const lifted = await startCase('replay-suspension-lifted');
      await lifted.executeUpdate(caseRecheckUpdate, { args: [await caseRecheck(false)] });
      await lifted.executeUpdate(decidePenaltyUpdate, { args: [casePenalty] });
      await lifted.executeUpdate(recordPaymentUpdate, { args: [await casePayment('S-1')] });
      await lifted.executeUpdate(decideUpdate, { args: [{ action: 'suspend', months: 6, decidedBy: 'L1', reason: '拒不整改' }] });
      const interviewOverdue = await startCase('replay-interview-overdue');
      await interviewOverdue.executeUpdate(decidePenaltyUpdate, { args: [casePenalty] });
      await interviewOverdue.executeUpdate(recordPaymentUpdate, { args: [await casePayment('I-1')] });
      await interviewOverdue.executeUpdate(caseRecheckUpdate, { args: [await caseRecheck(false)] });
      const referralOverdue = await startCase('replay-referral-overdue');
      await referralOverdue.executeUpdate(caseRecheckUpdate, { args: [await caseRecheck(true)] });
      await referralOverdue.executeUpdate(referUpdate, {
        args: [{ agency: 'discipline', decidedBy: 'L1', reason: '公职人员涉嫌违纪', persons: [{ name: '某某', role: '院长' }] }],
      });
      await referralOverdue.executeUpdate(decidePenaltyUpdate, { args: [casePenalty] });
      await referralOverdue.executeUpdate(recordPaymentUpdate, { args: [await casePayment('R-1')] });
      const paymentLate = await startCase('replay-payment-late');
      await paymentLate.executeUpdate(caseRecheckUpdate, { args: [await caseRecheck(true)] });
      await paymentLate.executeUpdate(decidePenaltyUpdate, { args: [casePenalty] });
      const closedAfterTermination = await startCase('replay-closed-after-termination', [
        { category: '违规收费', description: '未公示收费标准', article: '38' },
      ]);
      await closedAfterTermination.executeUpdate(caseRecheckUpdate, { args: [await caseRecheck(false)] });
      await closedAfterTermination.executeUpdate(decideUpdate, { args: [{ action: 'terminate', decidedBy: 'L1', reason: '情节严重' }] });
      await closedAfterTermination.executeUpdate(decideUpdate, { args: [{ action: 'close', decidedBy: 'L2', reason: '不再列入黑名单' }] });
      await closedAfterTermination.executeUpdate(decidePenaltyUpdate, { args: [{ decidedBy: 'L2', reason: '无基金损失，不予罚款' }] });
      await finish(closedAfterTermination);
      await save('case-closed-after-termination', closedAfterTermination);
      const withdrawnReferral = await startCase('replay-withdrawn-referral');
      await withdrawnReferral.executeUpdate(referUpdate, { args: [{ agency: 'market', decidedBy: 'L2', reason: '涉嫌价格违法' }] });
      await withdrawnReferral.executeUpdate(withdrawUpdate, { args: [{ decidedBy: 'L1', reason: '复核不构成违规' }] });
      await finish(withdrawnReferral);
      await save('case-withdrawn-referral', withdrawnReferral);
      // Day 20: the payment is 5 days late (15 days to pay), paid within the late window.
      await env.sleep('20 days');
      await paymentLate.executeUpdate(recordPaymentUpdate, { args: [await casePayment('P-1')] });
      await finish(paymentLate);
      await save('case-payment-late', paymentLate);
      // Day 50: the interview's 15 days and both escalations are over (45 days), and the referral's 10 days and both
      // escalations (40 days): both cases are left open for the closure review.
      await env.sleep('30 days');
      await finish(interviewOverdue);
      await save('case-interview-overdue', interviewOverdue);
      await finish(referralOverdue);
      await save('case-referral-overdue', referralOverdue);
      // Day 190: the 6 months' suspension was lifted by its timer; the recheck decision follows.
      await env.sleep('140 days');
      await lifted.executeUpdate(decideUpdate, { args: [{ action: 'rectified', decidedBy: 'L1', reason: '复查整改到位' }] });
      await finish(lifted);
      await save('case-suspension-lifted', lifted);

      // Practitioner points: a suspension at 9 points running over the year's end into next year's workflow.
      const nowLocal = DateTime.fromMillis(await env.currentTimeMs(), { zone: 'Asia/Shanghai' });
      const pointsYear = nowLocal.month === 12 && nowLocal.day > 20 ? nowLocal.year + 1 : nowLocal.year;
      await env.sleep(
        DateTime.fromObject({ year: pointsYear, month: 12, day: 1, hour: 10 }, { zone: 'Asia/Shanghai' }).toMillis() - nowLocal.toMillis(),
      );
      const pointsInput = {
        practitionerId: 'DOC-P',
        jurisdiction: { code: '349901', name: '清溪区', timeZone: 'Asia/Shanghai' },
        year: pointsYear,
        rules: DEFAULT_POINTS_RULES,
        notify: [{ name: '领导小组', email: 'lingdao@example.org' }],
      };
      const points = await env.client.workflow.start(practitionerPoints, {
        workflowId: pointsWorkflowId('DOC-P', pointsYear),
        taskQueue: harness.taskQueue,
        args: [pointsInput],
      });
      await points.executeUpdate(deductPointsUpdate, { args: [{ tier: 2, points: 5, reason: '串换药品', decidedBy: 'L1' }] });
      await points.executeUpdate(deductPointsUpdate, {
        args: [{ tier: 2, points: 4, suspensionMonths: 6, reason: '再次串换药品', decidedBy: 'L1' }],
      });
      await finish(points);
      await save('points-year-end', points);
      const nextYear = env.client.workflow.getHandle(pointsWorkflowId('DOC-P', pointsYear + 1));
      await finish(nextYear);
      await save('points-carried-lifted', nextYear);

      // Practitioner points:
      const zone = 'Asia/Shanghai';
      const clock = async () => DateTime.fromMillis(await env.currentTimeMs(), { zone });
      const moveTo = async (at: { month: number; day: number; hour: number; minute?: number; second?: number }) => {
        const now = await clock();
        let target = now.set({ ...at, minute: at.minute ?? 0, second: at.second ?? 0, millisecond: 0 });
        if (target <= now) target = target.plus({ years: 1 });
        await env.sleep(target.toMillis() - now.toMillis());
        return target;
      };
      const startPoints = (practitionerId: string, year: number, extra: Record<string, unknown> = {}, taskQueue = harness.taskQueue) =>
        env.client.workflow.start(practitionerPoints, {
          workflowId: pointsWorkflowId(practitionerId, year),
          taskQueue,
          args: [{ ...pointsInput, practitionerId, year, officers: ['L1', 'L2'], ...extra }],
        });
      // - the case ladder's deduction, handed over by the Update (its year closed since, with the close recorded);
      const docR = (await harness.store.listAudit('DOC-R')).find((a) => a.action === 'points-deducted')!;
      const docRYear = Number(/^points:DOC-R:(\d+):/.exec(docR.key)![1]);
      const fromCase = env.client.workflow.getHandle(pointsWorkflowId('DOC-R', docRYear));
      await finish(fromCase);
      await save('points-from-case', fromCase);
      // - 8 points in December: the year closes with nothing running on; January counts from zero, reaches 12 over four
      //   deductions (a suspension at 9 on the way) and hands the 1-year bar on to the year after;
      const december = await moveTo({ month: 12, day: 10, hour: 10 });
      const closing = await startPoints('DOC-Z', december.year);
      await closing.executeUpdate(deductPointsUpdate, { args: [{ key: 'Z-1', tier: 3, points: 8, reason: '串换药品', decidedBy: 'L1' }] });
      await closing.executeUpdate(deductPointsUpdate, { args: [{ key: 'Z-1', tier: 3, points: 8, reason: '串换药品', decidedBy: 'L1' }] }); // counted once
      await finish(closing);
      await save('points-closed-nothing-carried', closing);
      // (The year from the clock: awaiting a result may have let the server skip ahead.)
      const january = await startPoints('DOC-Z', (await moveTo({ month: 1, day: 5, hour: 10 })).year);
      await january.executeUpdate(deductPointsUpdate, {
        args: [{ key: 'Z-2', tier: 1, points: 2, reason: '处方不规范', decidedBy: 'L1' }],
      });
      await january.executeUpdate(deductPointsUpdate, {
        args: [{ key: 'Z-3', tier: 1, points: 2, reason: '处方不规范', decidedBy: 'L2' }],
      });
      await january.executeUpdate(deductPointsUpdate, {
        args: [{ key: 'Z-4', tier: 2, points: 5, suspensionMonths: 2, reason: '串换药品', decidedBy: 'L1' }],
      });
      await env.sleep('70 days'); // the suspension is lifted (recorded)
      await january.executeUpdate(deductPointsUpdate, { args: [{ key: 'Z-5', tier: 1, points: 3, reason: '串换药品', decidedBy: 'L1' }] });
      await finish(january);
      await save('points-ended-bar-handed-over', january);
      const barred = env.client.workflow.getHandle(pointsWorkflowId('DOC-Z', (await january.query(pointsStatusQuery)).year + 1));
      await env.sleep('1 day');
      await save('points-bar-carried-in', barred); // running (it closes at its year's end), or over already
      // - a long year continuing as new (a tiny history bound), with an older sender's signal refused on the way;
      const longYear = await startPoints('DOC-L', (await clock()).year, { settings: { historyEventsLimit: 10 } });
      await longYear.executeUpdate(deductPointsUpdate, { args: [{ key: 'L-1', tier: 2, points: 5, reason: '串换药品', decidedBy: 'L1' }] });
      await longYear.signal(deductPointsSignal, {
        key: 'L-2',
        tier: 2,
        points: 4,
        caseId: null,
        reason: '串换药品',
        decidedBy: 'L1',
        decidedAt: await at(),
      });
      for (let waited = 0; (await longYear.describe()).runId === longYear.firstExecutionRunId && waited < 60_000; waited += 200)
        await new Promise((r) => setTimeout(r, 200));
      // (Left to close at its year's end: terminating a run while its first task is in flight leaves the test server's
      // time skipping locked, and every later sleep crawls.)
      await save('points-continued-as-new', env.client.workflow.getHandle(longYear.workflowId, longYear.firstExecutionRunId));
      for (
        let waited = 0;
        !(await harness.store.listAudit('DOC-L')).some((a) => a.action === 'points-refused') && waited < 60_000;
        waited += 200
      )
        await new Promise((r) => setTimeout(r, 200));
      await new Promise((r) => setTimeout(r, 2_000)); // (the refusal's notice, and any further continue-as-new, settle)
      await save('points-resumed', env.client.workflow.getHandle(longYear.workflowId)); // a later run: state from `resume`
      // - the year's end while a deduction is still being written: a late one refused (an Update, and an older sender's
      //   signal, which asks points-closing-refuses-signals), the first finished, then the close.
      let entered!: () => void;
      const inside = new Promise<void>((resolve) => (entered = resolve));
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const slow = await createHarness(env, {
        activities: (real) => ({
          async recordPointsDeduction(...args: Parameters<typeof real.recordPointsDeduction>) {
            entered();
            await gate;
            return real.recordPointsDeduction(...args);
          },
        }),
      });
      try {
        await slow.run(async () => {
          // Seconds before midnight; with other workflows busy the clock may overshoot midnight: then try next year.
          for (let attempt = 1; ; attempt++) {
            const lastSeconds = await moveTo({ month: 12, day: 31, hour: 23, minute: 59, second: 50 });
            const drained = await startPoints(`DOC-E${attempt}`, lastSeconds.year, {}, slow.taskQueue);
            const first = drained.executeUpdate(deductPointsUpdate, {
              args: [{ key: 'E-1', tier: 2, points: 5, reason: '串换药品', decidedBy: 'L1' }],
            });
            const inLedger = await Promise.race([
              inside.then(() => true),
              first.then(
                () => false,
                () => false,
              ),
            ]);
            if (!inLedger) {
              if (attempt === 3) throw new Error('points-closing-drained: the clock overshot midnight three times');
              continue;
            }
            await env.sleep('12 seconds'); // past midnight (in real time: an activity is running)
            await drained
              .executeUpdate(deductPointsUpdate, { args: [{ key: 'E-2', tier: 1, points: 2, reason: '串换药品', decidedBy: 'L1' }] })
              .catch(() => undefined); // refused: closing
            await drained.signal(deductPointsSignal, {
              key: 'E-3',
              tier: 1,
              points: 2,
              caseId: null,
              reason: '串换药品',
              decidedBy: 'L1',
              decidedAt: await at(),
            }); // refused: closing
            release();
            await first;
            await finish(drained);
            await save('points-closing-drained', drained);
            break;
          }
        });
      } finally {
        release();
        await slow.close();
      }

      const small = { ...plan, institutions: plan.institutions.slice(0, 3) };
      const campaign = await env.client.workflow.start(inspectionCampaign, {
        workflowId: 'campaign:349901:replay-campaign',
        taskQueue: harness.taskQueue,
        args: [
          campaignInputFromPlan(small, {
            id: 'replay-campaign',
            kind: 'demo',
            title: '回放检查',
            year: 2026,
            dueAt: localEndOfDay(now, 10).toISOString(),
            announced: true,
          }),
        ],
      });
      await finish(campaign);
      await save('campaign-three-unreported', campaign);

      // A year of the sample district with scripted answers on the flying checks (one violation with a statement).
      // The test server's clock has run on after the earlier results (it skips idle time): take the year from it now.
      const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
      // Last year's open cases for the closure review: a case of the case workflow, and an old-style rectification.
      const lastYear = `${year - 1}-10-01T02:00:00.000Z`;
      const openCase = `349901-coverage-${year - 1}.${plan.institutions[0].id}`;
      await harness.store.saveCase(
        {
          id: `case:349901:${openCase}`,
          jurisdiction: '349901',
          caseNo: openCase,
          year: year - 1,
          institutionId: plan.institutions[0].id,
          inspectionId: null,
          campaignId: `349901-coverage-${year - 1}`,
          stage: 'interview',
          overdue: true,
          open: true,
          openedAt: lastYear,
          dueAt: lastYear,
          lossFen: 300_000,
          fineFen: 0,
          paidFen: 0,
          outcome: null,
          updatedAt: lastYear,
        },
        {
          key: `case:349901:${openCase}:replay-seed`,
          actor: 'replay',
          action: 'seeded',
          subjectType: 'case',
          subjectId: `case:349901:${openCase}`,
          reason: 'replay',
          detail: {},
          at: lastYear,
        },
      );
      const oldCampaign = `349901-flying-${year - 1}`;
      await harness.store.ensureCampaign({
        id: oldCampaign,
        jurisdiction: '349901',
        kind: 'flying',
        title: '回放',
        year: year - 1,
        startsAt: lastYear,
        dueAt: lastYear,
        drawSeed: 'replay',
      });
      const oldInspection = `inspection:${oldCampaign}:${plan.institutions[1].id}`;
      await harness.store.saveInspection(
        {
          id: oldInspection,
          campaignId: oldCampaign,
          institutionId: plan.institutions[1].id,
          team: ['insp-01', 'insp-02'],
          drawSeed: 'replay',
          announced: false,
          stage: 'rectifying',
          dueAt: lastYear,
          rectificationDueAt: lastYear,
          updatedAt: lastYear,
        },
        {
          key: `${oldInspection}:replay-seed`,
          actor: 'replay',
          action: 'seeded',
          subjectType: 'inspection',
          subjectId: oldInspection,
          reason: 'replay',
          detail: {},
          at: lastYear,
        },
      );
      // Risk signals in the ledger (`jianguan risk import`). Full coverage claims every institution's on-site
      // inspection of the year, so the flying checks may visit only these two again.
      const riskRows = [
        {
          institutionId: plan.institutions[2].id,
          kind: 'clue' as const,
          reference: `JB-${year}-0001`,
          date: `${year}-03-01`,
          note: '回放',
        },
        {
          institutionId: plan.institutions[3].id,
          kind: 'data-anomaly' as const,
          reference: `YD-${year}-0001`,
          date: `${year}-04-01`,
          note: '',
        },
      ];
      await harness.store.importRiskSignals(riskRows.map((row) => ({ jurisdiction: '349901', ...row })));
      const cycle = await env.client.workflow.start(annualCycle, {
        workflowId: `annual:349901:${year}`,
        taskQueue: harness.taskQueue,
        args: [{ jurisdiction: '349901', year }],
      });
      // Step through the year until the flying checks have drawn their targets.
      const flyingHandle = env.client.workflow.getHandle(`flying:349901:${year}`);
      let flying = await flyingHandle.query(flyingChecksStatusQuery).catch(() => undefined);
      while (flying?.stage !== 'inspecting') {
        await env.sleep('7 days');
        flying = await flyingHandle.query(flyingChecksStatusQuery).catch(() => undefined);
      }
      const target = flying.random[0];
      const flyingInspection = env.client.workflow.getHandle(`inspection:349901-flying-${year}:${target}`);
      const flyingTeam = drawTeam(flying.seed!, plan.inspectors, target, plan.inspection.teamSize);
      await flyingInspection.executeUpdate(recordFindingsUpdate, {
        args: [
          {
            inspectorId: flyingTeam[0],
            inspectedAt: await at(),
            violation: true,
            items: [{ category: '虚构医疗服务', description: '伪造病历', amountFen: 100_000 }],
          },
        ],
      });
      await flyingInspection.executeUpdate(submitStatementUpdate, { args: [{ submittedBy: '院长', text: '有异议' }] });
      await finish(cycle);
      await save('annual-cycle', cycle);
      for (const id of [`coverage:349901:${year}`, `closure-review:349901:${year}`, `flying:349901:${year}`]) {
        const handle = env.client.workflow.getHandle(id);
        await finish(handle);
        await save(id.split(':')[0], handle);
      }
      // An inspection of the coverage campaign, started by its page activity.
      const covered = env.client.workflow.getHandle(`inspection:349901-coverage-${year}:${plan.institutions[0].id}`);
      await finish(covered);
      await save('inspection-started-by-activity', covered);
      await finish(flyingInspection);
      await save('inspection-flying-statement', flyingInspection);
      // The look-back the flying inspection's violation ordered (a workflow of its own, 90 days after the findings).
      const lookBack = env.client.workflow.getHandle(lookBackWorkflowId(`349901-flying-${year}`, target));
      await finish(lookBack);
      await save('flying-look-back', lookBack);
      // What the yearly Schedule runs: it starts the year's cycle (already running here, so it finds it).
      const starter = await env.client.workflow.start(yearStarter, {
        workflowId: `year-starter:349901-replay`,
        taskQueue: harness.taskQueue,
        args: [{ jurisdiction: '349901', timeZone: 'Asia/Shanghai' }],
      });
      await finish(starter);
      await save('year-starter', starter);
    });
  } finally {
    await harness.close();
    await env.teardown();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
