// Flying-check activities (飞行检查). The candidate pool comes from the ledger and at province scale is far too large for
// a workflow history, so the draw (domain/flying-draw.ts) runs here and is recorded in the ledger (first writer wins: a retried or restarted
// draw returns the recorded one, so the published draw is the one inspected); its targets are started page by page
// through the client (DESIGN §5 scale rule) and followed up from the ledger, which orders their look-backs.
//
// One on-site inspection per institution per year unless a clue or a data lead requires another (DESIGN §2):
//   * the draw works on the eligible pool: institutions without an on-site inspection this year, or with a risk signal
//     of the year (a clue, a data anomaly); the others are recorded as excluded, with the inspections that exclude them;
//   * each target's inspection is claimed in the ledger before it starts, with the clue / data-lead references when it
//     has them; a claim refused (inspected meanwhile, no signal) is not started, and the audit trail says why;
//   * a look-back (回头看) follows findings, which the rule allows: claimed with reason 'look-back' and the inspection
//     whose findings it follows.
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { inspectionWorkflowId, lookBackCampaignId, lookBackWorkflowId } from '../domain/business-keys';
import { flyingDrawRecord, publishedDrawText, type FlyingDrawRequest } from '../domain/flying-draw';
// FINAL_STAGES: where a flying check's inspection is over (the case it opened runs on by itself).
import { FINAL_STAGES } from '../domain/inspection';
import type { Period } from '../domain/period';
import { LOOK_BACK_STAGE_LABELS } from '../domain/stages';
import type {
  AuditEntry,
  AuditLedger,
  FlyingDrawRecord,
  FlyingLedger,
  FlyingTargetRecord,
  InspectionLedger,
  InspectionStage,
  OnSiteClaim,
} from '../records/types';
import { inspectionStartOptions, type InspectedInstitution, type InspectionContext } from '../workflows/inspection/start';
import { lookBackOrigin, lookBackTitle, type FlyingLookBackInput } from '../workflows/look-back/api';
import { searchAttributes } from '../workflows/search-attributes';
import { ONE_RUN_PER_KEY } from '../workflows/business-key';
import { campaignLedgerCheck, type LedgerCheckAreas, type OnLedgerMismatch } from './ledger-check';
import { claimFurtherInspection } from './onsite-claims';
import { activityPage, runPage, type PageTally } from './page';

// ---------------------------------------------------------------------------------------------------------------------
// The draw

/** What the campaign workflow keeps of its recorded draw: ids and counts (the pool stays in the ledger). */
export interface FlyingDrawSummary {
  seed: string;
  random: string[];
  risk: string[];
  /** Institutions in the eligible pool, and those excluded from it. */
  eligible: number;
  excluded: number;
}

const summarize = (draw: FlyingDrawRecord): FlyingDrawSummary => ({
  seed: draw.seed,
  random: draw.result.random,
  risk: draw.result.risk,
  eligible: draw.pool.length,
  excluded: draw.excluded.length,
});

// ---------------------------------------------------------------------------------------------------------------------
// Starting the targets (one page per activity, through the client)

export interface StartFlyingTargetsInput {
  campaignId: string;
  jurisdiction: string;
  year: number;
  context: Omit<InspectionContext, 'reportToParent'>;
  /** The statement period (陈述申辩) of each inspection, and the local time a period's last day ends. */
  statementPeriod: Period;
  fromSeq: number;
  limit: number;
  at: string;
}

export interface StartFlyingTargetsResult {
  started: number;
  /** Started before (a retried page, or a campaign restarted by an operator). */
  alreadyStarted: number;
  /** Not started: inspected on site this year already, without a clue or data lead. */
  refused: Array<{ id: string; inspections: string[] }>;
  /** Started as a further on-site inspection of the year, with the reason and the references that require it. */
  extra: Array<{ id: string; reason: string; reference: string }>;
}

type StartProgress = StartFlyingTargetsResult & PageTally;

/** Starts the inspection; false when it was started before (its business-key id is taken). */
export type StartWorkflow = (options: ReturnType<typeof inspectionStartOptions>) => Promise<boolean>;

const REASON_LABELS: Record<'clue' | 'data-lead' | 'look-back', string> = {
  clue: '举报线索',
  'data-lead': '数据疑点',
  'look-back': '回头看',
};

/** Starts in flight at once, and targets read from the ledger at a time. */
const START_CONCURRENCY = 8;
const CHUNK = 100;

/** The ledger areas starting a target writes: its on-site claim, and how the claim went. */
interface TargetAreas {
  flying: FlyingLedger;
  inspections: InspectionLedger;
}

/** One target: claim its on-site inspection (recording why), then start it unless refused. */
async function startTarget(
  { flying, inspections }: TargetAreas,
  start: StartWorkflow,
  input: StartFlyingTargetsInput,
  target: FlyingTargetRecord,
): Promise<(tally: StartProgress) => void> {
  const { campaignId, jurisdiction, year } = input;
  const institution: InspectedInstitution = { id: target.institutionId, ...target.institution };
  const context: InspectionContext = { ...input.context, reportToParent: false };
  const options = inspectionStartOptions(context, institution);
  const inspectionId = options.workflowId;
  const reference = target.references.join(', ');
  const claim = await inspections.claimOnSiteInspection({
    jurisdiction,
    institutionId: target.institutionId,
    year,
    inspectionId,
    ...(target.reason && { reason: target.reason, reference }),
  });
  const others = claim.inspections.filter((id) => id !== inspectionId);
  const audit = (action: string, reason: string, detail: Record<string, unknown>): AuditEntry => ({
    key: `${inspectionId}:${action}`,
    actor: 'system',
    action,
    subjectType: 'institution',
    subjectId: target.institutionId,
    reason,
    detail: { campaignId, inspectionId, inspections: claim.inspections, ...detail },
    at: input.at,
  });
  if (!claim.allowed) {
    await flying.setFlyingTargetClaim(
      campaignId,
      target.institutionId,
      'refused',
      audit('not-started', `${year}年已进行现场检查（${others.join('、')}），无举报线索或数据疑点，飞行检查不再重复现场检查`, {
        how: target.how,
      }),
    );
    return (tally) => tally.refused.push({ id: target.institutionId, inspections: others });
  }
  const extra = others.length > 0 && { id: target.institutionId, reason: target.reason!, reference };
  if (extra) {
    const label = REASON_LABELS[target.reason!];
    await flying.setFlyingTargetClaim(
      campaignId,
      target.institutionId,
      'extra',
      audit('onsite-extra', `${year}年已进行现场检查（${others.join('、')}），因${label}（${reference}）再次现场检查（飞行检查）`, {
        reason: target.reason,
        references: target.references,
      }),
    );
  } else {
    await flying.setFlyingTargetClaim(campaignId, target.institutionId, 'first');
  }
  // The statement period in working days and the end of day: the inspection input's newer fields.
  const args: typeof options.args = [{ ...options.args[0], statementPeriod: input.statementPeriod }];
  const started = await start({ ...options, args });
  return (tally) => {
    if (extra) tally.extra.push(extra);
    if (started) tally.started++;
    else tally.alreadyStarted++;
  };
}

/**
 * Starts the targets with seq in [fromSeq, fromSeq + limit): the core of startFlyingTargets, with the start and the
 * heartbeat given (so it can be tested without a server). Resumes from `resumed` (the last heartbeat).
 */
export async function startFlyingTargetPage(
  deps: TargetAreas & { start: StartWorkflow; heartbeat?: (progress: StartProgress) => void; signal?: AbortSignal },
  input: StartFlyingTargetsInput,
  resumed?: StartProgress,
): Promise<StartFlyingTargetsResult> {
  const { started, alreadyStarted, refused, extra } = await runPage<FlyingTargetRecord, StartProgress>({
    fromSeq: input.fromSeq,
    limit: input.limit,
    tally: resumed ?? { nextSeq: input.fromSeq, started: 0, alreadyStarted: 0, refused: [], extra: [] },
    read: (fromSeq, count) => deps.flying.listFlyingTargets(input.campaignId, fromSeq, count),
    handle: (target) => startTarget(deps, deps.start, input, target),
    concurrency: START_CONCURRENCY,
    chunk: CHUNK,
    heartbeat: deps.heartbeat ?? (() => undefined),
    ...(deps.signal && { signal: deps.signal }),
  });
  return { started, alreadyStarted, refused, extra };
}

/** Starts through the activity's client on its task queue; an id already taken is a start that happened before. */
function clientStart(client: Client, taskQueue: string): StartWorkflow {
  return async (options) => {
    try {
      await client.workflow.start('inspection', { ...options, taskQueue });
      return true;
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
      throw error;
    }
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Following the targets up

/** Stages past the conclusion of findings with violations (after the statement period). */
const CONCLUDED_STAGES: readonly InspectionStage[] = ['case-opened', 'rectifying', 'rectification-overdue', 'rectified', 'unrectified'];

export interface FollowUpInput {
  campaignId: string;
  jurisdiction: string;
  year: number;
  /** The campaign's seed: look-back teams are drawn from `${drawSeed}:lookback`. */
  drawSeed: string;
  at: string;
}

export interface FollowUpResult {
  targets: number;
  refused: number;
  finished: number;
  /** Targets still to finish (or to be claimed and started), and up to 20 of their ids. */
  pending: number;
  unfinished: string[];
  /** Look-backs ordered by this follow-up (workflow ids). */
  lookBacksStarted: string[];
}

export type StartLookBack = (workflowId: string, input: FlyingLookBackInput, target: FlyingTargetRecord) => Promise<void>;

/** The core of followUpFlyingTargets: reads every target's progress, orders the look-backs due. */
export async function followUpTargets(
  deps: { flying: FlyingLedger; startLookBack: StartLookBack; heartbeat?: () => void },
  input: FollowUpInput,
): Promise<FollowUpResult> {
  const result: FollowUpResult = { targets: 0, refused: 0, finished: 0, pending: 0, unfinished: [], lookBacksStarted: [] };
  for (let from = 0; ; from += 1_000) {
    const targets = await deps.flying.listFlyingTargets(input.campaignId, from, 1_000);
    if (targets.length === 0) break;
    for (const target of targets) {
      result.targets++;
      if (target.claim === 'refused') {
        result.refused++;
        continue;
      }
      const { stage, violation, findingsAt } = target.inspection;
      if (violation && stage && CONCLUDED_STAGES.includes(stage) && !target.lookBackId && findingsAt) {
        const workflowId = lookBackWorkflowId(input.campaignId, target.institutionId);
        await deps.startLookBack(
          workflowId,
          {
            jurisdiction: input.jurisdiction,
            year: input.year,
            campaignId: input.campaignId,
            institution: { id: target.institutionId, ...target.institution },
            follows: inspectionWorkflowId(input.campaignId, target.institutionId),
            findingsAt,
            drawSeed: input.drawSeed,
          },
          target,
        );
        await deps.flying.setFlyingTargetLookBack(input.campaignId, target.institutionId, workflowId);
        result.lookBacksStarted.push(workflowId);
      }
      if (stage && FINAL_STAGES.includes(stage)) {
        result.finished++;
      } else {
        result.pending++;
        if (result.unfinished.length < 20) result.unfinished.push(target.institutionId);
      }
    }
    deps.heartbeat?.();
  }
  return result;
}

/**
 * Starts a look-back (回头看) from inside an activity, on the activity's task queue; one started before is left as it
 * is (its id is the business key). The flying checks' follow-up and a special campaign's last phase order them.
 */
export async function startLookBackWorkflow(
  workflowId: string,
  args: FlyingLookBackInput,
  institution: { id: string; name: string; kind: 'hospital' | 'pharmacy' },
): Promise<void> {
  const ctx = Context.current();
  try {
    await ctx.client.workflow.start('flyingLookBack', {
      workflowId,
      ...ONE_RUN_PER_KEY,
      taskQueue: ctx.info.taskQueue,
      args: [args],
      staticSummary: args.origin ? `${lookBackTitle(args)}：${institution.name}` : `${args.year}年 飞行检查回头看：${institution.name}`,
      staticDetails: `跟进${lookBackOrigin(args)}的检查发现；不预先通知（四不两直）`,
      typedSearchAttributes: new TypedSearchAttributes(
        searchAttributes({
          jurisdiction: args.jurisdiction,
          campaignId: lookBackCampaignId(args.campaignId),
          campaignKind: 'look-back',
          year: args.year,
          institutionId: institution.id,
          institutionKind: institution.kind,
          stage: 'waiting',
          institutionName: institution.name,
          stageLabel: LOOK_BACK_STAGE_LABELS.waiting,
        }),
      ),
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// The activities

/** A look-back's claim: the inspection it follows (`follows`) is the reference recorded with it. */
type LookBackClaim = { jurisdiction: string; year: number; institutionId: string; inspectionId: string; follows: string; at: string };
/** A flying check a verified clue ordered: the clue number is the reference recorded with it. */
type ClueCheckClaim = { jurisdiction: string; year: number; institutionId: string; inspectionId: string; clueNo: string; at: string };

export interface FlyingDeps extends LedgerCheckAreas, TargetAreas {
  audit: AuditLedger;
  onLedgerMismatch?: OnLedgerMismatch;
}

export function createFlyingActivities(deps: FlyingDeps) {
  const assertCampaignInLedger = campaignLedgerCheck(deps, deps.onLedgerMismatch);
  const { flying, inspections, audit } = deps;
  return {
    /**
     * The flying campaign's draw over its eligible pool, recorded in the ledger with its targets and in the audit
     * trail (the published list). First writer wins: when the campaign has a recorded draw (a retry, a restart), that
     * one is returned and nothing is drawn again.
     */
    async drawEligibleTargets(request: FlyingDrawRequest): Promise<FlyingDrawSummary> {
      const recorded = await flying.getFlyingDraw(request.campaignId);
      if (recorded) return summarize(recorded);
      const draw = flyingDrawRecord(request, await flying.flyingPool(request.jurisdiction, request.year));
      const stored = await flying.recordFlyingDraw(draw, {
        key: `${request.workflowId}:draw`,
        actor: 'system',
        action: 'flying-draw',
        subjectType: 'campaign',
        subjectId: request.campaignId,
        reason: publishedDrawText(draw),
        detail: {
          algorithm: draw.algorithm,
          seed: draw.seed,
          weights: draw.weights,
          requested: draw.requested,
          counts: draw.counts,
          selection: draw.result,
          pool: draw.pool,
          excluded: draw.excluded,
        },
        at: request.at,
      });
      return summarize(stored);
    },

    /** Starts one page of the campaign's targets (heartbeating; a retry resumes from the last heartbeat). */
    async startFlyingTargets(input: StartFlyingTargetsInput): Promise<StartFlyingTargetsResult> {
      await assertCampaignInLedger(input.campaignId);
      const ctx = Context.current();
      const page = activityPage();
      return startFlyingTargetPage(
        { flying, inspections, start: clientStart(ctx.client, ctx.info.taskQueue), heartbeat: page.heartbeat, signal: page.signal },
        input,
        page.resumed as StartProgress | undefined,
      );
    },

    /** Reads the targets' progress from the ledger and orders the look-backs their findings call for. */
    async followUpFlyingTargets(input: FollowUpInput): Promise<FollowUpResult> {
      await assertCampaignInLedger(input.campaignId);
      const ctx = Context.current();
      const startLookBack: StartLookBack = (workflowId, args, target) =>
        startLookBackWorkflow(workflowId, args, { id: target.institutionId, name: target.institution.name, kind: target.institution.kind });
      return followUpTargets({ flying, startLookBack, heartbeat: () => ctx.heartbeat() }, input);
    },

    /** The campaign's outcome at its end, in the audit trail. */
    async recordFlyingOutcome(entry: AuditEntry): Promise<void> {
      await audit.appendAudit(entry);
    },

    /**
     * A look-back's on-site inspection: allowed because it follows findings, recorded with reason 'look-back' and the
     * inspection it follows; a further inspection of the year also goes to the audit trail.
     */
    claimLookBack: ({ follows, ...args }: LookBackClaim): Promise<OnSiteClaim> =>
      claimFurtherInspection(deps, { ...args, reason: 'look-back', reference: follows }, `回头看：跟进 ${follows} 的检查发现`),

    /** A flying check a verified clue ordered: allowed by the clue, recorded with its number. */
    claimClueCheck: ({ clueNo, ...args }: ClueCheckClaim): Promise<OnSiteClaim> =>
      claimFurtherInspection(deps, { ...args, reason: 'clue', reference: clueNo }, `因举报线索（${clueNo}）`),
  };
}

export type FlyingActivities = ReturnType<typeof createFlyingActivities>;
