// `jianguan clue intake|import-batch|accept|assign|reject|extend|verify|reward|claim|told|list|show|report|reporter`: tip-off clues
// (举报线索) registered from files, the decisions sent to each clue's workflow as Temporal Updates, the ledger's view,
// and the one command that shows a reporter's identity (audited), wired to commander with their flags and help texts.
import { Option, type Command } from 'commander';
import { idArg, planOption, yearArg } from '../options';
import { CLUE_ACTIONS, CLUE_OUTCOMES, CLUE_SOURCES, STAGE_LABELS } from '../../domain/clue';
import { importBatchCommand, BATCH_SOURCES } from './batch';
import { intakeCommand } from './intake';
import { listCluesCommand } from './list';
import { revealReporterCommand } from './reporter';
import { clueReportCommand } from './report';
import { showClueCommand } from './show';
import {
  acceptCommand,
  assignCommand,
  claimCommand,
  extendCommand,
  rejectCommand,
  rewardCommand,
  toldCommand,
  verifyCommand,
} from './updates';

const HOW = ['phone', 'letter', 'in-person', 'sms'] as const;

export function registerClueCommands(program: Command): void {
  const clues = program
    .command('clue')
    .description(
      'tip-off clues (举报线索): intake and transferred batches, the decisions on each, the ledger’s view; reporters shown masked',
    );
  const clueNo = ['<clueNo>', 'the clue number, the part after clue:{jurisdiction}: (e.g. JB-2026-0001)'] as const;

  planOption(clues.command('intake'))
    .description('register one clue received here from a YAML/JSON file; the reporter sealed into the ledger (idempotent by clue number)')
    .argument(
      '<file>',
      'the intake file: clueNo, receivedAt?, channel, institutionId or subject, summary, duplicateOf?, reporter, signatories? (docs/examples/clue-intake.yaml)',
    )
    .action(intakeCommand);

  planOption(clues.command('import-batch'))
    .description('register a batch transferred by the national or provincial bureau from CSV or XLSX; every row checked first (idempotent)')
    .argument(
      '<file>',
      'CSV with a header line (UTF-8, GBK/GB18030, UTF-16 with BOM) or .xlsx (first sheet, header row); columns clueNo, institutionId|subject, summary, receivedAt?, reporterName?, reporterPhone?, reporterIdNumber?, reporterAddress?, reporterEmail?',
    )
    .addOption(new Option('--source <source>', 'who transferred the batch').choices(BATCH_SOURCES).makeOptionMandatory())
    .requiredOption('--batch <no>', "the batch's number as the transferring bureau gives it", idArg('--batch'))
    .requiredOption('--date <YYYY-MM-DD>', 'the date of the transfer')
    .action(importBatchCommand);

  planOption(clues.command('accept'))
    .description('受理: accept the clue and assign it to a responsible unit to verify')
    .argument(...clueNo)
    .requiredOption('--by <officerId>', 'the deciding officer (a leader or inspector of the plan)')
    .requiredOption('--unit <unitId>', 'the responsible unit that verifies it')
    .option('--note <text>', 'instructions to the unit (交办意见)')
    .action(acceptCommand);

  planOption(clues.command('assign'))
    .description('改派: a leader moves a clue under verification to another responsible unit (the deadline stays)')
    .argument(...clueNo)
    .requiredOption('--by <leaderId>', 'the leader deciding it')
    .requiredOption('--unit <unitId>', 'the unit that verifies it from now on')
    .requiredOption('--reason <text>', 'why')
    .action(assignCommand);

  planOption(clues.command('reject'))
    .description('不予受理: decline the clue, with the reason the reporter is told')
    .argument(...clueNo)
    .requiredOption('--by <officerId>', 'the deciding officer')
    .requiredOption('--reason <text>', 'the reason')
    .action(rejectCommand);

  planOption(clues.command('extend'))
    .description("a leader's approval of more time to verify (once per clue)")
    .argument(...clueNo)
    .requiredOption('--by <leaderId>', 'the approving leader')
    .requiredOption('--reason <text>', 'why more time is needed')
    .action(extendCommand);

  planOption(clues.command('verify'))
    .description('the verification’s conclusion: outcome, verified amount, findings, and what follows (a case, a flying check, nothing)')
    .argument(...clueNo)
    .option('--by <officerId>', 'the officer who verified it')
    .addOption(new Option('--outcome <outcome>', 'the outcome').choices(CLUE_OUTCOMES))
    .option('--amount <yuan>', 'the verified amount in yuan, e.g. 12345.60')
    .option('--findings <text>', 'what the verification found')
    .addOption(new Option('--action <action>', 'what follows').choices(CLUE_ACTIONS))
    .option('--item <spec...>', 'an item found, "类别|描述|金额（元）|条款" (repeatable; a case needs one)')
    .option(
      '--file <path>',
      'the whole payload as JSON or YAML (handledBy, outcome, verifiedFen, findings, action, items) instead of the flags',
    )
    .action(verifyCommand);

  planOption(clues.command('reward'))
    .description("a leader's approval of the reward: the computed amount, or --amount with --reason")
    .argument(...clueNo)
    .requiredOption('--by <leaderId>', 'the approving leader (not the one who verified the clue)')
    .option('--amount <yuan>', 'another amount than the computed one, in yuan (between the floor and the cap)')
    .option('--reason <text>', 'why another amount')
    .action(rewardCommand);

  planOption(clues.command('claim'))
    .description('the reward paid out on the reporter’s claim')
    .argument(...clueNo)
    .requiredOption('--by <officerId>', 'the officer who paid it')
    .requiredOption('--reference <ref>', 'the payment reference (凭证号)')
    .option('--at <datetime>', 'when it was paid, ISO-8601 with offset (default: now)')
    .action(claimCommand);

  planOption(clues.command('told'))
    .description('record that a reporter without e-mail was told of a decision (by the handling unit)')
    .argument(...clueNo)
    .requiredOption('--event <event>', 'the notice: accepted, rejected, concluded or reward')
    .requiredOption('--by <officerId>', 'who told the reporter')
    .addOption(new Option('--how <how>', 'how the reporter was told').choices(HOW).makeOptionMandatory())
    .option('--at <datetime>', 'when, ISO-8601 with offset (default: now)')
    .action(toldCommand);

  planOption(clues.command('list'))
    .description('the jurisdiction’s clues from the ledger: number, received, source/batch, subject, reporter (masked), stage, due')
    .option('--year <year>', 'only clues received in this year', yearArg)
    .addOption(new Option('--source <source>', 'only clues from this source').choices(CLUE_SOURCES))
    .option('--batch <no>', 'only the clues of this transferred batch', idArg('--batch'))
    .addOption(new Option('--stage <stage>', 'only clues at this stage').choices(Object.keys(STAGE_LABELS)))
    .action(listCluesCommand);

  planOption(clues.command('show'))
    .description("a clue's status (reporter masked), its reporter notices, its reward, and its processing report (处理报告)")
    .argument(...clueNo)
    .action(showClueCommand);

  planOption(clues.command('report'))
    .description('the processing reports (处理报告) of a clue or of a transferred batch: printed, or a Word document (--out FILE.docx)')
    .argument('[clueNo]', 'the clue number (or its workflow id clue:{jurisdiction}:{clueNo})')
    .option('--batch <no>', 'every filed report of this transferred batch, one per page', idArg('--batch'))
    .option('--out <file>', 'write to FILE: a Word document when it ends in .docx, else UTF-8 text')
    .action(clueReportCommand);

  planOption(clues.command('reporter'))
    .description(
      "show the reporter's identity to an officer handling the clue (its unit's inspectors, the plan's leaders); recorded in the audit trail before it is printed",
    )
    .argument(...clueNo)
    .requiredOption('--by <officerId>', 'the officer looking (recorded)')
    .option('--reason <text>', 'why (recorded with the look)')
    .action(revealReporterCommand);
}
