// The record system's person cases (migration 0019) against both backends: a case's row as its workflow saves it (a
// late save changes nothing), each action once (the same key with other figures refused), the person sealed once and
// never in clear, and table 2's figures of a period: a person counted once per action column, the money recovered.
import { describe, expect, it } from 'vitest';
import type { AuditEntry, PersonActionRecord, PersonCaseRecord } from '../../records/types';
import { LedgerConflictError } from '../../records/errors';
import type { SqlStore } from '../../records/store';
import { BACKENDS } from '../helpers/db';
import { useIsolatedStore } from '../helpers/store-fixture';
import { PERSON } from '../helpers/person-case-input';
import { testSealer } from '../helpers/sealer';

const J = '349901';
const AT = '2027-03-01T02:00:00.000Z';
const later = (days: number) => new Date(Date.parse(AT) + days * 86_400_000).toISOString();
const PERIOD = { periodStart: '2026-12-31T16:00:00.000Z', cutOff: later(7), firstDay: '2027-01-01' };

const audit = (key: string, subjectId: string): AuditEntry => ({
  key,
  actor: 'test',
  action: 'saved',
  subjectType: 'person-case',
  subjectId,
  reason: 'test',
  detail: {},
  at: AT,
});

const personCase = (caseNo: string, over: Partial<PersonCaseRecord> = {}): PersonCaseRecord => ({
  id: `person-case:${J}:${caseNo}`,
  jurisdiction: J,
  caseNo,
  year: 2027,
  sourceKind: 'clue',
  sourceRef: 'JB-1',
  personMasked: '欧***',
  professional: false,
  stage: 'open',
  open: true,
  overdue: false,
  openedAt: AT,
  dueAt: later(30),
  amountFen: 300_000,
  cardSuspendedUntil: null,
  outcome: null,
  updatedAt: AT,
  ...over,
});

const action = (caseNo: string, key: string, over: Partial<PersonActionRecord>): PersonActionRecord => ({
  caseId: `person-case:${J}:${caseNo}`,
  key,
  action: 'interview',
  table2: 'interview',
  decidedBy: 'L1',
  at: later(1),
  months: null,
  fineFen: 0,
  amountFen: 0,
  agency: null,
  note: '约谈',
  ...over,
});

describe.each(BACKENDS)('person case ledger (%s)', (backend) => {
  const fx = {} as { store: SqlStore };
  useIsolatedStore(backend, async (opened) => {
    fx.store = opened;
  });

  it('saves a case as its workflow moves it; a save older than the row changes nothing', async () => {
    await fx.store.savePersonCase(personCase('P-1'), audit('p1-a', 'P-1'));
    await fx.store.savePersonCase(
      personCase('P-1', { stage: 'closed', open: false, outcome: '结案', updatedAt: later(10) }),
      audit('p1-b', 'P-1'),
    );
    await fx.store.savePersonCase(personCase('P-1', { stage: 'open', updatedAt: later(5) }), audit('p1-c', 'P-1'));
    expect(await fx.store.getPersonCase(J, 'P-1')).toMatchObject({ stage: 'closed', open: false, outcome: '结案', amountFen: 300_000 });
    expect((await fx.store.listPersonCases({ jurisdiction: J, stage: 'closed' })).map((c) => c.caseNo)).toEqual(['P-1']);
    expect((await fx.store.listAudit('P-1')).map((a) => a.key)).toEqual(['p1-a', 'p1-b', 'p1-c']);
  });

  it('records each action once with its fen; the same key with other figures is refused', async () => {
    await fx.store.savePersonCase(personCase('P-2'), audit('p2', 'P-2'));
    const penalty = action('P-2', '1:penalty', { action: 'penalty', table2: 'penalty', fineFen: 600_000, amountFen: 300_000 });
    await fx.store.recordPersonAction(penalty, personCase('P-2'), audit('p2-penalty', 'P-2'));
    await fx.store.recordPersonAction(penalty, personCase('P-2'), audit('p2-penalty-again', 'P-2'));
    await expect(
      fx.store.recordPersonAction({ ...penalty, fineFen: 900_000 }, personCase('P-2'), audit('p2-x', 'P-2')),
    ).rejects.toBeInstanceOf(LedgerConflictError);
    expect(await fx.store.listPersonActions(penalty.caseId)).toEqual([penalty]);
    // The row moves with its action in the same transaction; a refused action moves nothing.
    const suspension = action('P-2', '2:suspend-card', { action: 'suspend-card', table2: 'card-suspension', months: 3 });
    await fx.store.recordPersonAction(
      suspension,
      personCase('P-2', { cardSuspendedUntil: later(92), updatedAt: later(1) }),
      audit('p2-s', 'P-2'),
    );
    await expect(
      fx.store.recordPersonAction(
        { ...suspension, months: 4, fineFen: 1 },
        personCase('P-2', { dueAt: null, updatedAt: later(2) }),
        audit('p2-y', 'P-2'),
      ),
    ).rejects.toBeInstanceOf(LedgerConflictError);
    expect(await fx.store.getPersonCase(J, 'P-2')).toMatchObject({ cardSuspendedUntil: later(92), dueAt: later(30) });
    expect((await fx.store.listAudit('P-2')).map((a) => a.key)).toEqual(['p2', 'p2-penalty', 'p2-s']);
  });

  it('keeps the person sealed once per case, never in clear', async () => {
    const sealed = { jurisdiction: J, caseNo: 'P-3', ...testSealer.seal(JSON.stringify(PERSON)) };
    expect(await fx.store.savePersonSubject(sealed)).toBe(true);
    expect(await fx.store.savePersonSubject({ ...sealed, ...testSealer.seal('{}') })).toBe(false);
    const kept = (await fx.store.getPersonSubject(J, 'P-3'))!;
    expect(JSON.parse(testSealer.open(kept.keyId, kept.sealed))).toEqual(PERSON);
    const rows = JSON.stringify(await fx.store.db.query('SELECT * FROM person_case_subjects'));
    expect(rows).not.toContain(PERSON.name);
    expect(rows).not.toContain(PERSON.idNumber);
  });

  it("gives table 2's figures of the period: each person by case number once per column, the money recovered", async () => {
    for (const no of ['P-4', 'P-5']) await fx.store.savePersonCase(personCase(no), audit(`${no}-open`, no));
    const record = (no: string, key: string, over: Partial<PersonActionRecord>) =>
      fx.store.recordPersonAction(action(no, key, over), personCase(no), audit(`${no}-${key}`, no));
    await record('P-4', '1', {});
    await record('P-4', '2', { action: 'suspend-card', table2: 'card-suspension', months: 3 });
    await record('P-4', '3', { action: 'other', table2: 'other', note: '纳入重点监控' });
    await record('P-4', '4', { action: 'other', table2: 'other', note: '纳入重点监控' });
    await record('P-4', '4b', { action: 'other', table2: 'other', note: '通报所在单位' });
    await record('P-4', '5', { action: 'recover', table2: null, amountFen: 100_000 });
    await record('P-4', '6', { action: 'recover', table2: null, amountFen: 50_000 });
    await record('P-4', 'lifted', { action: 'card-lifted', table2: null });
    // Outside the period: after the cut-off.
    await record('P-5', '1', { action: 'refer', table2: 'judicial-referral', at: later(8) });
    await record('P-5', '2', { action: 'recover', table2: null, amountFen: 1, at: later(8) });
    const f = await fx.store.weeklyReportFigures(J, PERIOD);
    const persons = f.persons.filter((p) => p.personKey === 'P-4' || p.personKey === 'P-5');
    expect(persons).toEqual([
      { personKey: 'P-4', action: 'card-suspension' },
      { personKey: 'P-4', action: 'interview' },
      { personKey: 'P-4', action: 'other', note: '纳入重点监控' },
      { personKey: 'P-4', action: 'other', note: '通报所在单位' },
    ]);
    expect(f.personRecoveries.filter((r) => r.personKey === 'P-4' || r.personKey === 'P-5')).toEqual([
      { personKey: 'P-4', amountFen: 150_000 },
    ]);
  });
});
