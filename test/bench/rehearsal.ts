// The rehearsal's cost (issue 12 item 5): `jianguan plan rehearse --year Y` on a generated plan of 1,000 and of 4,000
// institutions — the whole annual cycle on the embedded time-skipping server, every target answering on time — and
// how it grows: exponent = log(t4000 / t1000) / log 4 (1 is linear). The rehearsal is timed end to end as a person
// waits for it: server start, bundling, the year, the timeline.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { rehearseYear } from '../../cli/rehearse/rehearse';
import { localYear } from '../../domain/calendar';
import { ensureTemporalBinaries } from '../../scripts/provision-temporal';
import { generatePlan } from '../helpers/generate-plan';

export interface RehearsalBench {
  institutions: number;
  seconds: number;
  lines: number;
}

/** One year rehearsed on a plan of `count` institutions. */
export async function benchRehearsal(count: number, log: (line: string) => void): Promise<RehearsalBench> {
  process.env.TEMPORAL_TEST_SERVER_PATH ??= ensureTemporalBinaries({ log }).testServer;
  const planFile = await generatePlan({ count });
  try {
    const year = localYear(new Date(), 'Asia/Shanghai') + 1;
    const t0 = performance.now();
    const lines = await rehearseYear({ plan: planFile, year });
    const seconds = (performance.now() - t0) / 1000;
    log(`rehearsal: ${count} institutions, year ${year}: ${seconds.toFixed(1)} s, ${lines.length} lines (${lines.at(-1)})`);
    return { institutions: count, seconds, lines: lines.length };
  } finally {
    rmSync(path.dirname(planFile), { recursive: true, force: true });
  }
}

/** rehearsal_s at 1,000 institutions and the growth exponent to 4,000. */
export async function rehearsalFigures(log: (line: string) => void) {
  const small = await benchRehearsal(1_000, log);
  const large = await benchRehearsal(4_000, log);
  const exponent = Math.log(large.seconds / small.seconds) / Math.log(4);
  return {
    result: { rehearsal_s: Math.round(small.seconds * 10) / 10, rehearsal_growth_exponent: Math.round(exponent * 100) / 100 },
    details: { rehearsal: [small, large] },
  };
}
