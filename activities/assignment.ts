// The start of an inspection in one step: its ledger row with the team-drawn audit entry, and the notices to the team
// (and to the institution when the inspection is announced). One step, so that a campaign of thousands of
// inspections costs the server one workflow task per inspection at its start instead of one per notice; the
// workflow runs it as a local activity. Idempotent: the row is an upsert, the audit entry and every notice are keyed.
import type { AuditEntry, InspectionLedger, InspectionRecord } from '../records/types';
import type { Notification } from './notifications';

export function createAssignmentActivities(deps: { inspections: InspectionLedger; send: (n: Notification) => Promise<unknown> }) {
  return {
    async assignInspection(row: InspectionRecord, audit: AuditEntry, notices: Notification[]): Promise<void> {
      await deps.inspections.saveInspection(row, audit);
      for (const notice of notices) await deps.send(notice);
    },
  };
}
