// A hand-made case input for workflow tests: the inspection team I02/I03 (I02 recorded the findings), leaders L1/L2
// who may decide and approve, periods short enough to read, and the national default penalty and points tables.
import { DEFAULT_PENALTY_TABLE } from '../../domain/penalty';
import { DEFAULT_POINTS_RULES } from '../../domain/points';
import type { CaseInput, CaseRules } from '../../workflows/case/api';
import { fictitiousYears } from './holidays';
import { TZ } from './inspection-input';

export const CASE_RULES: CaseRules = {
  // The file's clock runs on from test to test, past the package's holiday data (a working-day deadline there waits).
  holidays: fictitiousYears(new Date().getUTCFullYear()),
  timeOfDay: '09:00',
  endOfDay: '23:59',
  rectification: { periodDays: 30, reminderOffsetsDays: [7, 1], recheckWindowDays: 15 },
  decisionPeriodDays: 30,
  reminderOffsetsDays: [7, 1],
  escalationWindowDays: 15,
  maxEscalations: 2,
  interviewPeriodDays: 15,
  paymentPeriodDays: 15,
  paymentLateWindowDays: 30,
  referralAckDays: 10,
  crimeReferral: { minLossFen: 5_000_000, categories: ['三假', '虚构医药服务'], agency: 'public-security' },
  penalties: DEFAULT_PENALTY_TABLE,
  points: DEFAULT_POINTS_RULES,
};

export const AGENCIES: CaseInput['agencies'] = {
  'public-security': { name: '清溪区公安分局', email: 'gaj@example.org' },
  health: { name: '清溪区卫生健康局', email: 'wjj@example.org' },
  market: { name: '清溪区市场监督管理局', email: 'scj@example.org' },
  drug: { name: '清溪区药品监督管理局', email: 'yjj@example.org' },
  discipline: { name: '清溪区纪委监委', email: 'jw@example.org' },
  judiciary: { name: '清溪区人民法院', email: 'fy@example.org' },
};

export const ITEM_38 = { category: '串换药品', description: '将非医保药品串换为医保药品结算', amountFen: 1_234_50, article: '38' };

export function caseInput(caseNo: string, overrides: Partial<CaseInput> = {}): CaseInput {
  return {
    jurisdiction: { code: '349901', name: '清溪区', timeZone: TZ },
    caseNo,
    year: 2026,
    institution: { id: 'H001', name: '清溪区人民医院', contacts: [{ id: 'c1', name: '院办', email: 'yb@h001.example.org' }] },
    source: { inspectionId: null, campaignId: null, origin: '全覆盖现场检查', recordedBy: 'I02', team: ['I02', 'I03'] },
    items: [ITEM_38],
    responsibleUnit: { id: 'U1', name: '基金监管股', email: 'jjjg@example.org' },
    leader: { id: 'L1', name: '赵局长', email: 'leader@example.org' },
    officers: ['L1', 'L2', 'I02', 'I03', 'I04'],
    approvers: ['L1', 'L2'],
    agencies: AGENCIES,
    bureau: { name: '清溪区医疗保障局', email: 'lingdao@example.org' },
    rules: CASE_RULES,
    ...overrides,
  };
}
