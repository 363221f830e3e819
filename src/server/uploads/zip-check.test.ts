import { Document, Packer, Paragraph } from 'docx';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../domain/errors';
import { docxBomb, docxParagraph, part, repeatedPart, zip } from '../../../tests/zip-fixtures';
import { checkZip, DOCX_ZIP, inspectZip, isZip, type ZipLimits } from './zip-check';

const MB = 1024 * 1024;
const refusal = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
};

describe('zip checks before any parser unpacks an upload (decision 021)', () => {
  it('a real .docx passes and lists its parts', async () => {
    const docx = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('党建工作')] }] }));
    expect(isZip(docx)).toBe(true);
    await checkZip(docx, DOCX_ZIP);
    expect(inspectZip(docx, DOCX_ZIP).map((e) => e.name)).toContain('word/document.xml');
  });

  it('a bomb that declares 200 MB is refused from its directory alone, naming the size', async () => {
    const bomb = await docxBomb({ bytes: 200 * MB });
    expect(bomb.length).toBeLessThan(1 * MB);
    const e = await refusal(checkZip(bomb, DOCX_ZIP));
    expect(e).toMatchObject({ code: 'UNPACKED_TOO_LARGE', status: 413 });
    expect(e.message).toMatch(/^Word文件解压后共200MB，超过上限40MB，可能是恶意构造的压缩文件（“压缩炸弹”），未导入/);
  });

  it('an entry packed far tighter than any document (ratio) is refused', async () => {
    const tight = await repeatedPart('word/document.xml', { body: docxParagraph('党建'), bytes: 30 * MB });
    const e = await refusal(checkZip(zip([tight]), DOCX_ZIP));
    expect(e.message).toMatch(/部件“word\/document\.xml”压缩比达[\d,]+:1，超过上限200:1/);
  });

  it('a bomb that lies about its size passes the directory but is stopped while counting (nothing kept: bench/abuse.ts)', async () => {
    const liar = await docxBomb({ bytes: 200 * MB, lieAbout: 100_000 });
    expect(() => inspectZip(liar, DOCX_ZIP)).not.toThrow();
    const e = await refusal(checkZip(liar, DOCX_ZIP));
    expect(e.message).toMatch(/部件“word\/document\.xml”实际解压后比声明的0\.1MB更大/);
  });

  it('too many parts, an entry hidden between listed ones, overlapping entries and ZIP64 markers are refused', async () => {
    const small: ZipLimits = { ...DOCX_ZIP, maxEntries: 3 };
    const parts = await Promise.all(['a', 'b', 'c', 'd'].map((n) => part(`${n}.xml`, '<x/>')));
    expect((await refusal(checkZip(zip(parts), small))).message).toMatch(/包含4个部件，超过上限3个/);
    const hidden = zip(parts.slice(0, 2), { gapAfterFirst: zip([await part('x.xml', 'hidden')]).subarray(0, 40) });
    expect(await refusal(checkZip(hidden, DOCX_ZIP))).toMatchObject({
      code: 'INVALID_FILE',
      message: 'Word文件已损坏或无法读取，请检查后重新上传',
    });
    // Two directory entries naming one local entry (the overlapping-files bomb).
    const one = zip([parts[0]]);
    const cdAt = one.readUInt32LE(one.length - 6);
    const central = one.subarray(cdAt, one.length - 22);
    const eocd = Buffer.from(one.subarray(one.length - 22));
    eocd.writeUInt16LE(2, 8);
    eocd.writeUInt16LE(2, 10);
    eocd.writeUInt32LE(central.length * 2, 12);
    const overlapping = Buffer.concat([one.subarray(0, cdAt), central, central, eocd]);
    expect((await refusal(checkZip(overlapping, DOCX_ZIP))).code).toBe('INVALID_FILE');
    const zip64 = Buffer.from(zip([parts[0]]));
    zip64.writeUInt32LE(0xffffffff, zip64.length - 6);
    expect((await refusal(checkZip(zip64, DOCX_ZIP))).code).toBe('INVALID_FILE');
  });

  it('a file that is no zip at all is left to the parser (its own message), a damaged zip is refused', async () => {
    await checkZip(Buffer.from('not a spreadsheet'), DOCX_ZIP);
    const cut = await docxBomb({ bytes: 1000 });
    expect((await refusal(checkZip(cut.subarray(0, cut.length - 30), DOCX_ZIP))).code).toBe('INVALID_FILE');
  });
});
