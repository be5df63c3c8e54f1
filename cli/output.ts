// What the CLI's commands print through: instants in the jurisdiction's time zone (as in notices and the Web UI
// summaries), and a reader that goes away early (`jianguan status … | head`) ending the command quietly.
import { formatLocal } from '../domain/calendar';

/** "2026-12-23 23:59" in `timeZone`; "-" when there is no instant. */
export function localTime(at: Date | string | null | undefined, timeZone: string): string {
  if (at === undefined || at === null || at === '') return '-';
  const instant = typeof at === 'string' ? new Date(at) : at;
  return Number.isNaN(instant.getTime()) ? String(at) : formatLocal(instant, timeZone);
}

/**
 * When the reader of stdout (or stderr) closes the pipe, writes fail with EPIPE, which Node raises as an unhandled
 * 'error' event with a stack trace. The output nobody reads any more is the whole point of the command, so it ends
 * there, quietly and successfully, like `yes | head` does. Other stream errors stay errors. Install once, in the
 * entry point.
 */
export function exitQuietlyOnClosedOutput(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr], exit: (code: number) => void = (code) => process.exit(code)): void {
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
