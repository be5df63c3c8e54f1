// The ledger's weekly 问题台账 (migration 0016) on both backends: a unit's first submission recorded with its audit
// entry; the same rows again change nothing; different rows before the deadline replace them (one revision more);
// a closed week takes nothing more, and its close (units due, missing) is recorded once.
import { describe, expect, it } from 'vitest';
import type { ProblemRow } from '../../domain/problem-list';
import type { SqlStore } from '../../records/store';
import { BACKENDS } from '../helpers/db';
import { useIsolatedStore } from '../helpers/store-fixture';

const J = 'problem-j';
const C = 'p1';
const W = '2027-W14';
const row = (problem: string): ProblemRow => ({ problem, measure: '立行立改', deadline: '2027-04-30', state: 'rectifying' });
const submission = (unitId: string, rows: ProblemRow[], submittedAt = '2027-04-06T02:00:00.000Z') => ({
  campaignId: C,
  week: W,
  unitId,
  submittedAt,
  rows,
});

describe.each(BACKENDS)('weekly problem lists on %s', (backend) => {
  let store: SqlStore;
  useIsolatedStore(backend, async (opened) => {
    store = opened;
    await store.recordCampaignFile(
      {
        campaignId: C,
        jurisdiction: J,
        kind: 'special',
        title: '专项整治',
        year: 2027,
        definition: { id: C },
        phases: [{ name: '自查自纠', startsOn: '2027-04-01', endsOn: '2027-06-30' }],
        tasks: [
          { content: '整治', measures: ['自查'], leaderId: 'L1', unitIds: ['u1', 'u2', 'u3'], deadline: '2027-12-31', ongoing: true },
        ],
        recordedAt: '2027-03-30T02:00:00.000Z',
      },
      {
        key: 'file',
        actor: 'system',
        action: 'test',
        subjectType: 'campaign',
        subjectId: C,
        reason: '测试',
        detail: {},
        at: '2027-03-30T02:00:00.000Z',
      },
    );
  });

  it('records, keeps the same submission unchanged, replaces a different one, and closes the week once', async () => {
    expect(await store.recordProblemList(submission('u1', [row('重复收费')]))).toEqual({ outcome: 'recorded', revision: 1 });
    expect(await store.recordProblemList(submission('u1', [row('重复收费')], '2027-04-07T02:00:00.000Z'))).toEqual({
      outcome: 'unchanged',
      revision: 1,
    });
    expect(await store.recordProblemList(submission('u2', []))).toEqual({ outcome: 'recorded', revision: 1 });
    const corrected = [row('重复收费'), row('串换项目')];
    expect(await store.recordProblemList(submission('u1', corrected, '2027-04-08T02:00:00.000Z'))).toEqual({
      outcome: 'replaced',
      revision: 2,
    });
    const lists = await store.listProblemLists(C, W);
    expect(lists.map((l) => [l.unitId, l.revision, l.rows.length, l.submittedAt])).toEqual([
      ['u1', 2, 2, '2027-04-08T02:00:00.000Z'],
      ['u2', 1, 0, '2027-04-06T02:00:00.000Z'],
    ]);
    expect(lists[0].rows).toEqual(corrected);
    expect((await store.listAudit(`${C}:${W}`)).map((a) => a.action)).toEqual([
      'problem-list-submitted',
      'problem-list-submitted',
      'problem-list-replaced',
    ]);

    const close = {
      campaignId: C,
      week: W,
      deadline: '2027-04-08T15:59:00.000Z',
      unitsDue: ['u3', 'u1', 'u2'],
      closedAt: '2027-04-08T15:59:00.000Z',
    };
    const closed = await store.closeProblemListWeek(close);
    expect(closed).toEqual({ ...close, missing: ['u3'] });
    // A retry gets the first close back; the week takes nothing more.
    expect(await store.closeProblemListWeek({ ...close, unitsDue: ['u1'], closedAt: '2027-04-09T00:00:00.000Z' })).toEqual(closed);
    expect(await store.recordProblemList(submission('u3', [row('迟报')]))).toEqual({ outcome: 'closed', revision: 0 });
    expect(await store.recordProblemList(submission('u1', [row('改')]))).toEqual({ outcome: 'closed', revision: 0 });
    expect((await store.listProblemLists(C, W)).map((l) => l.unitId)).toEqual(['u1', 'u2']);
    expect(await store.getProblemListWeek(C, W)).toEqual(closed);
    expect((await store.listAudit(`${C}:${W}`)).filter((a) => a.action === 'problem-list-week-closed')).toHaveLength(1);
  });
});
