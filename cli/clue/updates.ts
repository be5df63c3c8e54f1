// `jianguan clue accept|assign|reject|extend|verify|reward|claim|told`: the decisions on a clue, sent to its workflow as
// Temporal Updates. Each payload is validated first (./payloads.ts); the workflow's refusal prints as one line.
import type { UpdateDefinition } from '@temporalio/common';
import { formatLocal } from '../../domain/calendar';
import { formatYuan } from '../../domain/inspection';
import {
  acceptClueUpdate,
  approveRewardUpdate,
  assignClueUpdate,
  claimRewardUpdate,
  concludeClueUpdate,
  extendClueUpdate,
  rejectClueUpdate,
  reporterToldUpdate,
  type ClueStatus,
} from '../../workflows/clue/api';
import { sendUpdateOrReject, withClient } from '../context';
import {
  acceptPayload,
  assignPayload,
  claimPayload,
  extendPayload,
  rejectPayload,
  rewardPayload,
  toldPayload,
  verifyPayload,
  type AcceptOptions,
  type AssignOptions,
  type ClaimOptions,
  type ReasonOptions,
  type RewardOptions,
  type ToldOptions,
  type VerifyOptions,
} from './payloads';
import { target, type Target } from './target';

/** `clue N → verifying (核查中), due 2026-12-28 23:59`. */
export function stageLine(status: ClueStatus, timeZone: string): string {
  const due = status.dueAt ? `, due ${formatLocal(new Date(status.dueAt), timeZone)}` : '';
  return `clue ${status.clueNo} → ${status.stage} (${status.stageLabel})${due}`;
}

async function send(
  clueNoArg: string,
  options: Target,
  update: UpdateDefinition<ClueStatus, [unknown]>,
  payload: unknown,
  what: string,
  detail?: (status: ClueStatus, timeZone: string) => string | undefined,
): Promise<void> {
  const t = await target(options, clueNoArg);
  const status = await withClient(t.config, (client) => sendUpdateOrReject(client, t.workflowId, update, payload));
  console.log(`${what}: ${stageLine(status, t.timeZone)}`);
  const more = detail?.(status, t.timeZone);
  if (more) console.log(more);
}

export async function acceptCommand(clueNo: string, options: AcceptOptions & Target): Promise<void> {
  await send(clueNo, options, acceptClueUpdate, acceptPayload(options), `accepted, assigned to ${options.unit}`);
}

export async function assignCommand(clueNo: string, options: AssignOptions & Target): Promise<void> {
  await send(clueNo, options, assignClueUpdate, assignPayload(options), `reassigned to ${options.unit}`);
}

export async function rejectCommand(clueNo: string, options: ReasonOptions & Target): Promise<void> {
  await send(clueNo, options, rejectClueUpdate, rejectPayload(options), 'not accepted');
}

export async function extendCommand(clueNo: string, options: ReasonOptions & Target): Promise<void> {
  await send(clueNo, options, extendClueUpdate, extendPayload(options), 'extended');
}

export async function verifyCommand(clueNo: string, options: VerifyOptions & Target): Promise<void> {
  const payload = verifyPayload(options);
  await send(clueNo, options, concludeClueUpdate, payload, `concluded (${payload.outcome}, ${payload.action})`, (status) => {
    const lines = [];
    if (status.caseId) lines.push(`case         ${status.caseId}`);
    if (status.reward) lines.push(rewardLine(status));
    else if (status.stage === 'reward-approval') lines.push("reward       computed; awaiting a leader's approval (jianguan clue reward)");
    if (status.rewardNote) lines.push(`reward       ${status.rewardNote}`);
    return lines.join('\n') || undefined;
  });
}

function rewardLine(status: ClueStatus): string {
  const r = status.reward!;
  return `reward       ${formatYuan(r.amountFen)}${r.sharesFen.length > 1 ? ` (shares ${r.sharesFen.map(formatYuan).join(', ')})` : ''}`;
}

export async function rewardCommand(clueNo: string, options: RewardOptions & Target): Promise<void> {
  await send(clueNo, options, approveRewardUpdate, rewardPayload(options), 'reward approved', (status, tz) =>
    status.reward
      ? `${rewardLine(status)}, approved by ${status.reward.approvedBy}; claim by ${status.reward.claimDueAt ? formatLocal(new Date(status.reward.claimDueAt), tz) : '-'}`
      : undefined,
  );
}

export async function claimCommand(clueNo: string, options: ClaimOptions & Target): Promise<void> {
  await send(clueNo, options, claimRewardUpdate, claimPayload(options), `reward paid (${options.reference})`);
}

export async function toldCommand(clueNo: string, options: ToldOptions & Target): Promise<void> {
  await send(clueNo, options, reporterToldUpdate, toldPayload(options), `reporter told of ${options.event} (${options.how})`);
}
