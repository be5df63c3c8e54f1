// `jianguan case publish`: a leader approves a closed case for publication as a typical case (曝光典型案例); the text is
// written from the case's facts (domain/typical-case.ts), shown with --preview, and recorded once in the ledger.
import { typicalCaseProblem, typicalCasePublication } from '../../domain/typical-case';
import type { TypicalCaseRecord } from '../../records/types';
import { UsageError } from '../context';
import { noLedgerNote, withLedger } from '../ledger';
import { target, type Target } from './target';

export async function publishCommand(caseNoArg: string, options: Target & { approvedBy: string; preview?: boolean }): Promise<void> {
  const { config, plan, workflowId } = await target(options, caseNoArg);
  const leader = plan.leaders.find((l) => l.id === options.approvedBy);
  if (!leader)
    throw new UsageError(
      `--approved-by: "${options.approvedBy}" is not a leader of the plan (${plan.leaders.map((l) => l.id).join(', ')})`,
    );
  const published = await withLedger(config, async (store) => {
    const facts = await store.typicalCaseFacts(workflowId);
    if (!facts) throw new UsageError(`${caseNoArg}: no such case in the ledger (${workflowId})`);
    const problem = typicalCaseProblem(facts);
    if (problem) throw new UsageError(`${caseNoArg}: ${problem} (nothing published)`);
    const text = typicalCasePublication(facts, plan.jurisdiction.name);
    const at = new Date().toISOString();
    const row: TypicalCaseRecord = {
      caseId: workflowId,
      jurisdiction: plan.jurisdiction.code,
      year: facts.year,
      campaignId: facts.campaignId,
      ...text,
      approvedBy: leader.id,
      approvedAt: at,
    };
    if (options.preview) return { row, recorded: false };
    const recorded = await store.publishTypicalCase(row, {
      key: `${workflowId}:typical-case`,
      actor: leader.id,
      action: 'typical-case-published',
      subjectType: 'case',
      subjectId: workflowId,
      reason: `批准曝光典型案例：${text.title}`,
      detail: { title: text.title },
      at,
    });
    return { row: recorded, recorded: recorded.approvedAt === at };
  });
  if (!published) throw new UsageError(`nothing published: ${noLedgerNote(config)}`);
  const { row, recorded } = published;
  const state = options.preview
    ? 'PREVIEW, not recorded'
    : recorded
      ? `published, approved by ${row.approvedBy}`
      : `already published on ${row.approvedAt}`;
  console.log(`${row.caseId}: ${state}\n${row.title}\n${row.publication}`);
}
