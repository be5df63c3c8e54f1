// Plan fragments for tests.

/**
 * The clue limits in calendar days. The national ones (the default) are working days, so every plan counts working
 * days unless a test sets these: for tests about what else counts working days, or that run past the holiday data.
 */
export const CALENDAR_DAY_CLUES = {
  acceptance: { days: 15 },
  handling: { days: 15 },
  extension: { days: 15 },
  reporterNotice: { days: 5 },
  rewardApproval: { days: 10 },
};
