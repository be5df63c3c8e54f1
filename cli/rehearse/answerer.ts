// Who answers in a rehearsal, and when: whoever a notice asks to answer does so through the same Updates the CLI
// sends — an institution its self-check report (`selfcheck submit`), an inspection team its findings (`inspection
// record`), a responsible unit its weekly 问题台账 (`campaign ledger submit`). On time means at the first step after
// the notice (the next local 00:01, before any reminder of the day); late means at the first step after the target's
// deadline; silent means never. Units always answer their 台账 when reminded (催报), which is still on time.
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Answering } from '../../domain/rehearsal';
import { inspectionStatusQuery, recordFindingsUpdate } from '../../workflows/inspection/api';
import { submitProblemListUpdate } from '../../workflows/problem-list/api';
import { submitSelfCheckUpdate } from '../../workflows/special-campaign/api';
import type { SentNotification } from '../../workers/time-skipping';

/** An answer waiting for its time. */
export interface Answer {
  workflowId: string;
  /** One answer per id: a team's second member's notice asks for the findings its first member's already give. */
  updateId: string;
  /** The target whose answering behaviour applies (an institution), or undefined for a unit (always on time). */
  target?: string;
  /** Not before this instant (server time, ms). */
  notBefore: number;
  /** The Update and its payload at the instant it is sent. */
  update: UpdateDefinition<unknown, [unknown]>;
  payload: (nowMs: number) => unknown;
}

/** What a notice asks, if anything: the Update that answers it. Deadlines for late answers are read when queued. */
export function answerOf(notice: SentNotification): Omit<Answer, 'notBefore'> | undefined {
  const [workflowId, event, who] = splitKey(notice.key);
  if (notice.kind === 'selfcheck-notice' && event === 'notice')
    return {
      workflowId,
      updateId: `rehearsal:${workflowId}`,
      target: lastSegment(workflowId),
      update: submitSelfCheckUpdate as UpdateDefinition<unknown, [unknown]>,
      payload: () => ({ submittedBy: '演练', items: [], measures: [], note: '演练：按期提交' }),
    };
  // One member of the team records the findings; the first notice of the team is the one answered.
  if (notice.kind === 'assignment' && event === 'assignment' && who)
    return {
      workflowId,
      updateId: `rehearsal:${workflowId}`,
      target: lastSegment(workflowId),
      update: recordFindingsUpdate as UpdateDefinition<unknown, [unknown]>,
      payload: (nowMs) => ({ inspectorId: who, inspectedAt: new Date(nowMs).toISOString(), violation: false, items: [], note: '演练' }),
    };
  if (notice.kind === 'problem-list-reminder' && event === 'reminder' && who)
    return {
      workflowId,
      updateId: `rehearsal:${notice.key}`,
      update: submitProblemListUpdate as UpdateDefinition<unknown, [unknown]>,
      payload: () => ({ unit: who, rows: [] }),
    };
  return undefined;
}

/** A notice's key is `{workflowId}:{event}[:{who}]`; workflow ids hold colons themselves, events are known words. */
function splitKey(key: string): [string, string, string | undefined] {
  const match = /^(.*):(notice|assignment|reminder)(?::([^:]+))?$/.exec(key);
  return match ? [match[1], match[2], match[3]] : [key, '', undefined];
}

const lastSegment = (workflowId: string): string => workflowId.slice(workflowId.lastIndexOf(':') + 1);

/** The target's deadline (ms), read from its workflow's status, for a late answer. */
export async function deadlineOf(client: Client, answer: Omit<Answer, 'notBefore'>): Promise<number> {
  // Both answer a `status` query with the target's `dueAt` (inspectionStatusQuery, selfCheckStatusQuery).
  const status = await client.workflow.getHandle(answer.workflowId).query<{ dueAt: string }>(inspectionStatusQuery.name);
  return new Date(status.dueAt).getTime();
}

/** Queues the answer a notice asks for, as the target's behaviour says; returns it, or undefined for none. */
export async function scheduleAnswer(
  client: Client,
  notice: SentNotification,
  answering: (target: string) => Answering,
): Promise<Answer | undefined> {
  const answer = answerOf(notice);
  if (!answer) return undefined;
  const behaviour = answer.target ? answering(answer.target) : 'on-time';
  if (behaviour === 'silent') return undefined;
  const notBefore = behaviour === 'late' ? (await deadlineOf(client, answer)) + 1 : notice.at.getTime();
  return { ...answer, notBefore };
}

/**
 * Sends the answer. The time-skipping server now and then answers a fresh Update with "update … not found" after many
 * executions; the same update id is sent again (the server dedupes it). A workflow already ended has nothing to answer.
 */
export async function sendAnswer(client: Client, answer: Answer, nowMs: number): Promise<void> {
  const handle = client.workflow.getHandle(answer.workflowId);
  for (let attempt = 1; ; attempt++) {
    try {
      await handle.executeUpdate(answer.update, { args: [answer.payload(nowMs)], updateId: answer.updateId });
      return;
    } catch (error) {
      // Refused (the phase closed before a late answer): the target counts as not answering, as in a real year.
      if (error instanceof WorkflowUpdateFailedError) return;
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      if (attempt >= 5 || !/update .* not found/.test(error.message)) return;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}
