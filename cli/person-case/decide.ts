// `jianguan person-case decide <caseNo> --action …`: one decision sent to the person case as a Temporal Update. The
// payload is checked first with the workflow's own schema (every bad field named by its flag); the workflow's refusal
// (duties, the article 41 ranges, a second approver) is printed as one line.
import { personCaseWorkflowId } from '../../domain/business-keys';
import { formatYuan } from '../../domain/inspection';
import { PERSON_ACTION_LABELS, PERSON_DECISION_ACTIONS, personDecisionSchema } from '../../domain/person-case';
import { decidePersonUpdate } from '../../workflows/person-case/api';
import { plan as loadPlanFile, sendUpdateOrReject, settings, UsageError, withClient } from '../context';
import { parseCaseNo, readPayloadFile, validated, wholeNumber, yuanToFen } from '../payload';

export interface PersonDecideOptions {
  plan?: string;
  action?: string;
  by?: string;
  reason?: string;
  months?: string;
  paragraph?: string;
  multiple?: string;
  approvedBy?: string;
  agency?: string;
  note?: string;
  amount?: string;
  reference?: string;
  file?: string;
}

const NAMES = {
  action: '--action',
  decidedBy: '--by',
  reason: '--reason',
  months: '--months',
  paragraph: '--paragraph',
  multiple: '--multiple',
  approvedBy: '--approved-by',
  agency: '--agency',
  note: '--note',
  amountFen: '--amount',
  reference: '--reference',
};

function number(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(value.trim())) throw new UsageError(`${flag}: expected a number, got "${value}"`);
  return Number(value);
}

/** The decision's payload from the flags (or the whole of it from --file), checked; nothing is sent on a problem. */
export function personDecisionPayload(o: PersonDecideOptions, read: (file: string) => unknown = readPayloadFile) {
  if (!o.action || !(PERSON_DECISION_ACTIONS as readonly string[]).includes(o.action))
    throw new UsageError(`--action: ${o.action ? `"${o.action}" is not` : 'required,'} one of ${PERSON_DECISION_ACTIONS.join(', ')}`);
  if (o.file) return validated(personDecisionSchema, { action: o.action, ...(read(o.file) as object) }, 'decision', { file: o.file });
  const payload = Object.fromEntries(
    Object.entries({
      action: o.action,
      decidedBy: o.by,
      reason: o.reason,
      months: wholeNumber('--months', o.months),
      paragraph: o.paragraph,
      multiple: number('--multiple', o.multiple),
      approvedBy: o.approvedBy,
      agency: o.agency,
      note: o.note,
      amountFen: yuanToFen('--amount', o.amount),
      reference: o.reference,
    }).filter(([, v]) => v !== undefined),
  );
  return validated(personDecisionSchema, payload, 'decision', NAMES);
}

export async function personDecideCommand(caseNoArg: string, options: PersonDecideOptions): Promise<void> {
  const payload = personDecisionPayload(options);
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const caseNo = parseCaseNo(caseNoArg, plan.jurisdiction.code, 'person-case');
  const workflowId = personCaseWorkflowId(plan.jurisdiction.code, caseNo);
  const status = await withClient(config, (client) => sendUpdateOrReject(client, workflowId, decidePersonUpdate, payload));
  console.log(`decided (${PERSON_ACTION_LABELS[payload.action]}): person case ${caseNo} → ${status.stageLabel}`);
  if (status.penalty && payload.action === 'penalty')
    console.log(
      `penalty      退回 ${formatYuan(status.penalty.recoveryFen)}，罚款 ${formatYuan(status.penalty.fineFen)}，合计 ${formatYuan(status.penalty.totalFen)}`,
    );
}
