// Ledger (台账) activities: the workflows' writes to the record system. Each maps to one idempotent,
// transactional store call, so a retry after a crash neither duplicates nor half-writes anything.
import type {
  AuditEntry,
  AuditLedger,
  CampaignLedger,
  CampaignRecord,
  CreditGradeRecord,
  FindingsRecord,
  InspectionLedger,
  InspectionRecord,
  InstitutionLedger,
  InstitutionRecord,
} from '../records/types';

export function createLedgerActivities(store: InstitutionLedger & CampaignLedger & InspectionLedger & AuditLedger) {
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
  };
}
