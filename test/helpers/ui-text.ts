// What leadership reads of a workflow in the Web UI, and the leaks of code into it. The list's columns are search
// attributes; a workflow's page shows its static summary and details, its current details and the summary of every
// timer and activity (user metadata in the history). All of it is Chinese for people who do not read workflow code.
import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';

/**
 * English codes (`awaiting-payment`, `public-security`) and raw workflow ids (`coverage:349901:2027`) in `text`.
 * `allowed`: codes people do use, such as a case number (`349901-demo-2026.H001`) or clue number. Markdown links are
 * left out (their target is a list query: `WorkflowType="inspection"` is the UI's language, not a leak).
 */
export function uiTextLeaks(text: string, allowed: readonly string[] = []): string[] {
  let rest = text.replace(/\]\([^)]*\)/g, ']');
  for (const code of allowed) rest = rest.split(code).join('');
  return rest.match(/\b[a-z][\w.-]*:[\w.-]+|\b[a-z]{3,}(?:-[a-z]+)*\b/g) ?? [];
}

export interface UiText {
  /** Where the UI shows it: `staticSummary`, `staticDetails`, `currentDetails`, `summary` (of a timer or activity). */
  what: string;
  text: string;
}

/** Every text of one workflow the Web UI shows in Chinese. */
export async function uiTexts(handle: WorkflowHandle): Promise<UiText[]> {
  const texts: UiText[] = [];
  const description = await handle.describe();
  const staticSummary = await description.staticSummary();
  const staticDetails = await description.staticDetails();
  if (staticSummary) texts.push({ what: 'staticSummary', text: staticSummary });
  if (staticDetails) texts.push({ what: 'staticDetails', text: staticDetails });
  if (description.status.name === 'RUNNING') {
    const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    if (metadata.currentDetails) texts.push({ what: 'currentDetails', text: metadata.currentDetails });
  }
  const history = await handle.fetchHistory();
  for (const event of history.events ?? []) {
    const summary = event.userMetadata?.summary;
    if (summary) texts.push({ what: 'summary', text: defaultPayloadConverter.fromPayload<string>(summary) });
  }
  return texts;
}

/** Each leak in `texts`, as `leak in what: text`. */
export const leaksIn = (texts: readonly UiText[], allowed: readonly string[] = []): string[] =>
  texts.flatMap(({ what, text }) => uiTextLeaks(text, allowed).map((leak) => `${leak} in ${what}: ${text}`));
