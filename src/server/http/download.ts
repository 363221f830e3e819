import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';

/**
 * The only types uploaded bytes are ever served as, each recognised from the bytes themselves (file-type reads the
 * magic numbers, and for Office files the names inside the zip): documents, images, audio and video that a browser
 * cannot run as script in our origin. Never text/html, image/svg+xml or XML, whatever the uploader declared.
 */
const SAFE_TYPES = new Set([
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/heic',
  'image/heif',
  DOCX,
  XLSX,
  PPTX,
  'application/vnd.openxmlformats-officedocument.presentationml.slideshow',
  'video/mp4',
  'video/x-m4v',
  'video/quicktime',
  'video/vnd.avi',
  'video/x-ms-asf',
  'video/matroska',
  'video/webm',
  'video/mpeg',
  'audio/mpeg',
  'audio/mp4',
]);

/** Word, Excel and PowerPoint 97–2003 are all one container (OLE compound file): its name tells which. */
const OLE_BY_EXTENSION: Record<string, string> = {
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
};

const OCTET = 'application/octet-stream';
const extensionOf = (name: string) => /\.([a-z0-9]{1,8})$/i.exec(name)?.[1]?.toLowerCase() ?? '';

/**
 * UTF-8 without control characters other than tab and line breaks, judged on the first 64 KiB (a file on disk is
 * only read that far; a character cut at the end is not an error): served as plain text (a .txt or .csv).
 */
function isPlainText(content: Buffer) {
  const head = content.subarray(0, 65536);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(head.toString('latin1'))) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** The Content-Type to serve uploaded bytes with: sniffed from the content, from the allow-list, else octet-stream. */
export async function sniffContentType(content: Buffer, fileName: string): Promise<string> {
  const found = await fileTypeFromBuffer(content);
  if (found) {
    if (SAFE_TYPES.has(found.mime)) return found.mime;
    if (found.mime === 'application/x-cfb') return OLE_BY_EXTENSION[extensionOf(fileName)] ?? OCTET;
    return OCTET;
  }
  if (['txt', 'csv'].includes(extensionOf(fileName)) && isPlainText(content)) return 'text/plain; charset=utf-8';
  return OCTET;
}

/**
 * Sends bytes a user uploaded (report attachments, rectification evidence, assessment photos) with a sniffed type and
 * nosniff, as a download (Content-Disposition: attachment, so nothing is rendered in our origin even when opened
 * directly). `inlineImages`: a raster image may open in a tab instead (the scoring sheet's photo thumbnails link
 * to it); a raster image runs no script. The original name goes only in the RFC 5987 parameter.
 */
export async function sendUpload(
  reply: FastifyReply,
  file: { fileName: string } & ({ content: Buffer } | { head: Buffer; stream: Readable; size: number }),
  fallbackName: string,
  opts: { inlineImages?: boolean } = {},
) {
  const type = await sniffContentType('content' in file ? file.content : file.head, file.fileName);
  const inline = opts.inlineImages && type.startsWith('image/');
  reply
    .header('content-type', type)
    .header(
      'content-disposition',
      `${inline ? 'inline' : 'attachment'}; filename="${fallbackName}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    )
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store');
  // A file on disk is streamed (never read whole into memory); its type was told from its first bytes.
  if ('stream' in file) return reply.header('content-length', file.size).send(file.stream);
  return reply.send(file.content);
}
