// A special campaign's side effects (专项整治, workflows/special-campaign/): its targets' self-checks started page by page
// like full coverage's inspections (./page.ts: heartbeats, a retry resumes, a start that happened is recognised by its
// id), the reports recorded with their refunds, the missing and late ones told to the responsible units and escalated
// to their leaders, the investigation's selection recorded and its inspections' membership frozen, the summary's
// figures recorded and mailed. Each notice is keyed by the campaign's workflow id and the occasion: sent once.
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { lookBackWorkflowId, selfCheckWorkflowId } from '../domain/business-keys';
import {
  selectForInvestigation,
  INVESTIGATION_REASON_LABELS,
  type InvestigationRules,
  type InvestigationSelection,
  type SpecialCampaignFigures,
} from '../domain/self-check';
import * as texts from '../domain/special-messages';
import type {
  CampaignLedger,
  CampaignMember,
  CampaignRecord,
  FlyingLedger,
  SelfCheckEstimate,
  SelfCheckRecord,
  SpecialCampaignLedger,
} from '../records/types';
import { SELF_CHECK_WORKFLOW_TYPE, selfCheckStartOptions, type SelfCheckContext } from '../workflows/special-campaign/api';
import { cancelEach } from './campaign-files';
import { startLookBackWorkflow } from './flying';
import { campaignLedgerCheck, type LedgerCheckAreas, type OnLedgerMismatch } from './ledger-check';
import { activityPage, runPage, type PageTally } from './page';
import { noticePerUnit, type LeaderContact, type PendingNotice, type Send } from './unit-notices';

/** Starts in flight at once, and members read at a time: as the inspections' fan-out (./fan-out.ts). */
const START_CONCURRENCY = 32;
const CHUNK = 100;

export interface SpecialCampaignDeps extends LedgerCheckAreas {
  special: SpecialCampaignLedger;
  campaigns: CampaignLedger;
  /** The year's risk figures per institution (the flying pool's). */
  flying: FlyingLedger;
  send: Send;
  onLedgerMismatch?: OnLedgerMismatch;
}

type StartTally = PageTally & { started: number; alreadyStarted: number };

type AssertCampaignInLedger = ReturnType<typeof campaignLedgerCheck>;

/** The self-check phase: the targets' self-checks started, their reports recorded, the missing and late told. */
function selfCheckActivities(deps: SpecialCampaignDeps, assertCampaignInLedger: AssertCampaignInLedger) {
  const { special, campaigns, send } = deps;
  return {
    /** Starts the self-checks of members [fromSeq, fromSeq + limit) of the campaign's frozen membership. */
    async startSelfChecks(input: {
      context: SelfCheckContext;
      fromSeq: number;
      limit: number;
    }): Promise<{ started: number; alreadyStarted: number }> {
      const { client, info } = Context.current();
      const page = activityPage();
      await assertCampaignInLedger(input.context.campaign.id);
      const handle = async (member: CampaignMember): Promise<(tally: StartTally) => void> => {
        const options = selfCheckStartOptions(input.context, { ...member, contacts: member.contacts ?? [] });
        try {
          await client.workflow.start(SELF_CHECK_WORKFLOW_TYPE, { ...options, taskQueue: info.taskQueue });
          return (tally) => tally.started++;
        } catch (error) {
          if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
          return (tally) => tally.alreadyStarted++;
        }
      };
      const { started, alreadyStarted } = await runPage<CampaignMember, StartTally>({
        fromSeq: input.fromSeq,
        limit: input.limit,
        tally: (page.resumed as StartTally | undefined) ?? { nextSeq: input.fromSeq, started: 0, alreadyStarted: 0 },
        read: (fromSeq, count) => campaigns.listCampaignMembers(input.context.campaign.id, fromSeq, count),
        handle,
        concurrency: START_CONCURRENCY,
        chunk: CHUNK,
        heartbeat: page.heartbeat,
        signal: page.signal,
      });
      return { started, alreadyStarted };
    },

    async recordSelfCheckEstimates(campaignId: string, estimates: SelfCheckEstimate[]): Promise<void> {
      await special.recordSelfCheckEstimates(campaignId, estimates);
    },

    /** Records a target's report (the first stays) with its audit entry; returns the one recorded. */
    async recordSelfCheck(report: SelfCheckRecord): Promise<SelfCheckRecord> {
      return special.recordSelfCheck(report, {
        key: `${selfCheckWorkflowId(report.campaignId, report.institutionId)}:recorded`,
        actor: 'system',
        action: 'selfcheck-recorded',
        subjectType: 'institution',
        subjectId: report.institutionId,
        reason: `自查报告${report.late ? '（逾期）' : ''}：退回医保基金 ${report.refundedFen} 分`,
        detail: { campaignId: report.campaignId, late: report.late, refundedFen: report.refundedFen },
        at: report.submittedAt,
      });
    },

    /**
     * At the due date (`escalate` false): each responsible unit is told its targets without a report. At the phase's
     * end (`escalate` true): the still missing and the late ones go to each unit's leader. Returns the counts.
     */
    async noticeSelfChecks(
      args: PendingNotice & { campaignId: string; campaignTitle: string; due: string; closes: string },
    ): Promise<{ missing: number; late: number }> {
      const missing = (await special.listSelfChecks(args.campaignId, 'missing')).map((m) => ({ ...m, late: false }));
      const late = args.escalate ? (await special.listSelfChecks(args.campaignId, 'late')).map((m) => ({ ...m, late: true })) : [];
      await noticePerUnit(
        send,
        args,
        [...missing, ...late],
        ({ institutionId, name, late }) => ({ institutionId, name, late }),
        (unit, leader, lines) =>
          args.escalate
            ? texts.selfCheckEscalationMessage(
                args.campaignTitle,
                leader.name,
                unit.name,
                args.closes,
                lines.filter((l) => !l.late),
                lines.filter((l) => l.late),
              )
            : texts.selfCheckMissingMessage(args.campaignTitle, unit.name, args.due, args.closes, lines),
      );
      return { missing: missing.length, late: late.length };
    },

    /** The campaign's self-checks still open (cancellation): each cancelled; one already ended is passed over. */
    async cancelSelfChecks(campaignId: string): Promise<number> {
      const open = await special.listSelfChecks(campaignId, 'missing');
      await cancelEach(open.map((member) => selfCheckWorkflowId(campaignId, member.institutionId)));
      return open.length;
    },
  };
}

/** The investigation and the summary: the selection recorded and frozen, the look-backs ordered, the figures mailed. */
function investigationActivities(deps: SpecialCampaignDeps, assertCampaignInLedger: AssertCampaignInLedger) {
  const { special, campaigns, flying, send } = deps;
  return {
    /**
     * The investigation's selection (domain/self-check.ts) over the targets' reports, the data's estimates and the
     * year's risk figures, recorded once (a retry returns the recorded one) and published in the audit trail; then the
     * selected institutions frozen as the membership of the investigation's own campaign `inspection`, whose
     * inspections the workflow fans out. Returns the selection and that campaign's membership.
     */
    async selectInvestigation(args: {
      campaignId: string;
      seed: string;
      rules: InvestigationRules;
      inspection: CampaignRecord;
    }): Promise<{ selection: InvestigationSelection; members: number; drawSeed: string }> {
      const { campaignId, inspection } = args;
      await assertCampaignInLedger(campaignId);
      const risk = new Map((await flying.flyingPool(inspection.jurisdiction, inspection.year)).map((row) => [row.id, row.risk]));
      const candidates = (await special.selfCheckStandings(campaignId)).map((s) => {
        const r = risk.get(s.institutionId);
        return {
          ...s,
          id: s.institutionId,
          riskSignals: (r?.clues ?? 0) + (r?.dataAnomalies ?? 0),
          creditGrade: r?.creditGrade ?? null,
        };
      });
      const counts = (selection: InvestigationSelection) =>
        Object.fromEntries(
          Object.keys(INVESTIGATION_REASON_LABELS).map((reason) => [
            reason,
            selection.targets.filter((t) => t.reasons.some((x) => x === reason)).length,
          ]),
        );
      const drawn = selectForInvestigation(args.seed, candidates, args.rules);
      const selection = await special.recordInvestigation(campaignId, drawn, inspection.startsAt, {
        key: `campaign-file:${campaignId}:investigation-selected`,
        actor: 'system',
        action: 'special-investigation-selected',
        subjectType: 'campaign',
        subjectId: campaignId,
        reason: `严肃查处：列入现场检查 ${drawn.targets.length} 家（随机抽取 ${drawn.randomCount}/${drawn.randomPool.length} 家，种子 ${drawn.seed}）`,
        detail: { seed: drawn.seed, byReason: counts(drawn), randomPool: drawn.randomPool.length },
        at: inspection.startsAt,
      });
      const kept = await campaigns.ensureCampaign(inspection);
      const members = await campaigns.addCampaignMembers(
        inspection.id,
        inspection.jurisdiction,
        selection.targets.map((t) => t.id),
      );
      return { selection, members, drawSeed: kept.drawSeed };
    },

    /**
     * 回头看: a look-back of each institution whose inspection in the investigation found violations, `lookBackAfterDays`
     * after its findings (the flying checks' look-back workflow, claimed on site with reason 'look-back'). Started
     * once each (business keys); returns how many the campaign has.
     */
    async startSpecialLookBacks(args: {
      jurisdiction: string;
      year: number;
      inspectionCampaignId: string;
      drawSeed: string;
      origin: string;
    }): Promise<number> {
      const found = await special.listWithFindings(args.inspectionCampaignId);
      for (const { inspectionId, findingsAt, institution } of found) {
        await startLookBackWorkflow(
          lookBackWorkflowId(args.inspectionCampaignId, institution.id),
          {
            jurisdiction: args.jurisdiction,
            year: args.year,
            campaignId: args.inspectionCampaignId,
            institution: {
              id: institution.id,
              name: institution.name,
              kind: institution.kind,
              contacts: institution.contacts ?? [],
              responsibleUnitId: institution.responsibleUnitId ?? null,
            },
            follows: inspectionId,
            findingsAt,
            drawSeed: args.drawSeed,
            origin: args.origin,
          },
          institution,
        );
        Context.current().heartbeat();
      }
      return found.length;
    },

    /** The 建章立制 summary: the figures recorded once (a retry returns them) and mailed to each leader. */
    async sendSpecialSummary(args: {
      campaignId: string;
      inspectionCampaignId: string;
      jurisdictionName: string;
      campaignTitle: string;
      leaders: LeaderContact[];
      keyPrefix: string;
      at: string;
    }): Promise<SpecialCampaignFigures> {
      const current = await special.specialFigures(args.campaignId, args.inspectionCampaignId);
      const figures = await special.recordSpecialSummary(args.campaignId, current, args.at, {
        key: `campaign-file:${args.campaignId}:summary`,
        actor: 'system',
        action: 'special-summary-recorded',
        subjectType: 'campaign',
        subjectId: args.campaignId,
        reason: `${args.campaignTitle}工作总结`,
        detail: { ...current },
        at: args.at,
      });
      for (const leader of args.leaders) {
        await send({
          key: `${args.keyPrefix}:${leader.id}`,
          kind: 'special-summary',
          to: [{ name: leader.name, email: leader.email }],
          ...texts.specialSummaryMessage(args.jurisdictionName, args.campaignTitle, leader.name, figures),
        });
      }
      return figures;
    },
  };
}

export function createSpecialCampaignActivities(deps: SpecialCampaignDeps) {
  const assertCampaignInLedger = campaignLedgerCheck(deps, deps.onLedgerMismatch);
  return { ...selfCheckActivities(deps, assertCampaignInLedger), ...investigationActivities(deps, assertCampaignInLedger) };
}
