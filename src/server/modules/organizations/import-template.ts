import type ExcelJS from 'exceljs';
import { ORG_COLUMNS, ORG_SHEET_NAME } from './spreadsheet-columns';
import { addSheet, newWorkbook, workbookBuffer } from '../documents/xlsx';

/** Header row frozen, Chinese headers, and a second sheet that explains every column (FORMATS.md). */
export function addOrgSheet(wb: ExcelJS.Workbook) {
  const ws = addSheet(
    wb,
    ORG_SHEET_NAME,
    ORG_COLUMNS.map((c) => ({ header: c.required ? `${c.header}*` : c.header, key: c.key, width: c.width })),
  );
  ws.getColumn('tenureStart').numFmt = 'yyyy-mm-dd';
  return ws;
}

export async function buildImportTemplate(): Promise<Buffer> {
  const wb = newWorkbook();
  addOrgSheet(wb);
  const help = addSheet(wb, '填写说明', [
    { header: '列名', key: 'header', width: 16 },
    { header: '是否必填', key: 'required', width: 10 },
    { header: '说明与可选值', key: 'note', width: 90 },
  ]);
  for (const c of ORG_COLUMNS) help.addRow({ header: c.header, required: c.required ? '必填' : '选填', note: c.note });
  help.addRow({});
  help.addRow({ header: '注意', note: '任何一行有错误时，整个文件都不会导入；请按错误清单逐行修改后重新上传。' });
  return workbookBuffer(wb);
}
