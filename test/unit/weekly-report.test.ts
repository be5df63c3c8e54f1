// The weekly tables of seed 004 from scripted inputs, each expected figure worked out by hand here (not by the code
// under test): institutions counted once per row and once in 合计 whatever their actions, 万元 rounded half up from
// fen, payments counted toward the return first, batches labelled as the form does; and the XLSX read back with
// exceljs, the CSV as text.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { weeklyReportCsv, weeklyReportXlsx } from '../../activities/weekly-report-files';
import { isoWeekInstant, isoWeekOf } from '../../domain/calendar';
import { batchLabel, weeklyForms, weeklyReportMessage } from '../../domain/weekly-report-forms';
import {
  fundRecoveredFen,
  table1Action,
  wanYuan,
  weeklyPeriod,
  weeklyTables,
  type CaseFacts,
  type WeeklyReportInput,
} from '../../domain/weekly-report';

const none = { paidBeforeFen: 0, paidByCutOffFen: 0, recoveryFen: 0, fineFen: 0 };
const CASES: CaseFacts[] = [
  // H1: opened (rectification order), interviewed and suspended in one case, and another case opened: one institution.
  {
    institutionId: 'H1',
    kind: 'hospital',
    actions: ['rectification', 'rectification', 'suspension'],
    lossFen: 1_234_567,
    fineFen: 2_469_134,
    recoveryFen: 1_234_567,
    paidBeforeFen: 0,
    paidByCutOffFen: 1_500_000,
  },
  { institutionId: 'H1', kind: 'hospital', actions: ['rectification'], lossFen: 100, ...none },
  // H2: terminated and referred; 10,000 yuan of its 50,000 paid before the period, 30,000 by the cut-off.
  {
    institutionId: 'H2',
    kind: 'hospital',
    actions: ['termination', 'judicial-referral'],
    lossFen: 5_000_000,
    fineFen: 0,
    recoveryFen: 5_000_000,
    paidBeforeFen: 1_000_000,
    paidByCutOffFen: 3_000_000,
  },
  {
    institutionId: 'P1',
    kind: 'pharmacy',
    actions: ['rectification', 'penalty'],
    lossFen: 4_999,
    fineFen: 9_998,
    recoveryFen: 4_999,
    paidBeforeFen: 0,
    paidByCutOffFen: 14_997,
  },
  // P2: nothing decided in the period, but 50 yuan paid in it.
  {
    institutionId: 'P2',
    kind: 'pharmacy',
    actions: [],
    lossFen: 10_000,
    fineFen: 0,
    recoveryFen: 10_000,
    paidBeforeFen: 0,
    paidByCutOffFen: 5_000,
  },
];

const input = (over: Partial<WeeklyReportInput> = {}): WeeklyReportInput => ({
  jurisdiction: { code: '349901', name: '清溪区' },
  week: '2027-W14',
  timeZone: 'Asia/Shanghai',
  periodStart: '2026-12-31T16:00:00.000Z',
  cutOff: '2027-04-07T01:00:00.000Z',
  census: { hospital: { total: 30, inspected: 12, onSite: 10 }, pharmacy: { total: 14, inspected: 5, onSite: 5 } },
  cases: CASES,
  turnoverFen: {},
  patientRefunds: [],
  persons: [],
  personRecoveries: [],
  rules: [],
  batches: [
    { source: 'national', batchNo: '2', batchDate: '2026-12-11', transferred: 4, concluded: 1, verified: 0 },
    { source: 'national', batchNo: '1', batchDate: '2026-12-03', transferred: 5, concluded: 3, verified: 2 },
    { source: 'provincial', batchNo: '1', batchDate: '2026-11-23', transferred: 2, concluded: 2, verified: 1 },
  ],
  localClues: { received: 7, concluded: 4, verified: 3 },
  ...over,
});

describe('万元 from fen', () => {
  it('has two decimals, rounded half up, exactly where floats misround', () => {
    expect(wanYuan(0)).toBe('0.00');
    expect(wanYuan(4_999)).toBe('0.00'); // 49.99 yuan
    expect(wanYuan(5_000)).toBe('0.01'); // 50 yuan = 0.005 万元: half up
    // 1.005 万元: (1.005).toFixed(2) is "1.00" in binary floating point.
    expect(wanYuan(1_005_000)).toBe('1.01');
    expect(wanYuan(123_456_789_015_000)).toBe('123456789.02');
    expect(wanYuan(Number.MAX_SAFE_INTEGER)).toBe('9007199254.74');
    expect(() => wanYuan(-1)).toThrow(RangeError);
    expect(() => wanYuan(0.5)).toThrow(RangeError);
  });
});

describe('the week and its cut-off', () => {
  it('is the plan weekday and time of the ISO week, the period from 1 January of that year', () => {
    const { periodStart, cutOff } = weeklyPeriod('2027-W14', 3, '09:00', 'Asia/Shanghai');
    expect(cutOff.toISOString()).toBe('2027-04-07T01:00:00.000Z'); // Wednesday 7 April 09:00 +08:00
    expect(periodStart.toISOString()).toBe('2026-12-31T16:00:00.000Z');
    // ISO week 1 of 2027 starts on Monday 4 January; 2026-W53 holds 1–3 January 2027.
    expect(isoWeekOf(new Date('2027-01-03T12:00:00+08:00'), 'Asia/Shanghai')).toBe('2026-W53');
    expect(weeklyPeriod('2026-W53', 3, '09:00', 'Asia/Shanghai').cutOff.toISOString()).toBe('2026-12-30T01:00:00.000Z');
    expect(() => isoWeekInstant('2027-W53', 3, '09:00', 'Asia/Shanghai')).toThrow(/not a week/);
  });
});

describe('which row a case step counts in', () => {
  it('maps the audit actions of the case workflow', () => {
    expect(table1Action({ action: 'case-opened' })).toBe('rectification');
    expect(table1Action({ action: 'interview' })).toBe('rectification');
    expect(table1Action({ action: 'penalty-decided', fineFen: 1 })).toBe('penalty');
    expect(table1Action({ action: 'penalty-decided', fineFen: 0 })).toBeUndefined(); // a return alone is no penalty
    expect(table1Action({ action: 'referral-sent', agency: 'public-security' })).toBe('judicial-referral');
    expect(table1Action({ action: 'referral-sent', agency: 'health' })).toBe('other');
    expect(table1Action({ action: 'rectified' })).toBeUndefined();
  });

  it('counts payments toward the return first', () => {
    expect(fundRecoveredFen({ recoveryFen: 100, paidBeforeFen: 0, paidByCutOffFen: 250 })).toBe(100);
    expect(fundRecoveredFen({ recoveryFen: 100, paidBeforeFen: 60, paidByCutOffFen: 250 })).toBe(40);
    expect(fundRecoveredFen({ recoveryFen: 100, paidBeforeFen: 120, paidByCutOffFen: 250 })).toBe(0);
  });
});

describe('table 1', () => {
  const t = weeklyTables(input()).table1;

  it('counts each institution once per row and once in 合计 (不重复数)', () => {
    expect(t.counts.rectification).toEqual({ hospital: 1, pharmacy: 1 }); // H1 three times, P1
    expect(t.counts.suspension).toEqual({ hospital: 1, pharmacy: 0 });
    expect(t.counts.termination).toEqual({ hospital: 1, pharmacy: 0 });
    expect(t.counts['judicial-referral']).toEqual({ hospital: 1, pharmacy: 0 });
    expect(t.counts.penalty).toEqual({ hospital: 0, pharmacy: 1 });
    expect(t.counts['public-criticism']).toEqual({ hospital: 0, pharmacy: 0 });
    // H1 (interviewed and suspended) and H2; P1 and P2 (a payment only).
    expect(t.total.hospital.institutions).toBe(2);
    expect(t.total.pharmacy.institutions).toBe(2);
  });

  it('sums the money recovered in the period and the reduced fund loss of rows 3, 4 and 合计', () => {
    // H1 1,234,567 (its return is whole; the rest paid the fine) + H2 3,000,000 − 1,000,000.
    expect(t.fundRecoveredFen).toEqual({ hospital: 3_234_567, pharmacy: 9_999 });
    expect(wanYuan(t.total.hospital.fen)).toBe('3.23');
    expect(wanYuan(t.total.pharmacy.fen)).toBe('0.01');
    expect(t.reduced.suspension.hospital).toEqual({ turnoverFen: null, lossFen: 1_234_567, fineFen: 2_469_134 });
    expect(t.reduced.termination.hospital).toEqual({ turnoverFen: null, lossFen: 5_000_000, fineFen: 0 });
    expect(t.reduced.total.hospital).toEqual({ turnoverFen: null, lossFen: 6_234_567, fineFen: 2_469_134 });
    expect(t.reduced.total.pharmacy).toEqual({ turnoverFen: 0, lossFen: 0, fineFen: 0 });
    expect(t.recovered).toEqual({ totalFen: 3_244_566, fundFen: 3_244_566, personalFen: 0 });
  });

  it('shows 月营业额 only when every institution of the row has one', () => {
    const partly = weeklyTables(input({ turnoverFen: { H1: 80_000_000 } })).table1.reduced;
    expect(partly.suspension.hospital.turnoverFen).toBe(80_000_000);
    expect(partly.total.hospital.turnoverFen).toBeNull(); // H2's is unknown
  });
});

describe('table 2 and 3', () => {
  it('counts persons once, and notes the other actions', () => {
    const t = weeklyTables(
      input({
        persons: [
          { personKey: 'c1', action: 'interview' },
          { personKey: 'c1', action: 'card-suspension' },
          { personKey: 'c2', action: 'other', note: '纳入失信名单' },
        ],
        personRecoveries: [{ personKey: 'c1', amountFen: 1_005_000 }],
      }),
    ).table2;
    expect(t.counts).toEqual({ interview: 1, 'card-suspension': 1, penalty: 0, 'judicial-referral': 0, other: 1 });
    expect(t.total).toEqual({ persons: 2, fen: 1_005_000 });
    expect(t.otherNotes).toEqual(['纳入失信名单']);
  });

  it('lists the batches by date, labelled as the form does', () => {
    const t = weeklyTables(input()).table3;
    expect(t.national.map(batchLabel)).toEqual(['第一批 (12.3)', '第二批 (12.11)']);
    expect(t.provincial.map(batchLabel)).toEqual(['第一批 (11.23)']);
    expect(batchLabel({ batchNo: '12', batchDate: '2027-01-24' })).toBe('第十二批 (1.24)');
    expect(batchLabel({ batchNo: '21', batchDate: '2027-01-24' })).toBe('第二十一批 (1.24)');
    expect(batchLabel({ batchNo: 'GJ-7', batchDate: '2027-01-24' })).toBe('GJ-7 (1.24)');
  });
});

describe('the forms as files', () => {
  const county = weeklyTables(input({ rules: ['定点医药机构自查自纠制度'] }));

  it('lays out the county form with its footers and the 建章立制 note; the city form with its own', () => {
    const [one] = weeklyForms(county);
    const text = one!.rows.flat().filter((c) => typeof c === 'string');
    expect(text).toContain('统筹区内定点医疗机构共30家，检查定点医疗机构合计12家，其中现场检查10家。');
    expect(text).toContain('统筹区内定点药店共14家，检查定点药店合计5家，其中现场检查5家。');
    expect(text).toContain('追回资金3.24万元，其中：医保基金3.24万元，个人0.00万元。');
    expect(text).toContain(
      '注：1、减少基金损失，只填写“暂停医保服务”、“解除定点协议”和“合计”3项；2、各县区建章立制名称定点医药机构自查自纠制度，数量1个。',
    );
    const [cityOne, cityTwo] = weeklyForms(weeklyTables(input({ jurisdiction: { code: '349900', name: '清溪市' } })));
    expect(cityOne!.rows[2]![0]).toBe('定点服务机构');
    expect(cityOne!.rows.flat()).toContain('注：减少基金损失，只填写“暂停医保服务”、“解除定点协议”和“合计”3项。');
    expect(cityTwo!.rows.flat()).toContain('约谈(人)');
  });

  it('writes an XLSX whose cells, merges, borders and page setup read back as the form', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await weeklyReportXlsx(county)) as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['周报表（一）', '周报表（二）', '周报表（三）']);
    const one = book.getWorksheet('周报表（一）')!;
    expect(one.getCell('A1').value).toBe('打击欺诈骗保工作周报表（一）');
    expect(one.getCell('A2').value).toBe('清溪区');
    expect(one.getCell('G2').value).toBe('截至 2027年4月7日 09:00（2027-W14）');
    // Header: 处理机构数量 over two columns, 减少基金损失 over six, 序号 down three rows.
    expect(one.getCell('C3').value).toBe('处理机构数量');
    expect(one.getCell('D3').isMerged).toBe(true);
    expect(one.getCell('D3').master.address).toBe('C3');
    expect(one.getCell('J3').master.address).toBe('E3');
    expect(one.getCell('A5').master.address).toBe('A3');
    expect(['E5', 'F5', 'G5', 'H5'].map((a) => one.getCell(a).value)).toEqual(['月营业额', '违规额', '罚没额', '月营业额']);
    // Row 1 of the form (sheet row 6): H1 once; rows 3 and 4 with the reduced loss; row 8 in 万元; 合计 on row 16.
    expect(['A6', 'B6', 'C6', 'D6', 'E6'].map((a) => one.getCell(a).value)).toEqual([1, '约谈限期整改（家）', 1, 1, '---']);
    expect(['C8', 'E8', 'F8', 'G8'].map((a) => one.getCell(a).value)).toEqual([1, null, '1.23', '2.47']);
    expect(['C9', 'F9', 'G9'].map((a) => one.getCell(a).value)).toEqual([1, '5.00', '0.00']);
    expect(['B13', 'C13', 'D13'].map((a) => one.getCell(a).value)).toEqual(['追回医保基金（万元）', '3.23', '0.01']);
    expect(['A16', 'C16', 'D16', 'F16', 'G16'].map((a) => one.getCell(a).value)).toEqual([
      '合计（不重复数）',
      '2家，3.23万元',
      '2家，0.01万元',
      '6.23',
      '2.47',
    ]);
    expect(one.getCell('B16').master.address).toBe('A16');
    expect(one.getCell('K6').value).toBe('统筹区内定点医疗机构共30家，检查定点医疗机构合计12家，其中现场检查10家。');
    expect(one.getCell('F16').border).toMatchObject({ top: { style: 'thin' }, bottom: { style: 'thin' } });
    expect(one.getCell('A18').value).toBe('单位负责人签章：');
    expect(one.getCell('A19').value).toBe('处（科）负责人签章：');
    expect(one.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 });

    const three = book.getWorksheet('周报表（三）')!;
    expect(three.getCell('A3').value).toBe('国家局移交线索办理情况');
    expect(three.getCell('I3').value).toBe('各县区接收举报线索办理情况');
    expect(['A5', 'B5', 'C5', 'D5', 'E5', 'F5', 'I5', 'J5', 'K5'].map((a) => three.getCell(a).value)).toEqual([
      '第一批 (12.3)',
      5,
      3,
      2,
      '第一批 (11.23)',
      2,
      7,
      4,
      3,
    ]);
    expect(three.getCell('A6').value).toBe('第二批 (12.11)');
    expect(three.getCell('I6').master.address).toBe('I5');
    const two = book.getWorksheet('周报表（二）')!;
    expect(two.getCell('A3').value).toBe('参保人员');
    expect(['B10', 'C10'].map((a) => two.getCell(a).value)).toEqual(['追回骗取医保基金（万元，小数点两位）', '0.00']);
    expect(two.getCell('C11').value).toBe('0人，0.00万元');
  });

  it('writes the same grid as CSV, and the mail the tables travel with', () => {
    const csv = weeklyReportCsv(county).toString('utf8');
    expect(csv.startsWith('\uFEFF打击欺诈骗保工作周报表（一）')).toBe(true);
    // The hospitals' 月营业额 blank (neither the plan nor a decision gave one); no pharmacy suspended or terminated: zeros.
    expect(csv).toContain('\r\n合计（不重复数）,,2家，3.23万元,2家，0.01万元,,6.23,2.47,0.00,0.00,0.00,\r\n');
    expect(csv).toContain('\r\n第一批 (12.3),5,3,2,第一批 (11.23),2,2,1,7,4,3\r\n');
    const mail = weeklyReportMessage(county);
    expect(mail.subject).toBe('【周报表】清溪区打击欺诈骗保工作周报表 2027-W14');
    expect(mail.text).not.toContain('系统尚未记录');
    expect(mail.text).toContain('截至 2027-04-07 09:00');
  });
});
