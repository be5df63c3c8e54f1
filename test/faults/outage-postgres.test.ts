// PostgreSQL stopped for a minute (fast shutdown: the workers' pooled connections get 57P01) while the demo campaign's
// notices go out, then started again (see ./demo-campaign.ts for the run and its end checks). Guards issue 9 defect 4
// (a notice delivered while the ledger could not mark it sent went out again on the retry: 90 deliveries for 88
// notices) and defect 8 (an error on a pooled connection ended a worker process).
import { describeOutage } from './demo-campaign';

describeOutage('PostgreSQL', { begin: ({ ledger }) => ledger.stop(), end: ({ ledger }) => ledger.start() });
