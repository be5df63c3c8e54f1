// Option parsers and options that several commands share: ids, years, the plan file.
import { InvalidArgumentError, type Command } from 'commander';
import { isId } from '../domain/business-keys';
import { ISO_WEEK_PATTERN, isoWeekInstant } from '../domain/calendar';

/** Ids are business keys made of letters, digits and - _ . (no spaces, no personal data). */
export function idArg(flag: string) {
  return (value: string): string => {
    if (!isId(value)) throw new InvalidArgumentError(`${flag}: "${value}" is not an id (letters, digits, - _ .)`);
    return value;
  };
}

export function yearArg(value: string): number {
  if (!/^\d{4}$/.test(value) || Number(value) < 2000 || Number(value) > 2100)
    throw new InvalidArgumentError(`--year: "${value}" is not a year between 2000 and 2100`);
  return Number(value);
}

/** `--week`: an ISO week of its year (`2027-W14`). */
export function weekArg(value: string): string {
  if (!ISO_WEEK_PATTERN.test(value)) throw new InvalidArgumentError(`--week: "${value}" is not an ISO week YYYY-Www (e.g. 2027-W14)`);
  try {
    isoWeekInstant(value, 1, '00:00', 'UTC');
  } catch {
    throw new InvalidArgumentError(`--week: ${value} is not a week of its year`);
  }
  return value;
}

/** `--plan <file>`: the jurisdiction plan a command reads its code and time zone from. */
export function planOption(command: Command): Command {
  return command.option('--plan <file>', 'jurisdiction plan: its code and time zone (default: JIANGUAN_PLAN or the sample plan)');
}
