// A person's case on the time-skipping server with the real activities (PGlite ledger, outbox): 约谈, the card
// suspension lifted by its timer (and the agency told), the article 41 penalty, the referral to the police, the money
// recovered, closed; table 2 from the ledger counts the person once; and the person's name and ID number are in no raw
// history (read without the codec), search attribute or ledger table in clear — only in the sealed row.
import { temporal } from '@temporalio/proto';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { weeklyTablesFromLedger } from '../../activities/weekly-report';
import { isoWeekOf } from '../../domain/calendar';
import { maskName } from '../../domain/clue';
import { decidePersonUpdate, personCaseStatusQuery, type PersonCaseInput } from '../../workflows/person-case/api';
import { personCase } from '../../workflows/person-case/workflow';
import { PERSON, personCaseInput } from '../helpers/person-case-input';
import { TZ } from '../helpers/inspection-input';
import { testSealer } from '../helpers/sealer';
import { eventually } from '../helpers/dev-stack';
import { resultAtRest, useWorkflowTestEnv, validatorRejection } from '../helpers/workflow-test';

const fx = useWorkflowTestEnv();
let n = 0;
const DAY = 86_400_000;

function start(overrides: Partial<PersonCaseInput> = {}) {
  const input = personCaseInput(`P-${process.pid}-${++n}`, overrides);
  return fx.env.client.workflow.start(personCase, {
    workflowId: `person-case:349901:${input.caseNo}`,
    taskQueue: fx.harness.taskQueue,
    args: [input],
  });
}

const decide = (action: string, extra: Record<string, unknown> = {}) => ({ action, decidedBy: 'L1', reason: '经集体研究决定', ...extra });

describe('a person case', () => {
  it('runs through interview, card suspension lifted by its timer, penalty, referral, recovery and closing', async () => {
    await fx.harness.run(async () => {
      const handle = await start();
      await handle.executeUpdate(decidePersonUpdate, { args: [decide('interview')] });
      const suspended = await handle.executeUpdate(decidePersonUpdate, { args: [decide('suspend-card', { months: 3 })] });
      expect(suspended.cardSuspendedUntil).toBeDefined();
      // Fine 2× of 3,000.00 yuan under 41-2: 6,000.00 yuan; returned 3,000.00.
      const penalised = await handle.executeUpdate(decidePersonUpdate, {
        args: [decide('penalty', { paragraph: '41-2', multiple: 2 })],
      });
      expect(penalised.penalty).toMatchObject({ recoveryFen: 300_000, fineFen: 600_000, totalFen: 900_000 });
      await handle.executeUpdate(decidePersonUpdate, { args: [decide('refer', { agency: 'public-security' })] });
      await handle.executeUpdate(decidePersonUpdate, {
        args: [{ action: 'recover', decidedBy: 'I03', amountFen: 300_000, reference: 'ZH-1' }],
      });
      const closing = await handle.executeUpdate(decidePersonUpdate, { args: [decide('close')] });
      expect(closing.cardLifted).toBe(false);
      // The case ends once the timer has lifted the suspension, three months on.
      const status = await resultAtRest<typeof personCase>(handle);
      expect(status.stage).toBe('closed');
      expect(status.cardLifted).toBe(true);
      expect(status.actions.map((a) => a.action)).toEqual(['interview', 'suspend-card', 'penalty', 'refer', 'recover', 'card-lifted']);
      const lifted = fx.harness.sent.find((m) => m.kind === 'person-case-card-lifted')!;
      expect(lifted.subject).toContain('恢复医保卡结算');
      expect(lifted.at.getTime() - new Date(status.cardSuspendedUntil!).getTime()).toBeGreaterThanOrEqual(0);
      expect(lifted.at.getTime() - new Date(status.actions[1]!.at).getTime()).toBeGreaterThan(85 * DAY);
      expect(fx.harness.sent.map((m) => m.kind)).toEqual(
        expect.arrayContaining([
          'person-case-opened',
          'person-case-interview',
          'person-case-suspend-card',
          'person-case-penalty',
          'person-case-refer',
          'person-case-closure',
        ]),
      );
      expect(fx.harness.sent.find((m) => m.to.includes('gaj@example.org'))?.subject).toContain('移送');

      await expectNoPersonalData(handle.workflowId);
      const store = fx.harness.store;
      const row = (await store.getPersonCase('349901', status.caseNo))!;
      expect(row).toMatchObject({ stage: 'closed', open: false, personMasked: maskName(PERSON.name), amountFen: 300_000 });
      const actions = await store.listPersonActions(status.caseId);
      expect(actions.find((a) => a.action === 'penalty')).toMatchObject({ fineFen: 600_000, amountFen: 300_000, table2: 'penalty' });
      // The sealed person opens to the person.
      const sealed = (await store.getPersonSubject('349901', status.caseNo))!;
      expect(JSON.parse(testSealer.open(sealed.keyId, sealed.sealed))).toMatchObject({ name: PERSON.name, idNumber: PERSON.idNumber });

      // Table 2 of the week of the decisions: the person once in 合计, once per action column, the recovery.
      // Cut off at the end of the decisions' own day, so the running totals of its year hold them whatever the date.
      const decided = new Date(status.actions[0]!.at);
      const t = await weeklyTablesFromLedger(store, {
        jurisdiction: { code: '349901', name: '清溪区' },
        week: isoWeekOf(decided, TZ),
        weekday: DateTime.fromJSDate(decided, { zone: TZ }).weekday,
        time: '23:59',
        timeZone: TZ,
      });
      expect(t.table2.counts).toEqual({ interview: 1, 'card-suspension': 1, penalty: 1, 'judicial-referral': 1, other: 0 });
      expect(t.table2.total).toEqual({ persons: 1, fen: 300_000 });
    });
  }, 120_000);

  it('refuses a fine outside article 41-2, a decision by who recorded the source, a bad months figure; nothing changes', async () => {
    await fx.harness.run(async () => {
      const handle = await start();
      // Once opened (its deadline set), so that only a refusal could change the status.
      await eventually(
        () => handle.query(personCaseStatusQuery),
        (st) => st.dueAt !== null,
      );
      const unchanged = () => handle.query(personCaseStatusQuery);
      const fine = await validatorRejection(handle, decidePersonUpdate, [decide('penalty', { paragraph: '41-2', multiple: 6 })], {
        unchanged,
      });
      expect(fine).toContain('multiple: 6 is outside 2–5');
      const duty = await validatorRejection(handle, decidePersonUpdate, [decide('interview', { decidedBy: 'I02' })], {
        type: 'SeparationOfDuties',
      });
      expect(duty).toContain('decidedBy');
      const months = await validatorRejection(handle, decidePersonUpdate, [decide('suspend-card', { months: 13 })]);
      expect(months).toContain('months');
      await handle.executeUpdate(decidePersonUpdate, { args: [decide('close')] });
      expect((await resultAtRest(handle)).stage).toBe('closed');
    });
  }, 60_000);
});

/** The planted name and ID number: in no raw history, no search attribute, no ledger table in clear. */
async function expectNoPersonalData(workflowId: string): Promise<void> {
  const secrets = [PERSON.name, PERSON.idNumber, PERSON.insuranceNo!];
  const hits = (text: string) => secrets.filter((secret) => text.includes(secret));
  // The test server runs without the codec: the raw history holds the input in clear, so the scan looks at what the
  // workflow itself wrote (commands, markers, upserts, details) — every event but the start and the activity inputs
  // that carry the person to be sealed.
  const history = await fx.env.client.workflow.getHandle(workflowId).fetchHistory();
  const written = (history.events ?? []).filter(
    (e) =>
      !e.workflowExecutionStartedEventAttributes && !(e.activityTaskScheduledEventAttributes?.activityType?.name === 'sealPersonSubject'),
  );
  const bytes = Buffer.from(temporal.api.history.v1.History.encode({ events: written }).finish());
  expect(hits(bytes.toString('utf8')), 'history').toEqual([]);
  const { searchAttributes } = await fx.env.client.workflow.getHandle(workflowId).describe();
  expect(hits(JSON.stringify(searchAttributes)), 'search attributes').toEqual([]);
  const store = fx.harness.store;
  const tables = await store.db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['person_cases', 'person_case_actions', 'person_case_subjects']));
  for (const { table_name } of tables)
    expect(hits(JSON.stringify(await store.db.query(`SELECT * FROM "${table_name}"`))), table_name).toEqual([]);
  const mails = fx.harness.sent.map((m) => m.subject + m.text).join('\n');
  expect(hits(mails), 'mails').toEqual([]);
}
