// What leadership sees in the Web UI: the list's columns (the institution's name, the stage in Chinese, a referral
// awaiting its acknowledgement) as search attributes, and a workflow's summaries and details in Chinese, without
// English codes or raw workflow ids (test/helpers/ui-text.ts).
import type { WorkflowHandle } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { annualCycleId, closureReviewWorkflowId, coverageWorkflowId, flyingWorkflowId } from '../../domain/business-keys';
import { localYear } from '../../domain/calendar';
import { annualCycle } from '../../workflows/annual-cycle/workflow';
import { ackReferralUpdate, caseRecheckUpdate, decidePenaltyUpdate, referUpdate } from '../../workflows/case/api';
import { caseWorkflow } from '../../workflows/case/workflow';
import { INSTITUTION_NAME, REFERRAL_AWAITING_ACK, STAGE_LABEL } from '../../workflows/search-attributes';
import { caseInput } from '../helpers/case-input';
import { TZ } from '../helpers/inspection-input';
import { leaksIn, uiTexts, type UiText } from '../helpers/ui-text';
import { terminateAtRest, useWorkflowTestEnv } from '../helpers/workflow-test';

const fx = useWorkflowTestEnv();

/** The search attributes once they show `expected` (the workflow sets them in its own time after an Update answers). */
async function attributesOnce(handle: WorkflowHandle, expected: Record<string, unknown>) {
  let last: Record<string, unknown> = {};
  for (let i = 0; i < 100; i++) {
    const sa = (await handle.describe()).typedSearchAttributes;
    last = {
      institutionName: sa.get(INSTITUTION_NAME),
      stageLabel: sa.get(STAGE_LABEL),
      referralAwaitingAck: sa.get(REFERRAL_AWAITING_ACK),
    };
    if (Object.entries(expected).every(([k, v]) => last[k] === v)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return last;
}

/** The workflow's texts once its current details contain `marker`. */
async function textsOnce(handle: WorkflowHandle, marker: string): Promise<UiText[]> {
  for (let i = 0; ; i++) {
    const texts = await uiTexts(handle);
    if (details(texts).includes(marker) || i === 100) return texts;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const details = (texts: readonly UiText[]) => texts.find((t) => t.what === 'currentDetails')?.text ?? '';

describe('the Web UI', () => {
  it('lists a case with its institution, its stage in Chinese and a referral awaiting acknowledgement; its texts are Chinese', async () => {
    const input = caseInput(`UI-${process.pid}`);
    await fx.harness.run(async () => {
      const handle = await fx.env.client.workflow.start(caseWorkflow, {
        workflowId: `case:349901:${input.caseNo}`,
        taskQueue: fx.harness.taskQueue,
        args: [input],
      });
      await handle.executeUpdate(referUpdate, { args: [{ agency: 'health', decidedBy: 'L1', reason: '涉及医疗行为' }] });
      expect(await attributesOnce(handle, { referralAwaitingAck: true })).toEqual({
        institutionName: '清溪区人民医院',
        stageLabel: '限期整改中',
        referralAwaitingAck: true,
      });
      const now = new Date(await fx.env.currentTimeMs()).toISOString();
      await handle.executeUpdate(caseRecheckUpdate, { args: [{ inspectorId: 'I03', checkedAt: now, rectified: true, note: '' }] });
      await handle.executeUpdate(decidePenaltyUpdate, {
        args: [{ decidedBy: 'L2', fines: [{ article: '38', multiple: 1 }], reason: '违反条例第三十八条' }],
      });
      const texts = await textsOnce(handle, '待缴款');
      expect(details(texts)).toMatch(/已整改[\s\S]*处罚：待缴款；移送 1 件（待回执 1 件）/);
      expect(leaksIn(texts, [input.caseNo])).toEqual([]);

      await handle.executeUpdate(ackReferralUpdate, {
        args: [{ agency: 'health', acknowledgedBy: '区卫健局', reference: 'WJ-1', acknowledgedAt: now }],
      });
      expect(await attributesOnce(handle, { referralAwaitingAck: false })).toMatchObject({
        stageLabel: '已整改',
        referralAwaitingAck: false,
      });
      await terminateAtRest(handle, 'test over');
    });
  });

  it("shows the annual cycle's parts by name, not by workflow id", async () => {
    // A year ahead of the server's clock: every part waits for its date, so nothing else runs.
    const year = localYear(new Date(await fx.env.currentTimeMs()), TZ) + 1;
    await fx.harness.run(async () => {
      const cycle = await fx.env.client.workflow.start(annualCycle, {
        workflowId: annualCycleId('349901', year),
        taskQueue: fx.harness.taskQueue,
        args: [{ jurisdiction: '349901', year }],
      });
      const texts = await textsOnce(cycle, '年度监管');
      expect(details(texts)).toContain('全覆盖现场检查、');
      expect(leaksIn(texts)).toEqual([]);
      expect(await attributesOnce(cycle, { stageLabel: '进行中' })).toMatchObject({ stageLabel: '进行中' });
      for (const id of [coverageWorkflowId('349901', year), closureReviewWorkflowId('349901', year), flyingWorkflowId('349901', year)]) {
        await terminateAtRest(fx.env.client.workflow.getHandle(id), 'test over');
      }
      await terminateAtRest(cycle, 'test over');
    });
  });
});
