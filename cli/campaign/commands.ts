// `jianguan campaign …`: campaigns launched from a file — start, list, show, status, cancel.
import type { Command } from 'commander';
import { idArg, planOption, weekArg } from '../options';
import { showProblemListWeek, submitProblemList, type SubmitOptions } from './ledger';
import { cancelCampaign, campaignStatus, listCampaigns, showCampaign } from './read';
import { rehearsalOptions, rehearseCampaign, type RehearseOptions } from '../rehearse/rehearse';
import { startCampaign } from './start';

const print = (lines: string[]) => {
  for (const line of lines) console.log(line);
};

export function registerCampaignCommands(program: Command): void {
  const campaign = program.command('campaign').description('campaigns launched from a file (special, targeted, re-check)');
  planOption(
    campaign
      .command('start')
      .description('check a campaign file against the plan and start it (idempotent by its id)')
      .argument('<file>', 'campaign file (YAML)'),
  ).action(async (file: string, options: { plan?: string }) => print(await startCampaign(file, options)));
  rehearsalOptions(
    planOption(
      campaign
        .command('rehearse')
        .description(
          'run the campaign ahead on an embedded time-skipping server and a throwaway ledger; print every phase, deadline, reminder and escalation by date',
        )
        .argument('<file>', 'campaign file (YAML)'),
    ),
  ).action(async (file: string, options: RehearseOptions) => print(await rehearseCampaign(file, options)));
  planOption(campaign.command('list').description("the jurisdiction's campaigns from files, from the ledger")).action(
    async (options: { plan?: string }) => print(await listCampaigns(options)),
  );
  planOption(
    campaign
      .command('show')
      .description('a campaign file as recorded: legal basis, selectors, phases, responsible tasks, frozen targets')
      .argument('<id>', 'campaign id', idArg('<id>')),
  ).action(async (id: string, options: { plan?: string }) => print(await showCampaign(id, options)));
  planOption(
    campaign
      .command('status')
      .description("a campaign's stage and progress (its workflow's query; the ledger when it is gone)")
      .argument('<id>', 'campaign id', idArg('<id>')),
  ).action(async (id: string, options: { plan?: string }) => print(await campaignStatus(id, options)));
  planOption(
    campaign
      .command('cancel')
      .description('cancel a campaign: recorded with the reason in the ledger and audit trail, its workflow cancelled')
      .argument('<id>', 'campaign id', idArg('<id>'))
      .requiredOption('--reason <text>', 'why it is cancelled')
      .option('--by <id>', "who decided it: one of the plan's leaders", idArg('--by')),
  ).action(async (id: string, options: { reason: string; by?: string; plan?: string }) => print(await cancelCampaign(id, options)));
  const ledger = campaign.command('ledger').description("the responsible tasks' weekly 问题台账 (ledgerSubmissions)");
  planOption(
    ledger
      .command('submit')
      .description("submit a unit's 问题台账 of the week (XLSX, CSV or YAML: 发现问题, 整改措施, 整改时限, 整改状态)")
      .argument('<file>', 'the 台账')
      .requiredOption('--campaign <id>', 'the campaign', idArg('--campaign'))
      .requiredOption('--unit <id>', "the responsible unit (the plan's id)", idArg('--unit'))
      .option('--week <YYYY-Www>', 'the week (default: the week open now)', weekArg),
  ).action(async (file: string, options: SubmitOptions) => print(await submitProblemList(file, options)));
  planOption(
    ledger
      .command('show')
      .description("a week's 问题台账: deadline, who submitted, who is missing, the leaders told")
      .requiredOption('--campaign <id>', 'the campaign', idArg('--campaign'))
      .option('--week <YYYY-Www>', 'the week (default: the week open now)', weekArg),
  ).action(async (options: { campaign: string; week?: string; plan?: string }) => print(await showProblemListWeek(options)));
}
