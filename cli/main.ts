// The administrators' command line, `jianguan` (`npm run jianguan -- <command>`). Every command has --help.
import { ServiceError } from '@temporalio/client';
import { Command } from 'commander';
import { PayloadDecryptionError } from '../codec/encryption-codec';
import { ConfigError, holidayCalendarWarnings, loadPlan, PlanError } from '../config';
import { InputFileError } from '../config/input-file';
import { registerSearchAttributes } from '../workers/setup';
import { registerCampaignCommands } from './campaign/commands';
import { registerCaseCommands } from './case/commands';
import { registerClueCommands } from './clue/commands';
import { registerPersonCaseCommands } from './person-case/commands';
import { codecServer } from './codec-server';
import { settings, UsageError, withClient } from './context';
import { cycleStartCommand, schedulesApplyCommand } from './cycle';
import { dev } from './dev';
import { exitQuietlyOnClosedOutput } from './output';
import { registerDrawCommands } from './draw';
import { idArg, yearArg } from './options';
import { recordFindings, showInspection } from './inspection';
import { registerPointsCommands } from './points';
import { registerReportCommands } from './report';
import { registerRiskCommands } from './risk';
import { registerRuleCommands } from './rule';
import { registerSelfCheckCommands } from './selfcheck';
import { rehearsalOptions, rehearseYear, type RehearseOptions } from './rehearse/rehearse';
import { status } from './status';

function target(command: Command): Command {
  return command
    .requiredOption('--campaign <id>', 'campaign id, e.g. 349901-demo-2026', idArg('--campaign'))
    .requiredOption('--institution <id>', 'institution id from the plan', idArg('--institution'));
}

export function buildProgram(): Command {
  const program = new Command('jianguan')
    .description('Medical insurance fund supervision campaigns (医保基金监管) as Temporal workflows')
    .showHelpAfterError()
    .configureHelp({ showGlobalOptions: true });

  program
    .command('dev')
    .description(
      'run everything locally: Temporal dev server + Web UI, record store, worker, and the demo campaign (what `npm start` runs)',
    )
    .option('--plan <file>', 'jurisdiction plan (default: JIANGUAN_PLAN or the sample plan)')
    .action(dev);

  program
    .command('codec-server')
    .description(
      'serve /encode and /decode for the Temporal Web UI and CLI (JIANGUAN_CODEC_ADDRESS, JIANGUAN_CODEC_TOKEN, JIANGUAN_CODEC_ORIGINS; keys as the workers)',
    )
    .action(codecServer);

  program
    .command('setup')
    .description('register the search attributes in the configured Temporal namespace (idempotent; for clusters)')
    .action(async () => {
      const config = settings();
      const added = await withClient(config, (_client, connection) => registerSearchAttributes(connection, config.temporal.namespace));
      console.log(added.length ? `added search attributes: ${added.join(', ')}` : 'search attributes already registered');
    });

  const plan = program.command('plan').description('jurisdiction plan files');
  plan
    .command('check')
    .description('validate a plan file and list every problem by its path')
    .argument('<file>', 'plan file (YAML)')
    .action(async (file: string) => {
      const checked = await loadPlan(file);
      console.log(
        `${file}: OK — ${checked.jurisdiction.name} (${checked.jurisdiction.code}), ${checked.institutions.length} institutions, ${checked.inspectors.length} inspectors, ${checked.responsibleUnits.length} responsible units`,
      );
      for (const warning of holidayCalendarWarnings(checked, new Date())) console.error(`warning: ${warning}`);
    });

  rehearsalOptions(
    plan
      .command('rehearse')
      .description(
        "run the year's annual cycle ahead on an embedded time-skipping server and a throwaway ledger; print every part, deadline, reminder and escalation by date",
      )
      .requiredOption('--year <year>', 'the year, e.g. 2027', yearArg)
      .option('--plan <file>', 'jurisdiction plan (default: JIANGUAN_PLAN or the sample plan)'),
  ).action(async (options: RehearseOptions & { year: number }) => {
    for (const line of await rehearseYear(options)) console.log(line);
  });

  const inspection = program.command('inspection').description("an institution's inspection in a campaign");
  target(inspection.command('record'))
    .description('record the findings of an on-site inspection (from flags or --file)')
    .option('--inspector <id>', 'the recording inspector (must be on the team)', idArg('--inspector'))
    .option('--violation', 'violations were found (give --item)')
    .option('--no-violation', 'no violation was found')
    .option('--item <spec...>', 'a violation item "类别|描述|金额（元）|条款" (repeatable)')
    .option('--note <text>', 'free-text note')
    .option('--at <datetime>', 'when the inspection took place, ISO-8601 with offset (default: now)')
    .option('--file <path>', 'the whole findings payload as JSON or YAML instead of flags')
    .action(recordFindings);
  target(inspection.command('show'))
    .description("an inspection's current status (a workflow query); deadlines in the plan's time zone")
    .option('--plan <file>', 'jurisdiction plan, for its time zone (default: JIANGUAN_PLAN or the sample plan)')
    .action(showInspection);

  const cycle = program.command('cycle').description("a jurisdiction's supervision year (annual cycle)");
  cycle
    .command('start')
    .description('start the annual cycle of a year by hand (idempotent: an already running cycle is kept)')
    .requiredOption('--year <year>', 'the year, e.g. 2027', yearArg)
    .option('--plan <file>', 'jurisdiction plan (default: JIANGUAN_PLAN or the sample plan)')
    .action(cycleStartCommand);

  const schedules = program.command('schedules').description('Temporal Schedules');
  schedules
    .command('apply')
    .description("create or update the Schedules that start each year's cycle and make each week's tables, from the plan (idempotent)")
    .option('--plan <file>', 'jurisdiction plan (default: JIANGUAN_PLAN or the sample plan)')
    .action(schedulesApplyCommand);

  registerCampaignCommands(program);
  registerSelfCheckCommands(program);
  registerDrawCommands(program);
  registerRiskCommands(program);
  registerCaseCommands(program);
  registerClueCommands(program);
  registerPersonCaseCommands(program);
  registerPointsCommands(program);
  registerReportCommands(program);
  registerRuleCommands(program);

  program
    .command('status')
    .description("a campaign's inspections by stage, overdue first")
    .requiredOption('--campaign <id>', 'campaign id, e.g. 349901-demo-2026', idArg('--campaign'))
    .option('--plan <file>', 'jurisdiction plan, for its time zone (default: JIANGUAN_PLAN or the sample plan)')
    .action(status);

  return program;
}

/**
 * User errors (bad settings or keys, plan, flags, files, rejected updates) print one clear message and exit 1; so does a
 * request the Temporal server refused (one too large for it, say), with the server's reason instead of a gRPC stack
 * trace. Anything else is a defect and keeps its stack.
 */
function report(error: unknown): never {
  if (
    error instanceof ConfigError ||
    error instanceof PlanError ||
    error instanceof UsageError ||
    error instanceof InputFileError ||
    error instanceof PayloadDecryptionError // a key missing from this machine's settings
  ) {
    console.error(`error: ${error.message}`);
  } else if (error instanceof ServiceError) {
    console.error(`error: the Temporal server refused the request: ${error.cause?.message ?? error.message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
}

if (require.main === module) {
  exitQuietlyOnClosedOutput();
  buildProgram().parseAsync(process.argv).catch(report);
}
