// The notice leadership gets when a step of a workflow has failed for good (data that no retry can mend): what
// stopped, why, and where to look. Addressed to the leadership group, so it names no person.

export interface StepFailure {
  workflowId: string;
  workflowType: string;
  /** The step's one-line summary, as the Web UI shows it on the event (e.g. `登记案件`). */
  step: string;
  /** The refusal, as the ledger or the check gave it. */
  reason: string;
}

export function stepFailureMessage(jurisdictionName: string, f: StepFailure): { subject: string; text: string } {
  return {
    subject: `【医保基金监管】系统步骤失败，需人工处理：${f.step}`,
    text: [
      `${jurisdictionName}医保基金监管领导小组：`,
      '',
      `流程 ${f.workflowId} 的步骤“${f.step}”因数据问题无法完成，重试不能解决，已停止并记入台账。`,
      `原因：${f.reason}`,
      '',
      '请信息化管理人员在 Temporal 界面中查看该流程，更正数据后重新发起相关工作。',
    ].join('\n'),
  };
}
