// A re-check campaign's side effects (抽查复查, domain/recheck.ts): the sample drawn from the pool of the year's finished
// inspections and recorded in the ledger and the audit trail (first writer wins: a retry returns the recorded draw),
// and, once its inspections are over, the comparison of their findings with the district's, recorded once and mailed
// to the campaign's leaders and responsible units (each notice keyed: sent once).
import { inspectionWorkflowId } from '../domain/business-keys';
import { selectTargets, type TargetSelector } from '../domain/campaign-file';
import {
  outcomeOf,
  publishedRecheckText,
  recheckDrawRecord,
  summarizeRecheck,
  type RecheckDraw,
  type RecheckRules,
  type RecheckShort,
  type RecheckSummary,
} from '../domain/recheck';
import { recheckFiguresText, recheckSummaryMessage } from '../domain/recheck-messages';
import type { InspectionLedger, RecheckLedger } from '../records/types';
import { targetCandidates, type CampaignFileDeps } from './campaign-files';
import type { LeaderContact, Send } from './unit-notices';

export interface RecheckDeps extends Pick<CampaignFileDeps, 'institutions' | 'flying'> {
  rechecks: RecheckLedger;
  inspections: InspectionLedger;
  send: Send;
}

/** What the campaign workflow keeps of the draw: the picked ids and the figures (the pool stays in the ledger). */
export interface RecheckDrawSummary {
  seed: string;
  picked: string[];
  pool: number;
  short: RecheckShort[];
}

const summarize = (draw: RecheckDraw): RecheckDrawSummary => ({
  seed: draw.seed,
  picked: draw.picks.map((p) => p.institutionId),
  pool: draw.pool.length,
  short: draw.short,
});

export function createRecheckActivities(deps: RecheckDeps) {
  const { rechecks, inspections, send } = deps;
  return {
    /**
     * Draws the sample over the year's finished inspections of the institutions the file's selectors pick, and records
     * it with its published text in the audit trail. A campaign with a recorded draw gets that one back.
     */
    async drawRecheckSample(args: {
      campaignId: string;
      jurisdiction: string;
      seed: string;
      rules: RecheckRules;
      selectors: TargetSelector[];
      at: string;
    }): Promise<RecheckDrawSummary> {
      const recorded = await rechecks.getRecheckDraw(args.campaignId);
      if (recorded) return summarize(recorded);
      const eligible = new Set(
        selectTargets(args.selectors, await targetCandidates(deps, args.jurisdiction, args.rules.year)).map((t) => t.id),
      );
      const pool = (await rechecks.recheckPool(args.jurisdiction, args.rules.year)).filter((row) => eligible.has(row.institutionId));
      const draw = recheckDrawRecord(args.campaignId, args.seed, pool, args.rules);
      const stored = await rechecks.recordRecheckDraw(draw, args.at, {
        key: `campaign-file:${args.campaignId}:recheck-drawn`,
        actor: 'system',
        action: 'recheck-drawn',
        subjectType: 'campaign',
        subjectId: args.campaignId,
        reason: publishedRecheckText(draw),
        detail: {
          algorithm: draw.algorithm,
          seed: draw.seed,
          rules: draw.rules,
          picks: draw.picks,
          short: draw.short,
          pool: draw.pool.length,
        },
        at: args.at,
      });
      return summarize(stored);
    },

    /**
     * Compares each pick's re-check findings with the district's, records the summary once (a retry returns it) and
     * mails it to each recipient.
     */
    async compareRecheck(args: {
      campaignId: string;
      jurisdictionName: string;
      campaignTitle: string;
      recipients: LeaderContact[];
      keyPrefix: string;
      at: string;
    }): Promise<RecheckSummary> {
      const draw = (await rechecks.getRecheckDraw(args.campaignId))!;
      const outcome = async (inspectionId: string) => {
        const findings = await inspections.getFindings(inspectionId);
        return findings ? outcomeOf(findings) : null;
      };
      const lines = [];
      for (const pick of draw.picks) {
        // The district's outcome as drawn: what the re-check was drawn to test.
        const { violation, amountFen } = draw.pool.find((row) => row.institutionId === pick.institutionId)!;
        lines.push({
          institutionId: pick.institutionId,
          third: pick.third,
          districtInspectionId: pick.inspectionId,
          district: { violation, amountFen },
          recheck: await outcome(inspectionWorkflowId(args.campaignId, pick.institutionId)),
        });
      }
      const current = summarizeRecheck(lines);
      const summary = await rechecks.recordRecheckSummary(args.campaignId, current, args.at, {
        key: `campaign-file:${args.campaignId}:recheck-compared`,
        actor: 'system',
        action: 'recheck-compared',
        subjectType: 'campaign',
        subjectId: args.campaignId,
        reason: recheckFiguresText(current),
        detail: {
          sampled: current.sampled,
          agreements: current.agreements,
          discrepancies: current.discrepancies,
          byOutcome: current.byOutcome,
        },
        at: args.at,
      });
      for (const to of args.recipients) {
        await send({
          key: `${args.keyPrefix}:${to.id}`,
          kind: 'recheck-summary',
          to: [{ name: to.name, email: to.email }],
          ...recheckSummaryMessage(args.jurisdictionName, args.campaignTitle, to.name, summary),
        });
      }
      return summary;
    },
  };
}
