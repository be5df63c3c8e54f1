// `--cohorts`: a large plan rehearsed by one representative per cohort of institutions a rehearsal treats alike
// (domain/rehearsal.ts cohortsOf). A rehearsal's cost grows with the workflows it runs — measured on 2 cores, some
// 55 ms of CPU per institution, so a province's 60,000 would take most of an hour whatever the polling — while its
// timeline only needs each kind of path once: the representatives run in a plan of their own, and each of their
// notices counts for its cohort.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadPlan, PLAN_MAX_BYTES, type Plan } from '../../config';
import { parseYaml, readTextFile } from '../../config/input-file';
import { cohortsOf, type Answering } from '../../domain/rehearsal';

export interface Cohorts {
  /** The plan of the representatives, as loaded (validated) from `planFile`. */
  plan: Plan;
  planFile: string;
  /** Each representative's cohort size. */
  sizes: Map<string, number>;
  /** The line that says how the rehearsal was merged. */
  summary: string;
  /** Removes the representatives' plan file. */
  remove(): void;
}

/**
 * Writes the plan of `planFile` with only the representatives of its cohorts; `alone` are cohorts of their own, as
 * is every institution an inspector must not inspect (the team draw differs for it).
 */
export async function cohortPlan(
  planFile: string,
  plan: Plan,
  answering: ReadonlyMap<string, Answering>,
  alone: readonly string[],
): Promise<Cohorts> {
  const conflicted = plan.inspectors.flatMap((p) => p.conflicts);
  const cohorts = cohortsOf(plan.institutions, answering, new Set([...alone, ...conflicted]));
  const input = parseYaml(readTextFile(planFile, PLAN_MAX_BYTES)) as { institutions: Array<{ id: string }> };
  input.institutions = input.institutions.filter((i) => cohorts.has(i.id));
  const dir = mkdtempSync(path.join(tmpdir(), 'jianguan-cohorts-'));
  const file = path.join(dir, 'plan.json');
  try {
    writeFileSync(file, JSON.stringify(input));
    return {
      plan: await loadPlan(file),
      planFile: file,
      sizes: new Map([...cohorts].map(([representative, members]) => [representative, members.length])),
      summary:
        `合并演练：${plan.institutions.length} 家机构按类别、等级、性质、片区、责任股室和答复方式归为 ${cohorts.size} 类，每类由一家代表演练，` +
        '其通知按该类家数计；检查人员不分股室；随机抽取的（飞行检查、专项整治的随机抽查）在各类代表中抽取，其家数可能与逐家演练不同',
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
