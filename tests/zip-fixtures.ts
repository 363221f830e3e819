// Hand-built zips for the upload tests and bench/abuse.ts (decision 021): honest ones, zip bombs that declare their
// size, bombs that lie about it, and files with entries hidden outside the central directory. Bombs are deflated as a
// stream, so a 200 MB one costs the test about 200 KB of memory.
import { createDeflateRaw, crc32 } from 'node:zlib';

export interface ZipPart {
  name: string;
  /** Already deflated (method 8) or stored (method 0) bytes. */
  data: Buffer;
  method: 0 | 8;
  size: number;
  crc: number;
  /** Write this as the unpacked size instead of the real one (a lying bomb). */
  declaredSize?: number;
}

/** Stored or deflated at once, for small parts. */
export async function part(name: string, content: string | Buffer, method: 0 | 8 = 8): Promise<ZipPart> {
  const buf = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
  return method === 0
    ? { name, data: buf, method, size: buf.length, crc: crc32(buf) }
    : { name, ...(await deflatePieces([buf])), method };
}

/** Deflates head + body repeated until `bytes` + tail, as a stream (the unpacked text never exists in memory). */
export async function repeatedPart(
  name: string,
  o: { head?: string; body: string; bytes: number; tail?: string },
): Promise<ZipPart> {
  const body = Buffer.from(o.body.repeat(Math.max(1, Math.floor((1024 * 1024) / Buffer.byteLength(o.body)))), 'utf8');
  function* pieces() {
    if (o.head) yield Buffer.from(o.head, 'utf8');
    for (let n = 0; n < o.bytes; n += body.length)
      yield n + body.length <= o.bytes ? body : body.subarray(0, o.bytes - n);
    if (o.tail) yield Buffer.from(o.tail, 'utf8');
  }
  return { name, ...(await deflatePieces(pieces())), method: 8 };
}

async function deflatePieces(pieces: Iterable<Buffer>): Promise<{ data: Buffer; size: number; crc: number }> {
  const z = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  z.on('data', (c: Buffer) => out.push(c));
  const done = new Promise<void>((resolve, reject) => {
    z.on('end', resolve);
    z.on('error', reject);
  });
  let size = 0;
  let crc = 0;
  for (const p of pieces) {
    size += p.length;
    crc = crc32(p, crc);
    if (!z.write(p)) await new Promise((r) => z.once('drain', r));
  }
  z.end();
  await done;
  return { data: Buffer.concat(out), size, crc };
}

/** A zip of the parts in order; `gapAfterFirst` hides an extra local entry that the central directory does not list. */
export function zip(parts: ZipPart[], o: { gapAfterFirst?: Buffer } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  parts.forEach((p, i) => {
    const name = Buffer.from(p.name, 'utf8');
    const size = p.declaredSize ?? p.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(p.method, 8);
    local.writeUInt32LE(p.crc >>> 0, 14);
    local.writeUInt32LE(p.data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(p.method, 10);
    central.writeUInt32LE(p.crc >>> 0, 16);
    central.writeUInt32LE(p.data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, p.data);
    centrals.push(central, name);
    offset += 30 + name.length + p.data.length;
    if (i === 0 && o.gapAfterFirst) {
      locals.push(o.gapAfterFirst);
      offset += o.gapAfterFirst.length;
    }
  });
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(parts.length, 8);
  eocd.writeUInt16LE(parts.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';
const DOC_HEAD =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>';
const DOC_TAIL = '</w:body></w:document>';
export const docxParagraph = (text: string) => `<w:p><w:r><w:t>${text}</w:t></w:r></w:p>`;

/**
 * A minimal .docx whose document.xml is `bytes` of one paragraph repeated. With `lieAbout` set, the directory declares
 * that many bytes for document.xml instead of the real size (a bomb that hides its size).
 */
export async function docxBomb(o: { bytes: number; paragraph?: string; lieAbout?: number }): Promise<Buffer> {
  const doc = await repeatedPart('word/document.xml', {
    head: DOC_HEAD,
    body: o.paragraph ?? docxParagraph('党建工作述职报告正文'),
    bytes: o.bytes,
    tail: DOC_TAIL,
  });
  if (o.lieAbout !== undefined) doc.declaredSize = o.lieAbout;
  return zip([await part('[Content_Types].xml', CONTENT_TYPES), await part('_rels/.rels', RELS), doc]);
}
