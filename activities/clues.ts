// Clue activities (DESIGN §5 "clue"): the clue's ledger row, the reporter's own notices, and a verified clue's weight in
// the flying checks. Only notifyReporter ever opens the reporter's sealed identity, to address the reporter's mail; the
// ledger records that mail under the masked name, and nothing of the identity is logged or returned.
import { ApplicationFailure } from '@temporalio/common';
import { reporterMessageText, type ClueFacts, type ReporterMessage } from '../domain/clue-messages';
import type { AuditEntry, ClueLedger, ClueRecord, RiskSignalItem, RiskSignalLedger } from '../records/types';
import type { Sealer } from '../codec/sealer';
import type { Notification, SendNotificationResult } from './notifications';

/** A reporter's identity, as `jianguan clue intake` seals it into the ledger. */
export interface ReporterIdentity {
  name: string;
  phone?: string;
  idNumber?: string;
  address?: string;
  email?: string;
}

export interface NotifyReporterRequest {
  /** The notice's idempotency key: the clue's workflow id, `reporter` and the event. */
  key: string;
  jurisdiction: string;
  clueNo: string;
  facts: ClueFacts;
  message: ReporterMessage;
}

export function createClueActivities(deps: {
  clues: ClueLedger;
  risk: RiskSignalLedger;
  sealer: Sealer;
  send: (n: Notification) => Promise<SendNotificationResult>;
}) {
  const { clues, risk, sealer, send } = deps;
  return {
    async saveClue(row: ClueRecord, audit: AuditEntry): Promise<void> {
      await clues.saveClue(row, audit);
    },

    /**
     * Mails the reporter (each notice once, by its key); `delivered` is false when the mail server refused the address
     * for good (the unit then tells the reporter otherwise). A reporter without an address is a permanent error.
     */
    async notifyReporter(request: NotifyReporterRequest): Promise<{ delivered: boolean }> {
      const sealed = await clues.getReporter(request.jurisdiction, request.clueNo);
      if (!sealed) throw ApplicationFailure.nonRetryable(`clue ${request.clueNo}: no reporter in the ledger`, 'NoReporter');
      const reporter = JSON.parse(sealer.open(sealed.keyId, sealed.sealed)) as ReporterIdentity;
      if (!reporter.email)
        throw ApplicationFailure.nonRetryable(`clue ${request.clueNo}: the reporter gave no e-mail address`, 'NoReporterEmail');
      const text = reporterMessageText(request.facts, request.message, reporter.name);
      const sent = await send({
        key: request.key,
        kind: `clue-reporter-${request.message.kind}`,
        to: [{ name: reporter.name, email: reporter.email }],
        recordedAs: `举报人 ${sealed.masked}`,
        ...text,
      });
      return { delivered: sent.status !== 'undeliverable' };
    },

    /** A verified clue weighs in the year's flying checks of its institution (idempotent by the clue number). */
    async importClueSignal(item: RiskSignalItem): Promise<void> {
      const result = await risk.importRiskSignals([item]);
      if (result.conflicts.length > 0)
        throw ApplicationFailure.nonRetryable(
          `clue ${item.reference} is recorded as a risk signal of another institution or date`,
          'SignalConflict',
        );
    },
  };
}
