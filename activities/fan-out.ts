// Starting a large campaign's inspections (DESIGN §5 scale rule): one page of the campaign's frozen membership per
// activity, each inspection started through the client rather than as a child workflow. A child costs its parent
// history events and a workflow task per start; an activity costs the campaign six events per page, however large.
// The activity heartbeats the next member to start (./page.ts), so a retry (after a worker crash) resumes where it
// stopped, and a start that already happened is recognised by its business-key id, even once that inspection has
// ended (the start options refuse a new run of a closed id): nothing is started twice.
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { inspectionStartOptions, type InspectionContext } from '../workflows/inspection/start';
import type { AuditLedger, CampaignMember, InspectionLedger } from '../records/types';
import { campaignLedgerCheck, type LedgerCheckAreas, type OnLedgerMismatch } from './ledger-check';
import { mayStartInspection, notStartedReason, visitedBy } from '../domain/onsite';
import { claimFurtherInspection } from './onsite-claims';
import { activityPage, runPage, type PageTally } from './page';

/**
 * Starts in flight at once. Each start waits mostly on latency (the ledger claim, the server's round trip), not CPU:
 * on 2 cores `npm run bench` measured fan-out ÷ plain-loop ratios of 0.46 with 8, 0.61 with 32 and 0.63 with 64, so
 * 32 gets nearly all of it without crowding the worker's other work.
 */
const START_CONCURRENCY = 32;
/** Members read from the ledger at a time. */
const CHUNK = 100;

export interface StartInspectionsInput {
  context: Omit<InspectionContext, 'reportToParent'>;
  fromSeq: number;
  limit: number;
  /**
   * Each inspection is the institution's on-site inspection of the campaign's year (DESIGN §2: one a year): an
   * institution another inspection visited this year already is not started, and the audit trail says why; the others
   * are started to claim it at their visit, when their findings are recorded (domain/onsite.ts), so that until then
   * they stay in the flying checks' random pool.
   */
  claimOnSite: boolean;
  /**
   * With `claimOnSite`: the inspections are further ones a rule allows (the city's re-check of the districts' work),
   * claimed with this reason and reference whatever the year had before; the audit trail says `why`.
   */
  further?: { reason: 'recheck'; reference: string; why: string };
}

export interface StartInspectionsResult {
  started: number;
  /** Started before (a retried page, or a campaign restarted by an operator), running or closed: never again. */
  alreadyStarted: number;
  /** Not started: the institution had its on-site inspection of the year already. */
  refused: string[];
}

type Tally = StartInspectionsResult & PageTally;

export interface FanOutDeps extends LedgerCheckAreas {
  inspections: InspectionLedger;
  audit: AuditLedger;
  onLedgerMismatch?: OnLedgerMismatch;
}

export function createFanOutActivities(deps: FanOutDeps) {
  const { campaigns, inspections, audit } = deps;
  const assertCampaignInLedger = campaignLedgerCheck(deps, deps.onLedgerMismatch);
  /**
   * Whether this institution may have this campaign's on-site inspection; writes the refusal to the audit trail. A
   * further inspection (`further`) is claimed now, with its reason; any other is claimed at its visit.
   */
  async function mayStart(input: StartInspectionsInput, member: CampaignMember, inspectionId: string): Promise<boolean> {
    const { campaign, jurisdiction } = input.context;
    const year = { jurisdiction: jurisdiction.code, institutionId: member.id, year: campaign.year };
    if (input.further) {
      const { why, ...reason } = input.further;
      return (await claimFurtherInspection(deps, { ...year, inspectionId, at: new Date().toISOString(), ...reason }, why)).allowed;
    }
    const claimed = (await inspections.listOnSiteInspections(year.jurisdiction, year.institutionId, year.year)).map((o) => o.inspectionId);
    if (mayStartInspection(claimed, inspectionId)) return true;
    const visited = visitedBy(claimed, inspectionId);
    await audit.appendAudit({
      key: `${inspectionId}:not-started`,
      actor: 'system',
      action: 'inspection-not-started',
      subjectType: 'institution',
      subjectId: member.id,
      reason: notStartedReason(campaign.year, visited),
      detail: { campaignId: campaign.id, inspections: visited },
      at: new Date().toISOString(),
    });
    return false;
  }

  return {
    async startInspections(input: StartInspectionsInput): Promise<StartInspectionsResult> {
      // The inspections run on this worker's task queue, like the campaign that asked for them.
      const { client, info } = Context.current();
      const page = activityPage();
      const context: InspectionContext = { ...input.context, reportToParent: false };
      await assertCampaignInLedger(context.campaign.id);
      const handle = async (member: CampaignMember): Promise<(tally: Tally) => void> => {
        const options = inspectionStartOptions(context, {
          ...member,
          contacts: member.contacts ?? [],
          responsibleUnitId: member.responsibleUnitId ?? null,
        });
        if (input.claimOnSite && !(await mayStart(input, member, options.workflowId))) return (tally) => tally.refused.push(member.id);
        const claimAtVisit = input.claimOnSite && !input.further;
        const args: typeof options.args = [{ ...options.args[0], ...(claimAtVisit && { claimOnSiteAtVisit: true }) }];
        try {
          await client.workflow.start('inspection', { ...options, args, taskQueue: info.taskQueue });
          return (tally) => tally.started++;
        } catch (error) {
          if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
          return (tally) => tally.alreadyStarted++;
        }
      };
      const { started, alreadyStarted, refused } = await runPage<CampaignMember, Tally>({
        fromSeq: input.fromSeq,
        limit: input.limit,
        tally: (page.resumed as Tally | undefined) ?? { nextSeq: input.fromSeq, started: 0, alreadyStarted: 0, refused: [] },
        read: (fromSeq, count) => campaigns.listCampaignMembers(context.campaign.id, fromSeq, count),
        handle,
        concurrency: START_CONCURRENCY,
        chunk: CHUNK,
        heartbeat: page.heartbeat,
        signal: page.signal,
      });
      return { started, alreadyStarted, refused };
    },
  };
}
