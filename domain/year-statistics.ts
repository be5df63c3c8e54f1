// The year's statistics table (seed 003 附件2《打击欺诈骗保专项整治行动情况统计表》, seed 002 附件2《…专项整治工作情况
// 统计表》, due with the summary by 18 December) and the list of typical cases published (曝光典型案例) that goes with it.
// The seeds give the tables' titles, not their columns: the rows here are the figures both name in their text —
// institutions checked and on site, cases by action, money recovered and fined, persons, clues, typical cases — laid
// out by institution kind as the weekly tables are, from the same year-to-date figures (./weekly-report.ts), so the
// two never disagree. Pure.
import { DateTime } from 'luxon';
import { type Cell, type FormSheet, type Merge } from './weekly-report-forms';
import {
  INSTITUTION_KINDS,
  TABLE1_ACTIONS,
  wanYuan,
  type ByKind,
  type CaseFacts,
  type Table1Action,
  type WeeklyTables,
} from './weekly-report';

/** A typical case on the list, as published (domain/typical-case.ts). */
export interface PublishedCase {
  caseId: string;
  title: string;
  publication: string;
  approvedBy: string;
  approvedAt: string;
}

export interface YearStatisticsInput {
  year: number;
  /** The year's running totals as of the cut-off (the weekly tables' figures, from 1 January). */
  tables: WeeklyTables;
  /** The cases the tables were computed from (违规额, 罚没额 per kind). */
  cases: readonly CaseFacts[];
  typicalCases: readonly PublishedCase[];
}

const ACTION_LABELS: Record<Table1Action, string> = {
  rectification: '约谈限期整改',
  'public-criticism': '通报批评',
  suspension: '暂停医保服务',
  termination: '解除定点协议',
  blacklist: '列入医保黑名单',
  penalty: '行政处罚',
  'judicial-referral': '移交司法机关',
  other: '其他处理情形',
};

const sumBy = (cases: readonly CaseFacts[], pick: (c: CaseFacts) => number): ByKind<number> => ({
  hospital: cases.filter((c) => c.kind === 'hospital').reduce((n, c) => n + pick(c), 0),
  pharmacy: cases.filter((c) => c.kind === 'pharmacy').reduce((n, c) => n + pick(c), 0),
});

type Line = [label: string, unit: '家' | '人' | '条' | '件' | '项' | '万元', values: ByKind<number> | number];

function lines(input: YearStatisticsInput): Array<[section: string, Line[]]> {
  const { table1: f, table2, table3 } = input.tables;
  const census = (pick: 'total' | 'inspected' | 'onSite') => ({ hospital: f.census.hospital[pick], pharmacy: f.census.pharmacy[pick] });
  const batches = [...table3.national, ...table3.provincial];
  const batchSum = (pick: 'transferred' | 'concluded' | 'verified') => batches.reduce((n, b) => n + b[pick], 0);
  return [
    [
      '一、检查情况',
      [
        ['定点医药机构总数', '家', census('total')],
        ['检查定点医药机构', '家', census('inspected')],
        ['其中：现场检查', '家', census('onSite')],
      ],
    ],
    [
      '二、处理定点医药机构',
      [
        ...TABLE1_ACTIONS.map((a): Line => [ACTION_LABELS[a], '家', f.counts[a]]),
        ['合计（不重复数）', '家', { hospital: f.total.hospital.institutions, pharmacy: f.total.pharmacy.institutions }],
      ],
    ],
    [
      '三、涉及金额',
      [
        ['违规金额', '万元', sumBy(input.cases, (c) => c.lossFen)],
        ['罚没金额', '万元', sumBy(input.cases, (c) => c.fineFen)],
        ['追回医保基金', '万元', f.fundRecoveredFen],
        ['为患者追回资金', '万元', f.patientRefundFen],
      ],
    ],
    [
      '四、处理参保人员',
      [
        ['处理参保人员（不重复数）', '人', table2.total.persons],
        ['追回骗取医保基金', '万元', table2.total.fen],
      ],
    ],
    [
      '五、举报线索',
      [
        ['上级移交线索', '条', batchSum('transferred')],
        ['其中：已办结', '条', batchSum('concluded')],
        ['查证属实', '条', batchSum('verified')],
        ['本地受理举报投诉线索', '条', table3.local.received],
        ['其中：已办结', '条', table3.local.concluded],
        ['查证属实', '条', table3.local.verified],
      ],
    ],
    [
      '六、建章立制与曝光典型案例',
      [
        ['建章立制（制度、措施）', '项', f.rules.length],
        ['公开曝光典型案例', '件', input.typicalCases.length],
      ],
    ],
  ];
}

const show = (unit: Line[1], n: number): Cell => (unit === '万元' ? wanYuan(n) : n);

/** The statistics sheet: 序号 | 项目 | 单位 | 定点医疗机构 | 定点零售药店 | 合计; a figure not by kind fills 合计 only. */
function statisticsSheet(input: YearStatisticsInput): FormSheet {
  const { tables: t } = input;
  const width = 6;
  const cutOff = DateTime.fromISO(t.cutOff, { zone: t.timeZone }).toFormat('yyyy年M月d日 HH:mm');
  const rows: Cell[][] = [
    [`${input.year}年打击欺诈骗保专项整治工作情况统计表`, null, null, null, null, null],
    [`填报单位：${t.jurisdiction.name}医疗保障局`, null, null, `截至 ${cutOff}`, null, null],
    ['序号', '项目', '单位', '定点医疗机构', '定点零售药店', '合计'],
  ];
  const merges: Merge[] = [
    [1, 1, 1, width],
    [2, 1, 2, 3],
    [2, 4, 2, width],
  ];
  let serial = 0;
  for (const [section, entries] of lines(input)) {
    rows.push([section, null, null, null, null, null]);
    merges.push([rows.length, 1, rows.length, width]);
    for (const [label, unit, values] of entries) {
      serial++;
      if (typeof values === 'number') rows.push([serial, label, unit, null, null, show(unit, values)]);
      else {
        const [h, p] = INSTITUTION_KINDS.map((k) => values[k]);
        rows.push([serial, label, unit, show(unit, h!), show(unit, p!), show(unit, h! + p!)]);
      }
    }
  }
  const last = rows.length;
  rows.push(['单位负责人签章：', null, '填表人签章：', null, '联系电话：', null]);
  return { name: '统计表', widths: [8, 30, 8, 16, 16, 16], rows, merges, grid: [3, last], headerRows: 1 };
}

/** The typical cases published in the year: 序号 | 案例名称 | 案情及处理 | 批准曝光. */
function typicalCasesSheet(input: YearStatisticsInput): FormSheet {
  const zone = input.tables.timeZone;
  const rows: Cell[][] = [
    [`${input.year}年曝光典型案例`, null, null, null],
    ['序号', '案例名称', '案情及处理', '批准曝光'],
    ...input.typicalCases.map((c, i): Cell[] => [
      i + 1,
      c.title,
      c.publication,
      DateTime.fromISO(c.approvedAt, { zone }).toFormat('yyyy-MM-dd'),
    ]),
  ];
  if (input.typicalCases.length === 0) rows.push([null, '（本年度尚无批准曝光的典型案例）', null, null]);
  return { name: '典型案例', widths: [8, 30, 80, 14], rows, merges: [[1, 1, 1, 4]], grid: [2, rows.length], headerRows: 1 };
}

export function yearStatisticsForms(input: YearStatisticsInput): FormSheet[] {
  return [statisticsSheet(input), typicalCasesSheet(input)];
}

/** The statistics in a few Chinese lines, for the CLI and the year-end summary's text. */
export function yearStatisticsSummary(input: YearStatisticsInput): string {
  return lines(input)
    .map(([section, entries]) => {
      const figures = entries.map(([label, unit, values]) => {
        const n = typeof values === 'number' ? values : values.hospital + values.pharmacy;
        return `${label} ${show(unit, n)} ${unit}`;
      });
      return `${section}：${figures.join('，')}`;
    })
    .join('\n');
}
