/**
 * The .xlsx idioms every export repeats (FORMATS.md: header in Chinese, frozen; numbers as numbers; dates as
 * dates): a workbook, a sheet whose first row is the bold, frozen header, a calendar date as an Excel date, and
 * the workbook as a Buffer for the download.
 */
import ExcelJS from 'exceljs';

/** A new, empty workbook (no document properties are set, so every export writes the same docProps). */
export const newWorkbook = () => new ExcelJS.Workbook();

/** Header row bold and frozen. */
export function styleSheet(ws: ExcelJS.Worksheet) {
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
}

/** A sheet with its first row frozen and, when columns are given, their (Chinese) headers in bold. */
export function addSheet(wb: ExcelJS.Workbook, name: string, columns?: Partial<ExcelJS.Column>[]) {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  if (columns) {
    ws.columns = columns;
    ws.getRow(1).font = { bold: true };
  }
  return ws;
}

/** A calendar date (YYYY-MM-DD) as an Excel date (UTC midnight, so no offset shifts the day); none stays empty. */
export function xlsxDate(d: string): Date;
export function xlsxDate(d: string | null | undefined): Date | null;
export function xlsxDate(d: string | null | undefined): Date | null {
  return d ? new Date(`${d}T00:00:00Z`) : null;
}

/** The workbook as the bytes of an .xlsx file. */
export const workbookBuffer = async (wb: ExcelJS.Workbook) => Buffer.from(await wb.xlsx.writeBuffer());
