// 自查自纠: the targets frozen at the phase's start, each sent the notice and the self-check list by its own self-check
// workflow (started page by page: ./self-check.ts says why one per target); at the due date each responsible unit is
// told its targets without a report; when the phase closes, the still missing and the late ones go to the unit's leader.
import { upsertSearchAttributes, uuid4, workflowInfo } from '@temporalio/workflow';
import { dayInstant } from '../../domain/campaign-file';
import { formatLocal } from '../../domain/calendar';
import { runActivity, runPageActivity } from '../activities';
import { DEFAULT_PAGE_SIZE } from '../coverage/api';
import { searchAttributes } from '../search-attributes';
import type { SelfCheckContext } from './api';
import { showDetails, sleepUntil, upsertStage, type SpecialRun } from './state';

export async function selfCheckPhase(r: SpecialRun): Promise<void> {
  const { input, plan, status, tz } = r;
  const { file } = input;
  const phase = status.phases[0];
  const dueAt = new Date(status.reportDueAt);
  const closesAt = new Date(status.selfCheckClosesAt);
  await sleepUntil(r, dayInstant(phase.startsOn, '00:00', tz), `${phase.name}开始`);

  const frozen = await runActivity(
    'freezeCampaignTargets',
    '锁定专项整治对象名单',
    {
      id: file.id,
      jurisdiction: input.jurisdiction,
      kind: file.kind,
      title: file.title,
      year: status.year,
      startsAt: new Date().toISOString(),
      dueAt: closesAt.toISOString(),
      drawSeed: uuid4(),
    },
    file.targets,
  );
  Object.assign(status, { members: frozen.members, drawSeed: frozen.drawSeed, stage: 'self-check' } satisfies Partial<typeof status>);
  upsertStage(r, { dueAt });
  const selfCheck = file.selfCheck!;
  if (selfCheck.estimates.length > 0)
    await runActivity(
      'recordSelfCheckEstimates',
      '登记数据测算的应退金额',
      file.id,
      selfCheck.estimates.map((e) => ({ institutionId: e.institution, estimateFen: e.amountFen, source: e.source })),
    );

  const context: SelfCheckContext = {
    jurisdiction: plan.jurisdiction,
    campaign: { id: file.id, title: file.title, year: status.year },
    checklist: selfCheck.checklist,
    dueAt: dueAt.toISOString(),
    closesAt: closesAt.toISOString(),
    // The file's offsets where it gives them, else the plan's (reminders.offsetsDays).
    reminders: { offsetsDays: selfCheck.reminderOffsetsDays ?? plan.reminders.offsetsDays, timeOfDay: plan.reminders.timeOfDay },
  };
  const pageSize = input.pageSize ?? DEFAULT_PAGE_SIZE;
  for (let from = 0; from < frozen.members; from += pageSize) {
    const page = await runPageActivity(
      'startSelfChecks',
      `启动第 ${from + 1}–${Math.min(from + pageSize, frozen.members)} 家机构的自查自纠`,
      {
        context,
        fromSeq: from,
        limit: pageSize,
      },
    );
    status.selfChecksStarted += page.started + page.alreadyStarted;
  }
  // The self-checks are not children, so the details link to them: the Web UI's list filtered by CampaignId.
  const query = encodeURIComponent(`CampaignId="${file.id}" AND WorkflowType="selfCheck"`);
  showDetails(r, `[查看全部 ${frozen.members} 家机构的自查自纠](/namespaces/${workflowInfo().namespace}/workflows?query=${query})`);

  const notice = {
    units: plan.responsibleUnits.map(({ id, name, email, leaderId }) => ({ id, name, email, leaderId })),
    leaders: plan.leaders.map(({ id, name, email }) => ({ id, name, email })),
    campaignId: file.id,
    campaignTitle: file.title,
    due: formatLocal(dueAt, tz),
    closes: formatLocal(closesAt, tz),
  };
  const { workflowId } = workflowInfo();
  await sleepUntil(r, dueAt, '自查报告期限');
  const atDue = await runActivity('noticeSelfChecks', '自查报告期限已到：未提交名单告知责任单位', {
    ...notice,
    keyPrefix: `${workflowId}:selfcheck-missing`,
    escalate: false,
  });
  status.missingAtDue = atDue.missing;
  showDetails(r, `自查报告期限已到：${status.members} 家中 ${atDue.missing} 家未提交`);

  await sleepUntil(r, closesAt, `${phase.name}结束`);
  const atClose = await runActivity('noticeSelfChecks', `${phase.name}结束：未提交和逾期提交名单报送责任领导`, {
    ...notice,
    keyPrefix: `${workflowId}:selfcheck-escalation`,
    escalate: true,
  });
  Object.assign(status, { missingAtClose: atClose.missing, lateAtClose: atClose.late });
  upsertSearchAttributes(searchAttributes({ overdue: atClose.missing > 0 }));
  showDetails(r, `${phase.name}结束：未提交 ${atClose.missing} 家，逾期提交 ${atClose.late} 家`);
}
