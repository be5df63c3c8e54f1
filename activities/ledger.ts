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
  OnSiteClaim,
} from '../records/types';
import { recordedVisitsBy } from '../domain/onsite';

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
    /**
     * Claims the institution's on-site inspection of the year for an inspection at its visit, right before its findings
     * are recorded (domain/onsite.ts). Refused when another inspection had it first; idempotent per inspection id.
     */
    async claimOnSiteVisit(claim: {
      jurisdiction: string;
      institutionId: string;
      year: number;
      inspectionId: string;
    }): Promise<OnSiteClaim> {
      return store.claimOnSiteInspection(claim);
    },
    /**
     * The other inspections whose visit of the institution this year is over (claimed and findings recorded): those
     * covering an inspection still waiting for its team (domain/onsite.ts).
     */
    async recordedVisitsOfYear(args: {
      jurisdiction: string;
      institutionId: string;
      year: number;
      inspectionId: string;
    }): Promise<string[]> {
      const claims = await store.listOnSiteInspections(args.jurisdiction, args.institutionId, args.year);
      const visits = await Promise.all(
        claims.map(async ({ inspectionId }) => ({ inspectionId, findingsRecorded: (await store.getFindings(inspectionId)) !== undefined })),
      );
      return recordedVisitsBy(visits, args.inspectionId);
    },
    async saveCreditGrade(row: CreditGradeRecord, audit: AuditEntry): Promise<void> {
      await store.saveCreditGrade(row, audit);
    },
  };
}
