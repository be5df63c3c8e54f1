// The jurisdiction plan as the workflows see it. The worker reads and validates its plan file, writes the
// institutions into the ledger (the registry campaigns draw their members from), and hands the workflows a digest:
// everything but the institution list, which at province scale (~60,000) is too large to pass through histories.
import { loadPlan, type Plan } from '../config';
import type { InstitutionLedger } from '../records/types';

export type PlanDigest = Omit<Plan, 'institutions'> & { institutionCount: number };

export function createPlanActivities(deps: { institutions: InstitutionLedger; planFile: string }) {
  return {
    /** Loads the plan of `jurisdiction` into the ledger and returns its digest. Idempotent (upserts). */
    async loadPlanDigest(jurisdiction: string): Promise<PlanDigest> {
      const { institutions, ...digest } = await loadPlan(deps.planFile);
      if (digest.jurisdiction.code !== jurisdiction) {
        throw new Error(`the worker's plan ${deps.planFile} is for jurisdiction ${digest.jurisdiction.code}, not ${jurisdiction}`);
      }
      await deps.institutions.upsertInstitutions(
        institutions.map((i) => ({
          jurisdiction,
          id: i.id,
          name: i.name,
          kind: i.kind,
          level: i.level ?? null,
          ownership: i.ownership,
          district: i.district,
          responsibleUnitId: i.responsibleUnitId,
          contacts: i.contacts.map(({ name, email }) => ({ name, email })),
          monthlyTurnoverFen: i.monthlyTurnoverFen ?? null,
        })),
      );
      return { ...digest, institutionCount: institutions.length };
    },
  };
}
