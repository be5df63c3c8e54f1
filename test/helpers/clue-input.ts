// A clue's input for workflow tests: the demo plan's jurisdiction, units and rules, a clue against one of its
// institutions, and its reporter sealed into the test's ledger as `jianguan clue intake` does.
import type { ReporterIdentity } from '../../activities/clues';
import { DEFAULT_PLAN_FILE, loadPlan, type Plan } from '../../config';
import { maskName } from '../../domain/clue';
import type { Store } from '../../records/types';
import type { ClueInput } from '../../workflows/clue/api';
import { clueContextFromPlan, institutionSubject } from '../../workflows/clue/context';
import { testSealer } from './sealer';

/** The planted reporter: every test that scans for leaks looks for these. */
export const REPORTER: ReporterIdentity = {
  name: '欧阳明远',
  phone: '13912345678',
  idNumber: '110101198001011234',
  address: '示范市和平路88号',
  email: 'ouyang.reporter@example.net',
};

let plan: Plan | undefined;
export async function demoPlan(): Promise<Plan> {
  return (plan ??= await loadPlan(DEFAULT_PLAN_FILE));
}

export async function clueInput(
  clueNo: string,
  overrides: Partial<ClueInput> = {},
  reporter: ReporterIdentity | null = REPORTER,
): Promise<ClueInput> {
  const p = await demoPlan();
  const institution = p.institutions[0]!;
  return {
    ...clueContextFromPlan(p),
    clueNo,
    year: 2026,
    receivedAt: new Date().toISOString(),
    channel: 'phone',
    source: { kind: 'local' },
    subject: institutionSubject(institution),
    summary: '反映该院存在串换药品、虚记诊疗项目问题',
    reporter: reporter
      ? { realName: true, masked: maskName(reporter.name), byEmail: Boolean(reporter.email), reachable: true, signatories: 1 }
      : { realName: false, masked: '匿名', byEmail: false, reachable: false, signatories: 1 },
    ...overrides,
  };
}

/** Seals the reporter into the ledger under the clue's number (what the intake does before the workflow starts). */
export async function sealReporter(
  store: Store,
  jurisdiction: string,
  clueNo: string,
  reporter: ReporterIdentity = REPORTER,
): Promise<void> {
  const { keyId, sealed } = testSealer.seal(JSON.stringify(reporter));
  await store.saveReporter({ jurisdiction, clueNo, keyId, sealed, masked: maskName(reporter.name) });
}
