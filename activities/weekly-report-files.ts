// The weekly tables as files, from the one layout of domain/weekly-report-forms.ts (also the year's statistics and the
// weekly 问题台账 of domain/problem-list-forms.ts): an XLSX workbook (exceljs), a sheet per form with its merged headers,
// borders and signature lines, each printable on one A4 landscape page width; and a CSV file, the three forms one under
// the other (UTF-8 with BOM, so Excel and WPS read the Chinese as such).
import ExcelJS from 'exceljs';
import { weeklyForms, type Cell, type FormSheet } from '../domain/weekly-report-forms';
import type { WeeklyTables } from '../domain/weekly-report';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_TYPE = 'text/csv; charset=utf-8';

const THIN = { style: 'thin' } as const;
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const FONT = 'SimSun';

function addSheet(book: ExcelJS.Workbook, form: FormSheet): void {
  const sheet = book.addWorksheet(form.name, {
    // A4 (paperSize 9) landscape, the whole width on one page, as many pages down as the rows need.
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
  });
  sheet.columns = form.widths.map((width) => ({ width }));
  form.rows.forEach((cells, r) => {
    const row = sheet.getRow(r + 1);
    cells.forEach((value, c) => {
      if (value !== null) row.getCell(c + 1).value = value;
    });
  });
  for (const [top, left, bottom, right] of form.merges) sheet.mergeCells(top, left, bottom, right);
  const [first, last] = form.grid;
  sheet.eachRow({ includeEmpty: true }, (row, r) => {
    const inGrid = r >= first && r <= last;
    const header = inGrid && r < first + form.headerRows;
    for (let c = 1; c <= form.widths.length; c++) {
      const cell = row.getCell(c);
      cell.font = { name: FONT, size: r === 1 ? 16 : 10, bold: r === 1 || header };
      if (r === 1) cell.alignment = { horizontal: 'center', vertical: 'middle' };
      else if (inGrid) {
        cell.border = BORDER;
        const remark = !header && c === form.widths.length && form.widths.length > 3;
        cell.alignment = { horizontal: remark ? 'left' : 'center', vertical: 'middle', wrapText: true };
      }
    }
  });
  sheet.getRow(1).height = 28;
  sheet.pageSetup.printArea = `A1:${sheet.getColumn(form.widths.length).letter}${form.rows.length}`;
}

/** Forms as an XLSX workbook, a sheet each; `asOf` dates the file, so the same figures make the same file. */
export async function formsXlsx(forms: readonly FormSheet[], asOf: Date): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'jianguan';
  book.created = book.modified = asOf;
  for (const form of forms) addSheet(book, form);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** The three forms as an XLSX workbook. */
export const weeklyReportXlsx = (tables: WeeklyTables): Promise<Buffer> => formsXlsx(weeklyForms(tables), new Date(tables.cutOff));

const csvField = (value: Cell): string => {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** The three forms as CSV (RFC 4180): each form's rows as laid out, a merged range's text in its first cell. */
export function weeklyReportCsv(tables: WeeklyTables): Buffer {
  const blocks = weeklyForms(tables).map((form) => form.rows.map((cells) => cells.map(csvField).join(',')).join('\r\n'));
  return Buffer.from(`\uFEFF${blocks.join('\r\n\r\n')}\r\n`, 'utf8');
}

/** "清溪区周报表-2027-W14.xlsx": the attachment's name (the jurisdiction's name, the week). */
export const weeklyReportFileName = (tables: WeeklyTables, extension: 'xlsx' | 'csv'): string =>
  `${tables.jurisdiction.name}打击欺诈骗保工作周报表-${tables.week}.${extension}`;
