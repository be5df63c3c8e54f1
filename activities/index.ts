// All activities, built from their dependencies (DESIGN §4): the worker calls createActivities once at start-up.
// Each activity is idempotent, keyed by a business key, so Temporal may retry any of them safely. Each factory is given
// only the ledger areas it uses (records/ledger/), all of them the one store the worker opened.
import type { Store } from '../records/types';
import { createAssignmentActivities } from './assignment';
import { createCampaignFileActivities } from './campaign-files';
import { createCaseActivities } from './cases';
import { createClueActivities } from './clues';
import { createClosureReviewActivities } from './closure-review';
import { createCoverageActivities } from './coverage';
import { createFanOutActivities } from './fan-out';
import { createFlyingActivities } from './flying';
import { createLedgerActivities } from './ledger';
import type { Sealer } from '../codec/sealer';
import type { Mailer } from './mailer';
import { createNotificationActivities, type NotificationActivities, type NotificationLog } from './notifications';
import { refusalAlert } from './undeliverable';
import { createPersonCaseActivities } from './person-cases';
import { createPlanActivities } from './plan';
import { createProblemListActivities } from './problem-lists';
import { createRecheckActivities } from './rechecks';
import { createSpecialCampaignActivities } from './special-campaigns';
import { failingPermanently } from './failures';
import type { OnLedgerMismatch } from './ledger-check';
import { createStepFailureActivities } from './step-failure';
import { createSummaryActivities } from './summary';
import { createWeeklyReportActivities } from './weekly-report';

export interface ActivityDeps {
  store: Store;
  mailer: Mailer;
  /** The jurisdiction plan file this worker serves. */
  planFile: string;
  log?: NotificationLog;
  /** Seals and opens reporters' identities in the ledger (the payload codec's keys). */
  sealer: Sealer;
  /** Called when a campaign activity finds that this worker's ledger is not its campaign's (./ledger-check.ts). */
  onLedgerMismatch?: OnLedgerMismatch;
}

export function createActivities({ store, mailer, planFile, log, sealer, onLedgerMismatch }: ActivityDeps) {
  // A refusal's alert is itself a notice, sent by the same activity code.
  const notifications: NotificationActivities = createNotificationActivities({
    notifications: store,
    mailer,
    log,
    onRefused: refusalAlert({ planFile, send: (n) => notifications.sendNotification(n) }),
  });
  const send = notifications.sendNotification;
  const ledgerCheck = { campaigns: store, identity: store, onLedgerMismatch };
  return failingPermanently({
    ...notifications,
    ...createLedgerActivities(store),
    ...createAssignmentActivities({ inspections: store, send }),
    ...createFanOutActivities({ ...ledgerCheck, inspections: store, audit: store }),
    ...createCaseActivities({ cases: store, points: store, sealer }),
    ...createClueActivities({ clues: store, risk: store, sealer, send }),
    ...createPersonCaseActivities({ personCases: store, sealer }),
    ...createPlanActivities({ institutions: store, planFile }),
    ...createCampaignFileActivities({ campaigns: store, files: store, institutions: store, flying: store, audit: store }),
    ...createCoverageActivities({ ...ledgerCheck, send }),
    ...createClosureReviewActivities({ closureReview: store, send }),
    ...createSpecialCampaignActivities({ ...ledgerCheck, special: store, flying: store, send }),
    ...createProblemListActivities({ problemLists: store, send }),
    ...createRecheckActivities({ rechecks: store, inspections: store, institutions: store, flying: store, send }),
    ...createFlyingActivities({ ...ledgerCheck, flying: store, inspections: store, audit: store }),
    ...createSummaryActivities({ summary: store, statistics: store, planFile, send }),
    ...createWeeklyReportActivities({ weekly: store, clues: store, send }),
    ...createStepFailureActivities({ audit: store, planFile, send }),
  });
}

export type Activities = ReturnType<typeof createActivities>;
