import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { sniffContentType } from './download';

/** The first bytes of an OLE compound file (Word/Excel/PowerPoint 97–2003), padded to a header's length. */
const OLE = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]);
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(32)]);
const JPEG = Buffer.concat([Buffer.from('ffd8ffe000104a464946000101', 'hex'), Buffer.alloc(32)]);

describe('sniffContentType (issue 15): the served type comes from the bytes, from an allow-list', () => {
  it('recognises the formats users upload', async () => {
    expect(await sniffContentType(PNG, 'a.jpg')).toBe('image/png');
    expect(await sniffContentType(JPEG, 'a.png')).toBe('image/jpeg');
    expect(await sniffContentType(Buffer.from('%PDF-1.7\n%%EOF'), 'x.doc')).toBe('application/pdf');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('表1').addRow(['名称']);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    expect(await sniffContentType(xlsx, '名单.pdf')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
  });

  it('an OLE file is Word, Excel or PowerPoint by its name, else nothing in particular', async () => {
    expect(await sniffContentType(OLE, '旧报告.doc')).toBe('application/msword');
    expect(await sniffContentType(OLE, '旧名单.XLS')).toBe('application/vnd.ms-excel');
    expect(await sniffContentType(OLE, '幻灯片.ppt')).toBe('application/vnd.ms-powerpoint');
    expect(await sniffContentType(OLE, '附件.pdf')).toBe('application/octet-stream');
  });

  it('markup is never served as markup: HTML, SVG and XML become octet-stream whatever their name', async () => {
    for (const [body, name] of [
      ['<!doctype html><script>alert(1)</script>', 'a.html'],
      ['<html><body onload="x()">', 'a.pdf'],
      ['<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'a.svg'],
      ['<svg xmlns="http://www.w3.org/2000/svg"/>', 'a.png'],
    ] as const) {
      expect(await sniffContentType(Buffer.from(body), name), name).toBe('application/octet-stream');
    }
  });

  it('UTF-8 text named .txt or .csv is plain text; binary or other names are not', async () => {
    expect(await sniffContentType(Buffer.from('整改台账\n一、…'), '说明.txt')).toBe('text/plain; charset=utf-8');
    expect(await sniffContentType(Buffer.from('名称,得分\n东村,95\n'), '得分.csv')).toBe('text/plain; charset=utf-8');
    expect(await sniffContentType(Buffer.from([0x41, 0x00, 0x42]), 'a.txt')).toBe('application/octet-stream');
    expect(await sniffContentType(Buffer.from([0xc3, 0x28]), 'a.txt')).toBe('application/octet-stream');
    expect(await sniffContentType(Buffer.from('hello'), 'a.mp4')).toBe('application/octet-stream');
  });
});
