// Chinese texts of campaign-level notices: reminders to responsible units about institutions not yet inspected,
// the uncovered list at the deadline, the closure review, and the year-end summary.
import { closureCaseList, type ClosureCaseLine } from './closure-review';
import type { MessageText } from './inspection-messages';

const SIGNATURE = '\n\n—— 医保基金监管系统（jianguan）自动发送，请勿直接回复。';

export interface PendingInstitution {
  institutionId: string;
  name: string;
}

function list(items: readonly PendingInstitution[]): string {
  return items.map((i, n) => `${n + 1}. ${i.name}（${i.institutionId}）`).join('\n');
}

export function uninspectedReminderMessage(
  campaignTitle: string,
  unitName: string,
  due: string,
  offsetDays: number,
  items: readonly PendingInstitution[],
): MessageText {
  return {
    subject: `【催办】${campaignTitle}：${unitName}尚有 ${items.length} 家机构未完成检查（${offsetDays} 天后到期）`,
    text: `${unitName}：\n${campaignTitle}须于 ${due} 前完成，以下机构尚未完成现场检查：\n${list(items)}${SIGNATURE}`,
  };
}

export function uncoveredEscalationMessage(
  campaignTitle: string,
  leaderName: string,
  unitName: string,
  due: string,
  items: readonly PendingInstitution[],
): MessageText {
  return {
    subject: `【逾期督办】${campaignTitle}：${unitName} ${items.length} 家机构未按期完成检查`,
    text: `${leaderName}：\n${campaignTitle}期限 ${due} 已过，${unitName}负责的以下机构仍未完成现场检查，请督办：\n${list(items)}\n系统将继续跟踪逾期完成情况。${SIGNATURE}`,
  };
}

/** The closing deadline of last year's open cases (结案期限), to the responsible unit, case by case. */
export function closureDeadlineMessage(
  unitName: string,
  reviewYear: number,
  due: string,
  cases: readonly ClosureCaseLine[],
  timeZone: string,
): MessageText {
  return {
    subject: `【结案检查】${reviewYear - 1}年未结案件 ${cases.length} 件，须于 ${due} 前办结`,
    text:
      `${unitName}：\n根据结案检查安排，${reviewYear - 1}年以下案件尚未处罚到位、执行到位或整改到位，结案期限为 ${due}，请逐案办结：\n` +
      `${closureCaseList(cases, timeZone)}${SIGNATURE}`,
  };
}

/** A reminder before the closing deadline: only the cases still open now. */
export function closureReminderMessage(
  unitName: string,
  reviewYear: number,
  due: string,
  offsetDays: number,
  cases: readonly ClosureCaseLine[],
  timeZone: string,
): MessageText {
  return {
    subject: `【催办】${reviewYear - 1}年未结案件：${unitName}尚有 ${cases.length} 件未办结（${offsetDays} 天后到期）`,
    text: `${unitName}：\n结案期限 ${due}，以下案件仍未办结，请抓紧办理：\n${closureCaseList(cases, timeZone)}${SIGNATURE}`,
  };
}

/**
 * The cases still open past the closing deadline, to the unit's leader (and the unit). `round` counts the escalations
 * when the review repeats them; the last one says that what stays open goes into the ledger as such.
 */
export function closureOverdueMessage(
  leaderName: string,
  unitName: string,
  reviewYear: number,
  due: string,
  cases: readonly ClosureCaseLine[],
  timeZone: string,
  round?: { n: number; of: number },
): MessageText {
  const nth = round && round.of > 1 ? `（第 ${round.n} 次督办）` : '';
  const last = round && round.n >= round.of && round.of > 1 ? '\n此为最后一次督办，结案检查结束时仍未办结的案件将记入台账。' : '';
  return {
    subject: `【逾期督办】${reviewYear - 1}年案件结案逾期 ${cases.length} 件（${unitName}）${nth}`,
    text: `${leaderName}：\n结案期限 ${due} 已过，${unitName}负责的以下案件仍未办结，请督办${nth}：\n${closureCaseList(cases, timeZone)}${last}${SIGNATURE}`,
  };
}

export interface YearFigures {
  year: number;
  campaigns: number;
  inspections: number;
  inspected: number;
  withViolations: number;
  lossFen: number;
  open: number;
  overdue: number;
  notificationsSent: number;
  grades: Partial<Record<'A' | 'B' | 'C' | 'D' | 'E', number>>;
  /** The cases (案件) opened in the year; amounts in integer fen. */
  cases: CaseFigures;
}

/** Figures over the cases opened in a year (the year-end summary's). Amounts in integer fen. */
export interface CaseFigures {
  /** Cases opened in the year. */
  opened: number;
  /** Of those, still open (neither closed nor withdrawn). */
  open: number;
  closed: number;
  withdrawn: number;
  /** Fund loss to be returned, fines decided, and money paid so far on them. */
  lossFen: number;
  fineFen: number;
  paidFen: number;
  /** Referrals to other agencies made on them. */
  referrals: number;
}

export function yearSummaryMessage(jurisdictionName: string, f: YearFigures, formatYuan: (fen: number) => string): MessageText {
  const grades = (['A', 'B', 'C', 'D', 'E'] as const).map((g) => `${g} 级 ${f.grades[g] ?? 0} 家`).join('，');
  const c = f.cases;
  return {
    subject: `【年度总结】${jurisdictionName}${f.year}年医保基金监管工作统计`,
    text:
      `${jurisdictionName}${f.year}年医保基金监管工作统计（截至发送之日）：\n` +
      `1. 开展检查活动 ${f.campaigns} 项，涉及检查任务 ${f.inspections} 个，已完成现场检查 ${f.inspected} 个；\n` +
      `2. 发现问题机构 ${f.withViolations} 家，涉及医保基金 ${formatYuan(f.lossFen)}；\n` +
      `3. 尚在整改或未结 ${f.open} 件，逾期未完成检查 ${f.overdue} 个；\n` +
      `4. 立案 ${c.opened} 件，其中已结案 ${c.closed} 件、已撤销 ${c.withdrawn} 件、尚未办结 ${c.open} 件；` +
      `责令退回医保基金 ${formatYuan(c.lossFen)}，罚款 ${formatYuan(c.fineFen)}，已缴纳退款及罚款 ${formatYuan(c.paidFen)}；移送有关部门 ${c.referrals} 件；\n` +
      `5. 信用等级：${grades}；\n` +
      `6. 系统发送通知 ${f.notificationsSent} 份。${SIGNATURE}`,
  };
}

/** The end of a full-coverage campaign's tracking: what was uncovered at the deadline, made up since, still missing. */
export function coverageClosedMessage(
  campaignTitle: string,
  leaderName: string,
  due: string,
  uncoveredAtDeadline: number,
  items: readonly PendingInstitution[],
): MessageText {
  const madeUp = Math.max(0, uncoveredAtDeadline - items.length);
  return {
    subject: `【跟踪结束】${campaignTitle}：期限后补检 ${madeUp} 家，仍未检查 ${items.length} 家`,
    text:
      `${leaderName}：\n${campaignTitle}期限 ${due} 时有 ${uncoveredAtDeadline} 家机构未完成现场检查，其后补检 ${madeUp} 家。` +
      (items.length ? `\n跟踪期满，以下机构仍未完成现场检查，请依规处理：\n${list(items)}` : '\n所有机构均已完成现场检查。') +
      SIGNATURE,
  };
}
