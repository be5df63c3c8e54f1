// Chinese texts of the inspection's notifications. Pure functions of the facts, so a replayed workflow builds the
// same message and the notification key makes sure it is delivered once.
import { formatYuan, totalLossFen, type Findings } from './inspection';

export interface MessageText {
  subject: string;
  text: string;
}

export interface InspectionFacts {
  jurisdictionName: string;
  campaignTitle: string;
  institutionName: string;
  teamNames: string[];
  /** Local date-times, already formatted in the jurisdiction's zone. */
  due: string;
}

export const SIGNATURE = '\n\n—— 医保基金监管系统（jianguan）自动发送，请勿直接回复。';

export function assignmentMessage(f: InspectionFacts, announced: boolean): MessageText {
  return {
    subject: `【检查任务】${f.campaignTitle}：${f.institutionName}`,
    text:
      `您已被随机抽取为${f.institutionName}的现场检查人员（检查组：${f.teamNames.join('、')}）。\n` +
      `请于 ${f.due} 前完成现场检查并录入检查结果。\n` +
      (announced ? '本次检查已告知被检查机构。' : '本次检查不预先通知被检查机构（四不两直），请严格保密。') +
      SIGNATURE,
  };
}

export function institutionNoticeMessage(f: InspectionFacts): MessageText {
  return {
    subject: `【检查通知】${f.jurisdictionName}医疗保障局${f.campaignTitle}`,
    text: `${f.institutionName}：\n根据${f.campaignTitle}安排，我局将于 ${f.due} 前对贵单位开展医保基金使用现场检查，请做好配合。${SIGNATURE}`,
  };
}

export function findingsReminderMessage(f: InspectionFacts, offsetDays: number): MessageText {
  return {
    subject: `【催办】${f.institutionName}检查结果 ${offsetDays} 天后到期`,
    text: `${f.campaignTitle}：${f.institutionName}的现场检查结果须于 ${f.due} 前录入，目前尚未收到。${SIGNATURE}`,
  };
}

export function findingsOverdueMessage(f: InspectionFacts, leaderName: string, lateUntil: string): MessageText {
  return {
    subject: `【逾期督办】${f.institutionName}检查结果逾期未报`,
    text:
      `${leaderName}：\n${f.campaignTitle}中${f.institutionName}的检查结果期限 ${f.due} 已过，检查组（${f.teamNames.join('、')}）尚未录入结果，请督办。\n` +
      `系统将继续等待结果至 ${lateUntil}。${SIGNATURE}`,
  };
}

/** To the team of an inspection another visit covered before its findings came: the visit is called off. */
export function coveredMessage(f: InspectionFacts, year: number): MessageText {
  return {
    subject: `【检查取消】${f.institutionName}本年已现场检查`,
    text:
      `${f.campaignTitle}：${f.institutionName}${year}年已由其他检查进行现场检查（每年现场检查一次），本次现场检查不再进行，无需录入检查结果。` +
      SIGNATURE,
  };
}

export function unreportedMessage(f: InspectionFacts, leaderName: string): MessageText {
  return {
    subject: `【未完成】${f.institutionName}现场检查未完成`,
    text: `${leaderName}：\n${f.campaignTitle}中${f.institutionName}的现场检查在延长等待期后仍无结果，已记为逾期未检查，请安排处理。${SIGNATURE}`,
  };
}

export function rectificationOrderMessage(f: InspectionFacts, findings: Findings, rectificationDue: string): MessageText {
  const items = findings.items.map(
    (item, i) => `${i + 1}. ${item.category}：${item.description}${item.amountFen ? `（涉及金额 ${formatYuan(item.amountFen)}）` : ''}`,
  );
  return {
    subject: `【限期整改通知】${f.institutionName}`,
    text:
      `${f.institutionName}：\n经现场检查，发现以下问题：\n${items.join('\n')}\n` +
      `涉及医保基金合计 ${formatYuan(totalLossFen(findings.items))}。请于 ${rectificationDue} 前完成整改并提交整改报告，逾期未整改的将依法依规处理。${SIGNATURE}`,
  };
}

export function rectificationReminderMessage(f: InspectionFacts, rectificationDue: string, offsetDays: number): MessageText {
  return {
    subject: `【整改提醒】${f.institutionName}整改期限还有 ${offsetDays} 天`,
    text: `${f.institutionName}：\n限期整改期限为 ${rectificationDue}，请按时完成整改；检查组将进行复查。${SIGNATURE}`,
  };
}

export function unrectifiedMessage(f: InspectionFacts, leaderName: string, reason: string): MessageText {
  return {
    subject: `【整改未到位】${f.institutionName}`,
    text: `${leaderName}：\n${f.campaignTitle}中${f.institutionName}${reason}，请研究后续处理措施（约谈、暂停医保服务等）。${SIGNATURE}`,
  };
}

export function findingsFeedbackMessage(f: InspectionFacts, findings: Findings, statementDue: string): MessageText {
  const items = findings.items.map(
    (item, i) => `${i + 1}. ${item.category}：${item.description}${item.amountFen ? `（涉及金额 ${formatYuan(item.amountFen)}）` : ''}`,
  );
  return {
    subject: `【检查结果告知】${f.institutionName}`,
    text:
      `${f.institutionName}：\n${f.campaignTitle}发现以下问题：\n${items.join('\n')}\n` +
      `如有异议，可于 ${statementDue} 前提出陈述、申辩；逾期未提出的，视为放弃陈述申辩权利。${SIGNATURE}`,
  };
}

export function statementForwardMessage(f: InspectionFacts, submittedBy: string): MessageText {
  return {
    subject: `【陈述申辩】${f.institutionName}已提交陈述申辩`,
    text: `${f.campaignTitle}：${f.institutionName}（${submittedBy}）已在期限内提交陈述申辩意见，已记入台账，请在作出结论时予以考虑。${SIGNATURE}`,
  };
}
