// Starting a ledger-backed campaign's inspections (DESIGN §5 scale rule): one heartbeating activity per page of the
// frozen membership (activities/fan-out.ts), so a campaign of any size holds no children and a few events per page.
import type { StartInspectionsInput } from '../activities/fan-out';
import type { InspectionContext } from './inspection/start';
import { runPageActivity } from './activities';

export interface StartedPages {
  /** Inspections started (or found started: a retried page, a restarted campaign). */
  started: number;
  /** Members not started: their on-site inspection of the year was had already (with `claimOnSite`). */
  notStarted: string[];
}

/** Starts every page in turn, adding each page's outcome to `tally` as it comes (a status query shows it live). */
export async function startInspectionPages(
  context: Omit<InspectionContext, 'reportToParent'>,
  members: number,
  pageSize: number,
  claimOnSite: boolean,
  tally: StartedPages,
  further?: StartInspectionsInput['further'],
): Promise<void> {
  for (let from = 0; from < members; from += pageSize) {
    const page = await runPageActivity('startInspections', `启动第 ${from + 1}–${Math.min(from + pageSize, members)} 家机构的检查`, {
      context,
      fromSeq: from,
      limit: pageSize,
      claimOnSite,
      ...(further && { further }),
    });
    tally.started += page.started + page.alreadyStarted;
    tally.notStarted.push(...page.refused);
  }
}
