// What `clue intake` and `clue import-batch` share: a checked registration (domain/clue-intake.ts) turned into the
// clue workflow's input, the reporter's identity sealed for the ledger, the check against what the ledger already
// holds for the clue number, and the workflow's start (idempotent by its business key). The reporter's identity
// leaves here only sealed: the workflow gets whether the report was in real name, the masked name and whether the
// reporter can be reached; search attributes, summary and details carry no personal data.
import { isDeepStrictEqual } from 'node:util';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import type { ReporterIdentity } from '../../activities/clues';
import { createSealer, type Sealer } from '../../codec/sealer';
import { loadKeyring } from '../../codec/keyring';
import type { Plan, RuntimeConfig } from '../../config';
import { clueWorkflowId } from '../../domain/business-keys';
import { formatLocal, localYear } from '../../domain/calendar';
import { CHANNEL_LABELS, maskName, SOURCE_LABELS } from '../../domain/clue';
import type { ClueRegistration, ReporterEntry } from '../../domain/clue-intake';
import { deadlineAfter } from '../../domain/period';
import { holidayCalendar } from '../../domain/workdays';
import type { ClueRecord, SealedReporter, Store } from '../../records/types';
import { ONE_RUN_PER_KEY } from '../../workflows/business-key';
import { CLUE_WORKFLOW_TYPE, type ClueInput, type ClueReporterFacts, type ClueWorkflow } from '../../workflows/clue/api';
import { institutionSubject, type ClueContext } from '../../workflows/clue/context';
import { searchAttributes } from '../../workflows/search-attributes';
import { UsageError } from '../context';

/** What the ledger holds sealed: the reporter's identity; an anonymous reporter is addressed as 举报人 (their e-mail only). */
export type SealedIdentity = ReporterIdentity & { anonymous?: true };

/** How an anonymous reporter's notices address them. */
const ANONYMOUS_ADDRESS = '举报人';
export const ANONYMOUS_MASKED = '匿名';

/** The sealer of the codec's keys: the worker that mails the reporter opens with the same keys. */
export function cliSealer(config: RuntimeConfig): Sealer {
  return createSealer(loadKeyring(config.codec.keys));
}

export function sealedIdentity(r: ReporterEntry): SealedIdentity {
  if (r.anonymous) return { anonymous: true, name: ANONYMOUS_ADDRESS, ...(r.email && { email: r.email }) };
  return {
    name: r.name!,
    ...(r.phone && { phone: r.phone }),
    ...(r.idNumber && { idNumber: r.idNumber.toUpperCase() }),
    ...(r.address && { address: r.address }),
    ...(r.email && { email: r.email }),
  };
}

/** The reporter as staff may see it: 欧**, or 匿名. */
export function maskedReporter(r: ReporterEntry): string {
  return r.anonymous ? ANONYMOUS_MASKED : maskName(r.name!);
}

/** What the workflow knows of the reporter (no identity). */
export function reporterFacts(r: ReporterEntry, signatories: number): ClueReporterFacts {
  return {
    realName: !r.anonymous,
    masked: maskedReporter(r),
    byEmail: Boolean(r.email),
    reachable: !r.anonymous || Boolean(r.email),
    signatories,
  };
}

/** A registration with its receipt time fixed (now when the file gives none) and its source. */
export interface Registration extends ClueRegistration {
  receivedAt: string;
  source: ClueInput['source'];
}

/** The clue workflow's input for a registration. */
export function clueInputOf(plan: Plan, context: ClueContext, r: Registration): ClueInput {
  const institution = r.institutionId ? plan.institutions.find((i) => i.id === r.institutionId) : undefined;
  if (r.institutionId && !institution) throw new UsageError(`institutionId: unknown institution "${r.institutionId}"`);
  return {
    ...context,
    clueNo: r.clueNo,
    year: localYear(new Date(r.receivedAt), plan.jurisdiction.timeZone),
    receivedAt: new Date(r.receivedAt).toISOString(),
    channel: r.channel,
    source: r.source,
    subject: institution ? institutionSubject(institution) : { description: r.subject! },
    summary: r.summary,
    reporter: reporterFacts(r.reporter, r.signatories),
    ...(r.duplicateOf && { duplicateOf: r.duplicateOf }),
  };
}

/**
 * The acceptance deadline (the DueAt search attribute the workflow starts with), as the workflow computes it. A
 * working-day limit reaching a year the holiday calendar does not cover is refused here, before anything is written:
 * the workflow would wait for that year's data.
 */
export function acceptanceDue(input: ClueInput): Date {
  const { rules } = input;
  try {
    return deadlineAfter(
      new Date(input.receivedAt),
      rules.acceptance,
      rules.endOfDay,
      input.jurisdiction.timeZone,
      holidayCalendar(rules.holidays),
    );
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new UsageError(
      `clue ${input.clueNo}: its acceptance deadline cannot be computed (${error.message}); add the year's holiday notice to the plan (calendar.holidays)`,
    );
  }
}

/** Why the ledger's record of a clue number refuses this registration; undefined when it is the same clue (or new). */
export function conflictWithLedger(
  r: Registration,
  sealer: Sealer,
  recorded: { reporter?: SealedReporter; row?: ClueRecord },
): string | undefined {
  if (recorded.reporter) {
    let identity: unknown;
    try {
      identity = JSON.parse(sealer.open(recorded.reporter.keyId, recorded.reporter.sealed));
    } catch (error) {
      return `its recorded reporter cannot be compared (${(error as Error).message})`;
    }
    if (!isDeepStrictEqual(identity, sealedIdentity(r.reporter)))
      return `it is registered with another reporter (${recorded.reporter.masked}): a clue number is one report; give the other report its own clue number`;
  }
  const row = recorded.row;
  if (row) {
    const differs: string[] = [];
    if (row.realName !== !r.reporter.anonymous || row.reporterMasked !== maskedReporter(r.reporter)) differs.push('reporter');
    if (row.summary !== r.summary) differs.push('summary');
    if (row.channel !== r.channel) differs.push('channel');
    if ((row.institutionId ?? undefined) !== r.institutionId || (!r.institutionId && row.subject !== r.subject))
      differs.push('institutionId/subject');
    if (row.source !== r.source.kind || (row.batchNo ?? undefined) !== r.source.batchNo) differs.push('source');
    if (differs.length)
      return `it is registered with other facts (${differs.join(', ')} differ from the ledger's): a clue number is one report`;
  }
  return undefined;
}

/** Reads what the ledger holds for a clue number. */
export async function recordedClue(store: Store, jurisdiction: string, clueNo: string) {
  const [reporter, row] = await Promise.all([store.getReporter(jurisdiction, clueNo), store.getClue(jurisdiction, clueNo)]);
  return { ...(reporter && { reporter }), ...(row && { row }) };
}

/** Seals and saves the reporter (kept once per clue: the same clue again keeps the first). */
export async function saveSealedReporter(store: Store, sealer: Sealer, jurisdiction: string, r: Registration): Promise<void> {
  const { keyId, sealed } = sealer.seal(JSON.stringify(sealedIdentity(r.reporter)));
  await store.saveReporter({ jurisdiction, clueNo: r.clueNo, keyId, sealed, masked: maskedReporter(r.reporter) });
}

function sourceText(input: ClueInput): string {
  const { kind, batchNo, batchDate } = input.source;
  return kind === 'local'
    ? `${SOURCE_LABELS.local}·${CHANNEL_LABELS[input.channel]}`
    : `${SOURCE_LABELS[kind]} 批次 ${batchNo}（${batchDate}）`;
}

/**
 * Starts the clue's workflow under its business key; false when it was started before (by an earlier intake or
 * import of the same clue number): nothing is started twice.
 */
export async function startClue(client: Client, taskQueue: string, input: ClueInput, dueAt: Date): Promise<boolean> {
  const institution = input.subject.institution;
  try {
    await client.workflow.start<ClueWorkflow>(CLUE_WORKFLOW_TYPE, {
      workflowId: clueWorkflowId(input.jurisdiction.code, input.clueNo),
      ...ONE_RUN_PER_KEY,
      taskQueue,
      args: [input],
      // Chinese, without personal data: the reporter only as 实名 / 匿名, a subject that is not an institution unnamed.
      staticSummary: `${input.year}年 ${input.jurisdiction.name} 举报线索 ${input.clueNo}（${sourceText(input)}）`,
      staticDetails: [
        `被举报对象：${institution ? `${institution.name}（${institution.id}）` : '非定点医药机构（见线索登记）'}`,
        `举报人：${input.reporter.realName ? '实名' : '匿名'}${input.reporter.signatories > 1 ? `（联名 ${input.reporter.signatories} 人）` : ''}`,
        `受理期限：${formatLocal(dueAt, input.jurisdiction.timeZone)}`,
      ].join('\n'),
      typedSearchAttributes: new TypedSearchAttributes(
        searchAttributes({
          jurisdiction: input.jurisdiction.code,
          campaignKind: 'clue',
          year: input.year,
          ...(institution && { institutionId: institution.id, institutionKind: institution.kind }),
          stage: 'awaiting-acceptance',
          dueAt,
          overdue: false,
        }),
      ),
    });
    return true;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw error;
  }
}
