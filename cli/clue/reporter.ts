// `jianguan clue reporter N --by ID`: the reporter's identity, opened from the ledger's sealed table for an officer
// handling the clue: an inspector of the unit it is assigned to (before that, of the intake unit), or a leader of the
// plan. The look is written to the audit trail (who, when, which clue; never the identity) BEFORE anything is printed;
// every other command shows the reporter masked only.
import type { Plan } from '../../config';
import { ID_PATTERN } from '../../domain/business-keys';
import type { ClueRecord } from '../../records/types';
import { UsageError } from '../context';
import { noLedgerNote, withLedger } from '../ledger';
import { cliSealer, type SealedIdentity } from './register';
import { target, type Target } from './target';

export interface RevealOptions extends Target {
  by?: string;
  reason?: string;
}

/** The unit handling a clue: the one it is assigned to, or before that the plan's intake unit. */
export function handlingUnit(plan: Plan, row: Pick<ClueRecord, 'unitId'>): string {
  return row.unitId ?? plan.clues.intakeUnitId ?? plan.responsibleUnits[0]!.id;
}

/** Why `by` may not see the reporter of a clue handled by `unitId`; undefined when they may. */
export function revealRefusal(plan: Plan, unitId: string, by: string): string | undefined {
  if (plan.leaders.some((l) => l.id === by)) return undefined;
  const inspector = plan.inspectors.find((i) => i.id === by);
  if (inspector?.unitId === unitId) return undefined;
  const who = inspector ? `an inspector of ${inspector.unitId}` : `not an officer of ${plan.jurisdiction.name}`;
  return `--by: ${by} is ${who}: only the handling unit's (${unitId}) inspectors and the plan's leaders may see the reporter`;
}

/** The identity as printed: every field given, one a line. */
export function formatIdentity(clueNo: string, identity: SealedIdentity): string[] {
  const lines = [`reporter of clue ${clueNo} (confidential: do not copy or pass on)`];
  if (identity.anonymous) lines.push('name         (anonymous)');
  else lines.push(`name         ${identity.name}`);
  if (identity.phone) lines.push(`phone        ${identity.phone}`);
  if (identity.idNumber) lines.push(`ID number    ${identity.idNumber}`);
  if (identity.address) lines.push(`address      ${identity.address}`);
  if (identity.email) lines.push(`e-mail       ${identity.email}`);
  if (identity.anonymous && !identity.email) lines.push('(no way to reach the reporter was given)');
  return lines;
}

export async function revealReporter(clueNoArg: string, options: RevealOptions, now = new Date()): Promise<string[]> {
  const by = options.by?.trim() ?? '';
  if (!ID_PATTERN.test(by)) throw new UsageError(`--by: ${by ? `"${by}" is not an id` : 'required (the officer looking)'}`);
  const reason = options.reason?.trim();
  const t = await target(options, clueNoArg);
  const sealer = cliSealer(t.config);
  const jurisdiction = t.plan.jurisdiction.code;
  const lines = await withLedger(t.config, async (store) => {
    const row = await store.getClue(jurisdiction, t.clueNo);
    if (!row) throw new UsageError(`clue ${t.clueNo} is not in the ledger (not registered, or its workflow has not recorded it yet)`);
    const unitId = handlingUnit(t.plan, row);
    const refusal = revealRefusal(t.plan, unitId, by);
    if (refusal) throw new UsageError(refusal);
    const sealed = await store.getReporter(jurisdiction, t.clueNo);
    if (!sealed) throw new UsageError(`clue ${t.clueNo} has no reporter in the ledger`);
    // Opened before the audit entry (a key this process lacks fails here, with nothing recorded as seen) …
    const identity = JSON.parse(sealer.open(sealed.keyId, sealed.sealed)) as SealedIdentity;
    const at = now.toISOString();
    // … and recorded before it is printed: no look goes unrecorded. The entry names no part of the identity.
    await store.appendAudit({
      key: `${t.workflowId}:reporter-revealed:${by}:${at}`,
      actor: by,
      action: 'reporter-revealed',
      subjectType: 'clue',
      subjectId: t.workflowId,
      reason: reason ? `查阅举报人身份信息：${reason}` : '查阅举报人身份信息',
      detail: { unitId, keyId: sealed.keyId },
      at,
    });
    return formatIdentity(t.clueNo, identity);
  });
  if (!lines) throw new UsageError(`cannot read the reporter: ${noLedgerNote(t.config)}`);
  return lines;
}

export async function revealReporterCommand(clueNo: string, options: RevealOptions): Promise<void> {
  for (const line of await revealReporter(clueNo, options)) console.log(line);
}
