// Ledger (台账) activities: the workflows' writes to the record system. Each maps to one idempotent,
// transactional store call, so a retry after a crash neither duplicates nor half-writes anything.
import { ApplicationFailure } from '@temporalio/common';
import type { AuditEntry, AuditLedger, CampaignLedger, CampaignRecord, CreditGradeRecord, FindingsRecord, InspectionLedger, InspectionRecord, InstitutionLedger, InstitutionRecord, ReferralRecord, Store } from '../records/types';

/**
 * The ledger reads the CLI may ask the running worker for (`readLedger`): without DATABASE_URL the ledger is the
 * worker's embedded PGlite, which no second process may open (cli/ledger.ts). Reads only: nothing here writes.
 */
export const LEDGER_READS = ['listCases', 'getCase', 'listAudit', 'listPayments', 'listReferrals', 'listPointsDeductions', 'getPointsStatus', 'getFlyingDraw'] as const;
export type LedgerRead = (typeof LEDGER_READS)[number];
export type LedgerReader = Pick<Store, LedgerRead>;

export interface LedgerReadRequest {
  method: LedgerRead;
  args: unknown[];
}

export function createLedgerActivities(store: InstitutionLedger & CampaignLedger & InspectionLedger & AuditLedger & LedgerReader) {
  return {
    async registerCampaign(campaign: CampaignRecord, institutions: InstitutionRecord[], audit: AuditEntry): Promise<CampaignRecord> {
      await store.upsertInstitutions(institutions);
      const kept = await store.ensureCampaign(campaign);
      await store.appendAudit(audit);
      return kept;
    },
    async saveInspection(row: InspectionRecord, audit: AuditEntry): Promise<void> {
      await store.saveInspection(row, audit);
    },
    async saveFindings(findings: FindingsRecord, inspection: InspectionRecord, audit: AuditEntry): Promise<void> {
      await store.saveFindings(findings, inspection, audit);
    },
    async saveCreditGrade(row: CreditGradeRecord, audit: AuditEntry): Promise<void> {
      await store.saveCreditGrade(row, audit);
    },
    /** One ledger read for the CLI; an absent row comes back as null (a payload has no undefined). */
    async readLedger(request: LedgerReadRequest): Promise<unknown> {
      // The request crossed a process boundary: check it names a read, not any store method.
      if (!(LEDGER_READS as readonly string[]).includes(request?.method) || !Array.isArray(request.args)) {
        throw ApplicationFailure.nonRetryable(`readLedger: method must be one of ${LEDGER_READS.join(', ')} with args an array, got ${JSON.stringify(request?.method)}`, 'InvalidPayload');
      }
      const read = store[request.method] as (...args: unknown[]) => Promise<unknown>;
      const result = await read.apply(store, request.args);
      // Flagged persons (人事同查) are personal data the CLI only counts: the answer, kept in Temporal's history,
      // carries their roles, not their names.
      if (request.method === 'listReferrals') return (result as ReferralRecord[]).map((r) => ({ ...r, persons: r.persons?.map(({ role }) => ({ name: '', role })) }));
      return result ?? null;
    },
  };
}
