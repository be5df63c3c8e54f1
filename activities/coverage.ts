// Campaign-level ledger work for large campaigns: freezing membership, progress figures,
// and notices per responsible unit about what is still pending (not yet inspected; cases not yet closed).
// Every notice has a key made of the workflow id, the occasion and the unit, so a retry never sends it twice.
import * as texts from '../domain/coverage-messages';
import type { CampaignProgress, CampaignRecord } from '../records/types';
import { campaignLedgerCheck, type LedgerCheckAreas, type OnLedgerMismatch } from './ledger-check';
import { noticePerUnit, type PendingNotice, type Send } from './unit-notices';

export interface CoverageDeps extends LedgerCheckAreas {
  send: Send;
  onLedgerMismatch?: OnLedgerMismatch;
}

export function createCoverageActivities(deps: CoverageDeps) {
  const { campaigns, send } = deps;
  const assertCampaignInLedger = campaignLedgerCheck(deps, deps.onLedgerMismatch);
  return {
    /** Registers the campaign (first registration's seed wins) and freezes its membership from the ledger. */
    async prepareCampaign(campaign: CampaignRecord): Promise<{ drawSeed: string; members: number }> {
      const kept = await campaigns.ensureCampaign(campaign);
      const members = await campaigns.addCampaignMembers(campaign.id, campaign.jurisdiction);
      return { drawSeed: kept.drawSeed, members };
    },

    async campaignProgress(campaignId: string): Promise<CampaignProgress> {
      await assertCampaignInLedger(campaignId);
      return campaigns.campaignProgress(campaignId);
    },

    /** Reminds each responsible unit of its institutions not yet inspected, or escalates them to its leader. */
    async noticeUninspected(args: PendingNotice & { campaignId: string; campaignTitle: string; due: string; offsetDays: number }) {
      const items = await campaigns.listUninspected(args.campaignId);
      return noticePerUnit(
        send,
        args,
        items,
        ({ institutionId, name }) => ({ institutionId, name }),
        (unit, leader, pending) =>
          args.escalate
            ? texts.uncoveredEscalationMessage(args.campaignTitle, leader.name, unit.name, args.due, pending)
            : texts.uninspectedReminderMessage(args.campaignTitle, unit.name, args.due, args.offsetDays, pending),
      );
    },

    /**
     * The end of a full-coverage campaign's tracking: tells each leader how many institutions were uncovered at the
     * deadline, how many were inspected since, and lists those still uninspected. Returns how many are.
     */
    async noticeCoverageClosed(
      args: PendingNotice & { campaignId: string; campaignTitle: string; due: string; uncoveredAtDeadline: number },
    ) {
      const items = await campaigns.listUninspected(args.campaignId, { givenUp: true });
      const pending = items.map((i) => ({ institutionId: i.institutionId, name: i.name }));
      for (const leader of args.leaders) {
        const text = texts.coverageClosedMessage(args.campaignTitle, leader.name, args.due, args.uncoveredAtDeadline, pending);
        await send({
          key: `${args.keyPrefix}:${leader.id}`,
          kind: 'coverage-closed',
          to: [{ name: leader.name, email: leader.email }],
          ...text,
        });
      }
      return { uninspected: items.length };
    },
  };
}
