// A small, hand-made inspection input for workflow tests: four inspectors (one with a conflict of interest
// with the institution), deadlines placed relative to the test server's clock.
import { DateTime } from 'luxon';
import type { InspectionInput } from '../../workflows/inspection/api';
import { caseInput } from './case-input';

export const TZ = 'Asia/Shanghai';

/** End of the local day `days` after `nowMs`, in Asia/Shanghai: how bureaus state deadlines. */
export function localEndOfDay(nowMs: number, days: number): Date {
  return DateTime.fromMillis(nowMs, { zone: TZ }).plus({ days }).set({ hour: 23, minute: 59, second: 0, millisecond: 0 }).toJSDate();
}

export function inspectionInput(dueAt: Date, overrides: Partial<InspectionInput> = {}): InspectionInput {
  return {
    jurisdiction: { code: '349901', name: '清溪区', timeZone: TZ },
    campaign: { id: '349901-test-2026', kind: 'coverage', title: '全覆盖现场检查', year: 2026 },
    institution: {
      id: 'H001',
      name: '清溪区人民医院',
      kind: 'hospital',
      contacts: [{ id: 'c1', name: '院办', email: 'yb@h001.example.org' }],
    },
    inspectorPool: [
      { id: 'I01', name: '王敏', email: 'i01@example.org', conflicts: ['H001'] },
      { id: 'I02', name: '李强', email: 'i02@example.org', conflicts: [] },
      { id: 'I03', name: '张华', email: 'i03@example.org', conflicts: [] },
      { id: 'I04', name: '陈静', email: 'i04@example.org', conflicts: [] },
    ],
    teamSize: 2,
    drawSeed: 'seed-1',
    announced: false,
    dueAt: dueAt.toISOString(),
    reminders: { offsetsDays: [30, 14, 7, 1], timeOfDay: '09:00' },
    lateWindowDays: 10,
    responsibleUnit: { id: 'U1', name: '基金监管股', email: 'jjjg@example.org' },
    leader: { id: 'L1', name: '赵局长', email: 'leader@example.org' },
    cases: caseContext(),
    ...overrides,
  };
}

/** The case rules every inspection carries: violations open a case under them. */
export function caseContext(overrides: Partial<InspectionInput['cases']['rules']> = {}): InspectionInput['cases'] {
  const { rules, officers, approvers, agencies, bureau } = caseInput('unused');
  return { rules: { ...rules, ...overrides }, officers, approvers, agencies, bureau };
}
