// The closure review (结案检查) on the time-skipping server with the real activities: last year's open cases seeded in
// the ledger (case records of the case workflow, and rectifications still open in inspections from before cases
// existed) get their closing deadline recorded per case; the notices list case numbers with what is outstanding;
// reminders at the plan's offsets list only the cases still open then; past the deadline the leaders get the open
// cases at the deadline and again every escalation window, the plan's number of times; at the end the ledger records
// what remained open. All instants in Asia/Shanghai.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DateTime } from 'luxon';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PLAN_FILE, loadPlan, type Plan, type PlanInput } from '../../config';
import type { CaseRecord, InspectionRecord } from '../../records/types';
import { closureReview } from '../../workflows/closure-review/workflow';
import { closureReviewStatusQuery } from '../../workflows/closure-review/api';
import { lastYearsCase } from '../helpers/case-records';
import { createHarness, type Harness, type SentNotification } from '../helpers/workflow-harness';
import { resultAtRest, useServerPerTest } from '../helpers/workflow-test';

const J = '349901';
const local = (text: string) => DateTime.fromISO(text, { zone: 'Asia/Shanghai' }).toJSDate();
const minutes = (d: Date) => d.toISOString().slice(0, 16);

const fx = {} as { env: TestWorkflowEnvironment };
let plan: Plan;
let year: number;
const dirs: string[] = [];

useServerPerTest(fx);
beforeAll(async () => {
  plan = await loadPlan(DEFAULT_PLAN_FILE);
});

afterAll(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The next year on the server's clock, whose March lies ahead. */
async function nextYear(): Promise<number> {
  return new Date(await fx.env.currentTimeMs()).getUTCFullYear() + 1;
}

async function sleepUntil(at: Date): Promise<void> {
  const ms = at.getTime() - (await fx.env.currentTimeMs());
  if (ms > 0) await fx.env.sleep(ms);
}

/** The sample plan with some keys changed, written to a temporary file. */
function planWith(change: (p: PlanInput) => void): string {
  const input = YAML.parse(readFileSync(DEFAULT_PLAN_FILE, 'utf8')) as PlanInput;
  change(input);
  const dir = mkdtempSync(path.join(tmpdir(), 'jianguan-closure-plan-'));
  dirs.push(dir);
  const file = path.join(dir, 'plan.yaml');
  writeFileSync(file, YAML.stringify(input));
  return file;
}

const audit = (key: string, at: string) => ({
  key,
  actor: 'test',
  action: 'seeded',
  subjectType: 'case',
  subjectId: key.split('#')[0],
  reason: 'seed',
  detail: {},
  at,
});

interface Seeded {
  /** Case numbers (案件编号) by role. */
  undecided: string;
  unpaid: string;
  closedMidReview: string;
  unrectifiedOld: string;
  rectifyingOld: string;
  /** Not part of the review: closed last year, or opened this year. */
  closedLastYear: string;
  thisYear: string;
  caseRow: (caseNo: string) => Promise<CaseRecord>;
  inspectionRow: (caseNo: string) => Promise<InspectionRecord>;
}

/** Last year's cases in the ledger as the case workflow and old inspections left them. */
async function seed(harness: Harness, reviewYear: number): Promise<Seeded> {
  const { store } = harness;
  const last = reviewYear - 1;
  const institutions = plan.institutions;
  await store.upsertInstitutions(
    institutions.map((i) => ({
      jurisdiction: J,
      id: i.id,
      name: i.name,
      kind: i.kind,
      level: i.level ?? null,
      ownership: i.ownership,
      district: i.district,
      responsibleUnitId: i.responsibleUnitId,
      contacts: [],
    })),
  );
  const campaign = `${J}-coverage-${last}`;
  const at = `${last}-10-01T02:00:00.000Z`;
  const caseNo = (n: number) => `${campaign}.${institutions[n].id}`;
  const saveCase = (n: number, row: Partial<CaseRecord>) =>
    store.saveCase(
      lastYearsCase({ jurisdiction: J, year: last, institutionId: institutions[n].id, updatedAt: at }, row),
      audit(`case:${J}:${caseNo(n)}#${row.stage ?? 'rectifying'}`, at),
    );
  // 0: at the interview, overdue, no penalty decision (未处罚到位、未整改到位).
  await saveCase(0, { stage: 'interview', overdue: true, dueAt: `${last}-07-15T15:59:00.000Z` });
  // 1: terminated, fined 1× and 1,000 yuan paid of 6,000 (未执行到位), a referral to the police unacknowledged.
  await saveCase(1, { stage: 'terminated', fineFen: 300_000, paidFen: 100_000, outcome: '未结：罚没款未缴清；公安机关未回执' });
  await store.saveReferral(
    {
      caseId: `case:${J}:${caseNo(1)}`,
      agency: 'public-security',
      reason: '涉嫌欺诈骗保',
      status: 'unacknowledged',
      sentAt: `${last}-08-01T02:00:00.000Z`,
      dueAt: `${last}-08-11T15:59:00.000Z`,
      acknowledgedAt: null,
      acknowledgedBy: null,
      reference: null,
    },
    audit(`case:${J}:${caseNo(1)}#referral`, at),
  );
  // 2: still rectifying; closed in the middle of the review.
  await saveCase(2, { stage: 'rectifying', dueAt: `${reviewYear}-03-25T15:59:00.000Z` });
  // 3: closed last year; 4: opened this year. Neither is reviewed.
  await saveCase(3, { stage: 'closed', open: false, fineFen: 300_000, paidFen: 600_000, outcome: '按期整改' });
  await store.saveCase(
    {
      id: `case:${J}:${J}-coverage-${reviewYear}.${institutions[4].id}`,
      jurisdiction: J,
      caseNo: `${J}-coverage-${reviewYear}.${institutions[4].id}`,
      year: reviewYear,
      institutionId: institutions[4].id,
      inspectionId: null,
      campaignId: null,
      stage: 'rectifying',
      overdue: false,
      open: true,
      openedAt: `${reviewYear}-01-10T02:00:00.000Z`,
      dueAt: null,
      lossFen: 0,
      fineFen: 0,
      paidFen: 0,
      outcome: null,
      updatedAt: `${reviewYear}-01-10T02:00:00.000Z`,
    },
    audit(`case:${J}:${J}-coverage-${reviewYear}.${institutions[4].id}#this-year`, at),
  );
  // Rectifications of last year's inspections from before cases existed: 5 unrectified, 6 rectifying (rectified
  // after the deadline), 7 rectified (not reviewed).
  const oldCampaign = `${J}-flying-${last}`;
  await store.ensureCampaign({
    id: oldCampaign,
    jurisdiction: J,
    kind: 'flying',
    title: `${last}年飞行检查`,
    year: last,
    startsAt: `${last}-07-01T01:00:00.000Z`,
    dueAt: `${last}-12-15T15:59:00.000Z`,
    drawSeed: 'old',
  });
  for (const [n, stage] of [
    [5, 'unrectified'],
    [6, 'rectifying'],
    [7, 'rectified'],
  ] as const) {
    const id = `inspection:${oldCampaign}:${institutions[n].id}`;
    await store.saveInspection(
      {
        id,
        campaignId: oldCampaign,
        institutionId: institutions[n].id,
        team: ['insp-01', 'insp-02'],
        drawSeed: 'old',
        announced: false,
        stage,
        dueAt: `${last}-08-31T15:59:00.000Z`,
        rectificationDueAt: `${last}-10-31T15:59:00.000Z`,
        updatedAt: at,
      },
      { key: `${id}#seed`, actor: 'test', action: 'seeded', subjectType: 'inspection', subjectId: id, reason: 'seed', detail: {}, at },
    );
  }
  const oldNo = (n: number) => `${oldCampaign}.${institutions[n].id}`;
  return {
    undecided: caseNo(0),
    unpaid: caseNo(1),
    closedMidReview: caseNo(2),
    unrectifiedOld: oldNo(5),
    rectifyingOld: oldNo(6),
    closedLastYear: caseNo(3),
    thisYear: `${J}-coverage-${reviewYear}.${institutions[4].id}`,
    caseRow: async (no) => (await store.getCase(`case:${J}:${no}`))!,
    inspectionRow: async (no) => (await store.getInspection(`inspection:${no.replace(/\.(?=[^.]+$)/, ':')}`))!,
  };
}

/** Case numbers (案件编号) listed in a notice. */
const caseNosIn = (n: SentNotification) => [...n.text.matchAll(/案件编号 (\S+)/g)].map((m) => m[1]).sort();
const of = (sent: SentNotification[], part: string) => sent.filter((s) => s.key.includes(part));
/** Instants (to the minute) at which notices whose key contains `part` went out. */
const instants = (sent: SentNotification[], part: string) => [...new Set(of(sent, part).map((s) => minutes(s.at)))].sort();
/** Every case number listed in the notices whose key contains `part`. */
const listed = (sent: SentNotification[], part: string) => [...new Set(of(sent, part).flatMap(caseNosIn))].sort();

describe('closure review (time-skipping)', () => {
  it('records a closing deadline per open case, reminds and escalates case by case, and records what remained open', async () => {
    year = await nextYear();
    const harness = await createHarness(fx.env);
    try {
      const s = await seed(harness, year);
      const reviewId = `closure-review:${J}:${year}`;
      const all = [s.undecided, s.unpaid, s.closedMidReview, s.unrectifiedOld, s.rectifyingOld].sort();

      const result = await harness.run(async () => {
        const handle = await fx.env.client.workflow.start(closureReview, {
          workflowId: reviewId,
          taskQueue: harness.taskQueue,
          args: [{ jurisdiction: J, year }],
        });
        // Mid-March, between the 14- and 7-day reminders: case 2 is closed (as its case workflow would).
        await sleepUntil(local(`${year}-03-20T10:00`));
        expect(await handle.query(closureReviewStatusQuery)).toMatchObject({ stage: 'reviewing', openAtStart: 5, openNow: 5 });
        const closing = await s.caseRow(s.closedMidReview);
        const at = new Date(await fx.env.currentTimeMs()).toISOString();
        await harness.store.saveCase(
          { ...closing, stage: 'closed', open: false, outcome: '按期整改', updatedAt: at },
          audit(`${closing.id}#closed`, at),
        );
        // After the deadline, between the first and second escalation: the old rectification is rectified.
        await sleepUntil(local(`${year}-04-05T10:00`));
        expect(await handle.query(closureReviewStatusQuery)).toMatchObject({ stage: 'overdue', openAtDeadline: 4, escalations: 1 });
        const old = await s.inspectionRow(s.rectifyingOld);
        await harness.store.saveInspection(
          { ...old, stage: 'rectified', updatedAt: new Date(await fx.env.currentTimeMs()).toISOString() },
          {
            key: `${old.id}#rectified`,
            actor: 'test',
            action: 'rectified',
            subjectType: 'inspection',
            subjectId: old.id,
            reason: 'rectified',
            detail: {},
            at,
          },
        );
        return resultAtRest(handle);
      });
      const { sent } = harness;

      // The deadline, at the review's start (1 March 09:00), to each unit: every open case of last year, by number.
      expect(instants(sent, ':closing-deadline:')).toEqual([minutes(local(`${year}-03-01T09:00`))]);
      expect(listed(sent, ':closing-deadline:')).toEqual(all);
      expect(
        of(sent, ':closing-deadline:').every((n) => n.kind === 'pending-reminder' && n.subject.includes(`须于 ${year}-03-31 23:59 前办结`)),
      ).toBe(true);
      const deadlineText = of(sent, ':closing-deadline:')
        .map((n) => n.text)
        .join('\n');
      const lineOf = (text: string, caseNo: string) => text.split('\n').find((l) => l.includes(`案件编号 ${caseNo} `)) ?? '';
      expect(lineOf(deadlineText, s.undecided)).toContain('未作出处理决定（未处罚到位）');
      expect(lineOf(deadlineText, s.undecided)).toContain('当前环节：约谈');
      expect(lineOf(deadlineText, s.undecided)).toContain('未整改到位');
      expect(lineOf(deadlineText, s.unpaid)).toContain('退回及罚款尚欠 5,000.00 元（未执行到位）');
      expect(lineOf(deadlineText, s.unpaid)).toContain('移送公安机关未回执');
      expect(lineOf(deadlineText, s.unpaid)).not.toContain('未整改到位');
      expect(lineOf(deadlineText, s.unrectifiedOld)).toContain(`当前环节：未整改（期限 ${year - 1}-10-31 23:59，已逾期）；未整改到位`);
      expect(deadlineText).not.toContain(s.closedLastYear);
      expect(deadlineText).not.toContain(s.thisYear);
      // Each unit hears only of its own institutions' cases.
      for (const n of of(sent, ':closing-deadline:')) {
        const unitId = n.key.split(':').at(-1)!;
        const unit = plan.responsibleUnits.find((u) => u.id === unitId)!;
        expect(n.to).toEqual([unit.email]);
        for (const caseNo of caseNosIn(n))
          expect(plan.institutions.find((i) => caseNo.endsWith(`.${i.id}`))!.responsibleUnitId).toBe(unitId);
      }

      // Reminders at 09:00, 14, 7 and 1 days before 31 March (30 days before is the start itself): case 2, closed on
      // 20 March, is in the first only.
      expect(instants(sent, ':closing-reminder:')).toEqual(
        [`${year}-03-17`, `${year}-03-24`, `${year}-03-30`].map((d) => minutes(local(`${d}T09:00`))),
      );
      expect(listed(sent, ':closing-reminder:14:')).toEqual(all);
      for (const offset of [7, 1]) expect(listed(sent, `:closing-reminder:${offset}:`)).toEqual(all.filter((c) => c !== s.closedMidReview));

      // Escalations to the leader (and the unit) at 31 March 23:59, then every 15 days, 3 in all; the rectification
      // rectified on 5 April drops out after the first.
      expect(instants(sent, ':closing-overdue:')).toEqual(
        [`${year}-03-31`, `${year}-04-15`, `${year}-04-30`].map((d) => minutes(local(`${d}T23:59`))),
      );
      expect(listed(sent, ':closing-overdue:1:')).toEqual([s.undecided, s.unpaid, s.unrectifiedOld, s.rectifyingOld].sort());
      for (const round of [2, 3])
        expect(listed(sent, `:closing-overdue:${round}:`)).toEqual([s.undecided, s.unpaid, s.unrectifiedOld].sort());
      for (const n of of(sent, ':closing-overdue:')) {
        const unit = plan.responsibleUnits.find((u) => u.id === n.key.split(':').at(-1))!;
        const leader = plan.leaders.find((l) => l.id === unit.leaderId)!;
        expect(n.kind).toBe('pending-escalation');
        expect(n.to).toEqual([leader.email, unit.email]);
        expect(n.text).toContain(`${leader.name}：`);
      }
      expect(of(sent, ':closing-overdue:2:').every((n) => n.subject.includes('（第 2 次督办）'))).toBe(true);
      expect(of(sent, ':closing-overdue:3:').every((n) => n.text.includes('此为最后一次督办'))).toBe(true);

      // The ledger: one deadline per reviewed case (31 March 23:59 +08:00), with its audit entry on the case.
      const expectedDue = local(`${year}-03-31T23:59`).toISOString();
      const rows = await harness.store.listClosureCases(reviewId);
      expect(rows.map((r) => r.caseNo).sort()).toEqual(all);
      expect(
        rows.every(
          (r) => r.deadline.dueAt === expectedDue && minutes(new Date(r.deadline.setAt)) === minutes(local(`${year}-03-01T09:00`)),
        ),
      ).toBe(true);
      const undecided = await s.caseRow(s.undecided);
      expect(await harness.store.listClosureDeadlines(undecided.id)).toMatchObject([
        { reviewId, reviewYear: year, subjectType: 'case', caseNo: s.undecided, dueAt: expectedDue, result: 'open' },
      ]);
      const trail = await harness.store.listAudit(undecided.id);
      expect(trail.find((e) => e.action === 'closure-deadline-set')).toMatchObject({
        actor: 'system',
        reason: expect.stringContaining(`结案期限 ${year}-03-31 23:59`),
      });
      const oldId = `inspection:${s.unrectifiedOld.replace(/\.(?=[^.]+$)/, ':')}`;
      expect((await harness.store.listAudit(oldId)).map((e) => e.action)).toContain('closure-deadline-set');

      // The end, one window after the last escalation (15 May 23:59): what remained open, and what was closed.
      const results = Object.fromEntries(rows.map((r) => [r.caseNo, r.deadline.result]));
      expect(results).toEqual({
        [s.undecided]: 'open',
        [s.unpaid]: 'open',
        [s.unrectifiedOld]: 'open',
        [s.closedMidReview]: 'closed',
        [s.rectifyingOld]: 'closed',
      });
      const unpaidRow = rows.find((r) => r.caseNo === s.unpaid)!;
      expect(unpaidRow.deadline.outstanding).toMatchObject({
        unpaidFen: 500_000,
        unacknowledgedReferrals: ['public-security'],
        penaltyUndecided: false,
        unrectified: false,
      });
      const completed = (await harness.store.listAudit(reviewId)).find((e) => e.action === 'closure-review-completed')!;
      expect(minutes(new Date(completed.at))).toBe(minutes(local(`${year}-05-15T23:59`)));
      expect(completed.detail).toMatchObject({ cases: 5, closed: 2 });
      expect((await harness.store.listAudit(undecided.id)).find((e) => e.action === 'closure-review-result')?.reason).toContain(
        '结案检查结束时仍未办结',
      );
      expect(result).toMatchObject({
        stage: 'completed',
        openAtStart: 5,
        openAtDeadline: 4,
        openAtEnd: 3,
        escalations: 3,
        dueAt: expectedDue,
      });
      expect(result.openCaseNos!.sort()).toEqual([s.undecided, s.unpaid, s.unrectifiedOld].sort());
    } finally {
      await harness.close();
    }
  });

  it("takes the deadline's time of day, the escalation window and their number from the plan", async () => {
    year = await nextYear();
    const planFile = planWith((p) => {
      p.calendar.endOfDay = '17:30';
      p.closureReview = { escalationWindowDays: 7, maxEscalations: 2 };
      p.reminders = { offsetsDays: [3], timeOfDay: '08:30' };
    });
    const harness = await createHarness(fx.env, { planFile });
    try {
      await seed(harness, year);
      const reviewId = `closure-review:${J}:${year}`;
      const result = await harness.run(async () => {
        const handle = await fx.env.client.workflow.start(closureReview, {
          workflowId: reviewId,
          taskQueue: harness.taskQueue,
          args: [{ jurisdiction: J, year }],
        });
        return resultAtRest(handle);
      });
      const { sent } = harness;
      expect(instants(sent, ':closing-deadline:')).toEqual([minutes(local(`${year}-03-01T08:30`))]);
      expect(instants(sent, ':closing-reminder:')).toEqual([minutes(local(`${year}-03-28T08:30`))]);
      expect(instants(sent, ':closing-overdue:')).toEqual([`${year}-03-31`, `${year}-04-07`].map((d) => minutes(local(`${d}T17:30`))));
      expect(of(sent, ':closing-deadline:').every((n) => n.subject.includes(`须于 ${year}-03-31 17:30 前办结`))).toBe(true);
      expect(
        (await harness.store.listClosureCases(reviewId)).every((r) => r.deadline.dueAt === local(`${year}-03-31T17:30`).toISOString()),
      ).toBe(true);
      const completed = (await harness.store.listAudit(reviewId)).find((e) => e.action === 'closure-review-completed')!;
      expect(minutes(new Date(completed.at))).toBe(minutes(local(`${year}-04-14T17:30`)));
      expect(result).toMatchObject({
        openAtStart: 5,
        openAtDeadline: 5,
        openAtEnd: 5,
        escalations: 2,
        dueAt: local(`${year}-03-31T17:30`).toISOString(),
      });
    } finally {
      await harness.close();
    }
  });

  it('with nothing open, sets no deadline, sends nothing and completes at its start', async () => {
    year = await nextYear();
    const harness = await createHarness(fx.env);
    try {
      const reviewId = `closure-review:${J}:${year}`;
      const result = await harness.run(async () => {
        const handle = await fx.env.client.workflow.start(closureReview, {
          workflowId: reviewId,
          taskQueue: harness.taskQueue,
          args: [{ jurisdiction: J, year }],
        });
        return resultAtRest(handle);
      });
      expect(harness.sent.filter((n) => n.key.startsWith(reviewId))).toEqual([]);
      expect(await harness.store.listClosureCases(reviewId)).toEqual([]);
      expect(result).toMatchObject({ stage: 'completed', openAtStart: 0, openAtDeadline: 0, openAtEnd: 0, escalations: 0 });
      const completed = (await harness.store.listAudit(reviewId)).find((e) => e.action === 'closure-review-completed')!;
      expect(minutes(new Date(completed.at))).toBe(minutes(local(`${year}-03-01T09:00`)));
    } finally {
      await harness.close();
    }
  });
});
