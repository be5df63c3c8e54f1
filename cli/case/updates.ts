// `jianguan case decide|recheck|ack-referral|pay`: the decisions sent to the case workflow as Temporal Updates. The
// payload is validated first (./payloads.ts); the workflow's rejection is printed as one line.
import { type Client } from '@temporalio/client';
import { formatLocal } from '../../domain/calendar';
import { AGENCY_LABELS } from '../../domain/case';
import { formatYuan } from '../../domain/inspection';
import {
  ackReferralUpdate,
  caseRecheckUpdate,
  decidePenaltyUpdate,
  decideUpdate,
  recordPatientRefundUpdate,
  recordPaymentUpdate,
  referUpdate,
  withdrawUpdate,
  type CaseStatus,
} from '../../workflows/case/api';
import { sendUpdateOrReject, withClient } from '../context';
import { checkPenaltyPoints } from '../points';
import {
  ackPayload,
  caseRecheckPayload,
  decisionPayload,
  paymentPayload,
  type AckOptions,
  type CaseRecheckOptions,
  type DecideOptions,
  type PayOptions,
} from './payloads';
import { penaltyLine } from './show';
import { target, type Target } from './target';

const UPDATES = {
  decide: decideUpdate,
  decidePenalty: decidePenaltyUpdate,
  refer: referUpdate,
  withdraw: withdrawUpdate,
  recordPayment: recordPaymentUpdate,
  recordPatientRefund: recordPatientRefundUpdate,
  ackReferral: ackReferralUpdate,
  recordRecheck: caseRecheckUpdate,
};
export type CaseUpdateName = keyof typeof UPDATES;

export async function sendCaseUpdate(client: Client, workflowId: string, update: CaseUpdateName, payload: unknown): Promise<CaseStatus> {
  return sendUpdateOrReject(client, workflowId, UPDATES[update], payload);
}

export async function decideCommand(caseNoArg: string, options: DecideOptions & Target): Promise<void> {
  const decision = decisionPayload(options);
  const t = await target(options, caseNoArg);
  const status = await withClient(t.config, async (client) => {
    if (decision.update === 'decidePenalty') await checkPenaltyPoints(client, t.plan, decision.payload.practitioners);
    return sendCaseUpdate(client, t.workflowId, decision.update, decision.payload);
  });
  console.log(`decided (${decision.action}): case ${t.caseNo} → ${status.stage} (${status.stageLabel})`);
  if (decision.update === 'decidePenalty') console.log(penaltyLine(status));
  if (decision.update === 'refer') {
    const referral = status.referrals.find((r) => r.agency === decision.payload.agency);
    if (referral)
      console.log(
        `referral     ${AGENCY_LABELS[referral.agency]}: ${referral.status}, acknowledgement due ${formatLocal(new Date(referral.dueAt), t.timeZone)}`,
      );
  }
}

export async function payCommand(caseNoArg: string, options: PayOptions & Target): Promise<void> {
  const payload = paymentPayload(options);
  const t = await target(options, caseNoArg);
  const status = await withClient(t.config, (client) => sendCaseUpdate(client, t.workflowId, 'recordPayment', payload));
  console.log(`recorded payment of ${formatYuan(payload.amountFen)} on case ${t.caseNo}`);
  console.log(penaltyLine(status));
}

export async function refundPatientsCommand(caseNoArg: string, options: PayOptions & Target): Promise<void> {
  const payload = paymentPayload(options);
  const t = await target(options, caseNoArg);
  const status = await withClient(t.config, (client) => sendCaseUpdate(client, t.workflowId, 'recordPatientRefund', payload));
  console.log(
    `recorded ${formatYuan(payload.amountFen)} returned to patients on case ${t.caseNo} (in all ${formatYuan(status.patientRefundedFen ?? 0)})`,
  );
}

export async function ackReferralCommand(caseNoArg: string, options: AckOptions & Target): Promise<void> {
  const payload = ackPayload(options);
  const t = await target(options, caseNoArg);
  const status = await withClient(t.config, (client) => sendCaseUpdate(client, t.workflowId, 'ackReferral', payload));
  const referral = status.referrals.find((r) => r.agency === payload.agency);
  console.log(`acknowledged: referral of case ${t.caseNo} to ${AGENCY_LABELS[payload.agency]} → ${referral?.status ?? '?'}`);
}

export async function caseRecheckCommand(caseNoArg: string, options: CaseRecheckOptions & Target): Promise<void> {
  const payload = caseRecheckPayload(options);
  const t = await target(options, caseNoArg);
  const status = await withClient(t.config, (client) => sendCaseUpdate(client, t.workflowId, 'recordRecheck', payload));
  console.log(`recorded: case ${t.caseNo} → ${status.stage} (${status.stageLabel})`);
}
