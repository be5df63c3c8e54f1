// Tip-off clues (举报线索): the stages of one clue, its time limits and the reporter's reward, as pure rules.
//
// A clue is received (locally, or in a batch transferred by the national or provincial bureau), decided on (受理 or
// 不予受理) within its time limit, verified by the unit it is assigned to within another (extended once by a leader),
// and concluded 查证属实 / 部分属实 / 不属实. A verified clue against an institution opens a case or weighs in the flying
// checks; a real-name reporter is told of each decision; a verified amount earns the reporter a reward to claim.
//
// Every figure is the plan's (`clues`), each with its source; DEFAULT_CLUE_RULES holds the national ones.
import type { Period } from './period';

export const CLUE_CHANNELS = ['phone', 'letter', 'web', 'in-person', 'fax', 'transferred'] as const;
export type ClueChannel = (typeof CLUE_CHANNELS)[number];
export const CHANNEL_LABELS: Record<ClueChannel, string> = {
  phone: '电话',
  letter: '信件',
  web: '网络',
  'in-person': '来访',
  fax: '传真',
  transferred: '上级转办',
};

/** Where the clue came from: received here, or transferred in a batch by the national or provincial bureau. */
export const CLUE_SOURCES = ['local', 'national', 'provincial'] as const;
export type ClueSourceKind = (typeof CLUE_SOURCES)[number];
export const SOURCE_LABELS: Record<ClueSourceKind, string> = { local: '本级受理', national: '国家局移交', provincial: '省局移交' };

export const CLUE_OUTCOMES = ['verified', 'partly-verified', 'unfounded'] as const;
export type ClueOutcome = (typeof CLUE_OUTCOMES)[number];
export const OUTCOME_LABELS: Record<ClueOutcome, string> = { verified: '查证属实', 'partly-verified': '部分属实', unfounded: '不属实' };

/** What a verified clue leads to: a case on the ladder, a flying check of the institution, or nothing more. */
export const CLUE_ACTIONS = ['case', 'flying-check', 'none'] as const;
export type ClueAction = (typeof CLUE_ACTIONS)[number];
export const ACTION_LABELS: Record<ClueAction, string> = { case: '立案查处', 'flying-check': '纳入飞行检查', none: '不再处理' };

export const CLUE_STAGES = [
  'awaiting-acceptance',
  'rejected',
  'verifying',
  'concluded',
  'reward-approval',
  'reward-claim',
  'closed',
  'unhandled',
] as const;
export type ClueStage = (typeof CLUE_STAGES)[number];
export const STAGE_LABELS: Record<ClueStage, string> = {
  'awaiting-acceptance': '待受理',
  rejected: '不予受理',
  verifying: '核查中',
  concluded: '已办结',
  'reward-approval': '奖励待审批',
  'reward-claim': '奖励待领取',
  closed: '已结案',
  unhandled: '逾期未办',
};

/** How the reward of a verified clue is computed: progressive shares of the verified amount, a floor and a cap. */
export interface RewardRule {
  source: string;
  /**
   * Brackets of the verified amount, in order: the part of the amount up to `uptoFen` (the last bracket has none)
   * earns `percent` per cent of it. One bracket without a bound is a flat share.
   */
  brackets: ReadonlyArray<{ uptoFen?: number; percent: number }>;
  floorFen: number;
  capFen: number;
  /** Months the reporter has, from being told, to claim; unclaimed after that the reward is waived (视为放弃). */
  claimMonths: number;
  /** A joint report (联名举报) earns one reward: split equally, or paid to the first signatory. */
  jointReport: 'split-equally' | 'first-signatory';
}

export interface ClueRules {
  /** Time limits, each with its source: deciding whether to accept, handling an accepted clue, an extension. */
  acceptance: Period;
  handling: Period;
  extension: Period;
  /** A real-name reporter is told within this of the decision (受理 or not, 立案 or not). */
  reporterNotice: Period;
  /** A leader approves (or changes) the computed reward within this; after it the leader is reminded. */
  rewardApproval: Period;
  reminderOffsetsDays: number[];
  /** Past a time limit: the leader is told again every window, `maxEscalations` times, then the clue is left unhandled. */
  escalationWindowDays: number;
  maxEscalations: number;
  reward: RewardRule;
  sources: { acceptance: string; handling: string; reporterNotice: string };
}

/** A reward share as computed: the total and each bracket's part, for the reporter's notice and the ledger. */
export interface RewardComputation {
  totalFen: number;
  /** Before the floor and cap. */
  rawFen: number;
  limitedBy?: 'floor' | 'cap';
  parts: Array<{ fromFen: number; toFen: number; percent: number; fen: number }>;
}

function checkFen(fen: number, what: string): void {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError(`${what} must be a whole, non-negative number of fen, got ${fen}`);
}

/** Checks the rule's shape: ascending bounds, only the last unbounded, shares in (0, 100], floor ≤ cap. */
export function checkRewardRule(rule: RewardRule): void {
  if (rule.brackets.length === 0) throw new RangeError('reward.brackets: needs at least one bracket');
  let previous = 0;
  rule.brackets.forEach((b, i) => {
    const last = i === rule.brackets.length - 1;
    if (!(b.percent > 0 && b.percent <= 100)) throw new RangeError(`reward.brackets.${i}.percent: must be above 0 and at most 100`);
    if (last !== (b.uptoFen === undefined))
      throw new RangeError(`reward.brackets.${i}.uptoFen: ${last ? 'the last bracket has no bound' : 'only the last bracket may omit it'}`);
    if (b.uptoFen !== undefined) {
      checkFen(b.uptoFen, `reward.brackets.${i}.uptoFen`);
      if (b.uptoFen <= previous) throw new RangeError(`reward.brackets.${i}.uptoFen: must be above the previous bound`);
      previous = b.uptoFen;
    }
  });
  checkFen(rule.floorFen, 'reward.floorFen');
  checkFen(rule.capFen, 'reward.capFen');
  if (rule.floorFen > rule.capFen) throw new RangeError('reward.floorFen: must not be above reward.capFen');
}

/**
 * The reward for a verified amount: each bracket's share of the part of the amount within it, rounded down to the
 * fen, then raised to the floor or lowered to the cap. Nothing verified earns nothing (the floor applies only to a
 * verified amount).
 */
export function computeReward(verifiedFen: number, rule: RewardRule): RewardComputation {
  checkFen(verifiedFen, 'verified amount');
  checkRewardRule(rule);
  const parts: RewardComputation['parts'] = [];
  let from = 0;
  for (const b of rule.brackets) {
    const to = Math.min(verifiedFen, b.uptoFen ?? verifiedFen);
    if (to > from) parts.push({ fromFen: from, toFen: to, percent: b.percent, fen: Math.floor(((to - from) * b.percent) / 100) });
    from = b.uptoFen ?? from;
    if (from >= verifiedFen) break;
  }
  const rawFen = parts.reduce((sum, p) => sum + p.fen, 0);
  if (verifiedFen === 0) return { totalFen: 0, rawFen: 0, parts };
  if (rawFen < rule.floorFen) return { totalFen: rule.floorFen, rawFen, limitedBy: 'floor', parts };
  if (rawFen > rule.capFen) return { totalFen: rule.capFen, rawFen, limitedBy: 'cap', parts };
  return { totalFen: rawFen, rawFen, parts };
}

/**
 * Each signatory's share of one reward (in signing order): equal shares, the fen that do not divide going to the first
 * signatories, or all to the first signatory.
 */
export function splitReward(totalFen: number, signatories: number, mode: RewardRule['jointReport']): number[] {
  checkFen(totalFen, 'reward');
  if (!Number.isInteger(signatories) || signatories < 1) throw new RangeError(`signatories must be at least 1, got ${signatories}`);
  if (mode === 'first-signatory') return [totalFen, ...Array<number>(signatories - 1).fill(0)];
  const base = Math.floor(totalFen / signatories);
  const rest = totalFen - base * signatories;
  return Array.from({ length: signatories }, (_, i) => base + (i < rest ? 1 : 0));
}

/**
 * Whether a concluded clue earns a reward: verified (fully or partly) with an amount, and a reporter who can be told
 * and paid (a real-name reporter, or an anonymous one who left a way to be reached); not when the same matter was
 * reported earlier by someone else (the first reporter is rewarded).
 */
export function rewardDue(c: { outcome: ClueOutcome; verifiedFen: number; reachable: boolean; duplicateOf?: string }): boolean {
  return c.outcome !== 'unfounded' && c.verifiedFen > 0 && c.reachable && !c.duplicateOf;
}

/**
 * A reporter's identity shown outside the clue's own handling: the family name and a mark for each other character;
 * phone numbers keep the first 3 and last 4 digits. What leadership, the ledger's lists and every mail but the
 * reporter's own carry.
 */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length >= 7 ? `${digits.slice(0, 3)}****${digits.slice(-4)}` : '****';
}

const MEASURES = '《医疗保障基金使用监督管理举报处理暂行办法》（国家医疗保障局令第5号，2022年3月1日起施行）';
const PROCEDURE = '《医疗保障行政处罚程序暂行规定》（国家医疗保障局令第4号）';
const REWARDS = '《违法违规使用医疗保障基金举报奖励办法》（医保办发〔2022〕22号，2023年1月1日起施行）';

/**
 * The national figures. The acceptance limit is the 15 working days local rules set under the national measures; the
 * handling limit is the 15 working days in which a bureau checks a clue and decides whether to open a case, extended
 * by as much with a leader's approval (the procedure rules); a real-name reporter is told within 5 working days of the
 * decision; the reward's floor and cap and the 2-month claim window are the national reward rules. The shares are
 * set by each province: the default is Sichuan's progressive bands (川医保发〔2022〕7号), an example to replace.
 */
export const DEFAULT_CLUE_RULES: ClueRules = {
  acceptance: { workingDays: 15 },
  handling: { workingDays: 15 },
  extension: { workingDays: 15 },
  reporterNotice: { workingDays: 5 },
  rewardApproval: { workingDays: 10 },
  // The bureau's own follow-up: the limits are weeks, so reminders 3 days and 1 day before; then the leader, weekly.
  reminderOffsetsDays: [3, 1],
  escalationWindowDays: 7,
  maxEscalations: 3,
  sources: {
    acceptance: `${MEASURES}；受理期限按本地实施细则（常见为收到举报之日起15个工作日）`,
    handling: `${PROCEDURE}：发现线索或者收到材料之日起15个工作日内核查并决定是否立案，经批准可延长`,
    reporterNotice: `${MEASURES}：实名举报的，自作出是否立案决定之日起5个工作日内告知举报人`,
  },
  reward: {
    source: `${REWARDS}：按案值的一定比例一次性奖励，最高不超过20万元，最低不少于200元，自被告知之日起2个月内领取，逾期视为放弃；比例按《四川省违法违规使用医疗保障基金举报奖励办法》（川医保发〔2022〕7号）分段累计`,
    brackets: [
      { uptoFen: 10_000_000, percent: 2 },
      { uptoFen: 100_000_000, percent: 1.5 },
      { uptoFen: 1_000_000_000, percent: 1 },
      { percent: 0.5 },
    ],
    floorFen: 20_000,
    capFen: 20_000_000,
    claimMonths: 2,
    jointReport: 'split-equally',
  },
};
