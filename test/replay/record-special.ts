// The special campaign's histories for record.ts (since 1.1): a campaign from a file through its three phases on six
// targets, and its self-checks — one reported on time, one late, one never (missing).
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Plan } from '../../config';
import { parseCampaignFile } from '../../config/campaign';
import { campaignWorkflowId, selfCheckWorkflowId } from '../../domain/business-keys';
import { specialCampaign } from '../../workflows/special-campaign/workflow';
import { submitSelfCheckUpdate } from '../../workflows/special-campaign/api';
import type { Harness } from '../helpers/workflow-harness';

type Save = (name: string, handle: WorkflowHandle) => Promise<void>;

export async function recordSpecial(
  env: TestWorkflowEnvironment,
  harness: Harness,
  plan: Plan,
  save: Save,
  finish: (handle: WorkflowHandle) => Promise<void>,
): Promise<void> {
  const ids = plan.institutions.slice(0, 6).map((i) => i.id);
  const file = parseCampaignFile(
    `id: replay-special
kind: special
title: 专项整治
legalBasis: [《医疗保障基金使用监督管理条例》]
targets: [{ institutions: [${ids.join(', ')}] }]
phases:
  - { name: 自查自纠, end: { days: 20 } }
  - { name: 严肃查处, end: { days: 30 } }
  - { name: 建章立制, end: { days: 10 } }
selfCheck:
  checklist: [{ category: 重复收费, description: 重复收费、超标准收费 }]
  reportDue: { days: 14 }
  reminderOffsetsDays: [7, 1]
  estimates: [{ institution: ${ids[1]}, amountFen: 1000000, source: 测算 }]
investigation: { randomPercent: 50 }
`,
    'replay-special.yaml',
    plan,
  );
  const campaign = await env.client.workflow.start(specialCampaign, {
    workflowId: campaignWorkflowId('349901', file.id),
    taskQueue: harness.taskQueue,
    args: [{ jurisdiction: '349901', file }],
  });
  const selfCheck = (n: number) => env.client.workflow.getHandle(selfCheckWorkflowId(file.id, ids[n]));
  for (
    let tries = 0;
    !(await selfCheck(5)
      .describe()
      .then(
        () => true,
        () => false,
      ));
    tries++
  ) {
    if (tries > 600) throw new Error('the self-checks did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const report = (refundedFen: number) => ({
    submittedBy: '院办',
    items: [{ category: '重复收费', description: '重复收费', amountFen: refundedFen, refundedFen }],
    measures: [{ measure: '完善收费审核', deadline: '2099-12-31' }],
  });
  await selfCheck(0).executeUpdate(submitSelfCheckUpdate, { args: [report(120_000)] });
  await selfCheck(1).executeUpdate(submitSelfCheckUpdate, { args: [report(100_000)] });
  await env.sleep('15 days');
  await selfCheck(2).executeUpdate(submitSelfCheckUpdate, { args: [report(50_000)] });
  await finish(campaign);
  await save('special-campaign', campaign);
  await save('selfcheck-submitted', selfCheck(0));
  await save('selfcheck-late', selfCheck(2));
  await save('selfcheck-missing', selfCheck(3));
}
