// One shard of a large campaign: up to `limit` institutions (≤ 500, DESIGN §5 scale rule), paged from the campaign's
// frozen membership in the ledger, each inspected by its own child workflow. A shard's history grows by about three
// events per child, so it stays well under Temporal's limits; campaigns fan out to as many shards as they need.
import { setCurrentDetails } from '@temporalio/workflow';
import { runActivity } from './activities';
import { startInspection, type InspectionContext } from './start-inspection';

export interface ShardInput {
  context: Omit<InspectionContext, 'reportToParent'>;
  fromSeq: number;
  limit: number;
}

export interface ShardResult {
  started: number;
  finished: number;
  failed: number;
}

export async function inspectionShard(input: ShardInput): Promise<ShardResult> {
  const { context, fromSeq, limit } = input;
  const members = await runActivity('listMembers', `读取第 ${fromSeq + 1}–${fromSeq + limit} 家机构`, context.campaign.id, fromSeq, limit);
  // All starts go out in one workflow task: awaiting each start in turn would cost a round trip per institution.
  const handles = await Promise.all(
    members.map((member) => startInspection({ ...context, reportToParent: false }, { ...member, contacts: member.contacts ?? [], responsibleUnitId: member.responsibleUnitId ?? null })),
  );
  setCurrentDetails(`本分片 ${members.length} 家机构的检查已启动（第 ${fromSeq + 1}–${fromSeq + members.length} 家）`);
  const outcomes = await Promise.allSettled(handles.map((handle) => handle.result()));
  const failed = outcomes.filter((o) => o.status === 'rejected').length;
  setCurrentDetails(`本分片 ${members.length} 家机构的检查已全部结束${failed ? `（${failed} 家失败）` : ''}`);
  return { started: members.length, finished: members.length - failed, failed };
}
