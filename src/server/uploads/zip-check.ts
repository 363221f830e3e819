/**
 * Zip bombs in .docx / .xlsx uploads (decision 021). Before any parser inflates a byte, the zip's central directory is
 * read and its declared sizes judged: number of entries, each entry's and the total unpacked size, and the packing
 * ratio of big entries. Then each entry is inflated once as a stream, counting bytes and keeping none, and stopped the
 * moment it yields more than it declared — so a file that lies about its sizes is caught with constant memory, and the
 * parser that runs afterwards (mammoth, exceljs through JSZip) can only ever see the sizes judged here.
 * The entries must also lie back to back from offset 0 to the directory, with local headers matching it: a streaming
 * reader (exceljs's WorkbookReader reads local headers in order) then sees exactly the entries checked, nothing hidden.
 */
import { readFile } from 'node:fs/promises';
import { thousands } from '../../domain/numbers';
import { createInflateRaw } from 'node:zlib';
import { AppError } from '../../domain/errors';
import { MB, mbText } from './receive';

export interface ZipLimits {
  /** What the user uploaded, as the message names it. */
  what: string;
  maxEntries: number;
  /** Unpacked size of all entries together. */
  maxTotalBytes: number;
  /** Unpacked ÷ packed, judged for entries over 1 MB unpacked (XML packs 5–20:1; a bomb ~1000:1). */
  maxRatio: number;
}

/** A report of a few thousand characters is well under 1 MB of XML; the rest of the room is for pictures. */
export const DOCX_ZIP: ZipLimits = { what: 'Word文件', maxEntries: 1000, maxTotalBytes: 40 * MB, maxRatio: 200 };
/** Spreadsheets read whole into memory by exceljs. */
export const XLSX_ZIP: ZipLimits = { what: '.xlsx 文件', maxEntries: 2000, maxTotalBytes: 100 * MB, maxRatio: 200 };
/** The organization import streams its sheet (up to 200,000 rows). */
export const ORG_XLSX_ZIP: ZipLimits = { what: '.xlsx 文件', maxEntries: 2000, maxTotalBytes: 500 * MB, maxRatio: 200 };

export interface ZipEntry {
  name: string;
  method: number;
  packed: number;
  unpacked: number;
  dataOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const DESCRIPTOR = 0x08074b50;

const damaged = (l: ZipLimits) =>
  new AppError('INVALID_FILE', `${l.what}已损坏或无法读取，请检查后重新上传`, { field: 'file' });
const bomb = (l: ZipLimits, why: string) =>
  new AppError(
    'UNPACKED_TOO_LARGE',
    `${l.what}${why}，可能是恶意构造的压缩文件（“压缩炸弹”），未导入。请检查文件后重新上传`,
    { field: 'file' },
  );

function findEocd(buf: Buffer): number {
  const min = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= min; i--) if (buf.readUInt32LE(i) === EOCD) return i;
  return -1;
}

/**
 * Looks like a zip at all (a local header first, or an end-of-directory record anywhere: JSZip accepts bytes before
 * the first entry)? If not, the caller's parser fails on it with its own message.
 */
export const isZip = (buf: Buffer) =>
  buf.length >= 4 && (buf.readUInt32LE(0) === LOCAL || (buf.length >= 22 && findEocd(buf) >= 0));

/** The central directory, judged by its declared sizes; nothing is inflated. */
export function inspectZip(buf: Buffer, l: ZipLimits): ZipEntry[] {
  const eocd = findEocd(buf);
  if (eocd < 0) throw damaged(l);
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  // ZIP64 markers: no honest .docx/.xlsx of a few MB needs them.
  if (count === 0xffff || cdOffset === 0xffffffff || cdOffset + cdSize > eocd) throw damaged(l);
  if (count > l.maxEntries) throw bomb(l, `包含${thousands(count)}个部件，超过上限${thousands(l.maxEntries)}个`);
  const entries: Array<ZipEntry & { header: number; flags: number }> = [];
  let total = 0;
  for (let i = 0, p = cdOffset; i < count; i++) {
    if (p + 46 > eocd || buf.readUInt32LE(p) !== CENTRAL) throw damaged(l);
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const packed = buf.readUInt32LE(p + 20);
    const unpacked = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const header = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    if (packed === 0xffffffff || unpacked === 0xffffffff || (method !== 0 && method !== 8) || flags & 1)
      throw damaged(l);
    total += unpacked;
    if (total > l.maxTotalBytes) {
      const declared = entriesTotal(buf, cdOffset, count);
      throw bomb(l, `解压后共${mbText(declared)}MB，超过上限${mbText(l.maxTotalBytes)}MB`);
    }
    if (unpacked > MB && unpacked / Math.max(packed, 1) > l.maxRatio) {
      throw bomb(
        l,
        `中的部件“${name.slice(0, 60)}”压缩比达${thousands(Math.round(unpacked / Math.max(packed, 1)))}:1，超过上限${l.maxRatio}:1`,
      );
    }
    entries.push({ name, method, packed, unpacked, header, flags, dataOffset: 0 });
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  // Back to back from offset 0 to the directory, each local header agreeing with it: nothing outside the directory.
  entries.sort((a, b) => a.header - b.header);
  let next = 0;
  for (const e of entries) {
    if (e.header !== next || e.header + 30 > cdOffset || buf.readUInt32LE(e.header) !== LOCAL) throw damaged(l);
    const descriptor = (e.flags & 8) !== 0;
    const localPacked = buf.readUInt32LE(e.header + 18);
    const localUnpacked = buf.readUInt32LE(e.header + 22);
    if (buf.readUInt16LE(e.header + 8) !== e.method) throw damaged(l);
    if (!descriptor && (localPacked !== e.packed || localUnpacked !== e.unpacked)) throw damaged(l);
    if (
      descriptor &&
      ((localPacked !== 0 && localPacked !== e.packed) || (localUnpacked !== 0 && localUnpacked !== e.unpacked))
    )
      throw damaged(l);
    e.dataOffset = e.header + 30 + buf.readUInt16LE(e.header + 26) + buf.readUInt16LE(e.header + 28);
    next = e.dataOffset + e.packed;
    if (next > cdOffset) throw damaged(l);
    if (descriptor) next += next + 4 <= cdOffset && buf.readUInt32LE(next) === DESCRIPTOR ? 16 : 12;
  }
  if (next !== cdOffset) throw damaged(l);
  return entries.map(({ header: _h, flags: _f, ...e }) => e);
}

/** The declared total of every entry, for the message (the loop above stops at the first entry over the limit). */
function entriesTotal(buf: Buffer, cdOffset: number, count: number) {
  let total = 0;
  for (let i = 0, p = cdOffset; i < count && p + 46 <= buf.length && buf.readUInt32LE(p) === CENTRAL; i++) {
    total += buf.readUInt32LE(p + 24);
    p += 46 + buf.readUInt16LE(p + 28) + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return total;
}

/** Inflates one entry as a stream (zlib's thread pool), counting bytes; stops as soon as it passes its declared size. */
function inflatedSize(data: Buffer, limit: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const z = createInflateRaw({ chunkSize: 64 * 1024 });
    let n = 0;
    z.on('data', (c: Buffer) => {
      n += c.length;
      if (n > limit) {
        z.destroy();
        resolve(n);
      }
    });
    z.on('end', () => resolve(n));
    z.on('error', reject);
    z.end(data);
  });
}

/** Every entry inflates to exactly its declared size (a stored one is its size). */
export async function verifyZip(buf: Buffer, entries: ZipEntry[], l: ZipLimits) {
  for (const e of entries) {
    if (e.method === 0) {
      if (e.packed !== e.unpacked) throw damaged(l);
      continue;
    }
    let n: number;
    try {
      n = await inflatedSize(buf.subarray(e.dataOffset, e.dataOffset + e.packed), e.unpacked);
    } catch {
      throw damaged(l);
    }
    if (n > e.unpacked) throw bomb(l, `中的部件“${e.name.slice(0, 60)}”实际解压后比声明的${mbText(e.unpacked)}MB更大`);
    if (n !== e.unpacked) throw damaged(l);
  }
}

/** Both checks, for a parser that runs right after on this thread. Not a zip at all: left to the parser's own message. */
export async function checkZip(buf: Buffer, l: ZipLimits) {
  if (!isZip(buf)) return;
  await verifyZip(buf, inspectZip(buf, l), l);
}

/** An uploaded zip-based file's bytes (≤ its upload kind's limit), judged before the parser that follows sees them. */
export async function readZipUpload(file: { path: string }, l: ZipLimits) {
  const buf = await readFile(file.path);
  await checkZip(buf, l);
  return buf;
}
