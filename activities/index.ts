// All activities, built from their dependencies (DESIGN §4): the worker calls createActivities once at start-up.
// Each activity is idempotent, keyed by a business key, so Temporal may retry any of them safely.
import type { Store } from '../records/types';
import { createAssignmentActivities } from './assignment';
import { createCaseActivities } from './cases';
import { createClosureReviewActivities } from './closure-review';
import { createCoverageActivities } from './coverage';
import { createFanOutActivities } from './fan-out';
import { createFlyingActivities } from './flying';
import { createLedgerActivities } from './ledger';
import type { Mailer } from './mailer';
import { createNotificationActivities, type NotificationLog } from './notifications';
import { createPlanActivities } from './plan';
import { failingPermanently } from './failures';
import type { OnLedgerMismatch } from './ledger-check';
import { createStepFailureActivities } from './step-failure';
import { createSummaryActivities } from './summary';

export interface ActivityDeps {
  store: Store;
  mailer: Mailer;
  /** The jurisdiction plan file this worker serves. */
  planFile: string;
  log?: NotificationLog;
  /** Called when a campaign activity finds that this worker's ledger is not its campaign's (./ledger-check.ts). */
  onLedgerMismatch?: OnLedgerMismatch;
}

export function createActivities(deps: ActivityDeps) {
  const notifications = createNotificationActivities(deps);
  return failingPermanently({
    ...notifications,
    ...createLedgerActivities(deps.store),
    ...createAssignmentActivities({ store: deps.store, send: notifications.sendNotification }),
    ...createFanOutActivities(deps.store, deps.onLedgerMismatch),
    ...createCaseActivities(deps.store),
    ...createPlanActivities(deps),
    ...createCoverageActivities({ store: deps.store, send: notifications.sendNotification, onLedgerMismatch: deps.onLedgerMismatch }),
    ...createClosureReviewActivities({ store: deps.store, send: notifications.sendNotification }),
    ...createFlyingActivities(deps),
    ...createSummaryActivities({ store: deps.store, send: notifications.sendNotification }),
    ...createStepFailureActivities({ store: deps.store, planFile: deps.planFile, send: notifications.sendNotification }),
  });
}

export type Activities = ReturnType<typeof createActivities>;
