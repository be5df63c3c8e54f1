// The rehearsal's cost (issue 12 item 5): `jianguan plan rehearse --year Y` on a generated plan of 1,000 and of 4,000
// institutions — the whole annual cycle on the embedded time-skipping server, every target answering on time — and
// how it grows: exponent = log(t4000 / t1000) / log 4 (1 is linear); and by cohorts (`--cohorts`) on a province's
// 60,000 institutions and on 15,000, with how that grows. The rehearsal is timed end to end as a person waits for it:
// plan loading, server start, bundling, the year, the timeline.
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

/** One year rehearsed on a plan of `count` institutions (by cohorts with `cohorts`). */
export async function benchRehearsal(count: number, log: (line: string) => void, cohorts = false): Promise<RehearsalBench> {
  process.env.TEMPORAL_TEST_SERVER_PATH ??= ensureTemporalBinaries({ log }).testServer;
  const planFile = await generatePlan({ count });
  try {
    const year = localYear(new Date(), 'Asia/Shanghai') + 1;
    const t0 = performance.now();
    const lines = await rehearseYear({ plan: planFile, year, cohorts });
    const seconds = (performance.now() - t0) / 1000;
    const how = cohorts ? ` by cohorts (${/归为 (\d+) 类/.exec(lines.join('\n'))?.[1]})` : '';
    log(`rehearsal: ${count} institutions${how}, year ${year}: ${seconds.toFixed(1)} s, ${lines.length} lines (${lines.at(-1)})`);
    return { institutions: count, seconds, lines: lines.length };
  } finally {
    rmSync(path.dirname(planFile), { recursive: true, force: true });
  }
}

const growth = (small: RehearsalBench, large: RehearsalBench) =>
  Math.round((Math.log(large.seconds / small.seconds) / Math.log(large.institutions / small.institutions)) * 100) / 100;
const tenths = (seconds: number) => Math.round(seconds * 10) / 10;

/** rehearsal_s at 1,000 institutions and its growth exponent to 4,000; the same by cohorts at 60,000, from 15,000. */
export async function rehearsalFigures(log: (line: string) => void) {
  const small = await benchRehearsal(1_000, log);
  const large = await benchRehearsal(4_000, log);
  const city = await benchRehearsal(15_000, log, true);
  const province = await benchRehearsal(60_000, log, true);
  return {
    result: {
      rehearsal_s: tenths(small.seconds),
      rehearsal_growth_exponent: growth(small, large),
      rehearsal_province_cohorts_s: tenths(province.seconds),
      rehearsal_cohorts_growth_exponent: growth(city, province),
    },
    details: { rehearsal: [small, large], rehearsalByCohorts: [city, province] },
  };
}
