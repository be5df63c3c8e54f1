// A whole supervision year of the sample district (清溪区, 44 institutions) on the time-skipping server, from the annual
// cycle's start on 1 January to 31 December 23:59, with scripted answers:
// - last year's open cases in the ledger (two case records, one rectification of an older inspection), one of them
//   closed in the middle of the March closure review;
// - full coverage: 40 institutions inspected in February (five with violations, each opening a case: three rectified,
//   fined and paid, two not and left at the interview), two reported late in August, two never;
// - risk signals (a clue, data anomalies) for three institutions already inspected, which makes them eligible for the
//   flying checks from 1 July (DESIGN §2: one on-site inspection a year unless a clue or a data lead), beside the four
//   not visited yet (the year's on-site inspection is claimed at the visit, domain/onsite.ts): all seven are drawn and
//   claimed. The three signalled are visited; one has violations, states its case, and its case is rectified, fined
//   (with a practitioner's points) and paid; its look-back 90 days later finds nothing. The flying teams of the four
//   never report, so their coverage inspections wait on (no visit of theirs is recorded); the two late coverage
//   reports in August are refused, the year's claim being the flying check's, and end covered.
// Every reminder, escalation and notice is checked against the plan's calendar (Asia/Shanghai), no notice goes out
// twice, the institution of a flying check hears nothing before the visit, the year-end summary carries the ledger's
// figures, and every workflow of the year ends within the history budget (their sizes go to the bench when it asks).
import { lookBackWorkflowId, pointsWorkflowId } from '../../domain/business-keys';
import { writeFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { drawTeam } from '../../domain/draw';
import type { DaysOrPeriod } from '../../domain/period';
import type { CaseRecord } from '../../records/types';
import { annualCycle } from '../../workflows/annual-cycle/workflow';
import { caseRecheckUpdate, decidePenaltyUpdate, recordPaymentUpdate } from '../../workflows/case/api';
import { coverageStatusQuery } from '../../workflows/coverage/api';
import { flyingChecksStatusQuery } from '../../workflows/flying/api';
import { inspectionStatusQuery, recordFindingsUpdate, submitStatementUpdate } from '../../workflows/inspection/api';
import { pointsStatusQuery } from '../../workflows/points/api';
import { lastYearsCase } from '../helpers/case-records';
import { useYearFixture } from '../helpers/year-fixture';

const fx = useYearFixture();
const J = '349901';
/** The history budget of every workflow (DESIGN §5 allows 10,240; the bench's target is 4,096). */
const HISTORY_BUDGET = 4_096;

/** A local date-time in Asia/Shanghai as an instant. */
const local = (text: string) => DateTime.fromISO(text, { zone: 'Asia/Shanghai' }).toJSDate();
const minutes = (d: Date) => d.toISOString().slice(0, 16);
/** The institution ids a notice lists, as "名称（ID）". */
const listed = (text: string) => [...text.matchAll(/（([A-Z0-9]+)）/g)].map((m) => m[1]);

async function sleepUntil(at: Date): Promise<void> {
  const ms = at.getTime() - (await fx.env.currentTimeMs());
  if (ms > 0) await fx.env.sleep(ms);
}

/** Last year's cases still open, as the closure review reads them from the ledger. Returns their case numbers. */
async function seedLastYearsOpenCases(): Promise<{ atInterview: string; rectifying: string; oldRectification: string }> {
  const { harness, plan, year } = fx;
  const last = year - 1;
  const campaign = `${J}-coverage-${last}`;
  const at = `${last}-10-01T02:00:00.000Z`;
  const [a, b, c] = plan.institutions.slice(0, 3).map((i) => i.id);
  const audit = (key: string) => ({
    key,
    actor: 'test',
    action: 'seeded',
    subjectType: 'case',
    subjectId: key,
    reason: 'last year',
    detail: {},
    at,
  });
  await harness.store.ensureCampaign({
    id: campaign,
    jurisdiction: J,
    kind: 'coverage',
    title: `${last}年全覆盖现场检查`,
    year: last,
    startsAt: `${last}-01-01T00:00:00Z`,
    dueAt: `${last}-07-31T15:59:00Z`,
    drawSeed: 'old',
  });
  const saveCase = (institutionId: string, row: Partial<CaseRecord>) =>
    harness.store.saveCase(
      lastYearsCase({ jurisdiction: J, year: last, institutionId, updatedAt: at }, row),
      audit(`case:${J}:${campaign}.${institutionId}:seed`),
    );
  await saveCase(a, { stage: 'interview', overdue: true });
  await saveCase(b, { stage: 'rectifying' });
  // An inspection from before cases existed, whose rectification is still open.
  const id = `inspection:${campaign}:${c}`;
  await harness.store.saveInspection(
    {
      id,
      campaignId: campaign,
      institutionId: c,
      team: ['insp-01', 'insp-02'],
      drawSeed: 'old',
      announced: true,
      stage: 'unrectified',
      dueAt: `${last}-07-31T15:59:00Z`,
      rectificationDueAt: `${last}-09-30T15:59:00Z`,
      updatedAt: at,
    },
    audit(`${id}:seed`),
  );
  return { atInterview: `${campaign}.${a}`, rectifying: `${campaign}.${b}`, oldRectification: `${campaign}.${c}` };
}

/** A plan period the expectations count in calendar days: the sample plan gives these as bare numbers. */
function calendarDays(figure: DaysOrPeriod): number {
  if (typeof figure !== 'number') throw new Error(`the sample plan was expected to give calendar days, got ${JSON.stringify(figure)}`);
  return figure;
}

describe('a whole year', () => {
  it('runs the sample district from 1 January to 31 December on the calendar', async () => {
    const { env, harness, plan, year: YEAR } = fx;
    const COVERAGE = `${J}-coverage-${YEAR}`;
    const FLYING = `${J}-flying-${YEAR}`;
    const leader = plan.leaders[0].id;
    const lastYear = await seedLastYearsOpenCases();
    const institutions = plan.institutions.map((i) => i.id);
    const late = institutions.slice(40, 42);
    const never = institutions.slice(42);
    const violators = institutions.slice(3, 8);
    const unrectified = violators.slice(3);
    // Inspected in February; then a clue and data anomalies of the year make them eligible for a flying check.
    const signalled = institutions.slice(10, 13);
    await harness.store.importRiskSignals(
      signalled.map((institutionId, n) => ({
        jurisdiction: J,
        reference: `${n === 0 ? 'JB' : 'YD'}-${YEAR}-${n + 1}`,
        institutionId,
        kind: n === 0 ? ('clue' as const) : ('data-anomaly' as const),
        date: `${YEAR}-05-0${n + 1}`,
        note: n === 0 ? '举报：挂床住院' : '智能监控：超量开药',
      })),
    );
    let flyingTargets: string[] = [];
    let flyingViolator = '';
    const flyingFindingsAt = new Map<string, number>();
    const doctor = 'D34990100001';

    const {
      result: cycleResult,
      coverage,
      points,
    } = await harness.run(async () => {
      const cycle = await env.client.workflow.start(annualCycle, {
        workflowId: `annual:${J}:${YEAR}`,
        taskQueue: harness.taskQueue,
        args: [{ jurisdiction: J, year: YEAR }],
      });
      const handle = (id: string) => env.client.workflow.getHandle(id);
      const now = async () => new Date(await env.currentTimeMs()).toISOString();

      // February: 40 institutions inspected, five with violations.
      await sleepUntil(local(`${YEAR}-02-10T10:00`));
      const { drawSeed } = (await harness.store.getCampaign(COVERAGE))!;
      const team = (id: string) => drawTeam(drawSeed, plan.inspectors, id, plan.inspection.teamSize);
      for (const id of institutions.slice(0, 40)) {
        const violation = violators.includes(id);
        const items = violation ? [{ category: '分解住院', description: '将一次住院分解为两次结算', amountFen: 300_000 }] : [];
        await handle(`inspection:${COVERAGE}:${id}`).executeUpdate(recordFindingsUpdate, {
          args: [{ inspectorId: team(id)[0], inspectedAt: await now(), violation, items }],
        });
      }
      // Mid-March: the closure review is running; one of last year's cases gets closed (as its case workflow would).
      await sleepUntil(local(`${YEAR}-03-10T10:00`));
      const rectifying = (await harness.store.getCase(`case:${J}:${lastYear.rectifying}`))!;
      await harness.store.saveCase(
        { ...rectifying, stage: 'closed', open: false, outcome: '按期整改', updatedAt: await now() },
        {
          key: `${rectifying.id}:closed`,
          actor: 'test',
          action: 'closed',
          subjectType: 'case',
          subjectId: rectifying.id,
          reason: '整改到位',
          detail: {},
          at: await now(),
        },
      );
      // Rechecks before the 30-day rectification deadline (from 10 February): three rectified, two not. The rectified
      // three are fined 1× their loss by a leader (not the recording inspector) and pay in full.
      await sleepUntil(local(`${YEAR}-03-11T10:00`));
      for (const id of violators) {
        const theCase = handle(`case:${J}:${COVERAGE}.${id}`);
        const rectified = !unrectified.includes(id);
        await theCase.executeUpdate(caseRecheckUpdate, { args: [{ inspectorId: team(id)[1], checkedAt: await now(), rectified }] });
        if (!rectified) continue;
        await theCase.executeUpdate(decidePenaltyUpdate, {
          args: [{ decidedBy: leader, fines: [{ article: '38', multiple: 1 }], reason: '分解住院，违反条例第三十八条' }],
        });
        await theCase.executeUpdate(recordPaymentUpdate, {
          args: [{ amountFen: 600_000, paidAt: await now(), reference: `PAY-${id}`, recordedBy: leader }],
        });
      }

      // Flying checks from 1 July, on the eligible pool (the signalled three and the four not visited yet): the
      // signalled three visited, one violation, stated against.
      await sleepUntil(local(`${YEAR}-07-02T10:00`));
      const flying = await handle(`flying:${J}:${YEAR}`).query(flyingChecksStatusQuery);
      flyingTargets = [...flying.random, ...flying.risk];
      flyingViolator = flyingTargets.find((id) => signalled.includes(id))!;
      for (const id of flyingTargets.filter((target) => signalled.includes(target))) {
        const inspection = handle(`inspection:${FLYING}:${id}`);
        const { team: flyingTeam } = await inspection.query(inspectionStatusQuery);
        const violation = id === flyingViolator;
        flyingFindingsAt.set(id, await env.currentTimeMs());
        const items = violation ? [{ category: '挂床住院', description: '患者未在院，按住院结算', amountFen: 500_000 }] : [];
        await inspection.executeUpdate(recordFindingsUpdate, {
          args: [{ inspectorId: flyingTeam[0], inspectedAt: await now(), violation, items }],
        });
      }
      await handle(`inspection:${FLYING}:${flyingViolator}`).executeUpdate(submitStatementUpdate, {
        args: [{ submittedBy: '院长 李某', text: '对结算金额有异议，已补充材料。' }],
      });

      // August: two late reports after the 31 July deadline, within the late window, refused: the flying check had
      // the year's on-site inspection. The flying case is concluded after its statement period, rechecked as
      // rectified, fined 1.5× with 3 points for the doctor, and paid.
      await sleepUntil(local(`${YEAR}-08-05T10:00`));
      for (const id of late) {
        const covered = await handle(`inspection:${COVERAGE}:${id}`).executeUpdate(recordFindingsUpdate, {
          args: [{ inspectorId: team(id)[0], inspectedAt: await now(), violation: false }],
        });
        expect(covered).toMatchObject({ stage: 'covered', coveredBy: [`inspection:${FLYING}:${id}`] });
      }
      const flyingInspection = await handle(`inspection:${FLYING}:${flyingViolator}`).query(inspectionStatusQuery);
      expect(flyingInspection).toMatchObject({ stage: 'case-opened', caseId: `case:${J}:${FLYING}.${flyingViolator}` });
      const flyingCase = handle(flyingInspection.caseId!);
      await flyingCase.executeUpdate(caseRecheckUpdate, {
        args: [{ inspectorId: flyingInspection.team[1], checkedAt: await now(), rectified: true }],
      });
      await flyingCase.executeUpdate(decidePenaltyUpdate, {
        args: [
          {
            decidedBy: leader,
            fines: [{ article: '38', multiple: 1.5 }],
            practitioners: [{ practitionerId: doctor, tier: 1, points: 3, reason: '虚记住院天数' }],
            reason: '挂床住院，违反条例第三十八条',
          },
        ],
      });
      await flyingCase.executeUpdate(recordPaymentUpdate, {
        args: [{ amountFen: 1_250_000, paidAt: await now(), reference: `PAY-${flyingViolator}`, recordedBy: leader }],
      });

      // October: the look-back of the flying violator (90 days after its findings) finds nothing.
      await sleepUntil(local(`${YEAR}-10-20T10:00`));
      const lookBack = await handle(`inspection:${FLYING}-lookback:${flyingViolator}`).query(inspectionStatusQuery);
      await handle(`inspection:${FLYING}-lookback:${flyingViolator}`).executeUpdate(recordFindingsUpdate, {
        args: [{ inspectorId: lookBack.team[0], inspectedAt: await now(), violation: false }],
      });

      const result = await cycle.result();
      // The rest of the year: nothing more is due; every workflow of the year has ended by 31 December 23:59.
      await sleepUntil(local(`${YEAR}-12-31T23:59`));
      // Queries need the worker: ask them before it stops.
      const coverage = await handle(`coverage:${J}:${YEAR}`).query(coverageStatusQuery);
      const points = await handle(pointsWorkflowId(doctor, YEAR)).query(pointsStatusQuery);
      return { result, coverage, points };
    });

    const sent = harness.sent;
    const of = (kind: string, keyPart = '') => sent.filter((s) => s.kind === kind && s.key.includes(keyPart));
    const at = (kind: string, keyPart = '') => [...new Set(of(kind, keyPart).map((s) => minutes(s.at)))].sort();
    const days = (dates: string[], time: string) => dates.map((d) => minutes(local(`${YEAR}-${d}T${time}`)));

    // Nothing went out twice: every delivery has its own idempotency key.
    const keys = sent.map((s) => s.key);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);

    // Closure review (March): a closing deadline per case at its start (09:00, 1 March), reminders at 09:00 on the
    // offsets inside March listing only the cases still open, escalations at the deadline (31 March 23:59) and every
    // escalation window after it, the plan's number of times, each listing the cases still open.
    const closureDeadline = of('pending-reminder', ':closing-deadline:');
    expect(at('pending-reminder', ':closing-deadline:')).toEqual(days(['03-01'], '09:00'));
    expect(closureDeadline.map((s) => s.text).join('\n')).toContain(lastYear.atInterview);
    for (const caseNo of Object.values(lastYear)) expect(closureDeadline.some((s) => s.text.includes(caseNo))).toBe(true);
    expect(at('pending-reminder', ':closing-reminder:')).toEqual(days(['03-17', '03-24', '03-30'], '09:00'));
    for (const reminder of of('pending-reminder', ':closing-reminder:')) expect(reminder.text).not.toContain(lastYear.rectifying);
    const { escalationWindowDays, maxEscalations } = plan.closureReview;
    const deadline = DateTime.fromJSDate(local(`${YEAR}-03-31T23:59`), { zone: 'Asia/Shanghai' });
    const escalationDays = Array.from({ length: maxEscalations }, (_, n) =>
      minutes(deadline.plus({ days: n * escalationWindowDays }).toJSDate()),
    );
    expect(at('pending-escalation', ':closing-overdue:')).toEqual(escalationDays);
    for (const escalation of of('pending-escalation', ':closing-overdue:')) {
      expect(escalation.text).toContain(lastYear.atInterview);
      expect(escalation.text).toContain(lastYear.oldRectification);
      expect(escalation.text).not.toContain(lastYear.rectifying);
    }
    // The deadlines are in the ledger, and so is what each case came to at the end of the review.
    const [recorded] = await harness.store.listClosureDeadlines(`case:${J}:${lastYear.atInterview}`);
    expect(recorded).toMatchObject({ dueAt: local(`${YEAR}-03-31T23:59`).toISOString(), result: 'open' });
    expect((await harness.store.listClosureDeadlines(`case:${J}:${lastYear.rectifying}`))[0]).toMatchObject({ result: 'closed' });

    // Full coverage: unit reminders at 09:00 on 07-01/07-17/07-24/07-30, the uncovered list at 31 July 23:59.
    expect(at('pending-reminder', ':uninspected-reminder:')).toEqual(days(['07-01', '07-17', '07-24', '07-30'], '09:00'));
    const uncovered = of('pending-escalation', `coverage:${J}:${YEAR}:uncovered`);
    expect(uncovered.flatMap((s) => listed(s.text)).sort()).toEqual([...late, ...never].sort());
    expect(at('pending-escalation', `coverage:${J}:${YEAR}:uncovered`)).toEqual([minutes(local(`${YEAR}-07-31T23:59`))]);

    // Each uninspected inspection: its team reminded on the offsets, overdue escalated at the deadline; the two that
    // never report are given up at the end of the late window (30 days later, 09:00) and escalated to leader and unit.
    for (const id of [...late, ...never]) {
      expect(at('findings-reminder', `${COVERAGE}:${id}:`)).toEqual(days(['07-01', '07-17', '07-24', '07-30'], '09:00'));
      expect(at('findings-overdue', `${COVERAGE}:${id}:`)).toEqual([minutes(local(`${YEAR}-07-31T23:59`))]);
    }
    for (const id of never) {
      const [gaveUp] = of('unreported', `${COVERAGE}:${id}:`);
      expect(minutes(gaveUp.at)).toBe(minutes(local(`${YEAR}-08-30T09:00`)));
      const institution = plan.institutions.find((i) => i.id === id)!;
      const unit = plan.responsibleUnits.find((u) => u.id === institution.responsibleUnitId)!;
      expect(gaveUp.to).toEqual([plan.leaders.find((l) => l.id === unit.leaderId)!.email, unit.email]);
    }
    for (const id of late) expect(of('unreported', `${COVERAGE}:${id}:`)).toEqual([]);
    // The tracking ends at the end of the late-findings window's last day (the last inspections gave up on 30 August
    // at 09:00): each leader is told that two were made up and two are still missing.
    const closed = of('coverage-closed');
    expect(closed.map((s) => s.to[0]).sort()).toEqual(plan.leaders.map((l) => l.email).sort());
    for (const c of closed) {
      expect(c.subject).toContain('期限后补检 2 家，仍未检查 2 家');
      expect(listed(c.text).sort()).toEqual([...never].sort());
      expect(minutes(c.at)).toBe(minutes(local(`${YEAR}-08-30T23:59`)));
    }

    // Cases of full coverage: rectification orders at the findings (10 February 10:00; deadline 12 March 23:59),
    // reminders 7 and 1 days before; the unrectified two summoned to an interview at the recheck, due 15 days later,
    // and escalated when nobody decides, at its deadline and every escalation window, plan.cases.maxEscalations times.
    for (const id of violators) {
      expect(at('case-rectification-order', `${COVERAGE}.${id}:`)).toEqual([minutes(local(`${YEAR}-02-10T10:00`))]);
      expect(at('case-rectification-reminder', `${COVERAGE}.${id}:`)).toEqual(days(['03-05', '03-11'], '09:00'));
    }
    const interviewDue = DateTime.fromJSDate(local(`${YEAR}-03-11T23:59`), { zone: 'Asia/Shanghai' }).plus({
      days: calendarDays(plan.cases.interviewPeriodDays),
    });
    const interviewEscalations = Array.from({ length: plan.cases.maxEscalations }, (_, n) =>
      minutes(interviewDue.plus({ days: n * calendarDays(plan.cases.escalationWindowDays) }).toJSDate()),
    );
    for (const id of unrectified) {
      expect(at('case-interview-notice', `${COVERAGE}.${id}:`)).toEqual([minutes(local(`${YEAR}-03-11T10:00`))]);
      expect(at('case-interview-escalation', `${COVERAGE}.${id}:`)).toEqual(interviewEscalations);
    }
    for (const id of violators) {
      const row = await harness.store.getCase(`case:${J}:${COVERAGE}.${id}`);
      expect(row, id).toMatchObject(
        unrectified.includes(id) ? { stage: 'interview', open: true, overdue: true } : { stage: 'closed', open: false, paidFen: 600_000 },
      );
    }

    // Flying checks: the eligible pool is exactly the signalled three and the four not visited by July (everyone else
    // had the year's on-site inspection in February); unannounced: no visited target's contacts got any message
    // before its visit; the violator's findings fed back with a statement period, its case concluded after it; the
    // look-back ordered and done.
    expect(flyingTargets.sort()).toEqual([...signalled, ...late, ...never].sort());
    for (const id of flyingFindingsAt.keys()) {
      const contacts = new Set(plan.institutions.find((i) => i.id === id)!.contacts.map((c) => c.email));
      const before = sent.filter(
        (s) => s.at.getTime() < flyingFindingsAt.get(id)! && s.to.some((to) => contacts.has(to)) && s.key.includes(FLYING),
      );
      expect(before, id).toEqual([]);
    }
    expect(at('findings-feedback', `${FLYING}:${flyingViolator}:`)).toEqual([minutes(local(`${YEAR}-07-02T10:00`))]);
    expect(of('statement-forward', `${FLYING}:${flyingViolator}:`)).toHaveLength(1);
    expect(await harness.store.getCase(`case:${J}:${FLYING}.${flyingViolator}`)).toMatchObject({
      stage: 'closed',
      open: false,
      paidFen: 1_250_000,
      fineFen: 750_000,
    });
    const lookBack = await env.client.workflow.getHandle(lookBackWorkflowId(FLYING, flyingViolator)).describe();
    expect(lookBack.status.name).toBe('COMPLETED');
    expect((await harness.store.getInspection(`inspection:${FLYING}-lookback:${flyingViolator}`))?.stage).toBe('compliant');
    // Its on-site inspections of the year: coverage's, the flying check's for its clue or data lead, the look-back.
    const lead = signalled.indexOf(flyingViolator) === 0 ? 'clue' : 'data-lead';
    expect((await harness.store.listOnSiteInspections(J, flyingViolator, YEAR)).map((c) => c.reason)).toEqual([null, lead, 'look-back']);
    // The doctor's points of the case, in the practitioner's workflow of the year.
    expect(points).toMatchObject({ year: YEAR, total: 3, eligibility: 'eligible' });

    // Ledger at year end.
    const stages = Object.fromEntries((await harness.store.listInspections(COVERAGE)).map((r) => [r.institutionId, r.stage]));
    for (const id of late) expect(stages[id]).toBe('covered');
    // The flying check's claim is the year's only on-site inspection of the late two.
    for (const id of late) {
      expect((await harness.store.listOnSiteInspections(J, id, YEAR)).map((c) => c.inspectionId)).toEqual([`inspection:${FLYING}:${id}`]);
    }
    for (const id of never) expect(stages[id]).toBe('unreported');
    for (const id of violators) expect(stages[id]).toBe('case-opened');
    expect(coverage).toMatchObject({ stage: 'completed', uncoveredAtDeadline: 4, uninspectedAtEnd: 2 });

    // The year-end summary on 18 December 09:00 to the leadership mailbox, with the ledger's figures.
    const summary = of('year-summary');
    expect(summary.map((s) => minutes(s.at))).toEqual([minutes(local(`${YEAR}-12-18T09:00`))]);
    expect(summary[0].to).toEqual([plan.notifications.leadershipEmail]);
    expect(cycleResult.stage).toBe('summarised');
    // Overdue: the two coverage inspections never reported, and the four flying inspections whose teams never reported.
    expect(cycleResult.summary).toMatchObject({ year: YEAR, withViolations: 6, lossFen: 5 * 300_000 + 500_000, open: 2, overdue: 6 });
    expect(cycleResult.summary!.inspections).toBe(44 + flyingTargets.length + 1);
    // On-site inspections made: all but the six never reported and the two late ones covered by the flying check.
    expect(cycleResult.summary!.inspected).toBe(44 + flyingTargets.length + 1 - 6 - late.length);
    expect(cycleResult.summary!.cases).toMatchObject({
      opened: 6,
      closed: 4,
      open: 2,
      lossFen: 5 * 300_000 + 500_000,
      fineFen: 3 * 300_000 + 750_000,
      paidFen: 3 * 600_000 + 1_250_000,
    });
    expect(summary[0].text).toContain('发现问题机构 6 家');

    // Every workflow of the year has ended within the history budget.
    const ids = [
      `annual:${J}:${YEAR}`,
      `coverage:${J}:${YEAR}`,
      `closure-review:${J}:${YEAR}`,
      `flying:${J}:${YEAR}`,
      lookBackWorkflowId(FLYING, flyingViolator),
      ...[COVERAGE, FLYING, `${FLYING}-lookback`].flatMap((c) => institutions.map((i) => `inspection:${c}:${i}`)),
      ...[...violators.map((id) => `${COVERAGE}.${id}`), `${FLYING}.${flyingViolator}`].map((caseNo) => `case:${J}:${caseNo}`),
      pointsWorkflowId(doctor, YEAR),
    ];
    const histories: Record<string, number> = {};
    for (const id of ids) {
      const description = await env.client.workflow
        .getHandle(id)
        .describe()
        .catch(() => undefined);
      if (!description) continue;
      histories[id] = Number(description.raw.workflowExecutionInfo?.historyLength ?? 0);
      // Cases left open at the interview wait out their escalations and stay open in the ledger for next March; the
      // practitioner's year ends with the year itself.
      if (!id.startsWith('case:') && !id.startsWith('points:')) expect(description.status.name, id).toBe('COMPLETED');
    }
    expect(Object.keys(histories).length).toBe(5 + 44 + flyingTargets.length + 1 + 6 + 1);
    const largest = Object.entries(histories).sort((a, b) => b[1] - a[1])[0];
    expect(largest[1], largest[0]).toBeLessThanOrEqual(HISTORY_BUDGET);
    if (process.env.JIANGUAN_YEAR_HISTORIES) writeFileSync(process.env.JIANGUAN_YEAR_HISTORIES, JSON.stringify(histories));
  });
});
