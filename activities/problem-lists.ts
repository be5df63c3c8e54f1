// The weekly 问题台账 (seed 002 附件1; workflows/problem-list/): a unit's submission into the ledger, and at the week's
// deadline the week closed in the ledger and its 台账 mailed to the lead office as an XLSX attachment, once (the
// notice's key; an attachment can only be made here, in the process that mails it).
import { formatLocal } from '../domain/calendar';
import { leadOfficeMessage, problemListFileName, problemListForm, type WeekProblemList } from '../domain/problem-list-forms';
import type { ProblemListOutcome, ProblemRow } from '../domain/problem-list';
import type { ProblemListLedger } from '../records/types';
import type { Send } from './unit-notices';
import { formsXlsx, XLSX_TYPE } from './weekly-report-files';

export interface WeekClose {
  /** The notice's key (`{workflowId}:lead-office`). */
  key: string;
  campaign: { id: string; title: string };
  jurisdiction: { name: string; timeZone: string };
  week: string;
  deadline: string;
  /** The units that owed the week's 台账, in order. */
  units: Array<{ id: string; name: string }>;
  leadUnit: { name: string; email: string };
}

export function createProblemListActivities(deps: { problemLists: ProblemListLedger; send: Send }) {
  return {
    /** A unit's rows of a week (domain/problem-list.ts, validated by the workflow); see ProblemListOutcome. */
    recordProblemList: (s: {
      campaignId: string;
      week: string;
      unitId: string;
      submittedAt: string;
      rows: ProblemRow[];
    }): Promise<{ outcome: ProblemListOutcome; revision: number }> => deps.problemLists.recordProblemList(s),

    /** Closes the week in the ledger (the first close stays), mails its 台账 to the lead office; returns the missing. */
    async sendProblemListWeek(w: WeekClose): Promise<{ missing: string[]; rows: number }> {
      const closed = await deps.problemLists.closeProblemListWeek({
        campaignId: w.campaign.id,
        week: w.week,
        deadline: w.deadline,
        unitsDue: w.units.map((u) => u.id),
        closedAt: w.deadline,
      });
      const byUnit = new Map((await deps.problemLists.listProblemLists(w.campaign.id, w.week)).map((s) => [s.unitId, s.rows]));
      const list: WeekProblemList = {
        jurisdictionName: w.jurisdiction.name,
        campaignTitle: w.campaign.title,
        week: w.week,
        deadline: formatLocal(new Date(w.deadline), w.jurisdiction.timeZone),
        units: w.units.map((u) => ({ name: u.name, rows: byUnit.get(u.id) ?? null })),
      };
      await deps.send({
        key: w.key,
        kind: 'problem-list-week',
        to: [w.leadUnit],
        ...leadOfficeMessage(list, w.leadUnit.name),
        attachments: [
          {
            filename: problemListFileName(list),
            content: await formsXlsx([problemListForm(list)], new Date(w.deadline)),
            contentType: XLSX_TYPE,
          },
        ],
      });
      return { missing: closed.missing, rows: [...byUnit.values()].reduce((n, rows) => n + rows.length, 0) };
    },
  };
}
