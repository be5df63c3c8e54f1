// Referrals (移送): a letter per agency, an acknowledgement (回执) awaited by a deadline with reminders and escalations;
// by rule when a crime is suspected. Each referral is a strand of its own, added while the case runs.
import { formatLocal } from '../../domain/calendar';
import { AGENCY_LABELS, REFERRAL_STATUS_LABELS, type FlaggedPerson, type ReferralAgency, type ReferralDecision } from '../../domain/case';
import { caseDeadline } from '../../domain/case-deadlines';
import * as messages from '../../domain/case-messages';
import { runActivity } from '../activities';
import type { CaseReferral, Person } from './api';
import { withdrawn, type CaseState } from './state';
import { upsertWithLabels } from '../upsert';
import { audit, caseLabels, notify, showDetails, waitStep } from './steps';

/** Records the referral in the status and starts following it (a strand of its own). */
export function startReferral(s: CaseState, decision: ReferralDecision): void {
  const sentAt = new Date();
  const dueAt = caseDeadline('referral-ack', sentAt, s.rules, s.tz);
  const referral: CaseReferral = {
    agency: decision.agency,
    reason: decision.reason,
    decidedBy: decision.decidedBy,
    status: 'sent',
    sentAt: sentAt.toISOString(),
    dueAt: dueAt.toISOString(),
  };
  s.status.referrals.push(referral);
  s.flaggedPersons.set(decision.agency, decision.persons);
  s.strands.push(followReferral(s, referral, decision.persons));
}

export function agencyContact(s: CaseState, agency: ReferralAgency): Person {
  const { name, email } = s.input.agencies[agency];
  return { id: agency, name, email };
}

/** Saves the referral as it stands (with its flagged persons: ledger only) and its audit entry for `action`. */
async function saveReferral(
  s: CaseState,
  referral: CaseReferral,
  action: string,
  actor: string,
  reason: string,
  detail: Record<string, unknown> = {},
) {
  const at = new Date().toISOString();
  const acknowledged = referral.status === 'acknowledged';
  const persons = s.flaggedPersons.get(referral.agency) ?? [];
  const row = {
    caseId: s.workflowId,
    agency: referral.agency,
    reason: referral.reason,
    status: referral.status,
    sentAt: referral.sentAt,
    dueAt: referral.dueAt,
    // The acknowledgement belongs to the row only once the referral is acknowledged (the ledger checks it).
    acknowledgedAt: acknowledged ? (referral.acknowledgedAt ?? at) : null,
    acknowledgedBy: acknowledged ? (referral.acknowledgedBy ?? null) : null,
    reference: acknowledged ? (referral.reference ?? null) : null,
    persons,
  };
  await runActivity(
    'saveReferral',
    `移送${AGENCY_LABELS[referral.agency]}：${REFERRAL_STATUS_LABELS[referral.status]}`,
    row,
    audit(s, `referral:${referral.agency}:${action}`, actor, `referral-${action}`, reason, { agency: referral.agency, ...detail }, at),
  );
  // The list's `ReferralAwaitingAck` and the details follow the referral (a new command: only under the patch).
  upsertWithLabels({}, { referralAwaitingAck: caseLabels(s).referralAwaitingAck });
  showDetails(s);
}

async function followReferral(s: CaseState, referral: CaseReferral, persons: readonly FlaggedPerson[]): Promise<void> {
  const { tz, facts } = s;
  const agency = s.input.agencies[referral.agency];
  const dueAt = new Date(referral.dueAt);
  await s.opened;
  // The audit trail counts the flagged persons; their names stay in the referral's own ledger row.
  await saveReferral(s, referral, 'sent', referral.decidedBy, referral.reason, persons.length ? { flaggedPersons: persons.length } : {});
  const contact = agencyContact(s, referral.agency);
  await notify(
    s,
    `referral:${referral.agency}`,
    [contact, s.input.leader],
    messages.referralLetterMessage(facts, referral.agency, agency.name, referral.reason, formatLocal(dueAt, tz), persons),
  );
  const acknowledged = await waitStep(s, {
    key: `referral-${referral.agency}`,
    what: `移送${agency.name}回执`,
    done: () => referral.acknowledgedBy !== undefined,
    deadline: dueAt,
    remindTo: [contact],
    markOverdue: async () => {
      referral.status = 'overdue';
      await saveReferral(s, referral, 'overdue', 'system', `回执期限 ${formatLocal(dueAt, tz)} 已过`);
    },
  });
  if (withdrawn(s) && !acknowledged) return;
  referral.status = acknowledged ? 'acknowledged' : 'unacknowledged';
  await saveReferral(
    s,
    referral,
    referral.status,
    acknowledged ? referral.acknowledgedBy! : 'system',
    acknowledged ? `已受理（${referral.reference}）` : '督办后仍未回执',
    acknowledged ? { acknowledgedAt: referral.acknowledgedAt, reference: referral.reference } : {},
  );
}

/** The institution and the leader are told; so is every agency whose referral still awaited its acknowledgement. */
export async function withdrawalNotices(s: CaseState, reason: string): Promise<void> {
  const { status, input, facts } = s;
  await notify(s, 'withdrawal', [...input.institution.contacts, input.leader], messages.withdrawalMessage(facts, reason));
  for (const referral of status.referrals.filter((r) => r.status === 'sent' || r.status === 'overdue')) {
    const contact = agencyContact(s, referral.agency);
    await notify(s, `referral-withdrawn:${referral.agency}`, [contact], messages.referralWithdrawnMessage(facts, contact.name, reason));
    await saveReferral(s, referral, 'withdrawn', status.withdrawal!.decidedBy, `案件撤销，移送一并撤回：${reason}`);
  }
}
