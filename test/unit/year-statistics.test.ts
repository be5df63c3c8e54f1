// The year's statistics table and typical cases from a scripted year, each figure worked out by hand here: institutions
// by kind and together, 万元 rounded half up on the sum of fen (not the sum of rounded parts), the clue totals; the
// typical case's text written from facts only (no free text, so no person's name); the workbook read back with exceljs.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { yearStatisticsXlsx } from '../../activities/year-statistics';
import { typicalCaseProblem, typicalCasePublication, type TypicalCaseFacts } from '../../domain/typical-case';
import { weeklyTables, type CaseFacts } from '../../domain/weekly-report';
import { yearStatisticsForms, yearStatisticsSummary, type YearStatisticsInput } from '../../domain/year-statistics';

const CASES: CaseFacts[] = [
  // H1: a rectification order and a suspension; 15,000 yuan paid of its 10,000 return + 20,000 fine.
  {
    institutionId: 'H1',
    kind: 'hospital',
    actions: ['rectification', 'suspension'],
    lossFen: 1_000_000,
    fineFen: 2_000_000,
    recoveryFen: 1_000_000,
    paidBeforeFen: 0,
    paidByCutOffFen: 1_500_000,
  },
  // H2: found, nothing decided yet.
  { institutionId: 'H2', kind: 'hospital', actions: [], lossFen: 20_000, fineFen: 0, recoveryFen: 0, paidBeforeFen: 0, paidByCutOffFen: 0 },
  // P1: 50 yuan return and 50 yuan fine, paid in full.
  {
    institutionId: 'P1',
    kind: 'pharmacy',
    actions: ['rectification', 'penalty'],
    lossFen: 5_000,
    fineFen: 5_000,
    recoveryFen: 5_000,
    paidBeforeFen: 0,
    paidByCutOffFen: 10_000,
  },
];

const TYPICAL = {
  caseId: 'case:349901:C1',
  title: '清溪区人民医院串换项目案',
  publication: '经查，清溪区人民医院存在串换项目等违法违规使用医保基金问题。',
  approvedBy: 'L1',
  approvedAt: '2027-11-20T02:00:00.000Z',
};

function year(typicalCases = [TYPICAL]): YearStatisticsInput {
  const tables = weeklyTables({
    jurisdiction: { code: '349901', name: '清溪区' },
    week: '2027年',
    timeZone: 'Asia/Shanghai',
    periodStart: '2026-12-31T16:00:00.000Z',
    cutOff: '2027-12-18T01:00:00.000Z',
    census: { hospital: { total: 30, inspected: 12, onSite: 10 }, pharmacy: { total: 14, inspected: 5, onSite: 5 } },
    cases: CASES,
    turnoverFen: {},
    patientRefunds: [],
    persons: [],
    personRecoveries: [],
    rules: ['《定点医药机构违规行为内部通报制度》'],
    batches: [
      { source: 'national', batchNo: '1', batchDate: '2027-03-03', transferred: 5, concluded: 3, verified: 2 },
      { source: 'provincial', batchNo: '1', batchDate: '2027-05-23', transferred: 2, concluded: 2, verified: 1 },
    ],
    localClues: { received: 7, concluded: 4, verified: 3 },
  });
  return { year: 2027, tables, cases: CASES, typicalCases };
}

describe('the year statistics table', () => {
  const [stats, typical] = yearStatisticsForms(year());
  /** The row of a label (column 2), from its `nth` occurrence: [单位, 医疗机构, 药店, 合计]. */
  const row = (label: string, nth = 0) => stats!.rows.filter((r) => r[1] === label)[nth]!.slice(2);

  it('counts institutions by kind and together, from the year-to-date figures', () => {
    expect(stats!.rows[0]![0]).toBe('2027年打击欺诈骗保专项整治工作情况统计表');
    expect(row('定点医药机构总数')).toEqual(['家', 30, 14, 44]);
    expect(row('检查定点医药机构')).toEqual(['家', 12, 5, 17]);
    expect(row('其中：现场检查')).toEqual(['家', 10, 5, 15]);
    expect(row('约谈限期整改')).toEqual(['家', 1, 1, 2]);
    expect(row('暂停医保服务')).toEqual(['家', 1, 0, 1]);
    expect(row('行政处罚')).toEqual(['家', 0, 1, 1]);
    // H2 has no action: not counted among the institutions handled.
    expect(row('合计（不重复数）')).toEqual(['家', 1, 1, 2]);
  });

  it('gives money in 万元 rounded half up on the sum of fen', () => {
    // 10,200 yuan = 1.02 万元; 50 yuan = 0.005 → 0.01; together 10,250 yuan = 1.025 → 1.03 (not 1.02 + 0.01).
    expect(row('违规金额')).toEqual(['万元', '1.02', '0.01', '1.03']);
    expect(row('罚没金额')).toEqual(['万元', '2.00', '0.01', '2.01']);
    // Payments count toward the return first: H1's 15,000 yuan covers its 10,000 return.
    expect(row('追回医保基金')).toEqual(['万元', '1.00', '0.01', '1.01']);
  });

  it('totals the clues transferred and received, and counts the rules adopted and the typical cases', () => {
    expect(row('上级移交线索')).toEqual(['条', null, null, 7]);
    expect(row('其中：已办结', 0)).toEqual(['条', null, null, 5]);
    expect(row('查证属实', 0)).toEqual(['条', null, null, 3]);
    expect(row('本地受理举报投诉线索')).toEqual(['条', null, null, 7]);
    expect(row('建章立制（制度、措施）')).toEqual(['项', null, null, 1]);
    expect(row('公开曝光典型案例')).toEqual(['件', null, null, 1]);
    expect(yearStatisticsSummary(year())).toContain('六、建章立制与曝光典型案例：建章立制（制度、措施） 1 项，公开曝光典型案例 1 件');
  });

  it('lists the typical cases, or says there are none', () => {
    expect(typical!.rows.slice(1)).toEqual([
      ['序号', '案例名称', '案情及处理', '批准曝光'],
      [1, TYPICAL.title, TYPICAL.publication, '2027-11-20'],
    ]);
    expect(yearStatisticsForms(year([]))[1]!.rows[2]).toEqual([null, '（本年度尚无批准曝光的典型案例）', null, null]);
  });

  it('writes a workbook that reads back with its two sheets and figures', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await yearStatisticsXlsx(year())) as unknown as ExcelJS.Buffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['统计表', '典型案例']);
    const sheet = book.getWorksheet('统计表')!;
    const found = sheet.getRows(1, sheet.rowCount)!.find((r) => r.getCell(2).value === '违规金额')!;
    expect([found.getCell(4).value, found.getCell(5).value, found.getCell(6).value]).toEqual(['1.02', '0.01', '1.03']);
    expect(sheet.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToWidth: 1 });
    expect(book.getWorksheet('典型案例')!.getRow(3).getCell(3).value).toBe(TYPICAL.publication);
  });
});

describe('typical cases', () => {
  const facts: TypicalCaseFacts = {
    caseId: 'case:349901:C1',
    caseNo: 'C1',
    year: 2027,
    campaignId: 'fund-special-inspection',
    stage: 'closed',
    institution: { id: 'H001', name: '清溪区人民医院', kind: 'hospital' },
    items: [
      { category: '串换项目', article: '38' },
      { category: '虚假诊疗', article: '40' },
      { category: '串换项目', article: '38' },
    ],
    lossFen: 1_234_500,
    fineFen: 2_469_000,
    paidFen: 3_703_500,
    actions: ['case-opened', 'interview', 'suspended', 'penalty-decided', 'closed'],
    referrals: ['public-security'],
  };

  it('is written from the facts: the institution, the kinds found, the articles, the money and the actions', () => {
    expect(typicalCasePublication(facts, '清溪区')).toEqual({
      title: '清溪区人民医院串换项目、虚假诊疗案',
      publication:
        '经查，清溪区人民医院存在串换项目、虚假诊疗等违法违规使用医保基金问题。清溪区医疗保障局依据《医疗保障基金使用监督管理条例》' +
        '第38条、第40条，追回医保基金12,345.00 元，处罚款24,690.00 元，约谈其负责人，暂停医保服务，移送公安机关。目前，该案已办结（案件编号 C1）。',
    });
  });

  it('is only a closed case with findings', () => {
    expect(typicalCaseProblem(facts)).toBeUndefined();
    expect(typicalCaseProblem({ ...facts, stage: 'withdrawn' })).toMatch(/withdrawn case is never published/);
    expect(typicalCaseProblem({ ...facts, stage: 'suspended' })).toMatch(/not closed \(stage suspended\)/);
    expect(typicalCaseProblem({ ...facts, items: [] })).toMatch(/no findings items/);
  });
});
