// The Temporal dev server killed outright (SIGKILL) while the demo campaign's notices go out, and started again a
// minute later on the same SQLite file and ports (see ./demo-campaign.ts for the run and its end checks): the worker
// processes stay up, reconnect, and the campaign resumes where it was, nothing started or sent twice.
import { describeOutage } from './demo-campaign';

describeOutage('the Temporal server', { begin: ({ stack }) => stack.killServer(), end: ({ stack }) => stack.startServer() });
