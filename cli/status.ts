// `jianguan status`: a campaign's inspections by stage, overdue first, read from Temporal's visibility store
// through the same search attributes leadership filters on in the Web UI.
import { STAGE_LABELS, type InspectionStage } from '../domain/inspection';
import { CAMPAIGN_ID, DUE_AT, INSTITUTION_ID, OVERDUE, STAGE } from '../workflows/search-attributes';
import { plan as loadPlanFile, settings, withClient } from './context';
import { formatTable, localTime } from './output';

export interface InspectionRow {
  institutionId: string;
  stage: string;
  overdue: boolean;
  dueAt?: Date;
  workflowId: string;
}

/** Overdue first, then by deadline, then by institution id. */
export function byUrgency(a: InspectionRow, b: InspectionRow): number {
  return (
    Number(b.overdue) - Number(a.overdue) ||
    (a.dueAt?.getTime() ?? 0) - (b.dueAt?.getTime() ?? 0) ||
    a.institutionId.localeCompare(b.institutionId)
  );
}

export async function listCampaignInspections(campaignId: string): Promise<InspectionRow[]> {
  return withClient(settings(), async (client) => {
    const rows: InspectionRow[] = [];
    const query = `${CAMPAIGN_ID.name} = "${campaignId.replaceAll('"', '')}" AND WorkflowType = "inspection"`;
    for await (const wf of client.workflow.list({ query })) {
      const sa = wf.typedSearchAttributes;
      rows.push({
        workflowId: wf.workflowId,
        institutionId: sa.get(INSTITUTION_ID) ?? '?',
        stage: sa.get(STAGE) ?? '?',
        overdue: sa.get(OVERDUE) ?? false,
        dueAt: sa.get(DUE_AT),
      });
    }
    return rows.sort(byUrgency);
  });
}

/** The lines `jianguan status` prints: counts by stage, then one line per inspection, due times in `timeZone`. */
export function formatCampaignStatus(campaignId: string, rows: readonly InspectionRow[], timeZone: string): string[] {
  if (rows.length === 0) return [`no inspections found for campaign ${campaignId}`];
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.stage, (counts.get(row.stage) ?? 0) + 1);
  const label = (stage: string) => STAGE_LABELS[stage as InspectionStage] ?? stage;
  return [
    `campaign ${campaignId}: ${rows.length} inspections, ${rows.filter((r) => r.overdue).length} overdue (times ${timeZone})`,
    ...[...counts].map(([stage, n]) => `  ${label(stage)} (${stage}): ${n}`),
    '',
    ...formatTable(
      [{ header: '' }, { header: 'institution' }, { header: 'stage' }, { header: '阶段' }, { header: 'due' }],
      rows.map((row) => [row.overdue ? '!' : '', row.institutionId, row.stage, label(row.stage), localTime(row.dueAt, timeZone)]),
    ),
  ];
}

export async function status(options: { campaign: string; plan?: string }): Promise<void> {
  const plan = await loadPlanFile(settings(), options.plan);
  const rows = await listCampaignInspections(options.campaign);
  for (const line of formatCampaignStatus(options.campaign, rows, plan.jurisdiction.timeZone)) console.log(line);
}
