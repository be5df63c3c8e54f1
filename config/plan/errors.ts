// How a bad plan is reported. A bureau edits its plan by hand, so a bad file produces ONE error listing EVERY problem,
// each with the path of the offending field (`institutions[3].responsibleUnitId: unknown responsible unit "xyz"`).
import { formatPath as formatZodPath } from '../../domain/validation';

export interface PlanProblem {
  /** Where in the plan, e.g. `institutions[3].responsibleUnitId`; `(root)` for the whole file, `line 4, column 2` for YAML syntax. */
  path: string;
  message: string;
}

export class PlanError extends Error {
  constructor(
    /** The file (or other source name) the plan came from. */
    readonly source: string,
    readonly problems: PlanProblem[],
    headline = `Invalid jurisdiction plan ${source}`,
  ) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`${headline} (${count}):\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`);
    this.name = 'PlanError';
  }
}

/** `institutions[3].responsibleUnitId`; `(root)` for the document itself. */
export function formatPath(path: readonly PropertyKey[]): string {
  return formatZodPath(path) || '(root)';
}
