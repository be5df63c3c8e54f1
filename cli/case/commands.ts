// `jianguan case list|show|publish|decide|recheck|ack-referral|pay`: administrators' view of violation cases (案件) and the
// decisions they send to the case workflow as Temporal Updates, wired to commander with their flags and help texts.
import { Option, type Command } from 'commander';
import { idArg, planOption, yearArg } from '../options';
import { REFERRAL_AGENCIES } from '../../domain/case';
import { listCommand } from './list';
import { publishCommand } from './publish';
import { DECISION_ACTIONS } from './payloads';
import { showCommand } from './show';
import { ackReferralCommand, caseRecheckCommand, decideCommand, payCommand } from './updates';

export function registerCaseCommands(program: Command): void {
  const cases = program.command('case').description('violation cases (案件): list, show, and the decisions that move them');
  const caseNo = ['<caseNo>', 'the case number, the part after case:{jurisdiction}: (e.g. 349901-demo-2026.H001)'] as const;

  planOption(cases.command('list'))
    .description('the cases of the jurisdiction from the ledger, overdue first (amounts in yuan)')
    .option('--year <year>', 'only cases opened in this year', yearArg)
    .option('--open', 'only open cases (not closed or withdrawn)')
    .option('--institution <id>', 'only the cases of this institution', idArg('--institution'))
    .action(listCommand);

  planOption(cases.command('show'))
    .description("a case's status (a workflow query: stage, deadlines, penalty, referrals) and its audit trail from the ledger")
    .argument(...caseNo)
    .action(showCommand);

  planOption(cases.command('publish'))
    .description('approve a closed case for publication as a typical case (曝光典型案例): the anonymised text, recorded once')
    .argument(...caseNo)
    .requiredOption('--approved-by <leaderId>', 'the approving leader (a leader of the plan)')
    .option('--preview', 'show the text without recording it')
    .action(publishCommand);

  planOption(cases.command('decide'))
    .description('a decision on a case: a ladder step, the penalty, a referral or the withdrawal (a validated Update)')
    .argument(...caseNo)
    .addOption(new Option('--action <action>', 'the decision').choices(DECISION_ACTIONS))
    .option('--by <officerId>', 'the deciding officer (never the inspector who recorded the findings)')
    .option('--reason <text>', 'the reason, as it goes into the record and the notice')
    .option('--months <n>', 'suspend: months of suspension of fund-paid services')
    .option('--public-criticism', 'rectified|suspend|terminate|blacklist|close: with public criticism (公开曝光)')
    .option('--fine <spec...>', 'penalty: the fine under an article as a multiple of its loss, ARTICLE:MULTIPLE, e.g. 38:1.5 (repeatable)')
    .option('--approved-by <id>', 'penalty: the second approver (required above the configured amount)')
    .option(
      '--points <spec...>',
      "penalty: a practitioner's points deduction PRACTITIONER:TIER:POINTS[:MONTHS], e.g. D0123:3:9:3 (repeatable)",
    )
    .addOption(new Option('--agency <agency>', 'refer: the agency (移送)').choices(REFERRAL_AGENCIES))
    .option('--person <spec...>', 'refer (discipline): a person flagged for the discipline commission, "姓名|职务" (name|role, repeatable)')
    .option('--file <path>', 'the whole payload as JSON or YAML instead of --by/--reason/…')
    .action(decideCommand);

  planOption(cases.command('recheck'))
    .description('record the recheck of the rectification (by an inspector of the team)')
    .argument(...caseNo)
    .requiredOption('--inspector <id>', 'the rechecking inspector', idArg('--inspector'))
    .addOption(new Option('--rectified', 'the institution has rectified'))
    .addOption(new Option('--not-rectified', 'the institution has not rectified').conflicts('rectified'))
    .option('--note <text>', 'free-text note')
    .option('--at <datetime>', 'when the recheck took place, ISO-8601 with offset (default: now)')
    .action(caseRecheckCommand);

  planOption(cases.command('ack-referral'))
    .description("record an agency's acknowledgement (回执) of a referral")
    .argument(...caseNo)
    .addOption(new Option('--agency <agency>', 'the agency the case was referred to').choices(REFERRAL_AGENCIES).makeOptionMandatory())
    .requiredOption('--by <name>', 'who acknowledged, at the agency')
    .requiredOption('--reference <ref>', "the agency's reference (文号)")
    .option('--at <datetime>', 'when it was acknowledged, ISO-8601 with offset (default: now)')
    .action(ackReferralCommand);

  planOption(cases.command('pay'))
    .description('record a payment of the recovery and fine')
    .argument(...caseNo)
    .requiredOption('--amount <yuan>', 'the amount paid in yuan, e.g. 1234.50')
    .requiredOption('--reference <ref>', 'the payment reference (缴款凭证号)')
    .requiredOption('--by <id>', 'the officer recording the payment')
    .option('--at <datetime>', 'when it was paid, ISO-8601 with offset (default: now)')
    .action(payCommand);
}
