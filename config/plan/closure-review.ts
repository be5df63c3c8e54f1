// How the closure review (结案检查) follows up last year's open cases past their closing deadline: the HOW. The WHEN
// (start, deadline) is `calendar.closureReview`. Escalations repeat `escalationWindowDays` apart, `maxEscalations` in
// all (the first at the deadline); one window after the last, the review records what remained open.
import { z } from 'zod';
import { DEFAULT_CLOSURE_REVIEW } from '../../domain/closure-review';
import { positiveInt } from './fields';

export const closureReview = z
  .strictObject({
    escalationWindowDays: positiveInt.default(DEFAULT_CLOSURE_REVIEW.escalationWindowDays),
    maxEscalations: positiveInt.default(DEFAULT_CLOSURE_REVIEW.maxEscalations),
  })
  .prefault({});
