// The districts' finished inspections of a year in a ledger, the pool a re-check draws from (records/ledger/rechecks.ts):
// a full-coverage campaign of the year, the plan's institutions, and each inspected one's findings on 1 June, those of
// `violated` with violations of 500 yuan, the rest compliant.
import type { Plan } from '../../config';
import { inspectionWorkflowId } from '../../domain/business-keys';
import type { Store } from '../../records/types';

export async function seedFinishedInspections(
  store: Store,
  plan: Plan,
  year: number,
  inspected: ReadonlyArray<Plan['institutions'][number]>,
  violated: ReadonlySet<string>,
): Promise<void> {
  const jurisdiction = plan.jurisdiction.code;
  const campaignId = `district-${year}`;
  await store.ensureCampaign({
    id: campaignId,
    jurisdiction,
    kind: 'coverage',
    title: '全覆盖检查',
    year,
    startsAt: `${year}-01-01T00:00:00.000Z`,
    dueAt: `${year}-09-30T15:59:00.000Z`,
    drawSeed: 's',
  });
  await store.upsertInstitutions(plan.institutions.map((i) => ({ ...i, jurisdiction })));
  const at = `${year}-06-01T02:00:00.000Z`;
  for (const i of inspected) {
    const id = inspectionWorkflowId(campaignId, i.id);
    await store.claimOnSiteInspection({ jurisdiction, institutionId: i.id, year, inspectionId: id });
    const row = { id, campaignId, institutionId: i.id, team: ['I1'], drawSeed: 's', announced: false };
    await store.saveFindings(
      {
        inspectionId: id,
        inspectorId: 'I1',
        inspectedAt: at,
        violation: violated.has(i.id),
        items: violated.has(i.id) ? [{ category: '违规收费', description: '重复收费', amountFen: 50_000 }] : [],
        note: '',
        recordedAt: at,
      },
      { ...row, stage: 'compliant', dueAt: at, rectificationDueAt: null, updatedAt: at },
      { key: `seed:${id}`, actor: 'test', action: 'findings', subjectType: 'inspection', subjectId: id, reason: '', detail: {}, at },
    );
  }
}
