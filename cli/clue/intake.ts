// `jianguan clue intake FILE`: one clue received here (by phone, letter, web, in person or fax) from a YAML/JSON file.
// Everything is checked first (every problem by its path; nothing written). Then, with Temporal reachable: what the
// ledger holds for the clue number is compared (the same clue again is "already registered"; another reporter or other
// facts under the same number are refused), the reporter's identity sealed and saved, and the workflow started.
//
// Idempotent by the clue number. The comparison is of the sealed identity (opened with the codec's keys) and of the
// clue's ledger row where the workflow has written it: kept simple, a registration that differs in anything the
// ledger holds is refused, whatever the difference.
import { formatLocal } from '../../domain/calendar';
import { clueIntakeSchema } from '../../domain/clue-intake';
import { clueWorkflowId } from '../../domain/business-keys';
import { clueContextFromPlan } from '../../workflows/clue/context';
import { plan as loadPlanFile, settings, UsageError, withClient } from '../context';
import { noLedgerNote, withLedger } from '../ledger';
import { readPayloadFile, validated } from '../payload';
import {
  acceptanceDue,
  cliSealer,
  clueInputOf,
  conflictWithLedger,
  recordedClue,
  saveSealedReporter,
  startClue,
  type Registration,
} from './register';

export interface IntakeOptions {
  plan?: string;
}

/** Reads the file as `--file` payloads are read (size bound, encodings), refused naming the file instead of the flag. */
function readIntakeFile(file: string): unknown {
  try {
    return readPayloadFile(file);
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(error.message.replace(/^--file: /, ''));
    throw error;
  }
}

/** Registers the clue of `file`; returns the lines to print. */
export async function intake(file: string, options: IntakeOptions, now = new Date()): Promise<string[]> {
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const jurisdiction = plan.jurisdiction.code;
  const schema = clueIntakeSchema({ now, institutions: new Set(plan.institutions.map((i) => i.id)), jurisdiction });
  const checked = validated(schema, readIntakeFile(file), 'clue intake', { file });
  const registration: Registration = { ...checked, receivedAt: checked.receivedAt ?? now.toISOString(), source: { kind: 'local' } };
  const input = clueInputOf(plan, clueContextFromPlan(plan), registration);
  const dueAt = acceptanceDue(input);
  const sealer = cliSealer(config);
  const id = clueWorkflowId(jurisdiction, input.clueNo);

  // Temporal first: when it cannot be reached nothing is written.
  const started = await withClient(config, async (client) => {
    const saved = await withLedger(config, async (store) => {
      const conflict = conflictWithLedger(registration, sealer, await recordedClue(store, jurisdiction, input.clueNo));
      if (conflict) throw new UsageError(`clue ${input.clueNo} refused: ${conflict} (nothing written)`);
      await saveSealedReporter(store, sealer, jurisdiction, registration);
      return true;
    });
    if (!saved) throw new UsageError(`nothing registered: ${noLedgerNote(config)}`);
    return startClue(client, config.temporal.taskQueue, input, dueAt);
  });
  if (!started) return [`clue ${input.clueNo} already registered (${id}): nothing started`];
  const reporter = input.reporter.realName ? `real name, ${input.reporter.masked}` : 'anonymous';
  return [
    `registered clue ${input.clueNo} (${id}): 待受理, acceptance due ${formatLocal(dueAt, plan.jurisdiction.timeZone)}`,
    `reporter     ${reporter}${input.reporter.reachable ? (input.reporter.byEmail ? ', told by e-mail' : ', told by the handling unit') : ', cannot be told'}; identity sealed in the ledger`,
  ];
}

export async function intakeCommand(file: string, options: IntakeOptions): Promise<void> {
  for (const line of await intake(file, options)) console.log(line);
}
