// Secrets kept in files: the payload keys and the codec server's token. A file readable by anyone but its owner is
// refused (personal data is only as safe as its key), and a laptop's generated secrets are created once, atomically,
// with mode 0600, so that the worker and the CLI starting together end up with the same one.
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config';

/** The file's text; refused (ConfigError naming `variable`) when it is missing, or open to group or others. */
export function readPrivateFile(file: string, variable: string): string {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (error) {
    throw new ConfigError([
      { variable, message: `cannot read ${JSON.stringify(file)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` },
    ]);
  }
  // POSIX permissions only: on Windows the mode bits say nothing about who may read.
  if (process.platform !== 'win32' && (mode & 0o077) !== 0)
    throw new ConfigError([
      {
        variable,
        message: `${JSON.stringify(file)} is open to group or others (mode ${(mode & 0o777).toString(8)}): it holds a secret; run \`chmod 600 ${file}\``,
      },
    ]);
  return readFileSync(file, 'utf8');
}

/**
 * The text of `file`, created first with `generate()` when it does not exist. Creation is a hard link of a finished
 * temporary file, so a concurrent reader never sees half a secret and two processes never create two different ones.
 */
export function readOrCreatePrivateFile(file: string, variable: string, generate: () => string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, generate(), { mode: 0o600, flag: 'wx' });
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    try {
      unlinkSync(temporary);
    } catch {
      // never written
    }
  }
  return readPrivateFile(file, variable);
}
