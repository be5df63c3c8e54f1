// The stages of the workflows that run a campaign, a season or a year, as leadership reads them: the Web UI's
// `StageLabel` column and the live details. An inspection's, a case's and a clue's stages are in their own modules
// (inspection.ts, case.ts, clue.ts).

/** The small campaign (`inspectionCampaign`, the demo); `starting` is set by whoever starts it. */
export const CAMPAIGN_STAGE_LABELS = { starting: '启动中', running: '检查中', completed: '已结束' } as const;
/** A campaign launched from a file (`jianguan campaign start`): `tracking` as full coverage's. */
export const FILE_CAMPAIGN_STAGE_LABELS = {
  waiting: '待开始',
  running: '检查中',
  tracking: '跟踪逾期检查',
  completed: '已结束',
  cancelled: '已撤销',
} as const;
/** The year's full-coverage inspection; `tracking`: past the deadline, late completions still followed. */
export const COVERAGE_STAGE_LABELS = { waiting: '待开始', running: '检查中', tracking: '跟踪逾期检查', completed: '已结束' } as const;
/** The March closure review; `overdue`: cases still open past the closing deadline are escalated. */
export const CLOSURE_REVIEW_STAGE_LABELS = {
  waiting: '待开始',
  reviewing: '结案检查中',
  overdue: '逾期督办',
  completed: '已结束',
} as const;
/** The year's flying checks. */
export const FLYING_STAGE_LABELS = { waiting: '待开始', inspecting: '检查中', completed: '已结束' } as const;
/** A flying check's look-back (回头看) at one institution. */
export const LOOK_BACK_STAGE_LABELS = { waiting: '待回头看', inspecting: '回头看检查中', completed: '已结束' } as const;
/** The annual cycle. */
export const ANNUAL_STAGE_LABELS = { running: '进行中', summarised: '年度总结已报送' } as const;
/** A special campaign (专项整治) by its phases; `starting` is set by whoever starts it. */
export const SPECIAL_CAMPAIGN_STAGE_LABELS = {
  starting: '启动中',
  waiting: '待开始',
  'self-check': '自查自纠',
  investigation: '严肃查处',
  rules: '建章立制',
  completed: '已结束',
  cancelled: '已撤销',
} as const;
/** One target's self-check in a special campaign. */
export const SELF_CHECK_STAGE_LABELS = { open: '待提交', submitted: '已按期提交', late: '逾期提交', missing: '未提交' } as const;
