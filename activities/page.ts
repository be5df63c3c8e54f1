// One page of a large campaign's members (inspections to start, flying-check targets), worked through by a
// heartbeating activity. The heartbeat carries the tally of the members done so far, in seq order: a retry after a lost
// worker resumes just after the last member it reports, so nothing is done twice and nobody is left out. Members run
// several at a time, so a member is counted only once every member before it is done too (outcomes are applied in
// order). A timer heartbeats besides: a slow member must not make a live worker look lost.
import { Context } from '@temporalio/activity';

/** How often the timer heartbeats (the SDK throttles to its own interval below the heartbeat timeout). */
const HEARTBEAT_EVERY_MS = 2_000;

export interface PageTally {
  /** The first member not yet done. */
  nextSeq: number;
}

export interface PageWork<Item extends { seq: number }, Tally extends PageTally> {
  fromSeq: number;
  limit: number;
  /** The tally to start from: the last heartbeat of an earlier attempt, or an empty one at `fromSeq`. */
  tally: Tally;
  /** Members in seq order, `count` of them from `fromSeq` on (fewer at the end of the membership). */
  read(fromSeq: number, count: number): Promise<Item[]>;
  /** Does one member; resolves to what it adds to the tally once its turn comes. */
  handle(item: Item): Promise<(tally: Tally) => void>;
  concurrency: number;
  /** Members read from the ledger at a time. */
  chunk: number;
  heartbeat(tally: Tally): void;
  /** The activity's cancellation: the page stops at the next member once it is aborted. */
  signal?: AbortSignal;
}

/** Runs `handle` over every member of the page; returns the final tally. */
export async function runPage<Item extends { seq: number }, Tally extends PageTally>(work: PageWork<Item, Tally>): Promise<Tally> {
  const { tally } = work;
  const end = work.fromSeq + work.limit;
  const timer = setInterval(() => work.heartbeat(tally), HEARTBEAT_EVERY_MS);
  try {
    while (tally.nextSeq < end) {
      const items = await work.read(tally.nextSeq, Math.min(work.chunk, end - tally.nextSeq));
      if (items.length === 0) break;
      await inOrder(items, work, tally);
    }
    return tally;
  } finally {
    clearInterval(timer);
  }
}

/** Handles `items` `concurrency` at a time and applies their outcomes to the tally in seq order, heartbeating each. */
async function inOrder<Item extends { seq: number }, Tally extends PageTally>(
  items: Item[],
  work: PageWork<Item, Tally>,
  tally: Tally,
): Promise<void> {
  const outcomes: Array<((tally: Tally) => void) | undefined> = [];
  let applied = 0;
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const n = next++;
      outcomes[n] = await work.handle(items[n]);
      while (outcomes[applied]) {
        outcomes[applied]!(tally);
        tally.nextSeq = items[applied].seq + 1;
        applied++;
      }
      work.heartbeat(tally);
      if (work.signal?.aborted) throw work.signal.reason;
    }
  };
  await Promise.all(Array.from({ length: Math.min(work.concurrency, items.length) }, worker));
}

/** The current activity's heartbeat and cancellation, for `runPage`. */
export function activityPage(): { heartbeat: (tally: unknown) => void; signal: AbortSignal; resumed: unknown } {
  const ctx = Context.current();
  return { heartbeat: (tally) => ctx.heartbeat(tally), signal: ctx.cancellationSignal, resumed: ctx.info.heartbeatDetails };
}
