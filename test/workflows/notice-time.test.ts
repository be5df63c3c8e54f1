// The harness records each notice at the time of the test server's clock, which time skipping moves far from the
// worker's own. A notice sent from a local activity (the team's assignment notices, activities/assignment.ts) must be
// recorded at that clock too, not at the worker's: tests check reminders and "no notice before the visit" by it.
import { describe, expect, it } from 'vitest';
import { inspection } from '../../workflows/inspection/workflow';
import { inspectionInput, localEndOfDay } from '../helpers/inspection-input';
import { terminateAtRest, useWorkflowTestEnv } from '../helpers/workflow-test';
import { ledgerInstitution } from '../helpers/case-records';

const fx = useWorkflowTestEnv();
const DAY_MS = 86_400_000;

describe('the time a notice is recorded at', () => {
  it('is the skipped server time for the assignment notices of a local activity', async () => {
    await fx.env.sleep('400 days');
    const server = await fx.env.currentTimeMs();
    expect(server - Date.now()).toBeGreaterThan(300 * DAY_MS);

    const input = inspectionInput(localEndOfDay(server, 40), { announced: true });
    const campaignId = 'notice-time';
    await fx.harness.store.upsertInstitutions([ledgerInstitution({ responsibleUnitId: undefined })]);
    await fx.harness.store.ensureCampaign({
      id: campaignId,
      jurisdiction: '349901',
      kind: 'coverage',
      title: '全覆盖现场检查',
      year: 2027,
      startsAt: new Date(server).toISOString(),
      dueAt: input.dueAt,
      drawSeed: input.drawSeed,
    });
    const workflowId = `inspection:${campaignId}:H001`;
    await fx.harness.run(async () => {
      const handle = await fx.env.client.workflow.start(inspection, {
        workflowId,
        taskQueue: fx.harness.taskQueue,
        args: [{ ...input, campaign: { ...input.campaign, id: campaignId } }],
      });
      for (let i = 0; fx.harness.sent.length < 3; i++) {
        if (i > 300) throw new Error(`only ${fx.harness.sent.length} of 3 notices were sent`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await terminateAtRest(handle, 'test over');
    });

    // The workflow's clock when it drew the team: the audit entry the same local activity wrote.
    const [drawn] = await fx.harness.store.listAudit(workflowId);
    expect(drawn?.action).toBe('team-drawn');
    const workflowTime = new Date(drawn!.at).getTime();
    expect(Math.abs(workflowTime - server)).toBeLessThan(60_000);
    expect(fx.harness.sent.map((s) => s.kind).sort()).toEqual(['assignment', 'assignment', 'institution-notice']);
    for (const notice of fx.harness.sent) expect(Math.abs(notice.at.getTime() - workflowTime), notice.key).toBeLessThan(60_000);
  });
});
