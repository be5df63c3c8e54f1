// A rehearsal (`jianguan campaign rehearse`, `plan rehearse`): who answers how, and the timeline a bureau reads. The
// run itself is cli/rehearse/; what it decides and prints is here, pure, so that it is tested without a server.
import { formatLocal, localInstant } from './calendar';
import { dayInstant, type CampaignPhaseDates } from './campaign-file';
import { seededSample } from './draw';

/** How a target answers what a notice asks of it: on time (the default), after its deadline, or never. */
export type Answering = 'on-time' | 'late' | 'silent';

export interface AnsweringOptions {
  /** Share of the targets, 0–100, that never answer (drawn from `seed`). */
  silentPercent: number;
  /** Share of the targets, 0–100, that answer after the deadline (drawn from `seed` among the others). */
  latePercent: number;
  /** These never answer, whatever the shares. */
  silent: readonly string[];
  /** These answer late, whatever the shares (unless also silent). */
  late: readonly string[];
  seed: string;
}

/**
 * Parses a share given as `10%` or `10` (0–100, decimals allowed); undefined when it is none. The CLI turns
 * undefined into a message naming its flag.
 */
export function parsePercent(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]);
  return value <= 100 ? value : undefined;
}

/**
 * How each target answers. The shares are exact counts (rounded) drawn reproducibly from the seed, so the same
 * command rehearses the same year; the named ids override the draw.
 */
export function answeringOf(ids: readonly string[], options: AnsweringOptions): Map<string, Answering> {
  const silentCount = Math.round((ids.length * options.silentPercent) / 100);
  const silent = new Set([...seededSample(`${options.seed}:silent`, ids, silentCount), ...options.silent]);
  const rest = ids.filter((id) => !silent.has(id));
  const lateCount = Math.min(rest.length, Math.round((ids.length * options.latePercent) / 100));
  const late = new Set([...seededSample(`${options.seed}:late`, rest, lateCount), ...options.late]);
  return new Map(ids.map((id) => [id, silent.has(id) ? 'silent' : late.has(id) ? 'late' : 'on-time']));
}

/** What happens at an instant: a phase starts or ends, a deadline falls, or a notice goes out. */
export interface TimelineEvent {
  at: Date;
  /** 阶段开始, 阶段结束, 期限, or the notice's own tag (催报, 逾期督办, 检查任务 …). */
  label: string;
  /** What it is about (the phase, the deadline), or to whom (a unit, a leader's title, 定点医药机构). */
  subject: string;
  /** How a count of it reads: 家 for institutions (one notice each), 份 for other notices (an inspector may get several); none for one-offs. */
  measure?: string;
  /** How many it stands for: a cohort's representative's notice counts for the whole cohort (cohortsOf). Default 1. */
  weight?: number;
}

/** The notice's tag, as its subject starts: `【催报】…` → 催报; the whole subject when it has none. */
export function noticeLabel(subject: string): string {
  return /^【([^】]+)】/.exec(subject)?.[1] ?? subject;
}

/**
 * The timeline by local date: one line per time, label and subject, with a count when several share it (the
 * reminders of 1,234 institutions at the same instant are one line, × 1,234 家).
 */
export function timelineLines(events: readonly TimelineEvent[], timeZone: string): string[] {
  const groups = new Map<string, { at: Date; event: TimelineEvent; count: number }>();
  for (const event of events) {
    const key = `${formatLocal(event.at, timeZone)}\u0000${event.label}\u0000${event.subject}`;
    const weight = event.weight ?? 1;
    const group = groups.get(key);
    if (group) group.count += weight;
    else groups.set(key, { at: event.at, event, count: weight });
  }
  // By the minute the line shows, not the instant: notices of one minute are stamped milliseconds apart, in an order
  // that differs from run to run.
  const minute = (at: Date) => Math.floor(at.getTime() / 60_000);
  const sorted = [...groups.values()].sort(
    (a, b) =>
      minute(a.at) - minute(b.at) ||
      order(a.event) - order(b.event) ||
      a.event.label.localeCompare(b.event.label) ||
      a.event.subject.localeCompare(b.event.subject),
  );
  const lines: string[] = [];
  let day = '';
  for (const { at, event, count } of sorted) {
    const [date, time] = formatLocal(at, timeZone).split(' ');
    if (date !== day) lines.push(date);
    day = date;
    const times = event.measure && (count > 1 || event.measure === '家') ? ` × ${count.toLocaleString('en-US')} ${event.measure}` : '';
    lines.push(`  ${time}  ${event.label}  ${event.subject}${times}`);
  }
  return lines;
}

/** Within an instant: phases and deadlines before the notices they cause; then by label and subject, so runs compare. */
const order = (event: TimelineEvent): number => (event.measure === undefined ? 0 : 1);

/**
 * A campaign's phases and deadlines, from its dates as the workflow fixes them: each phase starts at its first day's
 * 00:00 and ends at its last day's end of day; `deadlines` (the self-check reports' due date …) end at end of day too.
 */
export function campaignMilestones(
  phases: readonly CampaignPhaseDates[],
  deadlines: ReadonlyArray<{ what: string; date: string }>,
  endOfDay: string,
  timeZone: string,
): TimelineEvent[] {
  return [
    ...phases.flatMap((p) => [
      { at: dayInstant(p.startsOn, '00:00', timeZone), label: '阶段开始', subject: p.name },
      { at: dayInstant(p.endsOn, endOfDay, timeZone), label: '阶段结束', subject: p.name },
    ]),
    ...deadlines.map((d) => ({ at: dayInstant(d.date, endOfDay, timeZone), label: '期限', subject: d.what })),
  ];
}

/** The plan's calendar of a year (DESIGN §3), as far as the rehearsal shows it. */
export interface YearCalendar {
  coverage: { start: string; deadline: string; deadlineTime: string };
  closureReview: { start: string; deadline: string };
  flyingChecks: { start: string; end: string };
  yearEndSummary: string;
  endOfDay: string;
}

/** The year's parts and deadlines at the instants the annual cycle's workflows use (workflows/*\/workflow.ts). */
export function yearMilestones(year: number, calendar: YearCalendar, reminderTime: string, timeZone: string): TimelineEvent[] {
  const at = (monthDay: string, time: string) => localInstant(year, monthDay, time, timeZone);
  const { coverage, closureReview, flyingChecks, endOfDay } = calendar;
  return [
    { at: at(coverage.start, '00:00'), label: '开始', subject: '全覆盖现场检查' },
    { at: at(coverage.deadline, coverage.deadlineTime), label: '期限', subject: '全覆盖现场检查' },
    { at: at(closureReview.start, reminderTime), label: '开始', subject: `${year - 1}年案件结案检查` },
    { at: at(closureReview.deadline, endOfDay), label: '期限', subject: `${year - 1}年案件结案检查` },
    { at: at(flyingChecks.start, reminderTime), label: '开始', subject: '飞行检查' },
    { at: at(flyingChecks.end, endOfDay), label: '结束', subject: '飞行检查' },
    { at: at(calendar.yearEndSummary, reminderTime), label: '期限', subject: '年度总结' },
  ];
}

/** What of an institution a rehearsed year or campaign reads, besides its id. */
export interface CohortTraits {
  id: string;
  kind: string;
  level?: string | null;
  ownership: string;
  district: string;
  responsibleUnitId: string;
}

/**
 * The plan's institutions in cohorts that a rehearsal treats alike (`--cohorts`): same kind, level, ownership,
 * district, responsible unit and answering. Institutions in `alone` (named by the command, a campaign file or an
 * inspector's conflicts of interest) are cohorts of their own. Each cohort is keyed by its representative, its first id,
 * and lists its members, the representative first.
 */
export function cohortsOf(
  institutions: readonly CohortTraits[],
  answering: ReadonlyMap<string, Answering>,
  alone: ReadonlySet<string>,
): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const i of [...institutions].sort((a, b) => a.id.localeCompare(b.id))) {
    const key = alone.has(i.id)
      ? `alone\u0000${i.id}`
      : [i.kind, i.level ?? '', i.ownership, i.district, i.responsibleUnitId, answering.get(i.id) ?? 'on-time'].join('\u0000');
    const members = byKey.get(key);
    if (members) members.push(i.id);
    else byKey.set(key, [i.id]);
  }
  return new Map([...byKey.values()].map((members) => [members[0], members]));
}

/**
 * What a notice of a cohort rehearsal counts for: the cohort's size when a workflow of a representative sent it in
 * one of the campaigns its cohort shares (`weighted`: the members' own inspections, self-checks and look-backs); 1
 * for everything else — a campaign's own notices, and the draws of a fixed number (flying checks, re-checks), which
 * draw among the representatives.
 */
export function cohortWeight(workflowId: string, weighted: ReadonlySet<string>, sizes: ReadonlyMap<string, number>): number {
  const [type, campaignId, institutionId] = workflowId.split(':');
  if (!MEMBER_WORKFLOWS.has(type) || !weighted.has(campaignId)) return 1;
  return sizes.get(institutionId) ?? 1;
}

/** Workflow types whose id is `{type}:{campaignId}:{institutionId}` (domain/business-keys.ts). */
const MEMBER_WORKFLOWS = new Set(['inspection', 'selfcheck', 'look-back']);

/**
 * What a rehearsal says of a re-check's sample (`campaign status`'s figures, undefined before the draw). The draw
 * reads the finished inspections in the ledger: an empty throwaway ledger has none, so its pool is empty and nothing
 * is re-checked, and the draw can only be rehearsed from a copy of the bureau's ledger (`fromLedger`).
 */
export function recheckRehearsalLines(sample: { pool: number; picked: number } | undefined, fromLedger: boolean): string[] {
  if (!sample) return ['抽查复查：演练结束时尚未抽取复查样本'];
  if (sample.pool > 0) return [`抽查复查：从 ${sample.pool} 家已完成检查的机构中抽取 ${sample.picked} 家`];
  if (fromLedger) return ['抽查复查：本局台账中该年度没有已完成的检查，抽样池为空，未抽取复查对象，也没有复查检查'];
  return [
    '抽查复查：演练的空台账中没有已完成的检查，抽样池为空，未抽取复查对象，也没有复查检查；',
    '样本（三个三分之一）从台账中该年度已完成的检查抽取，空台账无法演练抽样（--from-ledger 从本局台账的副本抽取）；下列比对结果为空样本的结果',
  ];
}

/** The server's limits (DESIGN §5): it warns past 10,240 history events, and a workflow holds at most 1,000 pending children. */
export const HISTORY_EVENTS_LIMIT = 10_240;
export const PENDING_CHILDREN_LIMIT = 1_000;

/** What an IT department checks against the server's limits before launching. */
export interface HistoryFigures {
  /** The rehearsed workflow's history at its end, in events. */
  events: number;
  /** The child workflows it started: at most this many were pending at once. */
  children: number;
  /** The longest history among its children and the workflows the activities started (self-checks, inspections). */
  largestStarted: number;
}

/** The report's line on the histories, against the limits. */
export function historyLine({ events, children, largestStarted }: HistoryFigures): string {
  const n = (count: number) => count.toLocaleString('en-US');
  return (
    `最长历史：主工作流 ${n(events)} 个事件，其启动的工作流最多 ${n(largestStarted)} 个（上限 ${n(HISTORY_EVENTS_LIMIT)}）；` +
    `子工作流 ${n(children)} 个（待完成上限 ${n(PENDING_CHILDREN_LIMIT)}）`
  );
}
