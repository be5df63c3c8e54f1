// The notice the leadership group's mailbox gets when the mail server refuses a notice for good, or some of its
// recipients: which notice, what the server said (codes only), and what to do. The recipients as the ledger records
// them: a reporter's notice names the reporter masked only.

export interface RefusedNotice {
  key: string;
  subject: string;
  /** The recipients as the ledger records them (masked for a reporter). */
  recipients: string;
}

export function refusalMessage(
  jurisdictionName: string,
  n: RefusedNotice,
  r: { refusal?: string; refused?: string[] },
): { subject: string; text: string } {
  const what = r.refusal
    ? `邮件服务器拒收，通知未能送达任何收件人（${r.refusal}）。收件人：${n.recipients}`
    : `邮件服务器拒收了其中 ${r.refused!.length} 个收件人（${r.refused!.join('、')}），其余收件人已送达`;
  return {
    subject: `【医保基金监管】通知无法投递：${n.subject}`,
    text: [
      `${jurisdictionName}医保基金监管领导小组：`,
      '',
      `通知“${n.subject}”（${n.key}）${what}。`,
      '',
      '请核实收件人的电子邮箱，在监管计划中更正，并以电话等其他方式及时告知；系统不再重试此通知。',
    ].join('\n'),
  };
}
