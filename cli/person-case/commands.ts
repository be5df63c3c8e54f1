// `jianguan person-case open|decide|show|list|person`: cases against insured persons (参保人员) and 职业骗保人, wired to
// commander with their flags and help texts. The commands stay thin: the rules are domain/person-case.ts and the workflow.
import { Option, type Command } from 'commander';
import { JUDICIAL_AGENCIES, PERSON_DECISION_ACTIONS } from '../../domain/person-case';
import { planOption, yearArg } from '../options';
import { personDecideCommand } from './decide';
import { openPersonCase } from './open';
import { revealPerson } from './person';
import { personListCommand, personShowCommand } from './view';

export function registerPersonCaseCommands(program: Command): void {
  const cases = program
    .command('person-case')
    .description('cases against insured persons (参保人员, 职业骗保人): open, decide, show, list');
  const caseNo = ['<caseNo>', 'the case number, the part after person-case:{jurisdiction}: (no personal data)'] as const;

  planOption(cases.command('open'))
    .description('open a case from a YAML/JSON file: person, source, items with amounts, responsible unit (checked first)')
    .argument('<file>', 'the case file')
    .action(async (file: string, options: { plan?: string }) => {
      for (const line of await openPersonCase(file, options)) console.log(line);
    });

  planOption(cases.command('decide'))
    .description('a decision on a person case (a validated Update): 约谈, 暂停医保卡结算, 行政处罚, 移交司法机关, other, 追回, close')
    .argument(...caseNo)
    .addOption(new Option('--action <action>', 'the decision').choices(PERSON_DECISION_ACTIONS))
    .option('--by <officerId>', 'the deciding officer (never whoever recorded the source)')
    .option('--reason <text>', 'the reason, as it goes into the record and the notice')
    .option('--months <n>', 'suspend-card: months of card-settlement suspension (3–12 under article 41)')
    .option('--paragraph <key>', 'penalty: the paragraph of the plan table, e.g. 41-2')
    .option('--multiple <n>', 'penalty: the fine as a multiple of the amount obtained, e.g. 2')
    .option('--approved-by <id>', 'penalty: the second approver (required above the configured amount)')
    .addOption(new Option('--agency <agency>', 'refer: the police or the procuratorate').choices(JUDICIAL_AGENCIES))
    .option('--note <text>', 'other: what was done')
    .option('--amount <yuan>', 'recover: the money recovered in yuan, e.g. 3000.00')
    .option('--reference <ref>', 'recover: the payment reference (缴款凭证号)')
    .option('--file <path>', 'the whole payload as JSON or YAML instead of the flags')
    .action(personDecideCommand);

  planOption(cases.command('show'))
    .description("a person case from the ledger (the person masked) with the workflow's status")
    .argument(...caseNo)
    .action(personShowCommand);

  planOption(cases.command('person'))
    .description("the person a case is against, opened from the ledger's sealed table for an officer; the look is audited first")
    .argument(...caseNo)
    .requiredOption('--by <officerId>', 'the officer looking (a leader or inspector of the plan)')
    .option('--reason <text>', 'why, as the audit trail records it')
    .action(async (caseNoArg: string, options: { by?: string; reason?: string; plan?: string }) => {
      for (const line of await revealPerson(caseNoArg, options)) console.log(line);
    });

  planOption(cases.command('list'))
    .description('the person cases of the jurisdiction from the ledger')
    .option('--year <year>', 'only cases of this year', yearArg)
    .option('--open', 'only open cases')
    .action(personListCommand);
}
