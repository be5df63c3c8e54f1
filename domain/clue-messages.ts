// Chinese texts of a clue's notices and its processing report (处理报告). Pure functions of the facts, so a replayed
// workflow builds the same text. Only the reporter's own notices address the reporter; every other text names the
// reporter in masked form (domain/clue.ts maskName), as the confidentiality rules require.
import { documentText } from './documents';
import { formatYuan } from './inspection';
import { SIGNATURE, type MessageText } from './inspection-messages';
import { ACTION_LABELS, OUTCOME_LABELS, type ClueAction, type ClueOutcome, type RewardComputation } from './clue';

export interface ClueFacts {
  jurisdictionName: string;
  clueNo: string;
  /** 本级受理 / 国家局移交（批次 …） / 省局移交（批次 …）. */
  sourceText: string;
  /** Who or what the clue is about: the institution's name, or the clue's own description. */
  subjectName: string;
  /** 实名（张*） or 匿名. */
  reporterText: string;
}

const head = (f: ClueFacts) => `举报线索 ${f.clueNo}（${f.sourceText}，被举报对象：${f.subjectName}，举报人：${f.reporterText}）`;
const bureau = (f: ClueFacts) => `${f.jurisdictionName}医疗保障局`;

export function intakeMessage(f: ClueFacts, due: string): MessageText {
  return {
    subject: `【举报线索待受理】${f.clueNo} ${f.subjectName}`,
    text: `${head(f)}已登记，请于 ${due} 前作出是否受理的决定（jianguan clue accept / reject）。举报人信息严格保密，仅在线索办理中查阅。${SIGNATURE}`,
  };
}

export function assignedMessage(f: ClueFacts, unitName: string, due: string, note: string): MessageText {
  return {
    subject: `【举报线索交办】${f.clueNo} ${f.subjectName}`,
    text: `${unitName}：\n${head(f)}已受理，交由你单位核查，请于 ${due} 前办结并报送核查结论（jianguan clue verify）。${note ? `\n交办意见：${note}` : ''}${SIGNATURE}`,
  };
}

export function clueReminderMessage(f: ClueFacts, what: string, due: string, offsetDays: number): MessageText {
  return {
    subject: `【催办】举报线索 ${f.clueNo} ${what} ${offsetDays} 天后到期`,
    text: `${head(f)}：${what}期限为 ${due}，请按时办理。${SIGNATURE}`,
  };
}

export function clueEscalationMessage(f: ClueFacts, leaderName: string, what: string, due: string, round: number): MessageText {
  return {
    subject: `【逾期督办${round > 1 ? `（第${round}次）` : ''}】举报线索 ${f.clueNo} ${what}逾期`,
    text: `${leaderName}：\n${head(f)}的${what}期限 ${due} 已过，尚未办结，请督办。${SIGNATURE}`,
  };
}

export function unhandledMessage(f: ClueFacts, leaderName: string, what: string): MessageText {
  return {
    subject: `【逾期未办】举报线索 ${f.clueNo} ${what}`,
    text: `${leaderName}：\n${head(f)}的${what}经多次督办仍未办理，已记为逾期未办，请研究处理。${SIGNATURE}`,
  };
}

export function extendedMessage(f: ClueFacts, approver: string, until: string, reason: string): MessageText {
  return {
    subject: `【延期办理】举报线索 ${f.clueNo}`,
    text: `${head(f)}经 ${approver} 批准延期办理，核查期限延至 ${until}。理由：${reason}${SIGNATURE}`,
  };
}

export function rewardApprovalMessage(f: ClueFacts, reward: RewardComputation, signatories: number, due: string): MessageText {
  const limit = reward.limitedBy === 'floor' ? '（按最低奖励金额）' : reward.limitedBy === 'cap' ? '（按最高奖励金额）' : '';
  return {
    subject: `【举报奖励待审批】${f.clueNo} ${formatYuan(reward.totalFen)}`,
    text: `${head(f)}经查实，拟给予举报奖励 ${formatYuan(reward.totalFen)}${limit}${signatories > 1 ? `（联名举报 ${signatories} 人）` : ''}，请于 ${due} 前审批（jianguan clue reward）。审批人不得为线索核查人。${SIGNATURE}`,
  };
}

/** A task to the handling unit: tell a reporter who gave no e-mail address by phone or letter, and record it. */
export function tellReporterTask(f: ClueFacts, what: string, due: string, notice: MessageText): MessageText {
  return {
    subject: `【请告知举报人】${f.clueNo} ${what}`,
    text: `${head(f)}：请于 ${due} 前以电话、信件等方式告知举报人${what}，并记录告知情况（jianguan clue told）。联系方式请在线索办理中查阅（jianguan clue reporter），不得外传。\n告知内容：\n${notice.text}`,
  };
}

// --- the reporter's own notices (addressed to the reporter; never copied to anyone else) ---

const toReporter = (f: ClueFacts, name: string) => `${name}：\n您反映的${f.subjectName}有关问题（线索编号 ${f.clueNo}）`;

export function reporterAcceptedMessage(f: ClueFacts, name: string): MessageText {
  return {
    subject: `举报受理告知（${f.clueNo}）`,
    text: `${toReporter(f, name)}，我局已依法受理，将按规定核查处理。感谢您对医保基金监管工作的支持。\n${bureau(f)}`,
  };
}

export function reporterRejectedMessage(f: ClueFacts, name: string, reason: string): MessageText {
  return {
    subject: `举报不予受理告知（${f.clueNo}）`,
    text: `${toReporter(f, name)}，经审查，我局决定不予受理。理由：${reason}\n${bureau(f)}`,
  };
}

export function reporterConclusionMessage(f: ClueFacts, name: string, outcome: ClueOutcome, action: ClueAction): MessageText {
  const decision = { case: '我局已决定立案查处', 'flying-check': '我局已安排对其开展检查，将依法处理', none: '我局决定不予立案' }[action];
  return {
    subject: `举报处理结果告知（${f.clueNo}）`,
    text: `${toReporter(f, name)}，经核查，${OUTCOME_LABELS[outcome]}，${decision}。感谢您的监督。\n${bureau(f)}`,
  };
}

export function reporterRewardMessage(f: ClueFacts, name: string, shareFen: number, claimDue: string, source: string): MessageText {
  return {
    subject: `举报奖励领取告知（${f.clueNo}）`,
    text: `${toReporter(f, name)}经查实，依据${source}，您可获得举报奖励 ${formatYuan(shareFen)}。请于 ${claimDue} 前持本人有效身份证件到我局领取，逾期未领取的视为放弃。\n${bureau(f)}`,
  };
}

/** 查证属实，查实金额 ¥1,234.00 / 不属实. */
export function outcomeText(outcome: ClueOutcome, verifiedFen: number): string {
  return `${OUTCOME_LABELS[outcome]}${verifiedFen > 0 ? `，查实金额 ${formatYuan(verifiedFen)}` : ''}`;
}

/** The reward as the report states it. */
export function rewardText(r: { amountFen: number; paidAt?: string; waivedAt?: string; reference?: string }): string {
  const state = r.paidAt ? `已领取（${r.reference ?? ''}）` : r.waivedAt ? '逾期未领取，视为放弃' : '待领取';
  return `奖励 ${formatYuan(r.amountFen)}，${state}`;
}

/** What the reporter is told; the activity that mails it fills in the reporter's name. */
export type ReporterMessage =
  | { kind: 'accepted' }
  | { kind: 'rejected'; reason: string }
  | { kind: 'concluded'; outcome: ClueOutcome; action: ClueAction }
  | { kind: 'reward'; shareFen: number; claimDue: string; source: string };

/** The reporter's notice as text, addressed to `name`. */
export function reporterMessageText(f: ClueFacts, m: ReporterMessage, name: string): MessageText {
  switch (m.kind) {
    case 'accepted':
      return reporterAcceptedMessage(f, name);
    case 'rejected':
      return reporterRejectedMessage(f, name, m.reason);
    case 'concluded':
      return reporterConclusionMessage(f, name, m.outcome, m.action);
    case 'reward':
      return reporterRewardMessage(f, name, m.shareFen, m.claimDue, m.source);
  }
}

// --- the processing report (处理报告), one per clue ---

export interface ClueReportFacts {
  receivedAt: string;
  summary: string;
  decision: string;
  unitName?: string;
  extension?: string;
  outcome?: ClueOutcome;
  verifiedFen?: number;
  findings?: string;
  action?: ClueAction;
  caseNo?: string;
  /** The inspection a flying check ordered. */
  flyingCheckId?: string;
  concludedAt?: string;
  reward?: string;
}

/** The processing report of one clue: what was reported, decided, found and done (for the file, and upward). */
export function processingReport(f: ClueFacts, r: ClueReportFacts): string {
  const paragraphs = [
    `一、线索来源：${f.sourceText}；受理时间：${r.receivedAt}；被举报对象：${f.subjectName}；举报人：${f.reporterText}。`,
    `二、反映问题：${r.summary}`,
    `三、受理情况：${r.decision}${r.unitName ? `，交由${r.unitName}核查` : ''}${r.extension ? `；${r.extension}` : ''}。`,
  ];
  if (r.outcome) {
    paragraphs.push(
      `四、核查结论：${OUTCOME_LABELS[r.outcome]}${r.verifiedFen ? `，查实金额 ${formatYuan(r.verifiedFen)}` : ''}（${r.concludedAt}）。${r.findings ?? ''}`,
      r.flyingCheckId
        ? `五、处理情况：已对被举报对象开展飞行检查（检查编号 ${r.flyingCheckId}）。`
        : `五、处理情况：${ACTION_LABELS[r.action ?? 'none']}${r.caseNo ? `（案件编号 ${r.caseNo}）` : ''}。`,
    );
    if (r.reward) paragraphs.push(`六、举报奖励：${r.reward}。`);
  }
  return documentText({ title: `${bureau(f)}关于举报线索 ${f.clueNo} 的处理报告`, paragraphs, signature: bureau(f) });
}
