// A whole supervision year of the sample district (清溪区, 44 institutions) on the time-skipping server, 1 January to
// 18 December 2027, with scripted inspector answers: most inspected in February (five with violations, each opening a
// case: three rectified, fined and paid, two not and left at the interview), two reported late in August, two never. Every reminder, escalation and the year-end summary is
// checked against the plan's calendar (Asia/Shanghai).
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { drawTeam } from '../../domain/draw';
import { annualCycle } from '../../workflows/annual-cycle';
import { flyingChecksStatusQuery } from '../../workflows/flying';
import { caseRecheckUpdate, decidePenaltyUpdate, recordPaymentUpdate } from '../../workflows/case';
import { recordFindingsUpdate } from '../../workflows/inspection';
import { useYearFixture } from '../helpers/year-fixture';

const fx = useYearFixture();

/** A local date-time in Asia/Shanghai as an instant. */
const local = (text: string) => DateTime.fromISO(text, { zone: 'Asia/Shanghai' }).toJSDate();
const minutes = (d: Date) => d.toISOString().slice(0, 16);

async function sleepUntil(at: Date): Promise<void> {
  const ms = at.getTime() - (await fx.env.currentTimeMs());
  if (ms > 0) await fx.env.sleep(ms);
}

/** Last year's cases still open, as the closure review reads them from the ledger. */
async function seedLastYearsOpenCases(): Promise<string[]> {
  const { harness, plan, year } = fx;
  const campaign = `349901-coverage-${year - 1}`;
  const last = (monthDayTime: string) => `${year - 1}-${monthDayTime}`;
  await harness.store.ensureCampaign({ id: campaign, jurisdiction: '349901', kind: 'coverage', title: `${year - 1}年全覆盖现场检查`, year: year - 1, startsAt: last('01-01T00:00:00Z'), dueAt: last('07-31T15:59:00Z'), drawSeed: 'old' });
  const open = plan.institutions.slice(0, 3).map((i) => i.id);
  for (const [n, institutionId] of open.entries()) {
    const id = `inspection:${campaign}:${institutionId}`;
    await harness.store.saveInspection(
      { id, campaignId: campaign, institutionId, team: ['insp-01', 'insp-02'], drawSeed: 'old', announced: true, stage: n === 0 ? 'unrectified' : 'rectifying', dueAt: last('07-31T15:59:00Z'), rectificationDueAt: last('09-30T15:59:00Z'), updatedAt: last('10-01T00:00:00Z') },
      { key: `${id}:seed`, actor: 'test', action: 'seeded', subjectType: 'inspection', subjectId: id, reason: 'last year', detail: {}, at: last('10-01T00:00:00Z') },
    );
  }
  return open;
}

describe('a whole year', () => {
  it('runs the sample district from 1 January to the year-end summary on the calendar', async () => {
    const { env, harness, plan, year: YEAR } = fx;
    const COVERAGE = `349901-coverage-${YEAR}`;
    const openCases = await seedLastYearsOpenCases();
    const institutions = plan.institutions.map((i) => i.id);
    const late = institutions.slice(40, 42);
    const never = institutions.slice(42);
    const violators = institutions.slice(3, 8);
    const unrectified = violators.slice(3);

    const result = await harness.run(async () => {
      const cycle = await env.client.workflow.start(annualCycle, { workflowId: `annual:349901:${YEAR}`, taskQueue: harness.taskQueue, args: [{ jurisdiction: '349901', year: YEAR }] });
      const inspection = (id: string) => env.client.workflow.getHandle(`inspection:${COVERAGE}:${id}`);
      const caseOf = (id: string) => env.client.workflow.getHandle(`case:349901:${COVERAGE}.${id}`);
      const now = async () => new Date(await env.currentTimeMs()).toISOString();

      // February: 40 institutions inspected, five with violations.
      await sleepUntil(local(`${YEAR}-02-10T10:00`));
      const { drawSeed } = (await harness.store.getCampaign(COVERAGE))!;
      const team = (id: string) => drawTeam(drawSeed, plan.inspectors, id, plan.inspection.teamSize);
      for (const id of institutions.slice(0, 40)) {
        const violation = violators.includes(id);
        const items = violation ? [{ category: '分解住院', description: '将一次住院分解为两次结算', amountFen: 300_000 }] : [];
        await inspection(id).executeUpdate(recordFindingsUpdate, { args: [{ inspectorId: team(id)[0], inspectedAt: await now(), violation, items }] });
      }
      // Mid-March: the closure review is running; one of last year's cases gets closed (as the case workflow would).
      await sleepUntil(local(`${YEAR}-03-10T10:00`));
      const closed = (await harness.store.getInspection(`inspection:349901-coverage-${YEAR - 1}:${openCases[1]}`))!;
      await harness.store.saveInspection({ ...closed, stage: 'rectified', updatedAt: await now() }, { key: `${closed.id}:closed`, actor: 'test', action: 'closed', subjectType: 'inspection', subjectId: closed.id, reason: 'rectified', detail: {}, at: await now() });
      // Rechecks in the cases before their 30-day rectification deadline (from 10 February): three rectified, two not.
      // The rectified three are fined 1× their loss by a leader (not the recording inspector) and pay in full.
      await sleepUntil(local(`${YEAR}-03-11T10:00`));
      for (const id of violators) {
        const handle = caseOf(id);
        const rectified = !unrectified.includes(id);
        await handle.executeUpdate(caseRecheckUpdate, { args: [{ inspectorId: team(id)[1], checkedAt: await now(), rectified }] });
        if (!rectified) continue;
        await handle.executeUpdate(decidePenaltyUpdate, { args: [{ decidedBy: plan.leaders[0].id, fines: [{ article: '38', multiple: 1 }], reason: '分解住院，违反条例第三十八条' }] });
        await handle.executeUpdate(recordPaymentUpdate, { args: [{ amountFen: 600_000, paidAt: await now(), reference: `PAY-${id}`, recordedBy: plan.leaders[0].id }] });
      }
      // Flying checks from 1 July: the drawn teams report no violations (the campaign's own test covers the rest).
      await sleepUntil(local(`${YEAR}-07-02T10:00`));
      const flying = await env.client.workflow.getHandle(`flying:349901:${YEAR}`).query(flyingChecksStatusQuery);
      const flyingSeed = flying.seed!;
      for (const id of [...flying.random, ...flying.risk]) {
        const inspectorId = drawTeam(flyingSeed, plan.inspectors, id, plan.inspection.teamSize)[0];
        await env.client.workflow.getHandle(`inspection:349901-flying-${YEAR}:${id}`).executeUpdate(recordFindingsUpdate, { args: [{ inspectorId, inspectedAt: await now(), violation: false }] });
      }
      // August: two late reports after the 31 July deadline, within the late window.
      await sleepUntil(local(`${YEAR}-08-05T10:00`));
      for (const id of late) {
        await inspection(id).executeUpdate(recordFindingsUpdate, { args: [{ inspectorId: team(id)[0], inspectedAt: await now(), violation: false }] });
      }
      return cycle.result();
    });

    const at = (kind: string, keyPart = '') => [...new Set(harness.sent.filter((s) => s.kind === kind && s.key.includes(keyPart)).map((s) => minutes(s.at)))].sort();

    // Closure review (March): deadlines notified at its start, reminders at 09:00 on the offsets inside March, escalation at 31 March 23:59.
    expect(at('pending-reminder', ':closing-deadline:')).toEqual([minutes(local(`${YEAR}-03-01T09:00`))]);
    expect(at('pending-reminder', ':closing-reminder:')).toEqual([`${YEAR}-03-17`, `${YEAR}-03-24`, `${YEAR}-03-30`].map((d) => minutes(local(`${d}T09:00`))));
    expect(at('pending-escalation', 'closure-review:')).toEqual([minutes(local(`${YEAR}-03-31T23:59`))]);
    const closureEscalated = harness.sent.filter((s) => s.kind === 'pending-escalation' && s.key.startsWith('closure-review:')).flatMap((s) => [...s.text.matchAll(/（([A-Z0-9]+)）/g)].map((m) => m[1]));
    expect(closureEscalated.sort()).toEqual([openCases[0], openCases[2]].sort());

    // Full coverage: unit reminders at 09:00 on 07-01/07-17/07-24/07-30, the uncovered list at 31 July 23:59.
    expect(at('pending-reminder', ':uninspected-reminder:')).toEqual([`${YEAR}-07-01`, `${YEAR}-07-17`, `${YEAR}-07-24`, `${YEAR}-07-30`].map((d) => minutes(local(`${d}T09:00`))));
    const uncovered = harness.sent.filter((s) => s.kind === 'pending-escalation' && s.key.startsWith('coverage:')).flatMap((s) => [...s.text.matchAll(/（([A-Z0-9]+)）/g)].map((m) => m[1]));
    expect(uncovered.sort()).toEqual([...late, ...never].sort());
    expect(at('pending-escalation', 'coverage:')).toEqual([minutes(local(`${YEAR}-07-31T23:59`))]);

    // Each uninspected inspection: its own reminders to the team, overdue escalation at the deadline.
    for (const id of [...late, ...never]) {
      expect(at('findings-reminder', `:${id}:`)).toEqual([`${YEAR}-07-01`, `${YEAR}-07-17`, `${YEAR}-07-24`, `${YEAR}-07-30`].map((d) => minutes(local(`${d}T09:00`))));
      expect(at('findings-overdue', `coverage-${YEAR}:${id}:`)).toEqual([minutes(local(`${YEAR}-07-31T23:59`))]);
    }
    // Cases: rectification orders in February (deadline 12 March 23:59), reminders 7 and 1 days before it; rechecked
    // after both. The unrectified two are summoned to an interview at the recheck, and escalated when nobody decides.
    for (const id of violators) {
      expect(at('case-rectification-order', `.${id}:`)).toEqual([minutes(local(`${YEAR}-02-10T10:00`))]);
      expect(at('case-rectification-reminder', `.${id}:`)).toEqual([`${YEAR}-03-05`, `${YEAR}-03-11`].map((d) => minutes(local(`${d}T09:00`))));
    }
    for (const id of unrectified) {
      expect(at('case-interview-notice', `.${id}:`)).toEqual([minutes(local(`${YEAR}-03-11T10:00`))]);
      // Interview due 15 days after the recheck; escalated at the deadline and every 15 days, plan.cases.maxEscalations times.
      expect(at('case-interview-escalation', `.${id}:`)).toEqual([`${YEAR}-03-26`, `${YEAR}-04-10`, `${YEAR}-04-25`].map((d) => minutes(local(`${d}T23:59`))));
    }
    for (const id of violators) {
      const row = await harness.store.getCase(`case:349901:${COVERAGE}.${id}`);
      expect(row, id).toMatchObject(unrectified.includes(id) ? { stage: 'interview', open: true, overdue: true } : { stage: 'closed', open: false, paidFen: 600_000 });
    }

    // Ledger at year end.
    const stages = Object.fromEntries((await harness.store.listInspections(COVERAGE)).map((r) => [r.institutionId, r.stage]));
    for (const id of late) expect(stages[id]).toBe('compliant');
    for (const id of never) expect(stages[id]).toBe('unreported');
    for (const id of violators) expect(stages[id]).toBe('case-opened');

    // The year-end summary on 18 December 09:00 to the leadership mailbox, with the ledger's figures.
    const summary = harness.sent.filter((s) => s.kind === 'year-summary');
    expect(summary.map((s) => minutes(s.at))).toEqual([minutes(local(`${YEAR}-12-18T09:00`))]);
    expect(summary[0].to).toEqual([plan.notifications.leadershipEmail]);
    expect(result.stage).toBe('summarised');
    expect(result.summary).toMatchObject({ year: YEAR, withViolations: 5, lossFen: 5 * 300_000, open: 2, overdue: 2 });
    expect(result.summary!.inspections).toBe(44 + plan.flyingCheck.randomCount + plan.flyingCheck.riskCount);
    expect(result.summary!.campaigns).toBe(3); // coverage, flying checks, look-backs
    expect(result.summary!.cases).toMatchObject({ opened: 5, closed: 3, open: 2, lossFen: 5 * 300_000, fineFen: 3 * 300_000, paidFen: 3 * 600_000 });
    expect(summary[0].text).toContain('发现问题机构 5 家');
  });
});
