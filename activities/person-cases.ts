// Person case activities (issue 13 item 1): the case's ledger row and actions, and the person sealed into the ledger.
// The person reaches this worker only inside the encrypted payload; it is sealed here (codec/sealer.ts), never logged
// or returned.
import type { InsuredPerson } from '../domain/person-case';
import type { AuditEntry, PersonActionRecord, PersonCaseLedger, PersonCaseRecord } from '../records/types';
import type { Sealer } from '../codec/sealer';

export function createPersonCaseActivities(deps: { personCases: PersonCaseLedger; sealer: Sealer }) {
  const { personCases, sealer } = deps;
  return {
    async savePersonCase(row: PersonCaseRecord, audit: AuditEntry): Promise<void> {
      await personCases.savePersonCase(row, audit);
    },

    async recordPersonAction(action: PersonActionRecord, row: PersonCaseRecord, audit: AuditEntry): Promise<void> {
      await personCases.recordPersonAction(action, row, audit);
    },

    /** Seals the person once per case (a retry keeps the first sealing). */
    async sealPersonSubject(request: { jurisdiction: string; caseNo: string; person: InsuredPerson }): Promise<void> {
      const { jurisdiction, caseNo, person } = request;
      await personCases.savePersonSubject({ jurisdiction, caseNo, ...sealer.seal(JSON.stringify(person)) });
    },
  };
}
