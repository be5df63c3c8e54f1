// Chinese texts of a case's notifications: orders, reminders, decisions, referrals. Pure functions of the facts, so a
// replayed workflow builds the same message and the notification key makes sure it is delivered once.
import { AGENCY_LABELS, type ReferralAgency } from './case';
import { formatYuan, type FindingItem } from './inspection';
import { SIGNATURE, type MessageText } from './inspection-messages';
import type { PenaltyAssessment } from './penalty';

export interface CaseFacts {
  jurisdictionName: string;
  caseNo: string;
  institutionName: string;
  /** Where the case came from, e.g. the campaign title. */
  origin: string;
}

const head = (f: CaseFacts) => `案件 ${f.caseNo}（${f.institutionName}，来源：${f.origin}）`;

function itemLines(items: readonly FindingItem[]): string {
  return items
    .map(
      (item, i) => `${i + 1}. ${item.category}：${item.description}${item.amountFen ? `（涉及金额 ${formatYuan(item.amountFen)}）` : ''}`,
    )
    .join('\n');
}

export function rectificationOrderMessage(f: CaseFacts, items: readonly FindingItem[], due: string): MessageText {
  return {
    subject: `【限期整改通知】${f.institutionName}`,
    text: `${f.institutionName}：\n经检查，贵单位存在以下问题：\n${itemLines(items)}\n请于 ${due} 前完成整改并提交整改报告（${head(f)}）。逾期未整改的，将依法约谈并视情暂停医保服务、解除定点协议。${SIGNATURE}`,
  };
}

export function stepReminderMessage(f: CaseFacts, what: string, due: string, offsetDays: number): MessageText {
  return {
    subject: `【催办】${f.institutionName}${what} ${offsetDays} 天后到期`,
    text: `${head(f)}：${what}期限为 ${due}，请按时办理。${SIGNATURE}`,
  };
}

export function escalationMessage(f: CaseFacts, leaderName: string, what: string, due: string, round: number): MessageText {
  return {
    subject: `【逾期督办${round > 1 ? `（第${round}次）` : ''}】${f.institutionName}${what}逾期`,
    text: `${leaderName}：\n${head(f)}的${what}期限 ${due} 已过，尚未办结，请督办。${SIGNATURE}`,
  };
}

export function interviewNoticeMessage(f: CaseFacts, due: string): MessageText {
  return {
    subject: `【约谈通知】${f.institutionName}`,
    text: `${f.institutionName}主要负责人：\n贵单位未按期完成整改。根据《医疗保障基金使用监督管理条例》，请于 ${due} 前到我局接受约谈，并提交整改说明（${head(f)}）。${SIGNATURE}`,
  };
}

export function suspensionMessage(f: CaseFacts, months: number, until: string): MessageText {
  return {
    subject: `【暂停医保服务决定】${f.institutionName}`,
    text: `${f.institutionName}：\n根据${head(f)}的处理决定，自即日起暂停贵单位涉及医保基金使用的医药服务 ${months} 个月，至 ${until} 止。${SIGNATURE}`,
  };
}

export function suspensionLiftedMessage(f: CaseFacts): MessageText {
  return {
    subject: `【恢复医保服务】${f.institutionName}`,
    text: `${f.institutionName}：\n${head(f)}的暂停医保服务期限已满，自即日起恢复。请巩固整改成果，我局将进行复查。${SIGNATURE}`,
  };
}

export function terminationMessage(f: CaseFacts): MessageText {
  return {
    subject: `【解除定点协议决定】${f.institutionName}`,
    text: `${f.institutionName}：\n根据${head(f)}的处理决定，自即日起解除贵单位的医保定点服务协议。${SIGNATURE}`,
  };
}

export function blacklistMessage(f: CaseFacts): MessageText {
  return {
    subject: `【列入黑名单】${f.institutionName}`,
    text: `${f.institutionName}：\n根据${head(f)}的处理决定，贵单位已被列入医保基金使用失信名单（黑名单）。${SIGNATURE}`,
  };
}

export function publicCriticismMessage(f: CaseFacts, reason: string): MessageText {
  return {
    subject: `【通报批评】${f.institutionName}`,
    text: `${head(f)}：经研究决定，对${f.institutionName}予以通报批评。事由：${reason}${SIGNATURE}`,
  };
}

export function caseDecisionMessage(f: CaseFacts, decision: string, reason: string): MessageText {
  return {
    subject: `【处理决定】${f.institutionName}：${decision}`,
    text: `${head(f)}：${decision}。理由：${reason}${SIGNATURE}`,
  };
}

export function penaltyDecisionMessage(f: CaseFacts, a: PenaltyAssessment, due: string): MessageText {
  const lines = a.lines.map(
    (l) => `第${l.article}条：涉及金额 ${formatYuan(l.lossFen)}，罚款 ${l.multiple} 倍，计 ${formatYuan(l.fineFen)}`,
  );
  return {
    subject: `【行政处罚决定】${f.institutionName}：追回 ${formatYuan(a.recoveryFen)}，罚款 ${formatYuan(a.fineFen)}`,
    text:
      `${f.institutionName}：\n根据${head(f)}，责令退回医保基金 ${formatYuan(a.recoveryFen)}，并处罚款 ${formatYuan(a.fineFen)}：\n${lines.join('\n')}\n` +
      `合计 ${formatYuan(a.totalFen)}，请于 ${due} 前缴清。逾期不缴的，将依法申请强制执行。${SIGNATURE}`,
  };
}

/** A penalty decision without money (no fund loss to return, no fine): still a decision the institution is told of. */
export function penaltyDecisionWithoutMoneyMessage(f: CaseFacts, reason: string): MessageText {
  return {
    subject: `【处理决定】${f.institutionName}：不涉及退回和罚款`,
    text: `${f.institutionName}：\n根据${head(f)}，经研究作出处理决定：本案不责令退回医保基金，不处罚款。理由：${reason}${SIGNATURE}`,
  };
}

export function paymentReminderMessage(f: CaseFacts, outstandingFen: number, due: string, offsetDays: number): MessageText {
  return {
    subject: `【催缴】${f.institutionName}应缴款项 ${offsetDays} 天后到期`,
    text: `${f.institutionName}：\n${head(f)}尚有 ${formatYuan(outstandingFen)} 未缴，缴款期限为 ${due}。${SIGNATURE}`,
  };
}

export function referralLetterMessage(
  f: CaseFacts,
  agency: ReferralAgency,
  agencyName: string,
  reason: string,
  due: string,
  persons: readonly { name: string; role: string }[],
): MessageText {
  const flagged = persons.length ? `\n涉及人员（人事同查）：${persons.map((p) => `${p.role} ${p.name}`).join('；')}` : '';
  return {
    subject: `【案件移送函】${f.jurisdictionName}医疗保障局移送${AGENCY_LABELS[agency]}：${f.institutionName}`,
    text: `${agencyName}：\n现将${head(f)}移送贵单位依法处理。移送理由：${reason}${flagged}\n请于 ${due} 前回复受理情况（回执）。${SIGNATURE}`,
  };
}

export function pointsRejectedMessage(f: CaseFacts, practitionerId: string, reason: string): MessageText {
  return {
    subject: `【记分未执行】${f.caseNo}：医保支付资格记分 ${practitionerId}`,
    text: `${head(f)}的处理决定中对 ${practitionerId} 的记分未能执行：${reason}。请核实后通过 jianguan points deduct 补录。${SIGNATURE}`,
  };
}

export function withdrawalMessage(f: CaseFacts, reason: string): MessageText {
  return {
    subject: `【撤销案件通知】${f.institutionName}`,
    text: `${f.institutionName}：\n经复核，${head(f)}予以撤销，此前据此作出的整改要求等不再执行。撤销理由：${reason}${SIGNATURE}`,
  };
}

/** To an agency whose referral was still awaiting its acknowledgement when the case was withdrawn. */
export function referralWithdrawnMessage(f: CaseFacts, agencyName: string, reason: string): MessageText {
  return {
    subject: `【撤回移送函】${f.jurisdictionName}医疗保障局：${f.institutionName}`,
    text: `${agencyName}：\n${head(f)}已经复核撤销，此前移送贵单位的案件一并撤回，请不再办理回执。撤销理由：${reason}${SIGNATURE}`,
  };
}

export function closureMessage(f: CaseFacts, outcome: string): MessageText {
  return {
    subject: `【结案通知】${f.institutionName}`,
    text: `${f.institutionName}：\n${head(f)}已办结。结案情况：${outcome}${SIGNATURE}`,
  };
}
