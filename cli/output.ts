// What the CLI's commands print through: instants in the jurisdiction's time zone (as in notices and the Web UI
// summaries), tables whose columns line up around Chinese text, and a reader that goes away early
// (`jianguan status … | head`) ending the command quietly.
import Table from 'cli-table3';
import { formatLocal } from '../domain/calendar';

/** "2026-12-23 23:59" in `timeZone`; "-" when there is no instant. */
export function localTime(at: Date | string | null | undefined, timeZone: string): string {
  if (at === undefined || at === null || at === '') return '-';
  const instant = typeof at === 'string' ? new Date(at) : at;
  return Number.isNaN(instant.getTime()) ? String(at) : formatLocal(instant, timeZone);
}

export interface Column {
  header: string;
  /** Amounts read best right-aligned; everything else is left-aligned. */
  align?: 'left' | 'right';
}

// psql's layout: a rule under the header, columns parted by │, no outer frame (lines stay easy to grep and cut).
const TABLE_CHARS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  right: '',
  'right-mid': '',
  mid: '─',
  'mid-mid': '┼',
  middle: '│',
};

/**
 * The lines of a table. A terminal gives a Chinese character two columns and a combining mark none, so padding by
 * string length (padEnd) pushes every column after a Chinese cell out of line; cli-table3 pads by display width
 * (string-width). Tabs, which a terminal widens to its next stop, become single spaces so that they are measured.
 */
export function formatTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string[] {
  const table = new Table({
    head: columns.map((c) => c.header),
    colAligns: columns.map((c) => c.align ?? 'left'),
    chars: TABLE_CHARS,
    style: { head: [], border: [], compact: true },
  });
  for (const row of rows) table.push(row.map((cell) => cell.replaceAll('\t', ' ')));
  return table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd());
}

/**
 * When the reader of stdout (or stderr) closes the pipe, writes fail with EPIPE, which Node raises as an unhandled
 * 'error' event with a stack trace. The output nobody reads any more is the whole point of the command, so it ends
 * there, quietly and successfully, like `yes | head` does. Other stream errors stay errors. Install once, in the
 * entry point.
 */
export function exitQuietlyOnClosedOutput(
  streams: NodeJS.WriteStream[] = [process.stdout, process.stderr],
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') {
        exit(0);
        return;
      }
      throw error;
    });
  }
}
