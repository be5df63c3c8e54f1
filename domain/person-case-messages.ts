// Chinese texts of a person's case that the institution case's texts (./case-messages.ts) do not say: the opening, the
// card suspension and its lifting. They name the person masked (张*) and the case number only: the mails go to staff.
import type { CaseFacts } from './case-messages';
import { formatYuan } from './inspection';
import { SIGNATURE, type MessageText } from './inspection-messages';

const head = (f: CaseFacts) => `案件 ${f.caseNo}（${f.institutionName}，来源：${f.origin}）`;

export function personCaseOpenedMessage(f: CaseFacts, amountFen: number, due: string): MessageText {
  return {
    subject: `【立案】${f.institutionName}涉嫌违规使用医保基金`,
    text: `${head(f)}已立案，涉及金额 ${formatYuan(amountFen)}。请于 ${due} 前提出处理意见（约谈、暂停医保卡结算、行政处罚、移交司法机关等）。${SIGNATURE}`,
  };
}

export function cardSuspendedMessage(f: CaseFacts, months: number, until: string): MessageText {
  return {
    subject: `【暂停医保卡结算】${f.institutionName}`,
    text: `医保经办机构：\n根据${head(f)}的处理决定，暂停该参保人员医疗费用联网结算 ${months} 个月，至 ${until} 止；期间发生的医疗费用由本人全额垫付。${SIGNATURE}`,
  };
}

export function cardLiftedMessage(f: CaseFacts, from: string): MessageText {
  return {
    subject: `【恢复医保卡结算】${f.institutionName}`,
    text: `医保经办机构：\n${head(f)}的暂停联网结算期限已满，自 ${from} 起恢复该参保人员医疗费用联网结算。${SIGNATURE}`,
  };
}
