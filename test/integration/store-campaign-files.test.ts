// The ledger's campaign files (migration 0012) on both backends: recorded once (the first stays) with phases, tasks
// and the audit entry in one transaction; a selected membership frozen once; the cancellation recorded once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type SqlStore } from '../../records/store';
import type { AuditEntry, CampaignFileRecord } from '../../records/types';
import { BACKENDS, isolatedStoreOptions } from '../helpers/db';

const J = 'files-j';
const audit = (key: string): AuditEntry => ({
  key,
  actor: 'system',
  action: 'test',
  subjectType: 'campaign',
  subjectId: 'c1',
  reason: '测试',
  detail: {},
  at: '2027-07-01T01:00:00.000Z',
});
const file: Omit<CampaignFileRecord, 'cancelled'> = {
  campaignId: 'c1',
  jurisdiction: J,
  kind: 'special',
  title: '专项整治',
  year: 2027,
  definition: { id: 'c1', title: '专项整治' },
  phases: [
    { name: '自查自纠', startsOn: '2027-07-01', endsOn: '2027-07-31' },
    { name: '严肃查处', startsOn: '2027-08-01', endsOn: '2027-10-31' },
  ],
  tasks: [{ content: '整治', measures: ['自查'], leaderId: 'L1', unitIds: ['u1', 'u2'], deadline: '2027-12-31', ongoing: true }],
  recordedAt: '2027-06-30T02:00:00.000Z',
};

describe.each(BACKENDS)('campaign files on %s', (backend) => {
  let store: SqlStore;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const isolated = await isolatedStoreOptions(backend);
    cleanup = isolated.cleanup;
    store = await openStore(isolated.options);
  });
  afterAll(async () => {
    await store?.close();
    await cleanup?.();
  });

  it('records a file once, with its phases and tasks, and lists it', async () => {
    expect(await store.recordCampaignFile(file, audit('c1:recorded'))).toEqual(file);
    const again = await store.recordCampaignFile({ ...file, title: '另一个', recordedAt: '2027-07-02T00:00:00.000Z' }, audit('c1:again'));
    expect(again).toEqual(file);
    expect(await store.listAudit('c1')).toHaveLength(1);
    expect(await store.listCampaignFiles(J)).toEqual([
      { campaignId: 'c1', kind: 'special', title: '专项整治', year: 2027, recordedAt: file.recordedAt, targets: 0, cancelledAt: null },
    ]);
  });

  it('freezes the selected institutions only, once', async () => {
    await store.upsertInstitutions(
      ['H1', 'H2', 'P3'].map((id) => ({
        jurisdiction: J,
        id,
        name: id,
        kind: 'hospital',
        level: null,
        ownership: 'public',
        district: 'd',
        responsibleUnitId: 'u1',
        contacts: [],
      })),
    );
    await store.ensureCampaign({
      id: 'c1',
      jurisdiction: J,
      kind: 'special',
      title: 't',
      year: 2027,
      startsAt: file.recordedAt,
      dueAt: file.recordedAt,
      drawSeed: 's',
    });
    expect(await store.addCampaignMembers('c1', J, ['P3', 'H1', 'X9'])).toBe(2);
    expect(await store.addCampaignMembers('c1', J, ['H2'])).toBe(2);
    expect((await store.listCampaignMembers('c1', 0, 10)).map((m) => [m.seq, m.id])).toEqual([
      [0, 'H1'],
      [1, 'P3'],
    ]);
  });

  it('records the cancellation once, with its audit entry', async () => {
    const cancelled = await store.cancelCampaignFile(
      'c1',
      { at: '2027-08-01T00:00:00.000Z', by: 'L1', reason: '调整' },
      audit('c1:cancelled'),
    );
    expect(cancelled?.cancelled).toEqual({ at: '2027-08-01T00:00:00.000Z', by: 'L1', reason: '调整' });
    const again = await store.cancelCampaignFile(
      'c1',
      { at: '2027-09-01T00:00:00.000Z', by: 'L2', reason: '再次' },
      audit('c1:cancelled-again'),
    );
    expect(again?.cancelled?.by).toBe('L1');
    expect((await store.listAudit('c1')).map((a) => a.key)).toEqual(['c1:recorded', 'c1:cancelled']);
    expect(
      await store.cancelCampaignFile('nope', { at: '2027-08-01T00:00:00.000Z', by: 'L1', reason: 'x' }, audit('nope')),
    ).toBeUndefined();
  });
});
