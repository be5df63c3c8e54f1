// The re-check's summary as mailed to the campaign's leaders and responsible units (抽查复查, domain/recheck.ts).
import { SIGNATURE, type MessageText } from './inspection-messages';
import { formatYuan } from './inspection';
import { RECHECK_OUTCOME_LABELS, RECHECK_THIRD_LABELS, type RecheckSummary } from './recheck';

/** The summary's figures in one line (mail, `campaign status`). */
export function recheckFiguresText(s: RecheckSummary): string {
  return (
    `复查 ${s.sampled} 家：一致 ${s.agreements} 家，不一致 ${s.discrepancies} 家` +
    `（区县漏查违规 ${s.byOutcome.missed} 家，复查未发现区县所查问题 ${s.byOutcome['not-confirmed']} 家，金额不一致 ${s.byOutcome.amount} 家），` +
    `未完成复查 ${s.byOutcome.pending} 家；区县检查少认定基金损失 ${formatYuan(s.missedFen)}`
  );
}

export function recheckSummaryMessage(jurisdictionName: string, campaignTitle: string, name: string, s: RecheckSummary): MessageText {
  const lines = s.lines
    .filter((l) => l.outcome !== 'agree')
    .map(
      (l) =>
        `- ${l.institutionId}（${RECHECK_THIRD_LABELS[l.third]}）：${RECHECK_OUTCOME_LABELS[l.outcome]}；` +
        `区县 ${l.district.violation ? `发现违规 ${formatYuan(l.district.amountFen)}` : '未发现违规'}，` +
        `复查 ${l.recheck ? (l.recheck.violation ? `发现违规 ${formatYuan(l.recheck.amountFen)}` : '未发现违规') : '无结果'}`,
    );
  return {
    subject: `【抽查复查结果】${jurisdictionName}${campaignTitle}`,
    text: `${name}：\n${jurisdictionName}${campaignTitle}结果：${recheckFiguresText(s)}。\n${lines.length ? `不一致及未完成的机构：\n${lines.join('\n')}\n` : ''}${SIGNATURE}`,
  };
}
