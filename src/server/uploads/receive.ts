/**
 * The one way a route reads an uploaded file (decision 021): the request's file part is streamed to a temporary file
 * under FILES_DIR/incoming (hashed and counted on the way), never collected in memory, and refused with a Chinese 413
 * as soon as it passes its kind's limit — at once from Content-Length when the client declares a bigger body. The
 * temporary file is removed when the route's work ends, unless that work moved it into the file store.
 */
import { createHash, randomUUID } from 'node:crypto';
import { thousands } from '../../domain/numbers';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors';

export const MB = 1024 * 1024;

export interface UploadKind {
  /** What the user uploads, as the message names it: Word文件, 附件, .xlsx 文件… */
  what: string;
  maxBytes: number;
  /** Where the limit comes from, appended to the 413 message (e.g. the campaign's setting). */
  source?: string;
}

/** Limits of the fixed kinds; an attachment's limit is the campaign's setting (reports/manage-attachments.ts). */
export const UPLOAD_KINDS = {
  reportDocx: { what: 'Word文件', maxBytes: 10 * MB },
  /** Spreadsheets read whole into memory by exceljs (evaluation inputs, performance results, survey respondents). */
  xlsx: { what: '.xlsx 文件', maxBytes: 10 * MB },
  /** The organization import streams its sheet and takes up to 200,000 rows. */
  orgXlsx: { what: '.xlsx 文件', maxBytes: 20 * MB },
  /** Phone photos are resized by nobody: 8 MB covers a phone camera JPEG; more is almost surely a mistake. */
  photo: { what: '照片', maxBytes: 8 * MB },
  /** Photos and scans taken on a phone stay well below this; it is still held in the database (decision 021). */
  evidence: { what: '佐证材料', maxBytes: 10 * MB },
} satisfies Record<string, UploadKind>;

export const mbText = (bytes: number) => {
  const v = bytes / MB;
  return thousands(v >= 10 ? Math.round(v) : Math.round(v * 100) / 100);
};

export const tooLarge = (kind: UploadKind, size?: number) =>
  new AppError(
    'PAYLOAD_TOO_LARGE',
    `${kind.what}不能超过${mbText(kind.maxBytes)}MB${kind.source ? `（${kind.source}）` : ''}${size ? `，所选文件约${mbText(size)}MB` : ''}，未保存。请压缩或删减后重新上传`,
    { field: 'file', maxBytes: kind.maxBytes },
  );

export interface ReceivedFile {
  /** The temporary file; gone after the callback unless moved (FileStore.put). */
  path: string;
  name: string;
  mimeType: string;
  size: number;
  sha256: string;
  /** Plain form fields sent before the file part. */
  fields: Record<string, string>;
}

/** Room for the part headers and a few small fields around the file in a multipart body. */
const MULTIPART_OVERHEAD = 64 * 1024;

export async function withUpload<T>(
  req: FastifyRequest,
  incomingDir: string,
  kind: UploadKind,
  use: (file: ReceivedFile) => Promise<T>,
): Promise<T> {
  if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请以文件上传方式（multipart/form-data）提交');
  // Refused before a byte of the body is read when the client says how big it is (browsers always do).
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > kind.maxBytes + MULTIPART_OVERHEAD) throw tooLarge(kind, declared);
  const part = await req.file({ limits: { fileSize: kind.maxBytes, files: 1 } });
  if (!part) throw new AppError('VALIDATION', `请选择要上传的${kind.what}`, { field: 'file' });
  const tmp = path.join(incomingDir, randomUUID());
  const hash = createHash('sha256');
  let size = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  // busboy only marks the part truncated and keeps reading to its end; stopping at the limit answers at once.
  const stop = new AbortController();
  let overLimit = false;
  part.file.once('limit', () => {
    overLimit = true;
    stop.abort();
  });
  try {
    try {
      await pipeline(part.file, count, createWriteStream(tmp, { flags: 'wx', mode: 0o600 }), { signal: stop.signal });
    } catch (e) {
      if (overLimit || (e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(kind);
      throw e;
    }
    if (overLimit || part.file.truncated) throw tooLarge(kind);
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(part.fields)) {
      const f = Array.isArray(v) ? v[0] : v;
      if (f && f.type === 'field' && typeof f.value === 'string') fields[k] = f.value;
    }
    return await use({
      path: tmp,
      name: part.filename,
      mimeType: part.mimetype,
      size,
      sha256: hash.digest('hex'),
      fields,
    });
  } finally {
    await rm(tmp, { force: true });
  }
}
