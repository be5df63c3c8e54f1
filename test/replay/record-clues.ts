// The clue histories of record.ts: a clue verified into a case with an extension and a claimed reward; one not
// accepted; one whose reporter has no e-mail (told by the unit), concluded into the flying checks, its reward lapsing;
// one whose conclusion orders a flying check (since 1.1).
// The limits are in calendar days: the recorder's clock has run years ahead of the official holiday calendar.
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  acceptClueUpdate,
  approveRewardUpdate,
  claimRewardUpdate,
  concludeClueUpdate,
  extendClueUpdate,
  rejectClueUpdate,
  reporterToldUpdate,
  type ClueInput,
} from '../../workflows/clue/api';
import { clueWorkflow } from '../../workflows/clue/workflow';
import { clueInput, REPORTER, sealReporter } from '../helpers/clue-input';
import type { Harness } from '../helpers/workflow-harness';

type Save = (name: string, handle: WorkflowHandle) => Promise<void>;

export async function recordClues(
  env: TestWorkflowEnvironment,
  harness: Harness,
  save: Save,
  finish: (handle: WorkflowHandle) => Promise<void>,
): Promise<void> {
  const at = async () => new Date(await env.currentTimeMs()).toISOString();
  const start = async (clueNo: string, reporter = REPORTER) => {
    const input: ClueInput = await clueInput(clueNo, { receivedAt: await at() }, reporter);
    input.rules = {
      ...input.rules,
      acceptance: { days: 15 },
      handling: { days: 15 },
      extension: { days: 15 },
      reporterNotice: { days: 5 },
      rewardApproval: { days: 10 },
    };
    await sealReporter(harness.store, '349901', clueNo, reporter);
    return env.client.workflow.start(clueWorkflow, { workflowId: `clue:349901:${clueNo}`, taskQueue: harness.taskQueue, args: [input] });
  };
  const accept = { decidedBy: 'leader-deputy-fund', unitId: 'audit-centre', note: '' };

  const rewarded = await start('replay-rewarded');
  await rewarded.executeUpdate(acceptClueUpdate, { args: [accept] });
  await rewarded.executeUpdate(extendClueUpdate, { args: [{ approvedBy: 'leader-director', reason: '情况复杂' }] });
  const item = { category: '串换药品', description: '串换', amountFen: 10_000_000, article: '38' };
  const concluded = await rewarded.executeUpdate(concludeClueUpdate, {
    args: [{ handledBy: 'insp-01', outcome: 'verified', verifiedFen: 10_000_000, findings: '查实', action: 'case', items: [item] }],
  });
  await env.client.workflow.getHandle(concluded.caseId!).terminate('recorded: the clue is what is recorded here');
  await rewarded.executeUpdate(approveRewardUpdate, { args: [{ approvedBy: 'leader-director' }] });
  await rewarded.executeUpdate(claimRewardUpdate, { args: [{ paidBy: 'insp-02', paidAt: await at(), reference: 'JL-1' }] });
  await finish(rewarded);
  await save('clue-rewarded', rewarded);

  const rejected = await start('replay-rejected');
  await rejected.executeUpdate(rejectClueUpdate, { args: [{ decidedBy: 'leader-deputy-fund', reason: '不属于受理范围' }] });
  await finish(rejected);
  await save('clue-rejected', rejected);

  const lapsed = await start('replay-lapsed', { ...REPORTER, email: undefined });
  await lapsed.executeUpdate(acceptClueUpdate, { args: [accept] });
  await lapsed.executeUpdate(reporterToldUpdate, { args: [{ event: 'accepted', toldBy: 'insp-02', how: 'phone', at: await at() }] });
  await lapsed.executeUpdate(concludeClueUpdate, {
    args: [{ handledBy: 'insp-01', outcome: 'partly-verified', verifiedFen: 500_000, findings: '部分属实', action: 'flying-check' }],
  });
  await lapsed.executeUpdate(approveRewardUpdate, { args: [{ approvedBy: 'leader-director' }] });
  await finish(lapsed);
  await save('clue-lapsed', lapsed);

  // Since 1.1 (patch clue-orders-flying-check): the conclusion orders the flying check's inspection at once.
  const checked = await start('replay-flying-check');
  await checked.executeUpdate(acceptClueUpdate, { args: [accept] });
  const ordered = await checked.executeUpdate(concludeClueUpdate, {
    args: [{ handledBy: 'insp-01', outcome: 'partly-verified', verifiedFen: 0, findings: '部分属实', action: 'flying-check' }],
  });
  await env.client.workflow.getHandle(ordered.flyingCheckId!).terminate('recorded: the clue is what is recorded here');
  await finish(checked);
  await save('clue-flying-check', checked);
}
