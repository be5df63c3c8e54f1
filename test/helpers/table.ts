// Reading the CLI's tables (cli/output.ts formatTable) in tests: a row's cells, and where its borders stand on screen.
import stringWidth from 'string-width';

/** The cells of a table line, trimmed. */
export function cells(line: string): string[] {
  return line.split('│').map((cell) => cell.trim());
}

/** The display columns (as a terminal counts them: a Chinese character is two) of the line's │ and ┼ borders. */
export function borderColumns(line: string): number[] {
  const columns: number[] = [];
  let column = 0;
  for (const ch of line) {
    if (ch === '│' || ch === '┼') columns.push(column);
    column += stringWidth(ch);
  }
  return columns;
}
