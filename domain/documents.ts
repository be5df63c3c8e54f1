// An official document (公文) as the ledger keeps it: plain text, the title on the first line, the issuing bureau on
// the last, the body between (one paragraph per line). Texts are built in workflows (deterministic, stored with the
// record) and rendered as Word documents only where a file is made (activities/documents.ts).

export interface OfficialDocument {
  title: string;
  paragraphs: string[];
  /** The issuing authority, printed at the end (落款). */
  signature: string;
}

export function documentText(d: OfficialDocument): string {
  return [d.title, '', ...d.paragraphs, '', d.signature].join('\n');
}

/** The document a text of documentText() was made from (blank lines dropped). */
export function documentOfText(text: string): OfficialDocument {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (lines.length < 2) return { title: lines[0] ?? '', paragraphs: [], signature: '' };
  return { title: lines[0]!, paragraphs: lines.slice(1, -1), signature: lines.at(-1)! };
}
