// `jianguan person-case person N --by ID [--reason T]`: the person a case is against, opened from the ledger's sealed
// table for an officer of the plan (who serves the decisions on that person). As with `clue reporter`, the look is
// written to the audit trail (who, when, which case; never the identity) BEFORE anything is printed; every other
// command shows the person masked only.
import { ID_PATTERN, personCaseWorkflowId } from '../../domain/business-keys';
import { officersOf } from '../../domain/case-duties';
import type { InsuredPerson } from '../../domain/person-case';
import { cliSealer } from '../clue/register';
import { plan as loadPlanFile, settings, UsageError } from '../context';
import { noLedgerNote, withLedger } from '../ledger';
import { parseCaseNo } from '../payload';

export interface PersonRevealOptions {
  by?: string;
  reason?: string;
  plan?: string;
}

/** The person as printed: every field given, one a line. */
export function formatPerson(caseNo: string, person: InsuredPerson): string[] {
  return [
    `person of case ${caseNo} (confidential: do not copy or pass on)`,
    `name         ${person.name}`,
    `ID number    ${person.idNumber}`,
    ...(person.insuranceNo ? [`insurance no ${person.insuranceNo}`] : []),
    `kind         ${person.professional ? '职业骗保人' : '参保人员'}`,
  ];
}

export async function revealPerson(caseNoArg: string, options: PersonRevealOptions, now = new Date()): Promise<string[]> {
  const by = options.by?.trim() ?? '';
  if (!ID_PATTERN.test(by)) throw new UsageError(`--by: ${by ? `"${by}" is not an id` : 'required (the officer looking)'}`);
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  if (!officersOf(plan).includes(by))
    throw new UsageError(
      `--by: ${by} is not an officer of ${plan.jurisdiction.name}: only the plan's leaders and inspectors may see the person`,
    );
  const jurisdiction = plan.jurisdiction.code;
  const caseNo = parseCaseNo(caseNoArg, jurisdiction, 'person-case');
  const workflowId = personCaseWorkflowId(jurisdiction, caseNo);
  const lines = await withLedger(config, async (store) => {
    const sealed = await store.getPersonSubject(jurisdiction, caseNo);
    if (!sealed) throw new UsageError(`person case ${caseNo} has no person in the ledger (not opened, or not recorded yet)`);
    // Opened before the audit entry (a key this process lacks fails here, with nothing recorded as seen) …
    const person = JSON.parse(cliSealer(config).open(sealed.keyId, sealed.sealed)) as InsuredPerson;
    const at = now.toISOString();
    // … and recorded before it is printed: no look goes unrecorded. The entry names no part of the identity.
    await store.appendAudit({
      key: `${workflowId}:person-revealed:${by}:${at}`,
      actor: by,
      action: 'person-revealed',
      subjectType: 'person-case',
      subjectId: workflowId,
      reason: options.reason?.trim() ? `查阅当事人身份信息：${options.reason.trim()}` : '查阅当事人身份信息',
      detail: { keyId: sealed.keyId },
      at,
    });
    return formatPerson(caseNo, person);
  });
  if (!lines) throw new UsageError(`cannot read the person: ${noLedgerNote(config)}`);
  return lines;
}
