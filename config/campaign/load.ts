// Reading a campaign file: YAML or JSON (config/input-file.ts: bounded, UTF-8 or GBK), checked against the plan, one
// error listing every problem by its path (config/plan/errors.ts), as a plan file is read.
import { MiB, InputFileError, parseYaml, readTextFile, YamlError } from '../input-file';
import type { Plan } from '../plan';
import { PlanError } from '../plan/errors';
import { planMessages, schemaProblems } from '../plan/messages';
import { campaignFileSchema, type CampaignFile } from './schema';

/** A campaign names its selectors, phases and tasks, not its institutions one by one by the thousand. */
export const CAMPAIGN_FILE_MAX_BYTES = 4 * MiB;

/** Parses and checks campaign YAML against `plan`; `source` names it in errors. Throws PlanError. */
export function parseCampaignFile(text: string, source: string, plan: Plan): CampaignFile {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    if (!(error instanceof YamlError)) throw error;
    throw new PlanError(
      source,
      error.problems,
      error.syntax ? `YAML syntax error in campaign file ${source}` : `Invalid campaign file ${source}`,
    );
  }
  const result = campaignFileSchema(plan).safeParse(data, { error: planMessages });
  if (!result.success) throw new PlanError(source, schemaProblems(result.error.issues), `Invalid campaign file ${source}`);
  return result.data;
}

/** Reads and checks a campaign file. Throws PlanError, also when the file cannot be read. */
export function loadCampaignFile(file: string, plan: Plan): CampaignFile {
  let text: string;
  try {
    text = readTextFile(file, CAMPAIGN_FILE_MAX_BYTES);
  } catch (error) {
    if (!(error instanceof InputFileError)) throw error;
    throw new PlanError(file, [{ path: '(file)', message: error.message }], `Cannot read campaign file ${file}`);
  }
  return parseCampaignFile(text, file, plan);
}
