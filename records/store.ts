// Opens the record system (台账 ledger): the database (embedded PGlite or a PostgreSQL server), migrated, with every
// area of records/ledger/ built over it. Each area keeps its own SQL; they share the one handle and its transactions.
import { openPglite, openPostgres, type Db } from './db';
import { createAuditLedger } from './ledger/audit';
import { createCampaignFileLedger } from './ledger/campaign-files';
import { createCampaignLedger } from './ledger/campaigns';
import { createCaseLedger } from './ledger/cases';
import { createClueLedger } from './ledger/clues';
import { createClosureReviewLedger } from './ledger/closure-review';
import { createFlyingLedger } from './ledger/flying';
import { createLedgerIdentity } from './ledger/identity';
import { createInspectionLedger } from './ledger/inspections';
import { createInstitutionLedger } from './ledger/institutions';
import { createNotificationLedger } from './ledger/notifications';
import { createPersonCaseLedger } from './ledger/person-cases';
import { createPointsLedger } from './ledger/points';
import { createProblemListLedger } from './ledger/problem-lists';
import { createRecheckLedger } from './ledger/rechecks';
import { createRiskSignalLedger } from './ledger/risk-signals';
import { createSpecialCampaignLedger } from './ledger/special-campaigns';
import { createSummaryLedger } from './ledger/summary';
import { createAdoptedRuleLedger } from './ledger/adopted-rules';
import { createTypicalCaseLedger } from './ledger/typical-cases';
import { createWeeklyReportLedger } from './ledger/weekly-report';
import { migrate, quoteIdent } from './migrate';
import type { Store } from './types';

export interface StoreOptions {
  /** A PostgreSQL connection string; when set the store runs on PostgreSQL, otherwise on embedded PGlite. */
  databaseUrl?: string;
  /** PGlite data directory (e.g. under var/); in memory when undefined. Ignored on PostgreSQL. */
  dataDir?: string;
  /** PostgreSQL only: schema to keep all tables in (created if missing), e.g. to isolate test runs. Ignored by PGlite. */
  schema?: string;
  /** PGlite only: also serve the ledger to other processes on 127.0.0.1 at this port (records/ledger-server.ts). */
  servePort?: number;
  /** PostgreSQL only: at most this many connections (1 for a served PGlite ledger). */
  maxConnections?: number;
}

/** The store plus its underlying database, for maintenance and tests (e.g. checking what the database refuses). */
export interface SqlStore extends Store {
  readonly db: Db;
}

export async function openStore(options: StoreOptions = {}): Promise<SqlStore> {
  const backend = options.databaseUrl ? 'postgres' : 'pglite';
  const schema = backend === 'postgres' ? options.schema : undefined;
  if (schema) quoteIdent(schema); // validates before the name reaches the connection options
  const db = options.databaseUrl
    ? openPostgres(options.databaseUrl, schema, options.maxConnections)
    : await openPglite(options.dataDir, options.servePort);
  try {
    await migrate(db, { backend, schema });
  } catch (err) {
    await db.close().catch(() => undefined); // also drops any connection still holding the migration lock
    throw err;
  }
  return createStore(db, backend);
}

function createStore(db: Db, backend: 'pglite' | 'postgres'): SqlStore {
  return {
    backend,
    db,
    close: () => db.close(),
    ...createLedgerIdentity(db),
    ...createInstitutionLedger(db),
    ...createCampaignLedger(db),
    ...createCampaignFileLedger(db),
    ...createInspectionLedger(db),
    ...createRiskSignalLedger(db),
    ...createFlyingLedger(db),
    ...createCaseLedger(db),
    ...createClueLedger(db),
    ...createPersonCaseLedger(db),
    ...createPointsLedger(db),
    ...createClosureReviewLedger(db),
    ...createSpecialCampaignLedger(db),
    ...createProblemListLedger(db),
    ...createRecheckLedger(db),
    ...createSummaryLedger(db),
    ...createTypicalCaseLedger(db),
    ...createAdoptedRuleLedger(db),
    ...createWeeklyReportLedger(db),
    ...createAuditLedger(db),
    ...createNotificationLedger(db),
  };
}
