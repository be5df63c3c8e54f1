// The case a `jianguan case …` command names: the plan's jurisdiction, the case number and its workflow id.
import { caseWorkflowId } from '../../domain/business-keys';
import { plan as loadPlanFile, settings } from '../context';
import { parseCaseNo } from '../payload';

export interface Target {
  plan?: string;
}

export async function target(options: Target, caseNoArg: string) {
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const caseNo = parseCaseNo(caseNoArg, plan.jurisdiction.code);
  return { config, plan, caseNo, workflowId: caseWorkflowId(plan.jurisdiction.code, caseNo), timeZone: plan.jurisdiction.timeZone };
}
