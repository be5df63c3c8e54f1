// The clue a `jianguan clue …` command names: the plan's jurisdiction, the clue number and its workflow id.
import { clueWorkflowId, ID_PATTERN } from '../../domain/business-keys';
import { plan as loadPlanFile, settings, UsageError } from '../context';

export interface Target {
  plan?: string;
}

/**
 * The clue number as given on the command line: the part after `clue:{jurisdiction}:` (the full workflow id is accepted
 * too, when it names this jurisdiction).
 */
export function parseClueNo(value: string, jurisdiction: string): string {
  let clueNo = value.trim();
  const full = /^clue:([^:]*):(.*)$/.exec(clueNo);
  if (full) {
    if (full[1] !== jurisdiction)
      throw new UsageError(`<clueNo>: "${value}" is a clue of jurisdiction ${full[1]}, not of ${jurisdiction} (the plan's)`);
    clueNo = full[2]!;
  }
  if (!ID_PATTERN.test(clueNo))
    throw new UsageError(`<clueNo>: "${value}" is not a clue number (letters, digits, - _ ., e.g. JB-2026-0001)`);
  return clueNo;
}

export async function target(options: Target, clueNoArg: string) {
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const clueNo = parseClueNo(clueNoArg, plan.jurisdiction.code);
  return { config, plan, clueNo, workflowId: clueWorkflowId(plan.jurisdiction.code, clueNo), timeZone: plan.jurisdiction.timeZone };
}
