// `jianguan selfcheck …`: a target's self-check report (自查报告) in a special campaign's 自查自纠 phase. The file (YAML or
// JSON) is checked with the workflow's own schema first, every problem named by its path, nothing sent on a bad one;
// then the Update `submitSelfCheck` goes to `selfcheck:{campaignId}:{institutionId}`, whose validator refuses a second
// report and any report outside the phase (the workflow runs only while the phase does).
import type { Command } from 'commander';
import { selfCheckWorkflowId } from '../domain/business-keys';
import { formatYuan } from '../domain/inspection';
import { refundedFen, selfCheckReportSchema } from '../domain/self-check';
import { SELF_CHECK_STAGE_LABELS as STAGES } from '../domain/stages';
import { selfCheckStatusQuery, submitSelfCheckUpdate, type SelfCheckStatus } from '../workflows/special-campaign/api';
import { plan as loadPlanFile, queryWorkflow, sendUpdateOrReject, settings, UsageError, withClient } from './context';
import { idArg, planOption } from './options';
import { localTime } from './output';
import { readPayloadFile, validated } from './payload';

interface Target {
  campaign: string;
  institution: string;
  plan?: string;
}

function statusLines(s: SelfCheckStatus, tz: string): string[] {
  return [
    `self-check   ${selfCheckWorkflowId(s.campaignId, s.institutionId)}`,
    `stage        ${s.stage} (${STAGES[s.stage]})`,
    `due          ${localTime(s.dueAt, tz)}; the phase closes ${localTime(s.closesAt, tz)} (${tz})`,
    `reminders    ${s.remindersSent}`,
    ...(s.submittedAt ? [`submitted    ${localTime(s.submittedAt, tz)}; refunded ${formatYuan(s.refundedFen ?? 0)}`] : []),
  ];
}

export async function submitSelfCheck(file: string, target: Target): Promise<string[]> {
  const config = settings();
  const plan = await loadPlanFile(config, target.plan);
  const report = validated(selfCheckReportSchema, readPayloadFile(file), 'self-check report', { file });
  const workflowId = selfCheckWorkflowId(target.campaign, target.institution);
  const status = await withClient(config, async (client) => {
    try {
      return await sendUpdateOrReject(client, workflowId, submitSelfCheckUpdate, report);
    } catch (error) {
      if (!(error instanceof UsageError && error.message.startsWith('no running workflow'))) throw error;
      // The self-check ends once its report is in: a closed one still answers its query.
      const closed = await queryWorkflow(client, workflowId, selfCheckStatusQuery).catch(() => undefined);
      if (closed?.submittedAt)
        throw new UsageError(
          `${target.institution} submitted its report at ${localTime(closed.submittedAt, plan.jurisdiction.timeZone)} (${STAGES[closed.stage]}): a second one is not taken (nothing sent)`,
        );
      throw new UsageError(
        `no self-check open for ${target.institution} in campaign ${target.campaign}: the 自查自纠 phase has not started or has closed, or the institution is not a target (nothing sent)`,
      );
    }
  });
  return [
    `recorded: ${target.institution} → ${status.stage} (${STAGES[status.stage]}), refunded ${formatYuan(refundedFen(report))}`,
    ...statusLines(status, plan.jurisdiction.timeZone),
  ];
}

export async function showSelfCheck(target: Target): Promise<string[]> {
  const config = settings();
  const plan = await loadPlanFile(config, target.plan);
  const workflowId = selfCheckWorkflowId(target.campaign, target.institution);
  const status = await withClient(config, (client) => queryWorkflow(client, workflowId, selfCheckStatusQuery));
  if (!status) throw new UsageError(`no self-check ${workflowId}`);
  return statusLines(status, plan.jurisdiction.timeZone);
}

const targetOptions = (command: Command) =>
  planOption(
    command
      .requiredOption('--campaign <id>', 'the special campaign', idArg('--campaign'))
      .requiredOption('--institution <id>', 'the target institution', idArg('--institution')),
  );

export function registerSelfCheckCommands(program: Command): void {
  const selfcheck = program.command('selfcheck').description("a special campaign's self-check reports (自查自纠)");
  const print = (lines: string[]) => lines.forEach((line) => console.log(line));
  targetOptions(
    selfcheck
      .command('submit')
      .description("submit a target's self-check report (YAML/JSON: submittedBy, items, measures, note)")
      .argument('<file>', 'the report'),
  ).action(async (file: string, options: Target) => print(await submitSelfCheck(file, options)));
  targetOptions(selfcheck.command('show').description("a target's self-check: stage, due date, reminders, report")).action(
    async (options: Target) => print(await showSelfCheck(options)),
  );
}
