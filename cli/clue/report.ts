// `jianguan clue report`: the processing reports (处理报告) the ledger keeps, of one clue or of a whole transferred
// batch (逐案形成处理报告, sent upward with the weekly tables): printed, or written to a file — a Word document laid
// out as an official document when the file ends in .docx, UTF-8 text otherwise.
import { writeFileSync } from 'node:fs';
import { officialDocumentsDocx } from '../../activities/documents';
import { documentOfText } from '../../domain/documents';
import type { ClueRecord } from '../../records/types';
import { plan as loadPlanFile, settings, UsageError } from '../context';
import { noLedgerNote, withLedger } from '../ledger';
import { parseClueNo, type Target } from './target';

export interface ReportOptions extends Target {
  batch?: string;
  out?: string;
}

const NOT_FILED = 'is filed when the clue is concluded or not accepted';

/** The reports to write: the named clue's, or every filed report of the batch (the rest named on stderr). */
function filedReports(rows: ClueRecord[], what: string): ClueRecord[] {
  const filed = rows.filter((r) => r.report);
  if (filed.length === 0) throw new UsageError(`${what} has no processing report yet (a report ${NOT_FILED})`);
  const pending = rows.length - filed.length;
  if (pending) console.error(`${pending} clue(s) of ${what} have no report yet (\`clue list --batch\` shows where they stand)`);
  return filed;
}

export async function clueReportCommand(clueNoArg: string | undefined, options: ReportOptions): Promise<void> {
  if (!clueNoArg === !options.batch) throw new UsageError('give either <clueNo> or --batch <no>, not both or neither');
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const jurisdiction = plan.jurisdiction.code;
  const clueNo = clueNoArg && parseClueNo(clueNoArg, jurisdiction);
  const rows = await withLedger(config, async (store) =>
    clueNo
      ? [await store.getClue(jurisdiction, clueNo)].filter((r) => r !== undefined)
      : store.listClues({ jurisdiction, batchNo: options.batch }),
  );
  if (!rows) throw new UsageError(`the processing reports are in the ledger: ${noLedgerNote(config)}`);
  const what = clueNo ? `clue ${clueNo}` : `batch ${options.batch}`;
  if (rows.length === 0) throw new UsageError(`${what}: not in the ledger of ${plan.jurisdiction.name}`);
  const reports = filedReports(rows, what);
  if (!options.out) return console.log(reports.map((r) => r.report).join('\n\n'));
  if (options.out.toLowerCase().endsWith('.docx'))
    writeFileSync(options.out, await officialDocumentsDocx(reports.map((r) => documentOfText(r.report!))));
  else writeFileSync(options.out, `${reports.map((r) => r.report).join('\n\n\f')}\n`, 'utf8');
  console.log(`wrote ${reports.length} processing report${reports.length > 1 ? 's' : ''} of ${what} to ${options.out}`);
}
