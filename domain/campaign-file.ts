// Campaigns an administrator launches from a file (专项行动: special, targeted, re-check; DESIGN §5 "campaigns from
// files"): which institutions its selectors pick, and when its phases run. Pure: the CLI, the activity that freezes the
// targets and the campaign workflow compute the same result from the same file.
import { DateTime } from 'luxon';
import type { CreditGrade } from './credit';

export const CAMPAIGN_FILE_KINDS = ['targeted', 'special', 'recheck'] as const;
export type CampaignFileKind = (typeof CAMPAIGN_FILE_KINDS)[number];

/** A criterion given as one value or a list of alternatives (`kind: hospital`, `level: [I, II]`). */
export type OneOrMany<T> = T | readonly T[];

/**
 * One selector of a campaign's targets: every criterion given must hold (AND); within a criterion, the listed values
 * are alternatives (OR). A campaign's targets are the institutions at least one of its selectors picks.
 */
export interface TargetSelector {
  /** Every institution of the jurisdiction (alone: with other criteria it would mean nothing more). */
  all?: boolean;
  kind?: OneOrMany<'hospital' | 'pharmacy'>;
  level?: OneOrMany<string>;
  ownership?: OneOrMany<'public' | 'private'>;
  district?: OneOrMany<string>;
  responsibleUnit?: OneOrMany<string>;
  /** An explicit list of institution ids. */
  institutions?: readonly string[];
  /** With a clue or a data anomaly of the campaign's year in the ledger (true), or without any (false). */
  riskSignals?: boolean;
  /** With findings of violations in the year before the campaign's (true), or without (false). */
  lastYearFindings?: boolean;
  /** The latest credit grade before the campaign's year is one of these (an institution without a grade never matches). */
  creditGrade?: OneOrMany<CreditGrade>;
}

/** What a selector can judge of an institution: the plan's attributes and the ledger's risk figures of the year. */
export interface TargetCandidate {
  id: string;
  kind: 'hospital' | 'pharmacy';
  level: string | null;
  ownership: 'public' | 'private';
  district: string;
  responsibleUnitId: string | null;
  /** Clues and data anomalies of the campaign's year. */
  riskSignals: number;
  /** Findings with violations in the year before. */
  lastYearFindings: number;
  creditGrade: CreditGrade | null;
}

export interface SelectedTarget {
  id: string;
  /** Indexes of the selectors that picked it, so `campaign show` can say why an institution is a target. */
  selectors: number[];
}

const listOf = <T>(value: OneOrMany<T>): readonly T[] => (Array.isArray(value) ? (value as readonly T[]) : [value as T]);
const oneOf = <T>(criterion: OneOrMany<T> | undefined, value: T | null): boolean =>
  criterion === undefined || (value !== null && listOf(criterion).includes(value));

export function matchesSelector(c: TargetCandidate, s: TargetSelector): boolean {
  if (s.all) return true;
  return (
    oneOf(s.kind, c.kind) &&
    oneOf(s.level, c.level) &&
    oneOf(s.ownership, c.ownership) &&
    oneOf(s.district, c.district) &&
    oneOf(s.responsibleUnit, c.responsibleUnitId) &&
    oneOf(s.creditGrade, c.creditGrade) &&
    (s.institutions === undefined || s.institutions.includes(c.id)) &&
    (s.riskSignals === undefined || s.riskSignals === c.riskSignals > 0) &&
    (s.lastYearFindings === undefined || s.lastYearFindings === c.lastYearFindings > 0)
  );
}

/** The institutions any selector picks, in id order (byte order, as the ledger numbers a membership). */
export function selectTargets(selectors: readonly TargetSelector[], candidates: readonly TargetCandidate[]): SelectedTarget[] {
  return candidates
    .map((c) => ({ id: c.id, selectors: selectors.flatMap((s, n) => (matchesSelector(c, s) ? [n] : [])) }))
    .filter((t) => t.selectors.length > 0)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A date of a phase: a local date `YYYY-MM-DD`, or for an end, a number of days after the phase's start. */
export type PhaseEnd = string | { days: number };

export interface CampaignPhaseEntry {
  name: string;
  /** Left out: the day the campaign starts (for the first phase) or the day after the previous phase ends. */
  start?: string;
  end: PhaseEnd;
}

/** A phase with its local dates fixed (both inclusive). */
export interface CampaignPhaseDates {
  name: string;
  startsOn: string;
  endsOn: string;
}

const localDate = (iso: string, timeZone: string) => DateTime.fromISO(iso, { zone: timeZone });

/**
 * The phases' dates, relative ones fixed from `startedAt` (the start of the campaign, in workflow time). A phase
 * without a start begins the day after the previous one ends; the first, the day the campaign starts.
 */
export function phaseDates(phases: readonly CampaignPhaseEntry[], startedAt: Date, timeZone: string): CampaignPhaseDates[] {
  let next = DateTime.fromJSDate(startedAt, { zone: timeZone }).startOf('day');
  return phases.map((phase) => {
    const start = phase.start ? localDate(phase.start, timeZone) : next;
    const end = typeof phase.end === 'string' ? localDate(phase.end, timeZone) : start.plus({ days: phase.end.days });
    next = end.plus({ days: 1 });
    return { name: phase.name, startsOn: start.toISODate()!, endsOn: end.toISODate()! };
  });
}

/**
 * The fixed phases that reach outside the campaign's `year` (`phases[1].end: 2028-01-14 is outside …`): the year the
 * file names is the one its inspections count for, so a phase running on past it must be split into another campaign.
 * A relative phase can only be judged once the start fixes it.
 */
export function phasesOutsideYear(phases: readonly CampaignPhaseDates[], year: number): string[] {
  return phases.flatMap((phase, i) =>
    (['startsOn', 'endsOn'] as const)
      .filter((key) => Number(phase[key].slice(0, 4)) !== year)
      .map((key) => `phases[${i}].${key === 'startsOn' ? 'start' : 'end'}: ${phase[key]} is outside the campaign's year ${year}`),
  );
}

/** The instant a local date's day begins (a phase's start) or ends at `endOfDay` (its deadline). */
export function dayInstant(date: string, timeOfDay: string, timeZone: string): Date {
  const [hour, minute] = timeOfDay.split(':').map(Number);
  return localDate(date, timeZone).set({ hour, minute, second: 0, millisecond: 0 }).toJSDate();
}
