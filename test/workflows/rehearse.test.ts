// `jianguan campaign rehearse FILE` and `plan rehearse --year Y` as a person runs them: the CLI with the settings of a
// real installation (its data folder, an SMTP server, a Temporal address nothing answers on), and the rehearsal on its
// own embedded time-skipping server. What is guarded: the dates printed are the ones the file and the plan give (the
// test computes them itself: phases, the self-check reports' deadline, the reminders at the file's offsets, in the
// plan's time zone); a silent target gets its reminders and its escalation to the unit's leader, and is inspected in
// the investigation, while those answering on time get none; a re-check says its pool of finished inspections is
// empty on the empty throwaway ledger, and draws and re-checks its sample from a copy of the bureau's; a year rehearsed
// by cohorts prints what the whole rehearsal prints; nothing is written to the configured ledger or outbox and no mail
// is sent; bad arguments (and a file `campaign start` would refuse today) are refused naming the argument, before
// anything starts.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../cli/main';
import YAML from 'yaml';
import { DEFAULT_PLAN_FILE, loadPlan, type Plan, type PlanInput } from '../../config';
import { dayInstant, phaseDates } from '../../domain/campaign-file';
import { formatLocal, localInstant, localYear, reminderSchedule } from '../../domain/calendar';
import { reportDueDate } from '../../domain/self-check';
import { openStore } from '../../records/store';
import { ledgerInstitution } from '../helpers/case-records';
import { ledgerContents } from '../helpers/db';
import { seedFinishedInspections } from '../helpers/finished-inspections';
import { generatePlan } from '../helpers/generate-plan';
import { freePort } from '../helpers/ports';
import { startSmtpCatcher, type SmtpCatcher } from '../helpers/smtp';

const [A, B, C] = ['H34990100001', 'H34990100002', 'H34990100003'];
const PHASES = [
  { name: '自查自纠', end: { days: 10 } },
  { name: '严肃查处', end: { days: 10 } },
  { name: '建章立制', end: { days: 3 } },
];
const REPORT_DUE = { days: 7 };
const OFFSETS = [3, 1];
const special = `id: rehearsal-test
kind: special
title: 演练测试专项整治
legalBasis: [《医疗保障基金使用监督管理条例》第三十八条]
targets:
  - { institutions: [${A}, ${B}, ${C}] }
phases:
${PHASES.map((p) => `  - { name: ${p.name}, end: { days: ${p.end.days} } }`).join('\n')}
selfCheck:
  checklist:
    - { category: 虚假诊疗, description: 诱导、协助他人冒名就医、虚构住院 }
  reportDue: { days: ${REPORT_DUE.days} }
  reminderOffsetsDays: [${OFFSETS.join(', ')}]
investigation:
  randomPercent: 0
`;

const RECHECK_PHASE = { name: '抽查复查', end: { days: 30 } };
/** A re-check file starting the day it is started (its `recheck` section given), written to the test's folder; its path. */
const recheckFile = (id: string, recheck: string) => {
  const file = path.join(dir, `${id}.yaml`);
  writeFileSync(
    file,
    `id: ${id}
kind: recheck
title: 演练测试抽查复查
legalBasis: [《贵港市2021年打击欺诈骗保专项整治行动方案》三、（五）]
targets: [{ all: true }]
phases: [{ name: ${RECHECK_PHASE.name}, end: { days: ${RECHECK_PHASE.end.days} } }]
recheck: ${recheck}
`,
  );
  return file;
};

let dir: string;
let smtp: SmtpCatcher;
let plan: Plan;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'jianguan-rehearse-'));
  smtp = await startSmtpCatcher(0);
  plan = await loadPlan(DEFAULT_PLAN_FILE);
});
afterAll(async () => {
  await smtp?.down();
  rmSync(dir, { recursive: true, force: true });
});

/** Settings a test adds to the installation's. */
let extraEnv: Record<string, string> = {};

/** The CLI with a real installation's settings; returns what it printed, or throws its error. */
async function jianguan(...args: string[]): Promise<string> {
  const printed: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void printed.push(parts.map(String).join(' ')));
  vi.stubEnv('JIANGUAN_DATA_DIR', path.join(dir, 'var'));
  vi.stubEnv('JIANGUAN_OUTBOX_DIR', path.join(dir, 'outbox'));
  vi.stubEnv('SMTP_URL', `smtp://127.0.0.1:${smtp.port}`);
  vi.stubEnv('DATABASE_URL', '');
  vi.stubEnv('JIANGUAN_PLAN', DEFAULT_PLAN_FILE);
  // Nothing answers here: a rehearsal that reached for the configured Temporal server would fail.
  vi.stubEnv('TEMPORAL_ADDRESS', '127.0.0.1:1');
  for (const [name, value] of Object.entries(extraEnv)) vi.stubEnv(name, value);
  try {
    const program = buildProgram();
    const quiet = (command: Command) => {
      command.exitOverride().configureOutput({ writeOut: (s) => printed.push(s), writeErr: () => undefined });
      command.commands.forEach(quiet);
    };
    quiet(program);
    await program.parseAsync(['node', 'jianguan', ...args]);
    return printed.join('\n');
  } finally {
    vi.unstubAllEnvs();
    log.mockRestore();
  }
}

/** The lines printed under a local date's heading. */
function linesOn(output: string, date: string): string[] {
  const lines = output.split('\n');
  const from = lines.indexOf(date);
  if (from < 0) return [];
  const to = lines.findIndex((line, i) => i > from && !line.startsWith(' '));
  return lines.slice(from + 1, to < 0 ? undefined : to);
}

/** `{date, line}` of an instant: the heading it goes under and the line's start. */
function at(instant: Date, rest: string): { date: string; line: string } {
  const [date, time] = formatLocal(instant, plan.jurisdiction.timeZone).split(' ');
  return { date, line: `  ${time}  ${rest}` };
}

describe('campaign rehearse', () => {
  it('prints the phases, the report deadline, a silent and a late target’s reminders and escalation, and writes and sends nothing', async () => {
    const file = path.join(dir, 'special.yaml');
    writeFileSync(file, special);
    const startedAt = new Date();
    const output = await jianguan('campaign', 'rehearse', file, '--silent-institution', C, '--late-institution', B);

    const tz = plan.jurisdiction.timeZone;
    const endOfDay = plan.calendar.endOfDay;
    const phases = phaseDates(PHASES, startedAt, tz);
    const dueAt = dayInstant(reportDueDate(phases[0], REPORT_DUE), endOfDay, tz);
    const expected = [
      at(dayInstant(phases[0].startsOn, '00:00', tz), '阶段开始  自查自纠'),
      at(dueAt, '期限  自查报告'),
      at(dayInstant(phases[0].endsOn, endOfDay, tz), '阶段结束  自查自纠'),
      at(dayInstant(phases[1].startsOn, '00:00', tz), '阶段开始  严肃查处'),
      at(dayInstant(phases[2].endsOn, endOfDay, tz), '阶段结束  建章立制'),
      // Only the silent and the late target are reminded, at the file's offsets; the silent one is then inspected.
      ...reminderSchedule(dueAt, OFFSETS, plan.reminders.timeOfDay, tz, startedAt).map((r) => at(r.at, '催报  → 定点医疗机构 × 2 家')),
      at(dayInstant(phases[1].startsOn, '00:00', tz), '检查任务  → 检查人员'),
    ];
    for (const { date, line } of expected)
      expect(
        linesOn(output, date).some((l) => l.startsWith(line)),
        `${date} ${line}\n${output}`,
      ).toBe(true);
    expect(reminderSchedule(dueAt, OFFSETS, plan.reminders.timeOfDay, tz, startedAt)).toHaveLength(OFFSETS.length);
    expect(output.split('\n').filter((l) => / 催报 .*定点/.test(l))).toHaveLength(OFFSETS.length);

    // Their unit's leader and the unit hear of them when the phase closes; nobody else is escalated to.
    const unitOf = (id: string) => plan.institutions.find((i) => i.id === id)!.responsibleUnitId;
    expect(unitOf(B)).toBe(unitOf(C));
    const unit = plan.responsibleUnits.find((u) => u.id === unitOf(C))!;
    const leader = plan.leaders.find((l) => l.id === unit.leaderId)!;
    const close = at(dayInstant(phases[0].endsOn, endOfDay, tz), '逾期督办  → ');
    expect(linesOn(output, close.date).filter((l) => l.startsWith(close.line))).toEqual([`${close.line}${leader.title}、${unit.name}`]);
    expect(output).toMatch(/机构 \d+ 家：按期答复 \d+，逾期答复 1，不答复 1/);
    expect(output).toMatch(/演练结束：工作流已完成/);

    // Nothing of the installation was touched: no ledger, no outbox, no mail.
    expect(existsSync(path.join(dir, 'var', 'records')), 'the configured ledger').toBe(false);
    expect(existsSync(path.join(dir, 'outbox')) && readdirSync(path.join(dir, 'outbox')), 'the configured outbox').toBeFalsy();
    expect(smtp.messages, 'mail sent').toHaveLength(0);
  });

  it('rehearses a re-check: its phase, and that its pool of finished inspections is empty in a rehearsal, nothing re-checked', async () => {
    const tz = plan.jurisdiction.timeZone;
    const startedAt = new Date();
    // Last year's inspections re-checked from today: a start the full coverage's deadline never refuses.
    const file = recheckFile('rehearsal-recheck', `{ year: ${localYear(startedAt, tz) - 1} }`);
    const output = await jianguan('campaign', 'rehearse', file);

    const [phase] = phaseDates([RECHECK_PHASE], startedAt, tz);
    const start = at(dayInstant(phase.startsOn, '00:00', tz), '阶段开始  抽查复查');
    expect(linesOn(output, start.date), output).toContain(start.line);
    expect(output).toMatch(/\n抽查复查：演练的空台账中没有已完成的检查，抽样池为空，未抽取复查对象，也没有复查检查；\n.*--from-ledger/);
    // No re-check inspection is started; the empty comparison goes to the plan's leaders (the file has no tasks).
    expect(output).not.toMatch(/检查任务/);
    expect(output.split('\n').filter((l) => / 抽查复查结果 /.test(l))).toHaveLength(plan.leaders.length);
    expect(output).toMatch(/演练结束：工作流已完成/);
    expect(smtp.messages, 'mail sent').toHaveLength(0);
  });

  it('refuses bad arguments naming them, before anything starts', async () => {
    // A rehearsal that got as far as its server would fail on this path instead of naming the argument.
    extraEnv = { TEMPORAL_TEST_SERVER_PATH: path.join(dir, 'no-such-server') };
    const refusal = (...args: string[]) =>
      jianguan(...args).then(
        () => 'accepted',
        (e: Error) => e.message,
      );
    const file = path.join(dir, 'special.yaml');
    writeFileSync(file, special);
    expect(await refusal('campaign', 'rehearse', path.join(dir, 'missing.yaml'))).toContain('missing.yaml');
    expect(await refusal('campaign', 'rehearse', file, '--silent', 'lots')).toMatch(/--silent: "lots" is not a share/);
    expect(await refusal('campaign', 'rehearse', file, '--late', '150%')).toMatch(/--late: "150%" is not a share/);
    expect(await refusal('campaign', 'rehearse', file, '--silent-institution', 'H00000000000')).toMatch(
      /--silent-institution: H00000000000 not in the plan/,
    );
    // As `campaign start` would: a re-check of next year started today, before that year's full coverage is due.
    const nextYear = localYear(new Date(), plan.jurisdiction.timeZone) + 1;
    const early = recheckFile('early', `{ year: ${nextYear} }`);
    expect(await refusal('campaign', 'rehearse', early)).toMatch(
      new RegExp(`phases\\[0\\]\\.start: .* it may start from ${nextYear}-\\d{2}-\\d{2} \\(nothing started\\)$`),
    );
    expect(await refusal('plan', 'rehearse', '--year', '20x7')).toMatch(/--year: "20x7" is not a year/);
    expect(await refusal('plan', 'rehearse', '--year', '2020')).toMatch(/--year: 2020 is over/);
    expect(await refusal('plan', 'rehearse')).toMatch(/--year/);
    expect(await refusal('plan', 'rehearse', '--year', '2099', '--cohorts', '--from-ledger')).toMatch(/--cohorts: not with --from-ledger/);
    extraEnv = {};
  });
});

describe('plan rehearse', () => {
  it("prints the year's parts at the plan's dates and a silent institution's escalation at the coverage deadline", async () => {
    const planFile = await generatePlan({ count: 6, dir: dir });
    const small = await loadPlan(planFile);
    const tz = small.jurisdiction.timeZone;
    const year = localYear(new Date(), tz) + 1;
    const silent = small.institutions[0];
    const output = await jianguan('plan', 'rehearse', '--year', String(year), '--plan', planFile, '--silent-institution', silent.id);

    const { coverage, yearEndSummary } = small.calendar;
    const summaryAt = localInstant(year, yearEndSummary, small.reminders.timeOfDay, tz);
    const expected = [
      at(localInstant(year, coverage.start, '00:00', tz), '开始  全覆盖现场检查'),
      at(localInstant(year, coverage.deadline, coverage.deadlineTime, tz), '期限  全覆盖现场检查'),
      at(summaryAt, '期限  年度总结'),
      // The workflow's own mail, at the instant the plan gives.
      at(summaryAt, '年度总结  → 领导小组'),
    ];
    for (const { date, line } of expected) expect(linesOn(output, date), `${date} ${line}\n${output}`).toContain(line);
    // Nobody but the silent institution's team is reminded; at the deadline its unit's leader and the unit are told.
    const unit = small.responsibleUnits.find((u) => u.id === silent.responsibleUnitId)!;
    const leader = small.leaders.find((l) => l.id === unit.leaderId)!;
    const deadline = at(localInstant(year, small.calendar.coverage.deadline, small.calendar.coverage.deadlineTime, tz), '逾期督办  → ');
    const escalations = linesOn(output, deadline.date).filter((l) => l.startsWith(deadline.line));
    expect(escalations.length, output).toBeGreaterThan(0);
    expect(
      escalations.every((l) => l.startsWith(`${deadline.line}${leader.title}、${unit.name}`)),
      output,
    ).toBe(true);
    expect(output.split('\n').filter((l) => / 逾期督办 /.test(l)).length, output).toBe(escalations.length);
    expect(output).toMatch(/机构 6 家：按期答复 5，逾期答复 0，不答复 1/);
    expect(output).toMatch(/演练结束：工作流已完成/);
  });
});

describe('plan rehearse --cohorts', () => {
  it('prints what the whole rehearsal prints, inspectors counted without their unit, by one institution per cohort', async () => {
    mkdirSync(path.join(dir, 'cohorts'));
    const planFile = await generatePlan({ count: 60, dir: path.join(dir, 'cohorts') });
    // No draw of a fixed number (flying checks): those draw among the representatives.
    const input = YAML.parse(readFileSync(planFile, 'utf8')) as PlanInput;
    writeFileSync(
      planFile,
      YAML.stringify({ ...input, flyingCheck: { ...input.flyingCheck, randomCount: 0, riskCount: 0 } }, { lineWidth: 0 }),
    );
    const year = String(localYear(new Date(), plan.jurisdiction.timeZone) + 1);
    const rehearse = (...flags: string[]) =>
      jianguan('plan', 'rehearse', '--year', year, '--plan', planFile, '--silent', '10%', '--late', '10%', ...flags);

    const whole = await rehearse();
    const merged = await rehearse('--cohorts');
    const cohorts = Number(/归为 (\d+) 类/.exec(merged)?.[1]);
    expect(cohorts, merged).toBeGreaterThan(0);
    expect(cohorts).toBeLessThan(60);
    expect(byInstant(merged)).toEqual(byInstant(whole));
    expect(merged).toMatch(/演练结束：工作流已完成/);
  }, 600_000);
});

/** The timeline's counts by date, time, tag and recipients, inspectors without their unit. */
function byInstant(output: string): Record<string, number> {
  const counts: Record<string, number> = {};
  let date = '';
  for (const line of output.split('\n')) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(line)) date = line;
    const match = /^ {2}(\d{2}:\d{2}) {2}(\S+) {2}(.*?)(?: × ([\d,]+) \S+)?$/.exec(line);
    if (!date || !match) continue;
    const [, time, label, subject, count] = match;
    const roles = [
      ...new Set(
        subject
          .replace(/^→ /, '')
          .replace(/检查人员（[^）]*）/g, '检查人员')
          .split('、'),
      ),
    ].join('、');
    const key = `${date} ${time} ${label} ${roles}`;
    counts[key] = (counts[key] ?? 0) + (count ? Number(count.replaceAll(',', '')) : 1);
  }
  return counts;
}

describe('rehearse --from-ledger', () => {
  it("starts from a copy of the worker's ledger, which it only reads: a campaign on risk signals reaches the flagged institution", async () => {
    const port = await freePort();
    // The embedded ledger as `npm start`'s worker serves it, holding a clue against A this year.
    const ledger = await openStore({ servePort: port });
    try {
      const tz = plan.jurisdiction.timeZone;
      await ledger.upsertInstitutions([ledgerInstitution({ jurisdiction: plan.jurisdiction.code, id: A })]);
      const today = formatLocal(new Date(), tz).slice(0, 10);
      await ledger.importRiskSignals([
        { jurisdiction: plan.jurisdiction.code, reference: 'JB-REHEARSAL-1', institutionId: A, kind: 'clue', date: today, note: '' },
      ]);
      const file = path.join(dir, 'risk.yaml');
      writeFileSync(
        file,
        `id: rehearsal-risk
kind: targeted
title: 风险线索检查
legalBasis: [《医疗保障基金使用监督管理条例》第二十七条]
claimsOnSite: false
targets:
  - { riskSignals: true }
phases:
  - { name: 现场检查, end: { days: 7 } }
`,
      );
      const before = await ledgerContents(ledger.db);
      extraEnv = { LEDGER_PORT: String(port) };
      const rehearse = (...flags: string[]) => jianguan('campaign', 'rehearse', file, ...flags);
      const tasks = (output: string) => output.split('\n').filter((l) => / 检查任务 {2}→ 检查人员/.test(l));

      const copied = await rehearse('--from-ledger');
      expect(copied).toMatch(/临时台账（复制自本局台账：\d+ 张表，\d+ 行，原台账只读）/);
      expect(tasks(copied).length, copied).toBeGreaterThan(0);
      expect(copied).toMatch(/演练结束：工作流已完成/);
      // Without it the throwaway ledger is empty: no clue, so no target.
      const empty = await rehearse();
      expect(empty).toMatch(/临时台账（空台账）/);
      expect(tasks(empty), empty).toHaveLength(0);
      expect(await ledgerContents(ledger.db)).toEqual(before);
    } finally {
      extraEnv = {};
      await ledger.close();
    }
  });

  it('draws a re-check’s sample from the copy’s finished inspections, and re-checks it', async () => {
    const port = await freePort();
    const ledger = await openStore({ servePort: port });
    try {
      const year = localYear(new Date(), plan.jurisdiction.timeZone) - 1;
      const hospitals = plan.institutions.filter((i) => i.kind === 'hospital').slice(0, 4);
      await seedFinishedInspections(ledger, plan, year, hospitals, new Set([hospitals[0].id]));
      const file = recheckFile('rehearsal-recheck-copy', `{ year: ${year}, minimum: { hospital: 3, pharmacy: 0 } }`);
      extraEnv = { LEDGER_PORT: String(port) };
      const output = await jianguan('campaign', 'rehearse', file, '--from-ledger');
      expect(output).toMatch(/\n抽查复查：从 4 家已完成检查的机构中抽取 3 家\n/);
      expect(output.split('\n').filter((l) => / 检查任务 {2}→ 检查人员/.test(l)).length, output).toBeGreaterThan(0);
      expect(output).toMatch(/演练结束：工作流已完成/);
    } finally {
      extraEnv = {};
      await ledger.close();
    }
  });

  it('says that no worker serves the ledger, and starts nothing', async () => {
    extraEnv = { LEDGER_PORT: String(await freePort()) };
    const file = path.join(dir, 'special.yaml');
    writeFileSync(file, special);
    await expect(jianguan('campaign', 'rehearse', file, '--from-ledger')).rejects.toThrow(
      /--from-ledger: no worker serves its embedded ledger/,
    );
    extraEnv = {};
  });
});
