import type ExcelJS from 'exceljs';

/** Header row bold and frozen (FORMATS.md: header in Chinese, frozen; numbers as numbers; dates as dates). */
export function styleSheet(ws: ExcelJS.Worksheet) {
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
}

/** A calendar date as an Excel date (UTC midnight, so no offset shifts the day). */
export const xlsxDate = (d: string | null | undefined) => (d ? new Date(`${d}T00:00:00Z`) : null);
