// `jianguan rule add|list`: the rules, measures and mechanisms the bureau adopted (建章立制: seed 002's third phase, the
// county weekly table's note 2), recorded once by name in the ledger. The weekly tables list those of their period, the
// year's statistics count them, a special campaign's summary names those recorded under it.
import type { Command } from 'commander';
import { formatLocalDate, localInstant, localYear, yearStart } from '../domain/calendar';
import { NAME_MAX } from '../domain/validation';
import { plan as loadPlanFile, settings, UsageError } from './context';
import { noLedgerNote, withLedger } from './ledger';
import { formatTable } from './output';
import { idArg, planOption, yearArg } from './options';

interface AddOptions {
  name: string;
  adopted: string;
  by: string;
  document?: string;
  campaign?: string;
  plan?: string;
}

export async function ruleAddCommand(options: AddOptions): Promise<void> {
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const tz = plan.jurisdiction.timeZone;
  const problems: string[] = [];
  const name = options.name.trim();
  if (!name || name.length > NAME_MAX) problems.push(`--name: required, at most ${NAME_MAX} characters`);
  const date = /^(\d{4})-(\d{2}-\d{2})$/.exec(options.adopted);
  let adoptedAt: Date | undefined;
  try {
    adoptedAt = date ? localInstant(Number(date[1]), date[2]!, '00:00', tz) : undefined;
  } catch {
    adoptedAt = undefined;
  }
  if (!adoptedAt) problems.push(`--adopted: "${options.adopted}" is not a date YYYY-MM-DD`);
  else if (adoptedAt > new Date()) problems.push(`--adopted: ${options.adopted} is in the future`);
  if (!plan.leaders.some((l) => l.id === options.by))
    problems.push(`--by: "${options.by}" is not a leader of the plan (${plan.leaders.map((l) => l.id).join(', ')})`);
  if (problems.length > 0) throw new UsageError(`nothing recorded:\n  ${problems.join('\n  ')}`);
  const row = {
    jurisdiction: plan.jurisdiction.code,
    name,
    documentNo: options.document?.trim() || null,
    adoptedAt: adoptedAt!.toISOString(),
    adoptedBy: options.by,
    campaignId: options.campaign ?? null,
  };
  const recorded = await withLedger(config, async (store) => {
    if (options.campaign && !(await store.getCampaignFile(options.campaign)))
      throw new UsageError(`--campaign: no campaign ${options.campaign} in the ledger (nothing recorded)`);
    return store.recordAdoptedRule(row, {
      key: `adopted-rule:${row.jurisdiction}:${name}`,
      actor: options.by,
      action: 'rule-adopted',
      subjectType: 'jurisdiction',
      subjectId: row.jurisdiction,
      reason: `建章立制：${name}${row.documentNo ? `（${row.documentNo}）` : ''}`,
      detail: { campaignId: row.campaignId },
      at: new Date().toISOString(),
    });
  });
  if (!recorded) throw new UsageError(`nothing recorded: ${noLedgerNote(config)}`);
  console.log(`rule ${name}: recorded, adopted ${formatLocalDate(new Date(recorded.adoptedAt), tz)} by ${recorded.adoptedBy}`);
}

export async function ruleListCommand(options: { year?: number; plan?: string }): Promise<void> {
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const tz = plan.jurisdiction.timeZone;
  const year = options.year ?? localYear(new Date(), tz);
  const range = { from: yearStart(year, tz).toISOString(), to: new Date(yearStart(year + 1, tz).getTime() - 1).toISOString() };
  const rules = await withLedger(config, (store) => store.listAdoptedRules(plan.jurisdiction.code, range));
  if (!rules) throw new UsageError(`the rules are in the ledger: ${noLedgerNote(config)}`);
  console.log(`${plan.jurisdiction.name} (${plan.jurisdiction.code}): ${rules.length} rule(s) adopted in ${year}`);
  if (rules.length === 0) return;
  console.log(
    formatTable(
      ['adopted', 'name', 'document', 'by', 'campaign'].map((header) => ({ header })),
      rules.map((r) => [formatLocalDate(new Date(r.adoptedAt), tz), r.name, r.documentNo ?? '-', r.adoptedBy, r.campaignId ?? '-']),
    ),
  );
}

export function registerRuleCommands(program: Command): void {
  const rule = program.command('rule').description('rules adopted (建章立制): recorded once by name, listed by year');
  planOption(rule.command('add'))
    .description('record a rule, measure or mechanism the bureau adopted')
    .requiredOption('--name <text>', 'its name, e.g. 《定点医药机构医保违规行为内部通报制度》')
    .requiredOption('--adopted <YYYY-MM-DD>', 'the day it was adopted')
    .requiredOption('--by <leaderId>', 'the leader who adopted it')
    .option('--document <text>', 'the document that issued it (文号)')
    .option('--campaign <id>', 'the campaign it came out of (its summary names it)', idArg('--campaign'))
    .action(ruleAddCommand);
  planOption(rule.command('list'))
    .description('the rules adopted in a year')
    .option('--year <year>', 'the year (default: this year)', yearArg)
    .action(ruleListCommand);
}
