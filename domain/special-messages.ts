// Chinese texts of the special campaign (专项整治, seed 002): the self-check notice with the campaign's 典型问题清单 to
// each target, the reminders before the reports are due, the list of missing reports to the responsible unit, its
// escalation with the late ones to the unit's leader, and the summary's figures to the leadership group.
import { formatYuan } from './inspection';
import { SIGNATURE, type MessageText } from './inspection-messages';
import type { SpecialCampaignFigures } from './self-check';

export interface SelfCheckFacts {
  campaignTitle: string;
  institutionName: string;
  /** When the report is due and when the phase closes (no report is taken after it), local time. */
  due: string;
  closes: string;
}

export interface ChecklistItem {
  category: string;
  description: string;
}

export interface PendingTarget {
  institutionId: string;
  name: string;
}

const list = (items: readonly PendingTarget[]) => items.map((i, n) => `${n + 1}. ${i.name}（${i.institutionId}）`).join('\n');

export function selfCheckNoticeMessage(f: SelfCheckFacts, checklist: readonly ChecklistItem[]): MessageText {
  return {
    subject: `【自查自纠通知】${f.campaignTitle}：请于 ${f.due} 前提交自查报告`,
    text:
      `${f.institutionName}：\n根据${f.campaignTitle}工作安排，请对照以下《典型问题清单》逐条分析开展自查自纠，退回违法违规使用的医保基金，` +
      `建立问题台账，明确整改措施和时限，并于 ${f.due} 前提交自查报告（自查发现的问题、涉及金额及已退回金额、整改措施和时限）。` +
      `${f.closes} 后不再接收，未提交的机构将列入现场检查。\n\n典型问题清单：\n` +
      checklist.map((c, n) => `${n + 1}. ${c.category}：${c.description}`).join('\n') +
      SIGNATURE,
  };
}

export function selfCheckReminderMessage(f: SelfCheckFacts, offsetDays: number): MessageText {
  return {
    subject: `【催报】${f.campaignTitle}：自查报告 ${offsetDays} 天后到期`,
    text: `${f.institutionName}：\n${f.campaignTitle}自查报告须于 ${f.due} 前提交，贵单位尚未提交，请抓紧完成。${SIGNATURE}`,
  };
}

/** At the due date: the targets of a unit without a report, to the unit. */
export function selfCheckMissingMessage(
  campaignTitle: string,
  unitName: string,
  due: string,
  closes: string,
  items: readonly PendingTarget[],
): MessageText {
  return {
    subject: `【催报】${campaignTitle}：${unitName}尚有 ${items.length} 家机构未提交自查报告`,
    text:
      `${unitName}：\n${campaignTitle}自查报告期限 ${due} 已到，以下机构尚未提交，请督促其于 ${closes} 前补报，` +
      `逾期未报的将列入现场检查：\n${list(items)}${SIGNATURE}`,
  };
}

/** At the phase's end: the targets still without a report, and those that reported late, to the unit's leader. */
export function selfCheckEscalationMessage(
  campaignTitle: string,
  leaderName: string,
  unitName: string,
  closes: string,
  missing: readonly PendingTarget[],
  late: readonly PendingTarget[],
): MessageText {
  return {
    subject: `【逾期督办】${campaignTitle}：${unitName} ${missing.length} 家机构未提交自查报告，${late.length} 家逾期提交`,
    text:
      `${leaderName}：\n${campaignTitle}自查自纠阶段已于 ${closes} 结束。${unitName}负责的机构中：\n` +
      (missing.length ? `未提交自查报告（将列入现场检查）：\n${list(missing)}\n` : '未提交自查报告：无\n') +
      (late.length ? `逾期提交：\n${list(late)}` : '逾期提交：无') +
      SIGNATURE,
  };
}

export function specialSummaryMessage(
  jurisdictionName: string,
  campaignTitle: string,
  leaderName: string,
  f: SpecialCampaignFigures,
): MessageText {
  return {
    subject: `【专项整治总结】${jurisdictionName}${campaignTitle}工作情况`,
    text:
      `${leaderName}：\n${jurisdictionName}${campaignTitle}工作情况统计：\n` +
      `1. 自查自纠：对象机构 ${f.targets} 家，按期提交自查报告 ${f.submittedOnTime} 家，逾期提交 ${f.submittedLate} 家，未提交 ${f.missing} 家；` +
      `退回医保基金 ${formatYuan(f.refundedFen)}；\n` +
      `2. 严肃查处：列入现场检查 ${f.selected} 家，开展现场检查 ${f.inspections} 家，发现违法违规 ${f.violations} 家，立案 ${f.cases} 件；\n` +
      `3. 建章立制：制定制度措施 ${f.rules.length} 项${f.rules.length ? `（${f.rules.join('、')}）` : ''}，曝光典型案例 ${f.typicalCases} 件；` +
      `请各责任单位总结经验做法，以案促改，利用查处的典型案例开展警示教育。${SIGNATURE}`,
  };
}
