// The weekly tables of seed 004 (打击欺诈骗保工作周报表（一）（二）（三）, sent every Wednesday with the processing reports):
// table 1 counts the institutions handled, table 2 the insured persons, table 3 the clues by transferred batch. The
// figures run from 1 January of the cut-off's year to the cut-off (the tables are the year's running totals, as the
// weekly scheduling of 鲁医保函〔2018〕4号 ranks the cities on them). Pure: the ledger (records/ledger/weekly-report.ts)
// hands in what happened, already limited to the period; the forms are laid out in ./weekly-report-forms.ts.
import { isoWeekInstant, localYear, yearStart } from './calendar';

export const INSTITUTION_KINDS = ['hospital', 'pharmacy'] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];
export type ByKind<T> = Record<InstitutionKind, T>;

/** The rows of table 1 that count institutions (家), in the form's order (rows 8 and 9 are money). */
export const TABLE1_ACTIONS = [
  'rectification', // 1 约谈限期整改
  'public-criticism', // 2 通报批评
  'suspension', // 3 暂停医保服务
  'termination', // 4 解除定点协议
  'blacklist', // 5 列入医保黑名单
  'penalty', // 6 行政处罚
  'judicial-referral', // 7 移交司法机关
  'other', // 10 其他处理情形
] as const;
export type Table1Action = (typeof TABLE1_ACTIONS)[number];

/** A step of a case as its audit trail records it (workflows/case): the action's name, and what the row needs. */
export interface CaseEvent {
  action: string;
  /** A referral's agency. */
  agency?: string;
  /** A penalty decision's fines, fen. */
  fineFen?: number;
}

/**
 * The row of table 1 a case's step counts in, if any. A rectification order opens every case (限期整改) and the
 * interview (约谈) follows it: both are row 1. A penalty decision is 行政处罚 only with a fine: the order to return the
 * loss alone is not a penalty (条例 Art. 38, 40: "责令退回…处…罚款"). A referral to public security or the judiciary is
 * 移交司法机关 (crimes go to 公安机关 first, 《行政执法机关移送涉嫌犯罪案件的规定》); to other agencies, 其他处理情形.
 */
export function table1Action(event: CaseEvent): Table1Action | undefined {
  switch (event.action) {
    case 'case-opened':
    case 'interview':
      return 'rectification';
    case 'public-criticism':
      return 'public-criticism';
    case 'suspended':
      return 'suspension';
    case 'terminated':
      return 'termination';
    case 'blacklisted':
      return 'blacklist';
    case 'penalty-decided':
      return (event.fineFen ?? 0) > 0 ? 'penalty' : undefined;
    case 'referral-sent':
      return event.agency === 'public-security' || event.agency === 'judiciary' ? 'judicial-referral' : 'other';
    default:
      return undefined;
  }
}

/** The audit actions table1Action reads, for the ledger's query. */
export const TABLE1_CASE_EVENTS = [
  'case-opened',
  'interview',
  'public-criticism',
  'suspended',
  'terminated',
  'blacklisted',
  'penalty-decided',
  'referral-sent',
] as const;

/** A case as table 1 needs it: its steps in the period, its amounts by the cut-off (integer fen). */
export interface CaseFacts {
  institutionId: string;
  kind: InstitutionKind;
  /** The rows its steps in the period count in (repeats allowed). */
  actions: readonly Table1Action[];
  /** 违规额: the fund loss of its findings. */
  lossFen: number;
  /** 罚没额: the fines decided by the cut-off. */
  fineFen: number;
  /** The return to the fund ordered by the cut-off (0 before the penalty decision). */
  recoveryFen: number;
  /** Paid on the case (return and fine together) before the period began, and by the cut-off. */
  paidBeforeFen: number;
  paidByCutOffFen: number;
}

/**
 * 追回医保基金 of a case in the period. A case's payments are one sum owed (return plus fine), recorded unsplit; the
 * decision orders the loss returned to the fund and fines the institution besides, so a payment counts toward the
 * return first and toward the fine once the return is whole.
 */
export function fundRecoveredFen(c: Pick<CaseFacts, 'recoveryFen' | 'paidBeforeFen' | 'paidByCutOffFen'>): number {
  return Math.min(c.paidByCutOffFen, c.recoveryFen) - Math.min(c.paidBeforeFen, c.recoveryFen);
}

/** 为患者追回资金: money recovered for patients from an institution. Not recorded by any workflow yet (issue 13 item 2). */
export interface PatientRefund {
  institutionId: string;
  kind: InstitutionKind;
  amountFen: number;
}

/** The rows of table 2 (参保人员), in the form's order (row 6 is money). */
export const PERSON_ACTIONS = ['interview', 'card-suspension', 'penalty', 'judicial-referral', 'other'] as const;
export type PersonActionKind = (typeof PERSON_ACTIONS)[number];

/**
 * An action against an insured person in the period. `personKey` is an opaque key (the person case's number), never a
 * name or an ID number (records/ledger/weekly-report.ts, from the person cases' actions).
 */
export interface PersonAction {
  personKey: string;
  action: PersonActionKind;
  /** What the "other" action was (其他处理形式，如有请注明). */
  note?: string;
}

/** 追回骗取医保基金 from a person in the period, fen. */
export interface PersonRecovery {
  personKey: string;
  amountFen: number;
}

/** An institution kind's count in the jurisdiction, and how many were inspected in the period (on site: claimed as such). */
export interface Census {
  total: number;
  inspected: number;
  onSite: number;
}

/** A transferred batch as of the cut-off: 移交总数, 已办结数量 (concluded or not accepted), 查证属实线索数量. */
export interface BatchFigures {
  source: 'national' | 'provincial';
  batchNo: string;
  /** YYYY-MM-DD. */
  batchDate: string;
  transferred: number;
  concluded: number;
  verified: number;
}

/** The clues received locally in the period (举报投诉线索总数), concluded and verified by the cut-off. */
export interface LocalClueFigures {
  received: number;
  concluded: number;
  verified: number;
}

/**
 * What the tables are computed from. Figures the ledger does not record yet plug in here when they are: `turnoverFen`
 * (月营业额 by institution id), `patientRefunds`, `persons` and `personRecoveries`, `rules` (建章立制 names).
 */
export interface WeeklyReportInput {
  jurisdiction: { code: string; name: string };
  week: string;
  /** The jurisdiction's time zone, in which the forms show the cut-off. */
  timeZone: string;
  /** ISO-8601 instants: the period is [periodStart, cutOff]. */
  periodStart: string;
  cutOff: string;
  census: ByKind<Census>;
  cases: readonly CaseFacts[];
  turnoverFen: Readonly<Record<string, number>>;
  patientRefunds: readonly PatientRefund[];
  persons: readonly PersonAction[];
  personRecoveries: readonly PersonRecovery[];
  rules: readonly string[];
  batches: readonly BatchFigures[];
  localClues: LocalClueFigures;
}

/** 月营业额 / 违规额 / 罚没额 of a row of 减少基金损失; turnover null while any institution's is unknown. */
export interface LossFigures {
  turnoverFen: number | null;
  lossFen: number;
  fineFen: number;
}

/** The form a jurisdiction fills: a city's (市) or a county's (县区, with the 建章立制 count). GB/T 2260: a city ends in 00. */
export type FormVariant = 'city' | 'county';
export const formVariant = (code: string): FormVariant => (code.endsWith('00') ? 'city' : 'county');

export interface Table1 {
  /** Institutions (家) per row and kind, each counted once per row. */
  counts: Record<Table1Action, ByKind<number>>;
  /** Rows 8 and 9, fen. */
  fundRecoveredFen: ByKind<number>;
  patientRefundFen: ByKind<number>;
  /** 减少基金损失 of rows 3, 4 and 合计 (a case both suspended and terminated counted once). */
  reduced: { suspension: ByKind<LossFigures>; termination: ByKind<LossFigures>; total: ByKind<LossFigures> };
  /** 合计（不重复数）: each institution once whatever its actions, and rows 8 + 9. */
  total: ByKind<{ institutions: number; fen: number }>;
  census: ByKind<Census>;
  /** 追回资金__万元，其中：医保基金__万元，个人__万元 (个人: recovered for patients, row 9). */
  recovered: { totalFen: number; fundFen: number; personalFen: number };
  rules: readonly string[];
}

export interface Table2 {
  counts: Record<PersonActionKind, number>;
  otherNotes: string[];
  recoveredFen: number;
  total: { persons: number; fen: number };
}

export interface Table3 {
  national: BatchFigures[];
  provincial: BatchFigures[];
  local: LocalClueFigures;
}

export interface WeeklyTables {
  jurisdiction: { code: string; name: string };
  variant: FormVariant;
  week: string;
  timeZone: string;
  periodStart: string;
  cutOff: string;
  table1: Table1;
  table2: Table2;
  table3: Table3;
}

const byKind = <T>(make: () => T): ByKind<T> => ({ hospital: make(), pharmacy: make() });
const sum = (values: Iterable<number>): number => {
  let total = 0;
  for (const v of values) total += v;
  return total;
};

/** 月营业额 of a set of institutions: null when one of them has none recorded (a partial sum would understate it). */
function turnoverOf(ids: ReadonlySet<string>, turnover: Readonly<Record<string, number>>): number | null {
  let total = 0;
  for (const id of ids) {
    const fen = turnover[id];
    if (fen === undefined) return null;
    total += fen;
  }
  return total;
}

function lossOf(cases: readonly CaseFacts[], turnover: Readonly<Record<string, number>>): LossFigures {
  return {
    turnoverFen: turnoverOf(new Set(cases.map((c) => c.institutionId)), turnover),
    lossFen: sum(cases.map((c) => c.lossFen)),
    fineFen: sum(cases.map((c) => c.fineFen)),
  };
}

function table1(input: WeeklyReportInput): Table1 {
  const counts = Object.fromEntries(TABLE1_ACTIONS.map((a) => [a, byKind(() => new Set<string>())])) as Record<
    Table1Action,
    ByKind<Set<string>>
  >;
  const handled = byKind(() => new Set<string>());
  const fundByKind = byKind(() => 0);
  const patientRefundFen = byKind(() => 0);
  for (const c of input.cases) {
    for (const action of c.actions) counts[action][c.kind].add(c.institutionId);
    const recovered = fundRecoveredFen(c);
    fundByKind[c.kind] += recovered;
    if (c.actions.length > 0 || recovered > 0) handled[c.kind].add(c.institutionId);
  }
  for (const r of input.patientRefunds) {
    patientRefundFen[r.kind] += r.amountFen;
    if (r.amountFen > 0) handled[r.kind].add(r.institutionId);
  }
  const casesOf = (kind: InstitutionKind, ...actions: Table1Action[]) =>
    input.cases.filter((c) => c.kind === kind && c.actions.some((a) => actions.includes(a)));
  const reducedOf = (...actions: Table1Action[]) =>
    Object.fromEntries(INSTITUTION_KINDS.map((k) => [k, lossOf(casesOf(k, ...actions), input.turnoverFen)])) as ByKind<LossFigures>;
  const fundFen = fundByKind.hospital + fundByKind.pharmacy;
  const personalFen = patientRefundFen.hospital + patientRefundFen.pharmacy;
  return {
    counts: Object.fromEntries(
      TABLE1_ACTIONS.map((a) => [a, { hospital: counts[a].hospital.size, pharmacy: counts[a].pharmacy.size }]),
    ) as Record<Table1Action, ByKind<number>>,
    fundRecoveredFen: fundByKind,
    patientRefundFen,
    reduced: { suspension: reducedOf('suspension'), termination: reducedOf('termination'), total: reducedOf('suspension', 'termination') },
    total: Object.fromEntries(
      INSTITUTION_KINDS.map((k) => [k, { institutions: handled[k].size, fen: fundByKind[k] + patientRefundFen[k] }]),
    ) as ByKind<{ institutions: number; fen: number }>,
    census: input.census,
    recovered: { totalFen: fundFen + personalFen, fundFen, personalFen },
    rules: input.rules,
  };
}

function table2(input: WeeklyReportInput): Table2 {
  const persons = Object.fromEntries(PERSON_ACTIONS.map((a) => [a, new Set<string>()])) as Record<PersonActionKind, Set<string>>;
  const everyone = new Set<string>();
  const otherNotes: string[] = [];
  for (const p of input.persons) {
    persons[p.action].add(p.personKey);
    everyone.add(p.personKey);
    if (p.action === 'other' && p.note && !otherNotes.includes(p.note)) otherNotes.push(p.note);
  }
  for (const r of input.personRecoveries) if (r.amountFen > 0) everyone.add(r.personKey);
  const recoveredFen = sum(input.personRecoveries.map((r) => r.amountFen));
  return {
    counts: Object.fromEntries(PERSON_ACTIONS.map((a) => [a, persons[a].size])) as Record<PersonActionKind, number>,
    otherNotes,
    recoveredFen,
    total: { persons: everyone.size, fen: recoveredFen },
  };
}

const byBatch = (a: BatchFigures, b: BatchFigures) =>
  a.batchDate.localeCompare(b.batchDate) || a.batchNo.localeCompare(b.batchNo, 'en', { numeric: true });

/** The three tables from what happened in the period. */
export function weeklyTables(input: WeeklyReportInput): WeeklyTables {
  return {
    jurisdiction: input.jurisdiction,
    variant: formVariant(input.jurisdiction.code),
    week: input.week,
    timeZone: input.timeZone,
    periodStart: input.periodStart,
    cutOff: input.cutOff,
    table1: table1(input),
    table2: table2(input),
    table3: {
      national: input.batches.filter((b) => b.source === 'national').sort(byBatch),
      provincial: input.batches.filter((b) => b.source === 'provincial').sort(byBatch),
      local: input.localClues,
    },
  };
}

/**
 * 万元 with two decimals from integer fen (1 万元 = 1,000,000 fen), rounded half up, in integers only: a float would
 * misround amounts past 2^40 fen and halves that binary fractions cannot hold.
 */
export function wanYuan(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError(`expected a non-negative safe integer of fen, got ${fen}`);
  const hundredths = (BigInt(fen) + 5_000n) / 10_000n;
  return `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}`;
}

/** When a week's report is due and what it covers: the plan's weekday and time of `week`, from 1 January of that year. */
export function weeklyPeriod(week: string, weekday: number, time: string, timeZone: string): { periodStart: Date; cutOff: Date } {
  const cutOff = isoWeekInstant(week, weekday, time, timeZone);
  return { periodStart: yearStart(localYear(cutOff, timeZone), timeZone), cutOff };
}
