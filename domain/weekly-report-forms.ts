// The three forms of seed 004 as grids of cells, the one layout both the XLSX and the CSV file are written from
// (activities/weekly-report-files.ts): rows, merged ranges and the texts of the city's (市) or the county's (县区)
// annex, word for word where the form prints words. Money in 万元 with two decimals (./weekly-report.ts wanYuan).
import { DateTime } from 'luxon';
import { SIGNATURE, type MessageText } from './inspection-messages';
import {
  INSTITUTION_KINDS,
  PERSON_ACTIONS,
  wanYuan,
  type BatchFigures,
  type ByKind,
  type Census,
  type FormVariant,
  type LossFigures,
  type Table1Action,
  type WeeklyTables,
} from './weekly-report';

export type Cell = string | number | null;
/** A merged range, 1-based and inclusive: [top, left, bottom, right]. */
export type Merge = [number, number, number, number];

export interface FormSheet {
  /** The worksheet's name. */
  name: string;
  /** Column widths in characters. */
  widths: number[];
  rows: Cell[][];
  merges: Merge[];
  /** The bordered grid: first and last row (1-based). */
  grid: [number, number];
  /** Header rows of the grid (bold, centred). */
  headerRows: number;
}

const NONE = '---';
const BLANK = '____';

const table1Labels: Record<Table1Action, string> = {
  rectification: '约谈限期整改（家）',
  'public-criticism': '通报批评（家）',
  suspension: '暂停医保服务（家）',
  termination: '解除定点协议（家）',
  blacklist: '列入医保黑名单（家）',
  penalty: '行政处罚（家）',
  'judicial-referral': '移交司法机关（家）',
  other: '其他处理情形（家）',
};

/** The seed's two annexes print table 2 with half-width brackets in the city's and full-width in the county's. */
const table2Labels = (variant: FormVariant): string[] => {
  const labels = ['约谈（人）', '暂停医保卡结算（人）', '行政处罚（人）', '移交司法机关（人）', '其他处理形式（人，如有请注明）'];
  const money = '追回骗取医保基金（万元，小数点两位）';
  const all = [...labels, money, '合计（不重复数）'];
  return variant === 'city' ? all.map((l) => l.replace(/（/g, '(').replace(/）/g, ')').replace(/，/g, ',')) : all;
};

/** The line under the title: the jurisdiction (the form's "____市" / "____县区") and the cut-off. */
function heading(t: WeeklyTables, title: string, width: number): { rows: Cell[][]; merges: Merge[] } {
  const half = Math.floor(width / 2);
  const cutOff = DateTime.fromISO(t.cutOff, { zone: t.timeZone }).toFormat('yyyy年M月d日 HH:mm');
  const line: Cell[] = Array<Cell>(width).fill(null);
  line[0] = t.jurisdiction.name;
  line[half] = `截至 ${cutOff}（${t.week}）`;
  return {
    rows: [[title, ...Array<Cell>(width - 1).fill(null)], line],
    merges: [
      [1, 1, 1, width],
      [2, 1, 2, half],
      [2, half + 1, 2, width],
    ],
  };
}

function signatures(variant: FormVariant): string[] {
  return [
    '单位负责人签章：',
    variant === 'city' ? '处(科)负责人签章：' : '处（科）负责人签章：',
    '填表人签章：',
    '联系电话：',
    '电子邮箱：',
  ];
}

function appendLines(rows: Cell[][], merges: Merge[], lines: string[], width: number): void {
  for (const line of lines) {
    rows.push([line, ...Array<Cell>(width - 1).fill(null)]);
    merges.push([rows.length, 1, rows.length, width]);
  }
}

const censusLine = (what: string, c: Census) =>
  `统筹区内${what}共${c.total}家，检查${what}合计${c.inspected}家，其中现场检查${c.onSite}家。`;

function lossCells(f: ByKind<LossFigures>): Cell[] {
  return INSTITUTION_KINDS.flatMap((k) => [
    f[k].turnoverFen === null ? null : wanYuan(f[k].turnoverFen),
    wanYuan(f[k].lossFen),
    wanYuan(f[k].fineFen),
  ]);
}

function table1Sheet(t: WeeklyTables): FormSheet {
  const { table1: f, variant } = t;
  const width = 11;
  const { rows, merges } = heading(t, '打击欺诈骗保工作周报表（一）', width);
  if (variant === 'city') appendLines(rows, merges, ['定点服务机构'], width);
  const top = rows.length + 1;
  rows.push(
    ['序号', '处理结果类型', '处理机构数量', null, '减少基金损失', null, null, null, null, null, '备注'],
    [null, null, '定点医疗机构', '定点药店', '定点医疗机构', null, null, '定点药店', null, null, null],
    [null, null, null, null, '月营业额', '违规额', '罚没额', '月营业额', '违规额', '罚没额', null],
  );
  merges.push(
    [top, 1, top + 2, 1],
    [top, 2, top + 2, 2],
    [top, 3, top, 4],
    [top, 5, top, 10],
    [top, 11, top + 2, 11],
    [top + 1, 3, top + 2, 3],
    [top + 1, 4, top + 2, 4],
    [top + 1, 5, top + 1, 7],
    [top + 1, 8, top + 1, 10],
  );
  const remarks = [
    censusLine('定点医疗机构', f.census.hospital),
    censusLine('定点药店', f.census.pharmacy),
    `追回资金${wanYuan(f.recovered.totalFen)}万元，其中：医保基金${wanYuan(f.recovered.fundFen)}万元，个人${wanYuan(f.recovered.personalFen)}万元。`,
  ];
  // Where the annex prints each remark: the city's beside rows 1, 5 and 8 (spanning to the next), the county's on 1–3.
  const remarkRows: Array<[number, number]> =
    variant === 'city'
      ? [
          [1, 4],
          [5, 7],
          [8, 10],
        ]
      : [
          [1, 1],
          [2, 2],
          [3, 3],
        ];
  const dash = Array<Cell>(6).fill(NONE);
  const counted = (action: Table1Action): Cell[] => [f.counts[action].hospital, f.counts[action].pharmacy];
  const body: Cell[][] = [
    [1, table1Labels.rectification, ...counted('rectification'), ...dash],
    [2, table1Labels['public-criticism'], ...counted('public-criticism'), ...dash],
    [3, table1Labels.suspension, ...counted('suspension'), ...lossCells(f.reduced.suspension)],
    [4, table1Labels.termination, ...counted('termination'), ...lossCells(f.reduced.termination)],
    [5, table1Labels.blacklist, ...counted('blacklist'), ...dash],
    [6, table1Labels.penalty, ...counted('penalty'), ...dash],
    [7, table1Labels['judicial-referral'], ...counted('judicial-referral'), ...dash],
    [8, '追回医保基金（万元）', wanYuan(f.fundRecoveredFen.hospital), wanYuan(f.fundRecoveredFen.pharmacy), ...dash],
    [9, '为患者追回资金（万元）', wanYuan(f.patientRefundFen.hospital), wanYuan(f.patientRefundFen.pharmacy), ...dash],
    [10, table1Labels.other, ...counted('other'), ...dash],
  ];
  const first = rows.length + 1;
  for (const row of body) rows.push([...row, null]);
  remarkRows.forEach(([from, to], i) => {
    rows[first + from - 2]![10] = remarks[i]!;
    if (to > from) merges.push([first + from - 1, 11, first + to - 1, 11]);
  });
  const total = (k: 'hospital' | 'pharmacy') => `${f.total[k].institutions}家，${wanYuan(f.total[k].fen)}万元`;
  rows.push(['合计（不重复数）', null, total('hospital'), total('pharmacy'), ...lossCells(f.reduced.total), null]);
  merges.push([rows.length, 1, rows.length, 2]);
  const last = rows.length;
  const note = '减少基金损失，只填写“暂停医保服务”、“解除定点协议”和“合计”3项';
  appendLines(
    rows,
    merges,
    [
      variant === 'city'
        ? `注：${note}。`
        : `注：1、${note}；2、各县区建章立制名称${f.rules.length ? f.rules.join('、') : BLANK}，数量${f.rules.length}个。`,
      ...signatures(variant),
    ],
    width,
  );
  return {
    name: '周报表（一）',
    widths: [6, 22, 16, 16, 11, 11, 11, 11, 11, 11, 40],
    rows,
    merges,
    grid: [top, last],
    headerRows: 3,
  };
}

function table2Sheet(t: WeeklyTables): FormSheet {
  const { table2: f, variant } = t;
  const width = 3;
  const { rows, merges } = heading(t, '打击欺诈骗保工作周报表（二）', width);
  const labels = table2Labels(variant);
  const top = rows.length + 1;
  rows.push(['参保人员', null, null], ['序号', '处理结果', '处理参保人员人数']);
  merges.push([top, 1, top, 3]);
  PERSON_ACTIONS.forEach((action, i) => {
    const count = f.counts[action];
    rows.push([i + 1, labels[i]!, action === 'other' && f.otherNotes.length ? `${count}（${f.otherNotes.join('；')}）` : count]);
  });
  rows.push([6, labels[5]!, wanYuan(f.recoveredFen)]);
  rows.push([labels[6]!, null, `${f.total.persons}人，${wanYuan(f.total.fen)}万元`]);
  merges.push([rows.length, 1, rows.length, 2]);
  const last = rows.length;
  appendLines(rows, merges, signatures(variant), width);
  return { name: '周报表（二）', widths: [8, 40, 24], rows, merges, grid: [top, last], headerRows: 2 };
}

const DIGITS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/** 1–99 in Chinese numerals (第十二批). */
function chineseNumber(n: number): string {
  if (n < 10) return DIGITS[n]!;
  const tens = Math.floor(n / 10);
  return `${tens === 1 ? '' : DIGITS[tens]}十${DIGITS[n % 10]}`;
}

/** "第一批 (12.3)": the batch number in words when it is one, and the transfer's month and day. */
export function batchLabel(b: Pick<BatchFigures, 'batchNo' | 'batchDate'>): string {
  const [, month, day] = b.batchDate.split('-').map(Number);
  const n = /^[1-9]\d?$/.test(b.batchNo) ? Number(b.batchNo) : undefined;
  return `${n ? `第${chineseNumber(n)}批` : b.batchNo} (${month}.${day})`;
}

function table3Sheet(t: WeeklyTables): FormSheet {
  const { table3: f, variant } = t;
  const width = 11;
  const { rows, merges } = heading(t, '打击欺诈骗保工作周报表（三）', width);
  const top = rows.length + 1;
  const local = variant === 'city' ? '各市接收举报线索办理情况' : '各县区接收举报线索办理情况';
  const batchHead = ['批次 (日期)', '移交总数', '已办结数量', '查证属实线索数量'];
  rows.push(
    ['国家局移交线索办理情况', null, null, null, '省局移交线索办理情况', null, null, null, local, null, null],
    [...batchHead, ...batchHead, '举报投诉线索总数', '已办结数量', '查证属实线索数量'],
  );
  merges.push([top, 1, top, 4], [top, 5, top, 8], [top, 9, top, 11]);
  const batchCells = (b: BatchFigures | undefined): Cell[] =>
    b ? [batchLabel(b), b.transferred, b.concluded, b.verified] : [null, null, null, null];
  const count = Math.max(f.national.length, f.provincial.length, 1);
  const first = rows.length + 1;
  for (let i = 0; i < count; i++) {
    const localCells: Cell[] = i === 0 ? [f.local.received, f.local.concluded, f.local.verified] : [null, null, null];
    rows.push([...batchCells(f.national[i]), ...batchCells(f.provincial[i]), ...localCells]);
  }
  // The local clues are one set of figures beside however many batches.
  if (count > 1) for (let c = 9; c <= 11; c++) merges.push([first, c, first + count - 1, c]);
  const last = rows.length;
  appendLines(
    rows,
    merges,
    [
      '注：查证属实线索，是指经核查证实，举报投诉所反映的内容真实有效，从而发现违约违规违法行为的线索。',
      ...signatures(variant).map((s) => (variant === 'city' ? s.replace('处(科)', '处（科）') : s)),
    ],
    width,
  );
  return { name: '周报表（三）', widths: [16, 10, 11, 14, 16, 10, 11, 14, 16, 11, 14], rows, merges, grid: [top, last], headerRows: 2 };
}

/** The three forms, in order. */
export function weeklyForms(t: WeeklyTables): FormSheet[] {
  return [table1Sheet(t), table2Sheet(t), table3Sheet(t)];
}

/** The figures in a few Chinese lines: the mail's text and the workflow's details in the Web UI. */
export function weeklyReportSummary(t: WeeklyTables): string {
  const cutOffText = DateTime.fromISO(t.cutOff, { zone: t.timeZone }).toFormat('yyyy-MM-dd HH:mm');
  const f = t.table1;
  const kinds = (action: Table1Action) => f.counts[action].hospital + f.counts[action].pharmacy;
  const batches = [...t.table3.national, ...t.table3.provincial];
  return [
    `${t.jurisdiction.name} 打击欺诈骗保工作周报表 ${t.week}（截至 ${cutOffText}）`,
    `表一：处理定点医疗机构 ${f.total.hospital.institutions} 家、定点药店 ${f.total.pharmacy.institutions} 家（不重复数）；` +
      `约谈限期整改 ${kinds('rectification')} 家，暂停医保服务 ${kinds('suspension')} 家，解除定点协议 ${kinds('termination')} 家，` +
      `行政处罚 ${kinds('penalty')} 家，移交司法机关 ${kinds('judicial-referral')} 家；追回资金 ${wanYuan(f.recovered.totalFen)} 万元。`,
    `检查定点医疗机构 ${f.census.hospital.inspected}/${f.census.hospital.total} 家（现场 ${f.census.hospital.onSite} 家），` +
      `定点药店 ${f.census.pharmacy.inspected}/${f.census.pharmacy.total} 家（现场 ${f.census.pharmacy.onSite} 家）。`,
    `表二：处理参保人员 ${t.table2.total.persons} 人，追回 ${wanYuan(t.table2.total.fen)} 万元。`,
    `表三：上级移交线索 ${batches.length} 批 ${batches.reduce((n, b) => n + b.transferred, 0)} 条，已办结 ${batches.reduce((n, b) => n + b.concluded, 0)} 条；` +
      `本地受理举报 ${t.table3.local.received} 条，已办结 ${t.table3.local.concluded} 条，查证属实 ${t.table3.local.verified} 条。`,
  ].join('\n');
}

/** The mail the tables travel with. */
export function weeklyReportMessage(t: WeeklyTables): MessageText {
  return {
    subject: `【周报表】${t.jurisdiction.name}打击欺诈骗保工作周报表 ${t.week}`,
    text: `${weeklyReportSummary(t)}\n\n附件为周报表（一）（二）（三）的 XLSX 和 CSV 文件，请审核签章后报送。${SIGNATURE}`,
  };
}
