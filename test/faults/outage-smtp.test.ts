// The SMTP server down for a minute while the demo campaign's notices go out (connections refused, the ones open cut,
// the message in flight not accepted), then listening again on the same port (see ./demo-campaign.ts for the run and
// its end checks): the notices wait for it, on the bounded retry schedule, and each is delivered once.
import { describeOutage } from './demo-campaign';

describeOutage('SMTP', { begin: ({ smtp }) => smtp.down(), end: ({ smtp }) => smtp.up() });
