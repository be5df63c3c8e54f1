// The clue's query and Updates. Each validator refuses what the workflow would not act on now (a decision the clue is
// not waiting for, someone without the duty, the handler approving their own reward), so an accepted Update always
// takes effect; the handler answers once it has.
import { setHandler } from '@temporalio/workflow';
import {
  acceptClueSchema,
  approveRewardSchema,
  assignClueSchema,
  claimRewardSchema,
  concludeClueSchema,
  extendClueSchema,
  rejectClueSchema,
  reporterToldSchema,
} from '../../domain/clue-payloads';
import { parseOrReject, reject } from '../payloads';
import {
  acceptClueUpdate,
  approveRewardUpdate,
  assignClueUpdate,
  claimRewardUpdate,
  clueStatusQuery,
  concludeClueUpdate,
  extendClueUpdate,
  rejectClueUpdate,
  reporterToldUpdate,
  type ClueStatus,
} from './api';
import type { ClueState } from './state';
import { deadline, recordExtension, recordReassignment } from './steps';
import { settle } from '../waiting';

/** How far a payment time may lie ahead of workflow time: machines' clocks differ by seconds (a technical bound). */
const CLOCK_SKEW_TOLERANCE_MS = 5 * 60_000;

async function settled(s: ClueState, done: () => boolean): Promise<ClueStatus> {
  await settle(done);
  return s.status;
}

function expectStage(s: ClueState, stage: ClueStatus['stage'], what: string): void {
  if (s.status.stage !== stage)
    reject(`clue ${s.input.clueNo} is ${s.status.stageLabel} (${s.status.stage}): no ${what} now`, 'WrongStage');
}

function checkOfficer(s: ClueState, id: string, field: string): void {
  if (!s.input.officers.includes(id)) reject(`${field}: ${id} is not an officer of ${s.input.jurisdiction.name}`, 'NotAuthorised');
}

function checkApprover(s: ClueState, id: string, field: string): void {
  if (!s.input.approvers.includes(id)) reject(`${field}: ${id} is not a leader of ${s.input.jurisdiction.name}`, 'NotAuthorised');
}

export function registerHandlers(s: ClueState): void {
  setHandler(clueStatusQuery, () => s.status);
  registerDecisionHandlers(s);
  registerRewardHandlers(s);
}

/** 受理 / 不予受理, 改派, an extension, the conclusion. */
function registerDecisionHandlers(s: ClueState): void {
  const { status } = s;
  setHandler(
    acceptClueUpdate,
    (payload) => {
      const a = acceptClueSchema.parse(payload);
      s.unit = s.input.units.find((u) => u.id === a.unitId);
      status.acceptance = { accepted: true, decidedBy: a.decidedBy, decidedAt: new Date().toISOString(), unitId: a.unitId, note: a.note };
      return settled(s, () => s.applied.has('acceptance'));
    },
    {
      validator: (payload) => {
        const a = parseOrReject(acceptClueSchema, payload, 'acceptance');
        expectStage(s, 'awaiting-acceptance', 'acceptance decision');
        checkOfficer(s, a.decidedBy, 'decidedBy');
        if (!s.input.units.some((u) => u.id === a.unitId))
          reject(`unitId: ${a.unitId} is not a responsible unit (one of ${s.input.units.map((u) => u.id).join(', ')})`);
      },
    },
  );
  setHandler(
    rejectClueUpdate,
    (payload) => {
      const r = rejectClueSchema.parse(payload);
      status.acceptance = { accepted: false, decidedBy: r.decidedBy, decidedAt: new Date().toISOString(), reason: r.reason };
      return settled(s, () => s.applied.has('acceptance'));
    },
    {
      validator: (payload) => {
        const r = parseOrReject(rejectClueSchema, payload, 'rejection');
        expectStage(s, 'awaiting-acceptance', 'acceptance decision');
        checkOfficer(s, r.decidedBy, 'decidedBy');
      },
    },
  );
  setHandler(
    assignClueUpdate,
    async (payload) => {
      const a = assignClueSchema.parse(payload);
      const from = s.unit!;
      s.unit = s.input.units.find((u) => u.id === a.unitId)!;
      const moves = (status.reassignments ??= []);
      moves.push({ from: from.id, to: a.unitId, assignedBy: a.assignedBy, at: new Date().toISOString(), reason: a.reason });
      status.acceptance!.unitId = a.unitId;
      await recordReassignment(s, moves.length);
      return status;
    },
    {
      validator: (payload) => {
        const a = parseOrReject(assignClueSchema, payload, 'reassignment');
        expectStage(s, 'verifying', 'reassignment');
        checkApprover(s, a.assignedBy, 'assignedBy');
        if (!s.input.units.some((u) => u.id === a.unitId))
          reject(`unitId: ${a.unitId} is not a responsible unit (one of ${s.input.units.map((u) => u.id).join(', ')})`);
        if (a.unitId === s.unit?.id) reject(`unitId: clue ${s.input.clueNo} is with ${a.unitId} already`);
      },
    },
  );
  setHandler(
    extendClueUpdate,
    async (payload) => {
      const e = extendClueSchema.parse(payload);
      const until = deadline(s, new Date(status.dueAt!), s.input.rules.extension);
      status.extension = { approvedBy: e.approvedBy, reason: e.reason, until: until.toISOString() };
      await recordExtension(s);
      return status;
    },
    {
      validator: (payload) => {
        const e = parseOrReject(extendClueSchema, payload, 'extension');
        expectStage(s, 'verifying', 'extension');
        if (status.extension)
          reject(`clue ${s.input.clueNo} was extended already (until ${status.extension.until}): once only`, 'AlreadyExtended');
        checkApprover(s, e.approvedBy, 'approvedBy');
      },
    },
  );
  setHandler(
    concludeClueUpdate,
    (payload) => {
      const c = concludeClueSchema.parse(payload);
      const { handledBy, outcome, verifiedFen, findings, action } = c;
      status.conclusion = { handledBy, outcome, verifiedFen, findings, action, concludedAt: new Date().toISOString() };
      s.items = c.items;
      // Answers once the conclusion has taken effect: the case opened, the reporter told, the report filed.
      return settled(s, () => s.applied.has('conclusion'));
    },
    {
      validator: (payload) => {
        const c = parseOrReject(concludeClueSchema, payload, 'conclusion');
        expectStage(s, 'verifying', 'conclusion');
        checkOfficer(s, c.handledBy, 'handledBy');
        if (c.action !== 'none' && !s.input.subject.institution)
          reject(`action: ${c.action} needs a designated institution as the clue's subject; this clue is about "${s.facts.subjectName}"`);
      },
    },
  );
}

/** The reward's approval and claim, and a reporter told by the unit. */
function registerRewardHandlers(s: ClueState): void {
  const { status } = s;
  setHandler(
    approveRewardUpdate,
    (payload) => {
      const a = approveRewardSchema.parse(payload);
      s.approval = a;
      return settled(s, () => status.stage !== 'reward-approval');
    },
    {
      validator: (payload) => {
        const a = parseOrReject(approveRewardSchema, payload, 'reward approval');
        expectStage(s, 'reward-approval', 'reward approval');
        checkApprover(s, a.approvedBy, 'approvedBy');
        if (a.approvedBy === status.conclusion?.handledBy)
          reject(`approvedBy: ${a.approvedBy} verified this clue and may not approve its reward`, 'SeparationOfDuties');
        const { floorFen, capFen } = s.input.rules.reward;
        if (a.amountFen !== undefined && (a.amountFen < floorFen || a.amountFen > capFen))
          reject(`amountFen: must be between the floor ${floorFen} and the cap ${capFen} fen`);
      },
    },
  );
  setHandler(
    claimRewardUpdate,
    (payload) => {
      s.claim = claimRewardSchema.parse(payload);
      return settled(s, () => status.stage !== 'reward-claim');
    },
    {
      validator: (payload) => {
        const c = parseOrReject(claimRewardSchema, payload, 'reward claim');
        expectStage(s, 'reward-claim', 'reward claim');
        checkOfficer(s, c.paidBy, 'paidBy');
        if (Date.parse(c.paidAt) > new Date().getTime() + CLOCK_SKEW_TOLERANCE_MS) reject('paidAt: must not be in the future');
      },
    },
  );
  setHandler(
    reporterToldUpdate,
    (payload) => {
      const t = reporterToldSchema.parse(payload);
      const notice = status.reporterNotices.find((n) => n.event === t.event)!;
      notice.toldAt = t.at;
      notice.how = t.how;
      return status;
    },
    {
      validator: (payload) => {
        const t = parseOrReject(reporterToldSchema, payload, 'reporter notice');
        checkOfficer(s, t.toldBy, 'toldBy');
        const notice = status.reporterNotices.find((n) => n.event === t.event);
        if (!notice || notice.how === 'email') {
          const open = status.reporterNotices.filter((n) => !n.toldAt).map((n) => n.event);
          reject(`event: no notice "${t.event}" awaits telling the reporter (awaiting: ${open.join(', ') || 'none'})`);
        }
        if (notice.toldAt) reject(`event: the reporter was told of "${t.event}" already, at ${notice.toldAt}`);
      },
    },
  );
}
