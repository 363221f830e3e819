// Schema-driven request fuzzer shared by bench/fuzz.ts (100,000 requests, by hand) and tests/integration/fuzz.test.ts
// (a few thousand with a fixed seed in `npm test`). Every route comes from the app's own OpenAPI document; each
// request starts from a value that satisfies the route's schema and is then broken in one or more ways (wrong types,
// missing/extra fields, huge strings, deep JSON, unicode edge cases, injection strings, out-of-range numbers, wrong
// content types, malformed JSON, garbage path params, bad or missing session/CSRF). Oracles, checked as it runs:
//   - no status >= 500;
//   - every 4xx body is JSON `{ code, message }` with a Chinese message;
//   - a batch whose requests were all rejected (4xx) changes no row of any table, except the rows that by design
//     record failures (FAILURE_RECORDING below);
//   - the app keeps answering (health check after every batch) and nothing is thrown uncaught (counted by the caller).
// Upload-then-read sequences (issue 15): now and then a real file — a report .docx, one far over its 字数 limit, one
// with a part over 100,000 characters, one of 150,000 lines, zip bombs that declare or hide 200 MB, spreadsheets,
// pictures, slides — goes to an upload route (as the reporting secretary where it is a report), and the GET routes of
// the same resource are read right after with the ids the upload answered: the 500s of issue 15 needed exactly that.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import type { Database } from '../../src/server/db/connect';
import { queryRows } from '../../src/server/db/connect';
import { users } from '../../src/server/db/schema';
import { createSession } from '../../src/server/http/session';
import { makeReportDocx } from '../../tests/integration/reports-helpers';
import { docxBomb, docxParagraph } from '../../tests/zip-fixtures';

// ---------------------------------------------------------------------------------------------------------------
// Deterministic randomness: every choice comes from one seeded generator so a failure replays with FUZZ_SEED.

export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}
export type Rng = ReturnType<typeof prng>;

// ---------------------------------------------------------------------------------------------------------------
// Hostile values

const CJK = /[\u4e00-\u9fff]/;
const DEEP = 10_000;
const deepObject = () => `${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}`;
const deepArray = () => '['.repeat(DEEP) + ']'.repeat(DEEP);
/** Stands for a 10k-level object inside a field: spliced in after JSON.stringify, which cannot nest that deep. */
const DEEP_MARK = '\u0001deep\u0001';
const deepValue = () => DEEP_MARK;
const spliceDeep = (json: string) =>
  json.includes(JSON.stringify(DEEP_MARK)) ? json.replace(JSON.stringify(DEEP_MARK), deepObject()) : json;

export const XSS = [
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=1</script>',
  'javascript:window.__xss=1',
  '"><svg onload="window.__xss=1">',
  '\';!--"<XSS>=&{()}',
  '<a href="javascript:window.__xss=1">点我</a>',
  '{{constructor.constructor("window.__xss=1")()}}',
  '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
];
const SQLI = [
  "' or '1'='1",
  '1; drop table users; --',
  "1' union select password_hash from users --",
  "'); delete from ballots; --",
  "\\'; select pg_sleep(1); --",
  '%',
  '_',
  '$$; select 1; $$',
  "E'\\x00'",
  '1::int',
  "' || (select current_user) || '",
];
const UNICODE = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\ud83d',
  '\u202eevil\u202c',
  '\u200b\u200c\u200d\ufeff',
  '\u0301\u0301\u0301',
  '𠜎𠜱𠝹𠱓',
  '😀👨‍👩‍👧‍👦',
  '\uffff\ufffe',
  '\u2028\u2029',
  '\r\n\t\v\f',
  'ｆｕｌｌｗｉｄｔｈ',
  'İıſ',
  '٠١٢٣',
  ' ',
  '',
  '\\u0000',
  '%00',
  '..\\..\\..',
  '../../etc/passwd',
];
const HUGE = () => 'A'.repeat(1024 * 1024);
const NUMBERS = [
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 31 - 1,
  2 ** 53 + 1,
  2 ** 63,
  -(2 ** 63) - 1,
  1e308,
  -1e308,
  5e-324,
  -1,
  0,
  -0,
  1.5,
  -0.000001,
  Number.MAX_SAFE_INTEGER,
  1e20,
];
const PATH_GARBAGE = [
  '-1',
  '0',
  '2147483648',
  '9223372036854775808',
  '99999999999999999999999',
  'abc',
  '1.5',
  '1e3',
  '%201',
  '0x10',
  'NaN',
  'Infinity',
  '%00',
  '%2e%2e%2f',
  '1%3B%20drop%20table%20users',
  '%F0%9F%98%80',
  '%ED%A0%80',
  '%C0%AE',
  '%E2%80%AE1',
  '%27%20or%201%3D1',
  '%3Cscript%3E',
  'null',
  'undefined',
  '[]',
  '{}',
  'true',
  'A'.repeat(5000),
];

function hostileString(r: Rng): string {
  switch (r.int(0, 5)) {
    case 0:
      return r.pick(XSS);
    case 1:
      return r.pick(SQLI);
    case 2:
      return r.pick(UNICODE);
    case 3:
      return r.chance(0.05) ? HUGE() : 'x'.repeat(r.pick([101, 201, 1001, 10001, 100_001]));
    case 4:
      return `${r.pick(UNICODE)}${r.pick(XSS)}${r.pick(SQLI)}`;
    default:
      return r.pick(['2025-13-45', '9999-99-99T99:99:99Z', '0000-00-00', '-1', '1e309', 'NaN', 'true', 'null', '{}']);
  }
}

function hostileAny(r: Rng): unknown {
  switch (r.int(0, 9)) {
    case 0:
      return hostileString(r);
    case 1:
      return r.pick(NUMBERS);
    case 2:
      return r.pick([true, false]);
    case 3:
      return null;
    case 4:
      return [];
    case 5:
      return {};
    case 6:
      return [hostileString(r), r.pick(NUMBERS)];
    case 7:
      return { __proto__x: 1, constructor: { prototype: { polluted: 1 } } };
    case 8:
      return r.chance(0.1) ? deepValue() : { nested: { deeper: [hostileString(r)] } };
    default:
      return Array.from({ length: r.pick([1000, 10_000]) }, () => 1);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Values that satisfy a JSON schema (the OpenAPI document the zod schemas produce)

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean | number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  default?: unknown;
  nullable?: boolean;
  additionalProperties?: boolean | JsonSchema;
  $ref?: string;
};

export interface Route {
  method: string;
  /** OpenAPI form: /api/orgs/{id} */
  path: string;
  params: Array<{ name: string; schema: JsonSchema }>;
  query: Array<{ name: string; schema: JsonSchema; required: boolean }>;
  body?: JsonSchema;
  /** No JSON body in the document: an upload (multipart) or a body-less action. */
  multipartLikely: boolean;
  sse: boolean;
}

export function routesFromOpenApi(spec: any): Route[] {
  const out: Route[] = [];
  for (const [p, ops] of Object.entries<any>(spec.paths)) {
    for (const [m, op] of Object.entries<any>(ops)) {
      const params = (op.parameters ?? []) as Array<{
        in: string;
        name: string;
        schema: JsonSchema;
        required?: boolean;
      }>;
      const method = m.toUpperCase();
      out.push({
        method,
        path: p,
        params: params.filter((x) => x.in === 'path').map((x) => ({ name: x.name, schema: x.schema })),
        query: params
          .filter((x) => x.in === 'query')
          .map((x) => ({ name: x.name, schema: x.schema, required: !!x.required })),
        body: op.requestBody?.content?.['application/json']?.schema,
        multipartLikely:
          method === 'POST' && !op.requestBody && /import|attachments|photos|evidence|docx$|file$/.test(p),
        // Server-sent event streams never end, so they go over a real socket that is dropped after the headers.
        sse: method === 'GET' && /\/(live|events)$/.test(p),
      });
    }
  }
  return out;
}

function validString(s: JsonSchema, r: Rng, ids: number[]): string {
  if (s.format === 'date') return r.pick(['2025-06-01', '2026-01-10', '2025-12-31']);
  if (s.format === 'date-time') return r.pick(['2025-11-20T02:00:00.000Z', '2026-01-10T08:00:00.000Z']);
  if (s.format === 'email') return 'a@b.cn';
  if (s.pattern) {
    if (s.pattern.includes('[a-z]')) return `key_${r.int(1, 9)}`;
    if (s.pattern.includes('\\d{4}-')) return '2025-06-01';
    if (s.pattern.includes('\\d')) return String(r.int(100000, 999999));
  }
  const min = s.minLength ?? 0,
    max = Math.min(s.maxLength ?? 40, 40);
  const base = r.pick(['测试文本', '甲县委', '整改措施', 'abc', String(r.pick(ids.length ? ids : [1]))]);
  let v = base;
  while (v.length < min) v += base;
  return v.slice(0, Math.max(min, Math.min(max, v.length)));
}

export function validValue(s: JsonSchema | undefined, r: Rng, ids: number[], depth = 0): unknown {
  if (!s || depth > 8) return null;
  if (s.const !== undefined) return s.const;
  if (s.enum) return r.pick(s.enum);
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return validValue(r.pick(alts), r, ids, depth + 1);
  if (s.allOf?.length) return validValue(s.allOf[0], r, ids, depth + 1);
  const type = Array.isArray(s.type) ? (r.pick(s.type.filter((t) => t !== 'null')) ?? 'null') : s.type;
  switch (type) {
    case 'string':
      return validString(s, r, ids);
    case 'integer':
    case 'number': {
      const lo = s.minimum ?? 0,
        hi = Math.min(s.maximum ?? 100, 1000);
      if (lo <= 1 && hi >= 30 && type === 'integer' && r.chance(0.7)) return r.pick(ids.length ? ids : [1]);
      const v = Math.max(lo, Math.min(hi, r.int(Math.ceil(lo), Math.floor(Math.max(lo, hi)))));
      return s.exclusiveMinimum === true && v === lo ? v + 1 : v;
    }
    case 'boolean':
      return r.chance(0.5);
    case 'null':
      return null;
    case 'array': {
      const n = Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 3, r.int(0, 3)));
      return Array.from({ length: n }, () => validValue(s.items, r, ids, depth + 1));
    }
    default: {
      if (!s.properties) return {};
      const o: Record<string, unknown> = {};
      const req = new Set(s.required ?? []);
      for (const [k, v] of Object.entries(s.properties))
        if (req.has(k) || r.chance(0.5)) o[k] = validValue(v, r, ids, depth + 1);
      return o;
    }
  }
}

/** Breaks a valid value at one random place (recursively into objects/arrays). */
function mutate(v: unknown, s: JsonSchema | undefined, r: Rng, depth = 0): unknown {
  if (v && typeof v === 'object' && !Array.isArray(v) && depth < 6 && r.chance(0.7)) {
    const o = { ...(v as Record<string, unknown>) };
    const keys = Object.keys(o);
    const op = r.int(0, 3);
    if (op === 0 && keys.length) {
      delete o[r.pick(keys)];
      return o;
    }
    if (op === 1) {
      o[r.pick(['extra', '__proto__', 'constructor', 'id', 'role', 'scopePath', 'state', '$where'])] = hostileAny(r);
      return o;
    }
    const k = keys.length ? r.pick(keys) : r.pick(Object.keys(s?.properties ?? { x: 1 }));
    o[k] = mutate(o[k], s?.properties?.[k], r, depth + 1);
    return o;
  }
  if (Array.isArray(v) && depth < 6 && r.chance(0.6)) {
    const a = [...v];
    if (a.length && r.chance(0.6)) {
      const i = r.int(0, a.length - 1);
      a[i] = mutate(a[i], s?.items, r, depth + 1);
      return a;
    }
    if (r.chance(0.5)) return [...a, hostileAny(r)];
    // A long array of small elements (a 5000-element array of 1 MB strings would only measure the generator).
    const one = a[0] ?? 1;
    return Array.from({ length: JSON.stringify(one ?? null).length < 200 ? 5000 : 3 }, () => one);
  }
  if (typeof v === 'string' && r.chance(0.7)) return r.chance(0.5) ? hostileString(r) : v + hostileString(r);
  if (typeof v === 'number' && r.chance(0.7)) return r.chance(0.6) ? r.pick(NUMBERS) : `${String(v)}x`;
  return hostileAny(r);
}

// ---------------------------------------------------------------------------------------------------------------
// Requests

export interface FuzzRequest {
  route: Route;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  auth: 'admin' | 'secretary' | 'anonymous' | 'bad_csrf' | 'garbage_cookie';
  /** The unmutated base (world building): may legitimately succeed. */
  valid: boolean;
  /** The real file an upload sequence sent. */
  file?: string;
}

/** encodeURIComponent that takes lone surrogates too (as U+FFFD, which is what UTF-8 can carry). */
const enc = (v: string) =>
  [...Buffer.from(v, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');

function fillPath(route: Route, r: Rng, ids: number[], garbage: boolean): string {
  let p = route.path;
  for (const prm of route.params) {
    let v: string;
    if (garbage && r.chance(0.6)) v = r.pick(PATH_GARBAGE);
    else if (prm.schema.type === 'integer' || prm.schema.type === 'number') v = String(r.pick(ids.length ? ids : [1]));
    else if (prm.schema.enum) v = String(r.pick(prm.schema.enum));
    else v = enc(validString(prm.schema, r, ids));
    p = p.replace(`{${prm.name}}`, v);
  }
  return p;
}

function buildQuery(route: Route, r: Rng, ids: number[], garbage: boolean): string {
  const parts: string[] = [];
  for (const q of route.query) {
    if (!q.required && r.chance(0.5)) continue;
    if (garbage && r.chance(0.5)) {
      if (r.chance(0.3)) continue; // missing (maybe required)
      const bad = r.chance(0.5) ? r.pick(PATH_GARBAGE) : enc(hostileString(r).slice(0, 20_000));
      parts.push(`${q.name}=${bad}`);
      if (r.chance(0.2)) parts.push(`${q.name}=${bad}`); // duplicated → array
    } else {
      parts.push(`${q.name}=${enc(String(validValue(q.schema, r, ids)))}`);
    }
  }
  if (garbage && r.chance(0.2))
    parts.push(`${r.pick(['extra', '__proto__', 'constructor[prototype][x]', 'a[b][c]'])}=${enc(r.pick(SQLI))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

const MULTIPART_FILES: Array<() => Buffer> = [
  () => Buffer.from('PK\u0003\u0004garbage-that-is-not-a-zip'),
  () => Buffer.from('not a spreadsheet at all, 中文'),
  () => Buffer.alloc(1),
  () => Buffer.alloc(0),
  () => Buffer.from('%PDF-1.4 broken'),
  () => Buffer.from('\u0000\u0001\u0002'.repeat(1000)),
];

function multipart(r: Rng): { body: Buffer; type: string } {
  const boundary = `----fuzz${r.int(0, 1e9)}`;
  const name = r.pick(['file', 'files', 'x', '']);
  const filename = r.pick([
    'a.docx',
    'a.xlsx',
    'a.png',
    '../../etc/passwd',
    '"><script>.docx',
    '\u202egpj.exe',
    'a\u0000.docx',
    '',
  ]);
  const kind = r.int(0, 4);
  if (kind === 0)
    return {
      body: Buffer.from(`--${boundary}\r\ngarbage without headers`),
      type: `multipart/form-data; boundary=${boundary}`,
    };
  if (kind === 1) return { body: Buffer.from('no boundary here'), type: 'multipart/form-data' };
  if (kind === 2)
    return { body: Buffer.from(`--${boundary}--\r\n`), type: `multipart/form-data; boundary=${boundary}` };
  const file = r.pick(MULTIPART_FILES)();
  const parts = [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: ${r.pick(['application/octet-stream', 'image/png', 'text/html', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'])}\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n`),
  ];
  if (kind === 4)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${r.pick(['note', 'kind', 'itemId', 'x'])}"\r\n\r\n${hostileString(r).slice(0, 5000)}\r\n`,
      ),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

// ---------------------------------------------------------------------------------------------------------------
// Upload-then-read sequences

export interface FuzzFile {
  name: string;
  type: string;
  body: Buffer;
}

/** Real files for the upload routes, made once per run (the bombs take about a second each to deflate). */
export async function uploadFiles(): Promise<
  Record<'docx' | 'attachment' | 'xlsx' | 'image' | 'evidence', FuzzFile[]>
> {
  const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  const lines = (n: number, text: string) =>
    docxBomb({ bytes: n * Buffer.byteLength(docxParagraph(text)), paragraph: docxParagraph(text) });
  const good = await makeReportDocx({ extraHeading: '五、其他事项' });
  const bomb = await docxBomb({ bytes: 200 * 1024 * 1024 });
  const liar = await docxBomb({ bytes: 200 * 1024 * 1024, lieAbout: 100_000 });
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('Sheet1').addRows([
    ['姓名', '单位', '得分'],
    ['张三', '甲县委', 90],
    ['李四', '<script>', 'x'],
  ]);
  const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
  const png = Buffer.from(
    '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
      '1f15c4890000000d49444154789c6300010000050001' +
      '0d0a2db40000000049454e44ae426082',
    'hex',
  );
  const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7), Buffer.from([0xff, 0xd9])]);
  // Deterministic filler, so a seed replays the same bytes (and the same content hashes in the file store).
  const junk = (n: number) => {
    const g = prng(n);
    return Buffer.from(Array.from({ length: n }, () => Math.floor(g.next() * 256)));
  };
  const f = (name: string, type: string, body: Buffer): FuzzFile => ({ name, type, body });
  return {
    docx: [
      f('述职报告.docx', DOCX, good),
      f('超长报告.docx', DOCX, await lines(1200, '加强基层党组织建设工作')),
      f('超长部分.docx', DOCX, await lines(12_000, '加强基层党组织建设')),
      f('十五万行.docx', DOCX, await lines(150_000, '第一项工作')),
      f('炸弹.docx', DOCX, bomb),
      f('隐藏炸弹.docx', DOCX, liar),
      f('损坏.docx', DOCX, good.subarray(0, good.length >> 1)),
      f('旧版.doc', 'application/msword', junk(3000)),
    ],
    attachment: [
      f('汇报幻灯片.pptx', 'application/vnd.ms-powerpoint', junk(64 * 1024)),
      f('短片.mp4', 'video/mp4', junk(256 * 1024)),
      f('页面.pdf', 'text/html', Buffer.from('<html><script>alert(1)</script></html>')),
      f('图.svg', 'image/svg+xml', Buffer.from('<svg onload="alert(1)"/>')),
      f('空.pptx', 'application/octet-stream', Buffer.alloc(0)),
      f('程序.exe', 'application/octet-stream', junk(1000)),
      f('述职报告.docx', DOCX, good),
      f('炸弹.docx', DOCX, bomb),
    ],
    xlsx: [
      f('导入.xlsx', XLSX, xlsx),
      f('炸弹.xlsx', XLSX, bomb),
      f('隐藏炸弹.xlsx', XLSX, liar),
      f('不是表格.xlsx', XLSX, good),
      f('损坏.xlsx', XLSX, xlsx.subarray(0, 200)),
    ],
    image: [
      f('照片.png', 'image/png', png),
      f('照片.jpg', 'image/jpeg', jpeg),
      f('图.svg', 'image/svg+xml', Buffer.from('<svg/>')),
      f('照片.png', 'image/png', junk(500)),
    ],
    evidence: [
      f('佐证.pdf', 'application/pdf', Buffer.from('%PDF-1.4\n%%EOF')),
      f('照片.png', 'image/png', png),
      f('页面.html', 'text/html', Buffer.from('<script>1</script>')),
    ],
  };
}

function filesFor(route: Route, files: Awaited<ReturnType<typeof uploadFiles>>): FuzzFile[] {
  if (/\/docx$/.test(route.path)) return files.docx;
  if (/attachments$/.test(route.path)) return files.attachment;
  if (/photos$/.test(route.path)) return files.image;
  if (/evidence$/.test(route.path)) return files.evidence;
  return files.xlsx;
}

function fileBody(file: FuzzFile, fields: Record<string, string> = {}): { body: Buffer; type: string } {
  const boundary = `----seq${file.body.length}`;
  const parts: Buffer[] = Object.entries(fields).map(([k, v]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
  );
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
    ),
    file.body,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

/** Fills a route's path: `known` names a value per parameter where one is known, else an id (of `prefer`, mostly). */
function pathWith(route: Route, r: Rng, ids: number[], prefer: number[], known: Record<string, string> = {}): string {
  let p = route.path;
  for (const prm of route.params) {
    const v =
      known[prm.name] ?? String(prefer.length && r.chance(0.7) ? r.pick(prefer) : r.pick(ids.length ? ids : [1]));
    p = p.replace(`{${prm.name}}`, v);
  }
  return p;
}

/** A real file to an upload route; report routes as the reporting secretary, the others as the admin. */
export function uploadRequest(
  uploads: Route[],
  r: Rng,
  ids: number[],
  focusIds: number[],
  files: Awaited<ReturnType<typeof uploadFiles>>,
): FuzzRequest {
  // The report routes (where issue 15's 500s were) get two in five sequences; the rest share the others.
  const reportUploads = uploads.filter((x) => x.path.startsWith('/api/reports/'));
  const route = reportUploads.length && r.chance(0.4) ? r.pick(reportUploads) : r.pick(uploads);
  const file = r.pick(filesFor(route, files));
  const m = fileBody(
    file,
    /evidence$/.test(route.path) && r.chance(0.5) ? { progressId: String(r.pick(ids.length ? ids : [1])) } : {},
  );
  const auth: FuzzRequest['auth'] = route.path.startsWith('/api/reports/')
    ? r.chance(0.85)
      ? 'secretary'
      : 'admin'
    : 'admin';
  return {
    route,
    method: route.method,
    url: pathWith(route, r, ids, focusIds),
    headers: { 'content-type': m.type },
    payload: m.body,
    auth,
    valid: true,
    file: file.name,
  };
}

/** Numbers an answer names (id, versionNo, a job's id…), to read what was just made. */
function answeredIds(body: string): number[] {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    return [];
  }
  const out: number[] = [];
  const walk = (x: unknown, depth: number) => {
    if (!x || typeof x !== 'object' || depth > 2) return;
    for (const [k, val] of Object.entries(x)) {
      if (typeof val === 'number' && /^(id|versionNo)$|Id$/.test(k) && Number.isInteger(val) && val >= 0) out.push(val);
      else walk(val, depth + 1);
    }
  };
  walk(v, 0);
  return out;
}

/**
 * The reads that follow an upload: GET routes of the same resource (the upload's path up to its last parameter, with
 * the same values), the resource itself always, other parameters from the ids the upload answered.
 */
export function readsAfter(routes: Route[], q: FuzzRequest, answer: string, r: Rng, ids: number[]): FuzzRequest[] {
  const tpl = q.route.path.split('/');
  const concrete = q.url.split('?')[0]!.split('/');
  let last = -1;
  tpl.forEach((s, i) => {
    if (s.startsWith('{')) last = i;
  });
  const prefix = last < 0 ? q.route.path : tpl.slice(0, last + 1).join('/');
  const known: Record<string, string> = {};
  tpl.slice(0, last + 1).forEach((s, i) => {
    if (s.startsWith('{')) known[s.slice(1, -1)] = concrete[i]!;
  });
  const made = answeredIds(answer);
  const reads = routes.filter((x) => x.method === 'GET' && !x.sse && x.path.startsWith(prefix));
  const own = reads.find((x) => x.path === prefix);
  const picked = [
    ...(own ? [own] : []),
    ...Array.from({ length: r.int(1, 3) }, () =>
      r.pick(reads.length ? reads : routes.filter((x) => x.method === 'GET' && !x.sse)),
    ),
  ];
  const prefer = [...made, 0, 1, 2];
  return picked.map((route) => ({
    route,
    method: 'GET',
    url: pathWith(route, r, ids, prefer, known) + buildQuery(route, r, prefer, false),
    headers: {},
    auth: q.auth,
    valid: true,
  }));
}

export function generate(route: Route, r: Rng, ids: number[], opts: { valid?: boolean } = {}): FuzzRequest {
  const valid = !!opts.valid;
  const garbagePath = !valid && route.params.length > 0 && r.chance(0.25);
  const url = fillPath(route, r, ids, garbagePath) + buildQuery(route, r, ids, !valid && r.chance(0.4));
  const headers: Record<string, string> = {};
  let payload: string | Buffer | undefined;
  const hasBody = route.method !== 'GET' && route.method !== 'DELETE';
  const bodyMode = valid ? 0 : r.int(0, 19);
  if (route.multipartLikely && (valid || r.chance(0.7))) {
    const m = multipart(r);
    payload = m.body;
    headers['content-type'] = m.type;
  } else if (hasBody || bodyMode >= 18) {
    const base = route.body ? validValue(route.body, r, ids) : {};
    if (bodyMode <= 9) {
      // The common case: a schema-shaped body broken in 1-3 places (or not at all for the valid base).
      let v = base;
      const n = valid ? 0 : r.int(1, 3);
      for (let i = 0; i < n; i++) v = mutate(v, route.body, r);
      payload = spliceDeep(JSON.stringify(v));
      headers['content-type'] = 'application/json';
    } else {
      switch (bodyMode) {
        case 10:
          payload = deepObject();
          headers['content-type'] = 'application/json';
          break;
        case 11:
          payload = deepArray();
          headers['content-type'] = 'application/json';
          break;
        case 12:
          payload = r.pick([
            '{',
            '{"a":',
            '[1,2',
            '{"a":1}}',
            "{'a':1}",
            'nul',
            '\u0000',
            '{"a":"\\ud800"}',
            '{"a":"\\u0000"}',
            '{"__proto__":{"x":1}}',
            '{"constructor":{"prototype":{"x":1}}}',
            '',
          ]);
          headers['content-type'] = 'application/json';
          break;
        case 13:
          payload = JSON.stringify(base);
          headers['content-type'] = r.pick([
            'text/plain',
            'text/html',
            'application/xml',
            'application/x-www-form-urlencoded',
            'image/png',
            'application/json; charset=utf-16',
            'application/jsonx',
            '',
            '*/*',
          ]);
          break;
        case 14:
          payload = 'a=1&b=%00&c[d]=<script>';
          headers['content-type'] = 'application/x-www-form-urlencoded';
          break;
        case 15: {
          const m = multipart(r);
          payload = m.body;
          headers['content-type'] = m.type;
          break;
        }
        case 16:
          payload = JSON.stringify(r.pick([null, [], 1, 'x', true, [base]]));
          headers['content-type'] = 'application/json';
          break;
        case 17:
          payload = JSON.stringify({ ...(base as object), big: HUGE() });
          headers['content-type'] = 'application/json';
          break;
        default:
          payload = JSON.stringify(base);
          headers['content-type'] = 'application/json';
          break; // a body on GET/DELETE
      }
    }
  }
  const authRoll = r.next();
  const auth: FuzzRequest['auth'] =
    valid || authRoll < 0.8 ? 'admin' : authRoll < 0.9 ? 'anonymous' : authRoll < 0.96 ? 'bad_csrf' : 'garbage_cookie';
  return { route, method: route.method, url, headers, payload, auth, valid };
}

// ---------------------------------------------------------------------------------------------------------------
// Table checksums

/**
 * Rows that record failures by design, excluded from "rejected requests change nothing". Each is named with the
 * rule that writes it; everything else in every table is compared.
 */
export const FAILURE_RECORDING: Record<string, { why: string; exclude: string }> = {
  login_attempts: { why: 'login rate limit counts every attempt per client address', exclude: 'true' },
  login_guards: {
    why: 'sign-in attempts are counted per typed username and address before the password is checked (lockout)',
    exclude: 'true',
  },
  vote_failures: { why: 'unknown ballot codes are counted per client address (phone page limit)', exclude: 'true' },
  survey_failures: { why: 'unknown survey links are counted per client address, like vote_failures', exclude: 'true' },
  audit_log: {
    why: "failed logins and lockouts are audited (result = 'failure', action auth.lock)",
    exclude: "x.result = 'failure' or x.action = 'auth.lock'",
  },
  org_import_jobs: {
    why: 'an organization import records its own failure (status failed + error) for the importer to read, also from the background job of POST /api/orgs/import-jobs',
    exclude: "x.status in ('failed', 'reading', 'checking', 'writing')",
  },
  org_import_staging: { why: 'rows staged by a background import job, removed when it ends', exclude: 'true' },
  sessions: {
    why: 'a request on the session of a disabled or idle-expired account deletes that session (answers 401)',
    exclude: 'true',
  },
};
/** Columns that record failures inside otherwise compared rows. */
const FAILURE_COLUMNS: Record<string, string[]> = {
  ballot_codes: ['room_failures'],
};

/**
 * Row-level change log, installed in the fuzzed database only: every committed insert, delete and real update of
 * every table lands in fuzz_changes (a rolled-back transaction takes its log rows with it). Read and cleared after
 * each request, it attributes changes to the single request that made them — finer than the per-batch checksums.
 */
export async function installChangeLog(db: Database['db'], tables: string[]) {
  await db.execute(
    sql.raw(
      'create table if not exists fuzz_changes (id serial primary key, tbl text not null, op text not null, old jsonb, new jsonb)',
    ),
  );
  await db.execute(
    sql.raw(`
    create or replace function fuzz_log() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and to_jsonb(new) = to_jsonb(old) then return null; end if;
      insert into fuzz_changes (tbl, op, old, new) values (tg_table_name, tg_op,
        case when tg_op <> 'INSERT' then to_jsonb(old) end, case when tg_op <> 'DELETE' then to_jsonb(new) end);
      return null;
    end $$;`),
  );
  for (const t of tables) {
    await db.execute(
      sql.raw(
        `create trigger zz_fuzz_log after insert or update or delete on "${t}" for each row execute function fuzz_log()`,
      ),
    );
  }
}

interface Change {
  tbl: string;
  op: string;
  old: Record<string, unknown> | null;
  new: Record<string, unknown> | null;
}

/** Changes a rejected request may make by design (FAILURE_RECORDING / FAILURE_COLUMNS); the rest are violations. */
export function unexpectedChanges(changes: Change[], status: number): Change[] {
  return changes.filter((c) => {
    if (
      c.tbl === 'login_attempts' ||
      c.tbl === 'login_guards' ||
      c.tbl === 'vote_failures' ||
      c.tbl === 'survey_failures' ||
      c.tbl === 'org_import_staging'
    )
      return false;
    if (c.tbl === 'org_import_jobs' && c.new?.status !== 'done') return false;
    if (c.tbl === 'audit_log' && c.op === 'INSERT' && (c.new?.result === 'failure' || c.new?.action === 'auth.lock'))
      return false;
    // A request on the session of a disabled or idle-expired account ends that session (and answers 401).
    if (c.tbl === 'sessions' && c.op === 'DELETE' && status === 401) return false;
    const cols = FAILURE_COLUMNS[c.tbl];
    if (cols && c.op === 'UPDATE' && c.old && c.new) {
      const strip = (o: Record<string, unknown>) =>
        JSON.stringify(Object.fromEntries(Object.entries(o).filter(([k]) => !cols.includes(k))));
      if (strip(c.old) === strip(c.new)) return false;
    }
    return true;
  });
}

export async function tableNames(db: Database['db']): Promise<string[]> {
  const rows = await queryRows<{ t: string }>(
    db,
    sql`
    select table_name as t from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  return rows.map((x) => x.t).filter((t) => !t.startsWith('__drizzle') && t !== 'fuzz_changes');
}

export async function checksums(db: Database['db'], tables: string[]): Promise<Map<string, string>> {
  // An accepted request may drop a table the run started with (closing a real round drops its ballot inbox,
  // decision 017): checksum the ones still there; a table gone during a rejected batch is reported by the caller.
  const present = new Set(await tableNames(db));
  const parts = tables
    .filter((t) => present.has(t))
    .map((t) => {
      const f = FAILURE_RECORDING[t];
      const cols = (FAILURE_COLUMNS[t] ?? []).map((c) => ` - '${c}'`).join('');
      const where = f ? `where not (${f.exclude})` : '';
      return `select '${t}' as t, md5(coalesce(string_agg((to_jsonb(x)${cols})::text, '|' order by (to_jsonb(x)${cols})::text), '')) as h, count(*)::int as n from "${t}" x ${where}`;
    });
  const rows = await queryRows<{ t: string; h: string }>(db, sql.raw(parts.join(' union all ')));
  return new Map(rows.map((x) => [x.t, x.h]));
}

// ---------------------------------------------------------------------------------------------------------------
// The run

export interface FuzzStats {
  requests: number;
  perRoute: Map<string, number>;
  statuses: Map<number, number>;
  overHttp: number;
  batchesChecked: number;
  /** Rejected requests whose own row changes were checked through the change log. */
  rejectedChecked: number;
  sendMs: number;
  checkMs: number;
  slowest: Array<[number, string]>;
  violations: string[];
  elapsedMs: number;
  /** Upload-then-read sequences run, and their uploads by route, file and answer. */
  sequences: number;
  uploads: Map<string, number>;
  /** Answers of the reads that followed an upload. */
  readsAfterUpload: Map<number, number>;
}

export interface FuzzOptions {
  app: FastifyInstance;
  database: Database;
  adminId: number;
  requests: number;
  seed: number;
  /** Share of requests sent over a real socket (app.listen) instead of app.inject. */
  httpShare?: number;
  batchSize?: number;
  /** Progress line every n requests (0: silent). */
  progressEvery?: number;
  log?: (line: string) => void;
  /** A reporting secretary: upload sequences to report routes run as them (authors only may upload). */
  secretaryId?: number;
  /** Ids an upload sequence prefers for its path (e.g. that secretary's report). */
  focusIds?: number[];
  /** Share of the mixed batches' requests that start an upload-then-read sequence (default 0.03). */
  sequenceShare?: number;
}

const describe = (q: FuzzRequest) => {
  const body = q.payload === undefined ? '' : typeof q.payload === 'string' ? q.payload : q.payload.toString('latin1');
  return `${q.method} ${q.url.slice(0, 300)} [${q.auth}] ${q.headers['content-type'] ?? ''} body=${JSON.stringify(body.slice(0, 300))}${body.length > 300 ? `…(${body.length})` : ''}`;
};

function checkResponse(
  q: FuzzRequest,
  status: number,
  body: string,
  contentType: string | undefined,
  violations: string[],
) {
  if (status >= 500) {
    violations.push(`${status} ← ${describe(q)} → ${body.slice(0, 500)}`);
    return;
  }
  if (status >= 400) {
    let parsed: { code?: unknown; message?: unknown } | null = null;
    try {
      parsed = JSON.parse(body);
    } catch {
      /* checked below */
    }
    if (!parsed || typeof parsed.code !== 'string' || typeof parsed.message !== 'string' || !CJK.test(parsed.message)) {
      violations.push(
        `4xx body not { code, message(中文) }: ${status} ${contentType ?? ''} ${body.slice(0, 200)} ← ${describe(q)}`,
      );
    }
  }
}

export async function runFuzz(o: FuzzOptions): Promise<FuzzStats> {
  const { app, database } = o;
  const db = database.db;
  const log = o.log ?? (() => {});
  const r = prng(o.seed);
  const batchSize = o.batchSize ?? 50;
  const httpShare = o.httpShare ?? 0.015;
  const routes = routesFromOpenApi(app.swagger());
  const tables = await tableNames(db);
  const withId = await queryRows<{ t: string }>(
    db,
    sql`
    select table_name as t from information_schema.columns
    where table_schema = 'public' and column_name = 'id' and data_type in ('integer', 'bigint') order by 1`,
  );
  const idRows = await queryRows<{ id: number }>(
    db,
    sql.raw(
      `select distinct id from (${withId.map((x) => `select id::bigint as id from "${x.t}"`).join(' union all ')}) x where id < 200 order by 1`,
    ),
  );
  const ids = idRows.map((x) => Number(x.id));
  await installChangeLog(db, tables);
  const drainChanges = () => queryRows<Change>(db, sql`delete from fuzz_changes returning tbl, op, old, new`);

  let session = await createSession(db, o.adminId, app.deps.clock.now());
  const secretaryId = o.secretaryId ?? o.adminId;
  let secretary = await createSession(db, secretaryId, app.deps.clock.now());
  const repairAdmin = async () => {
    // A fuzzed but valid request may disable, lock or log out the fuzzing admin (or the secretary); put them back.
    for (const id of new Set([o.adminId, secretaryId])) {
      await db.update(users).set({ disabled: false, mustChangePassword: false }).where(eq(users.id, id));
    }
    session = await createSession(db, o.adminId, app.deps.clock.now());
    secretary = await createSession(db, secretaryId, app.deps.clock.now());
  };
  const files = await uploadFiles();
  const uploads = routes.filter((x) => x.multipartLikely);

  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

  const headersFor = (q: FuzzRequest): Record<string, string> => {
    const h = { ...q.headers };
    if (q.auth === 'admin') {
      h.cookie = `sp_sid=${session.token}`;
      h['x-csrf-token'] = session.csrfToken;
    } else if (q.auth === 'secretary') {
      h.cookie = `sp_sid=${secretary.token}`;
      h['x-csrf-token'] = secretary.csrfToken;
    } else if (q.auth === 'bad_csrf') {
      h.cookie = `sp_sid=${session.token}`;
      if (r.chance(0.5)) h['x-csrf-token'] = r.pick(['', 'x', `${session.csrfToken}x`, 'A'.repeat(10_000)]);
    } else if (q.auth === 'garbage_cookie')
      h.cookie = r.pick([
        'sp_sid=',
        `sp_sid=${'A'.repeat(5000)}`,
        'sp_sid=%00',
        'sp_sid=../../',
        'sp_sid="<script>"',
        '=;;=;sp_sid',
        `sp_sid=${session.token}x`,
      ]);
    return h;
  };

  const send = async (q: FuzzRequest, viaHttp: boolean): Promise<{ status: number; body: string; type?: string }> => {
    const headers = headersFor(q);
    if (!viaHttp && !q.route.sse) {
      const res = await app.inject({ method: q.method as 'GET', url: q.url, headers, payload: q.payload });
      return { status: res.statusCode, body: res.body, type: res.headers['content-type'] as string | undefined };
    }
    return new Promise((resolve, reject) => {
      // A request node:http itself refuses to send (bad header characters) is a generator bug, not a server answer.
      let req: http.ClientRequest;
      try {
        req = http.request(
          {
            host: '127.0.0.1',
            port,
            method: q.method,
            path: q.url,
            agent: q.route.sse ? false : agent,
            headers: {
              ...headers,
              ...(q.payload !== undefined ? { 'content-length': String(Buffer.byteLength(q.payload)) } : {}),
            },
          },
          (res) => {
            const type = res.headers['content-type'];
            if (String(type ?? '').startsWith('text/event-stream')) {
              // The stream opened (200): that is the answer; close it like a phone leaving the page.
              res.destroy();
              return resolve({ status: res.statusCode ?? 0, body: '', type });
            }
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), type }),
            );
            res.on('error', () =>
              resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), type }),
            );
          },
        );
      } catch (e) {
        return reject(e);
      }
      req.on('error', (e) => resolve({ status: 599, body: `socket error: ${e.message}`, type: undefined }));
      req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
      req.end(q.payload);
    });
  };

  const stats: FuzzStats = {
    requests: 0,
    perRoute: new Map(),
    statuses: new Map(),
    overHttp: 0,
    batchesChecked: 0,
    rejectedChecked: 0,
    sendMs: 0,
    checkMs: 0,
    slowest: [],
    violations: [],
    elapsedMs: 0,
    sequences: 0,
    uploads: new Map(),
    readsAfterUpload: new Map(),
  };
  const t0 = Date.now();
  const record = (q: FuzzRequest, status: number) => {
    stats.requests++;
    const key = `${q.method} ${q.route.path}`;
    stats.perRoute.set(key, (stats.perRoute.get(key) ?? 0) + 1);
    stats.statuses.set(status, (stats.statuses.get(status) ?? 0) + 1);
  };

  // World building by schema: every route once with its unmutated base, creates first, so later mutations find rows.
  const ordered = [...routes].sort((a, b) => (a.method === 'POST' ? 0 : 1) - (b.method === 'POST' ? 0 : 1));
  for (const route of ordered) {
    if (route.path === '/api/auth/logout' || stats.requests >= o.requests) continue;
    const q = generate(route, r, ids, { valid: true });
    const res = await send(q, false);
    record(q, res.status);
    checkResponse(q, res.status, res.body, res.type, stats.violations);
  }
  await repairAdmin();
  await drainChanges();

  const writes = routes.filter((x) => x.method !== 'GET');
  let batchNo = 0;
  await drainChanges();
  // Tables are listed again at every checksum: a valid request may create or drop one (a ballot round's inbox is
  // dropped when voting closes), and a list read once would query a table that is gone.
  const snapshot = async () => checksums(db, await tableNames(db));
  let before = await snapshot();
  let lastProgress = 0;
  while (stats.requests < o.requests) {
    const n = Math.min(batchSize, o.requests - stats.requests);
    let allRejected = true;
    let touchedSession = false;
    // Every third batch is hostile only (state-changing routes, always broken), so whole batches end rejected and
    // the table checksums get compared; the others mix in reads, which mostly succeed.
    const hostile = batchNo++ % 3 === 0;
    // One request sent, timed, recorded and checked, with the rows it changed attributed to it.
    const one = async (q: FuzzRequest, viaHttp: boolean) => {
      if (viaHttp) stats.overHttp++;
      const ts = performance.now();
      const res = await send(q, viaHttp);
      const dt = performance.now() - ts;
      stats.slowest.push([dt, `${q.method} ${q.route.path} ${res.status} ${String(q.payload?.length ?? 0)}B`]);
      if (stats.slowest.length > 40) {
        stats.slowest.sort((a, b) => b[0] - a[0]);
        stats.slowest.length = 20;
      }
      stats.sendMs += dt;
      record(q, res.status);
      checkResponse(q, res.status, res.body, res.type, stats.violations);
      const tc = performance.now();
      const changes = await drainChanges();
      stats.checkMs += performance.now() - tc;
      if (res.status >= 400 && res.status < 500) {
        stats.rejectedChecked++;
        for (const c of unexpectedChanges(changes, res.status).slice(0, 3)) {
          stats.violations.push(
            `rejected request (${res.status}) changed ${c.tbl} (${c.op} ${JSON.stringify(c.new ?? c.old).slice(0, 200)}) ← ${describe(q)}`,
          );
        }
      }
      if (res.status < 400 || res.status >= 500) allRejected = false;
      if ((q.auth === 'admin' || q.auth === 'secretary') && res.status === 401) touchedSession = true;
      return res;
    };
    for (let i = 0; i < n; i++) {
      // Upload then read (mixed batches only: an upload may rightly succeed).
      if (!hostile && uploads.length && r.chance(o.sequenceShare ?? 0.03)) {
        const up = uploadRequest(uploads, r, ids, o.focusIds ?? [], files);
        const res = await one(up, false);
        stats.sequences++;
        const key = `${up.route.path} ${up.file} [${up.auth}] → ${res.status}`;
        stats.uploads.set(key, (stats.uploads.get(key) ?? 0) + 1);
        for (const read of readsAfter(routes, up, res.body, r, ids)) {
          if (stats.requests >= o.requests) break;
          const got = await one(read, r.chance(httpShare));
          stats.readsAfterUpload.set(got.status, (stats.readsAfterUpload.get(got.status) ?? 0) + 1);
        }
        continue;
      }
      const route = hostile ? r.pick(writes) : r.pick(routes);
      const q = generate(route, r, ids);
      // Logging the fuzzing admin out would only test the 401 path from then on.
      if (route.path === '/api/auth/logout' && q.auth === 'admin') q.auth = 'bad_csrf';
      await one(q, route.sse || r.chance(httpShare));
    }
    // The server keeps answering: a crash or a wedged database shows here, not only in a 5xx.
    const health = await app.inject({ method: 'GET', url: '/api/health' });
    if (health.statusCode !== 200)
      stats.violations.push(`health check failed after batch: ${health.statusCode} ${health.body}`);
    const tc = performance.now();
    const after = await snapshot();
    stats.checkMs += performance.now() - tc;
    if (allRejected && !touchedSession) {
      stats.batchesChecked++;
      for (const [t, h] of after)
        if (before.get(t) !== h)
          stats.violations.push(
            `table ${t} changed in a batch of rejected requests (seed ${o.seed}, near request ${stats.requests})`,
          );
      for (const t of before.keys())
        if (!after.has(t))
          stats.violations.push(
            `table ${t} dropped in a batch of rejected requests (seed ${o.seed}, near request ${stats.requests})`,
          );
    }
    before = after;
    if (touchedSession || r.chance(0.02)) {
      await repairAdmin();
      await drainChanges();
      before = await snapshot();
    }
    if (o.progressEvery && stats.requests - lastProgress >= o.progressEvery) {
      lastProgress = stats.requests;
      const rate = stats.requests / ((Date.now() - t0) / 1000);
      log(`  ${stats.requests} requests, ${stats.violations.length} violations, ${rate.toFixed(0)} req/s`);
    }
    if (stats.violations.length > 200) {
      log('  stopping: more than 200 violations');
      break;
    }
  }
  stats.elapsedMs = Date.now() - t0;
  stats.slowest.sort((a, b) => b[0] - a[0]);
  stats.slowest.length = Math.min(stats.slowest.length, 20);
  agent.destroy();
  return stats;
}

export function histogram(m: Map<number | string, number>): string {
  return [...m.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
}
