// `jianguan person-case open FILE`: a case against an insured person (or a 职业骗保人) from a YAML/JSON file. Everything
// is checked first (every problem by its path, the ID number's check character included; nothing started). The person
// goes into the workflow's input only (the payload codec encrypts it); the workflow seals it into the ledger.
// Idempotent by the case number.
import { TypedSearchAttributes } from '@temporalio/common';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Plan } from '../../config/plan';
import { personCaseWorkflowId } from '../../domain/business-keys';
import { localYear } from '../../domain/calendar';
import { formatYuan } from '../../domain/inspection';
import { personCaseOpeningSchema, SOURCE_LABELS, type PersonCaseOpening } from '../../domain/person-case';
import { ONE_RUN_PER_KEY } from '../../workflows/business-key';
import { PERSON_CASE_WORKFLOW_TYPE, type PersonCaseInput, type PersonCaseWorkflow } from '../../workflows/person-case/api';
import { personCaseContextFromPlan } from '../../workflows/person-case/context';
import { searchAttributes } from '../../workflows/search-attributes';
import { plan as loadPlanFile, settings, withClient } from '../context';
import { readPayloadFile, validated } from '../payload';

/** The workflow input of a checked file: the unit and its leader from the plan. */
export function personCaseInputOf(plan: Plan, opening: PersonCaseOpening, now: Date): PersonCaseInput {
  const unit = plan.responsibleUnits.find((u) => u.id === opening.responsibleUnit)!;
  const leader = plan.leaders.find((l) => l.id === unit.leaderId)!;
  return {
    ...personCaseContextFromPlan(plan),
    jurisdiction: { code: plan.jurisdiction.code, name: plan.jurisdiction.name, timeZone: plan.jurisdiction.timeZone },
    caseNo: opening.caseNo,
    year: opening.year ?? localYear(now, plan.jurisdiction.timeZone),
    person: opening.person,
    source: opening.source,
    items: opening.items,
    responsibleUnit: { id: unit.id, name: unit.name, email: unit.email },
    leader: { id: leader.id, name: leader.name, email: leader.email },
  };
}

/** Opens the case of `file`; returns the lines to print. */
export async function openPersonCase(file: string, options: { plan?: string }, now = new Date()): Promise<string[]> {
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const schema = personCaseOpeningSchema(new Set(plan.responsibleUnits.map((u) => u.id)));
  const input = personCaseInputOf(plan, validated(schema, readPayloadFile(file), 'person case', { file }), now);
  const workflowId = personCaseWorkflowId(input.jurisdiction.code, input.caseNo);
  const started = await withClient(config, async (client) => {
    try {
      await client.workflow.start<PersonCaseWorkflow>(PERSON_CASE_WORKFLOW_TYPE, {
        workflowId,
        ...ONE_RUN_PER_KEY,
        taskQueue: config.temporal.taskQueue,
        args: [input],
        // Chinese, without personal data: the case number and where it came from.
        staticSummary: `${input.year}年 参保人员案件 ${input.caseNo}（${SOURCE_LABELS[input.source.kind]} ${input.source.reference}）`,
        typedSearchAttributes: new TypedSearchAttributes(
          searchAttributes({
            jurisdiction: input.jurisdiction.code,
            campaignKind: 'person-case',
            year: input.year,
            stage: 'open',
            overdue: false,
          }),
        ),
      });
      return true;
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
      throw error;
    }
  });
  if (!started) return [`person case ${input.caseNo} already opened (${workflowId}): nothing started`];
  const amountFen = input.items.reduce((sum, item) => sum + item.amountFen, 0);
  return [
    `opened person case ${input.caseNo} (${workflowId}): ${input.items.length} items, ${formatYuan(amountFen)}; person sealed in the ledger`,
  ];
}
