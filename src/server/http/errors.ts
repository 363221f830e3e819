import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ERROR_CODES, type ErrorCode } from '../../domain/error-codes';
import { AppError } from '../../domain/errors';
import { isRetryableDbError } from '../db/retryable';

/** Chinese names of common fields, so a validation message names the field the user sees. */
const FIELD_LABELS: Record<string, string> = {
  name: '名称',
  code: '编码',
  kind: '组织类别',
  sector: '领域',
  level: '层级',
  parentId: '上级组织',
  newParentId: '新上级组织',
  username: '用户名',
  password: '密码',
  displayName: '姓名',
  role: '角色',
  scopeOrgId: '管理范围',
  orgId: '所在组织',
  position: '职务',
  tenureStart: '任职时间',
  phone: '联系电话',
  q: '关键词',
  offset: '偏移量',
  limit: '每页条数',
  id: '编号',
  from: '开始时间',
  to: '结束时间',
  file: '文件',
  year: '年度',
  title: '标题',
  reason: '原因',
  comment: '意见',
  date: '日期',
};

export function fieldLabel(pathParts: (string | number)[]): string {
  const key = pathParts.filter((p) => typeof p === 'string').at(-1) as string | undefined;
  const dotted = pathParts.join('.');
  if (!key) return dotted || '请求';
  const label = FIELD_LABELS[key];
  return label ? `${label}（${dotted}）` : dotted;
}

const PG_DATA_ERROR = /^22/; // data exceptions: invalid text representation, value out of range…
/**
 * Parse errors of a malformed multipart body. busboy (under @fastify/multipart) throws them as plain Errors without
 * a status from `req.file()`, inside whichever upload route is running; matching them once here covers every upload
 * route (found by bench/fuzz.ts: "no boundary", a part without headers, a body cut short each gave a 500).
 */
const MULTIPART_PARSE_ERROR =
  /^(Multipart: Boundary not found|Unexpected end of (form|multipart data)|Malformed (part header|content type|urlencoded form)|Unsupported content type)/;

/** The answer for a code of the registry (decision 023): its status, and its default message unless given one. */
const answer = (code: ErrorCode, message?: string) => ({
  status: ERROR_CODES[code].status,
  code,
  message: message ?? ERROR_CODES[code].message,
});

function fastifyClientError(err: FastifyError): { status: number; code: ErrorCode; message: string } | null {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return answer('UNSUPPORTED_MEDIA_TYPE');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return answer('PAYLOAD_TOO_LARGE');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return answer('EMPTY_BODY');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return answer('BAD_REQUEST', '请求长度不正确');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return answer('UNSUPPORTED_MEDIA_TYPE', '请以文件上传方式（multipart/form-data）提交');
    default:
      break;
  }
  if (!err.code && !err.statusCode && MULTIPART_PARSE_ERROR.test(err.message ?? '')) {
    return answer('BAD_MULTIPART');
  }
  if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return answer('INVALID_JSON');
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    // Fastify's other client errors keep their own 4xx status; the code is still the registry's.
    return { ...answer('BAD_REQUEST', '请求格式错误'), status: err.statusCode };
  }
  return null;
}

/**
 * Errors the router raises before any route, hook or error handler runs (Fastify's `frameworkErrors` option): a path
 * that is not valid percent-encoded UTF-8 (/api/orgs/%C0%AE) and a path parameter longer than the router allows.
 * Without this Fastify answers with its own English `{ error, code, message, statusCode }`.
 */
/**
 * Errors Node's HTTP parser raises before a request exists (headers over the limit — e.g. a huge query string —,
 * malformed request lines, timeouts): the same { code, message } as everything else, not Fastify's English default
 * (found by bench/fuzz.ts over a real socket).
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: import('node:net').Socket) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [code, text]: [ErrorCode, string] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? ['HEADERS_TOO_LARGE', 'Request Header Fields Too Large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ['REQUEST_TIMEOUT', 'Request Timeout']
        : ['BAD_REQUEST', 'Bad Request'];
  const { status, ...body } = answer(code);
  const json = Buffer.from(JSON.stringify(body));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${text}\r\nContent-Length: ${json.length}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n`,
    );
    socket.write(json);
  }
  socket.destroy(err);
}

const send = (reply: FastifyReply, a: { status: number; code: ErrorCode; message: string }) =>
  reply.status(a.status).send({ code: a.code, message: a.message });

export function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply) {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return send(reply, answer('URL_TOO_LONG'));
  }
  return send(reply, answer('BAD_URL'));
}

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError & { details?: unknown }, req, reply) => {
    if (err instanceof AppError) {
      return reply.status(err.status).send({ code: err.code, message: err.message, details: err.details });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const first = err.validation[0];
      const where =
        err.validationContext === 'querystring' ? '查询参数' : err.validationContext === 'params' ? '路径参数' : '';
      const pathParts = (first?.instancePath ?? '').split('/').filter(Boolean);
      const message = `${where}字段「${fieldLabel(pathParts)}」无效：${first?.message ?? '格式不正确'}`;
      return reply.status(ERROR_CODES.VALIDATION.status).send({
        code: 'VALIDATION' satisfies ErrorCode,
        message,
        details: {
          field: pathParts.join('.'),
          issues: err.validation.map((v) => ({ field: v.instancePath, message: v.message })),
        },
      });
    }
    const client = fastifyClientError(err);
    if (client) return send(reply, client);
    // Drizzle wraps the driver's error (DrizzleQueryError): the SQLSTATE is on its cause. Without this a NUL in a
    // text field (22021) answered 500 (found by tests/integration/fuzz.test.ts).
    const pgCode = (err as { code?: string }).code ?? (err as { cause?: { code?: string } }).cause?.code;
    if (typeof pgCode === 'string' && PG_DATA_ERROR.test(pgCode)) {
      return send(reply, answer('INVALID_VALUE'));
    }
    if (pgCode === '23505') {
      return send(reply, answer('DUPLICATE'));
    }
    if (pgCode === '23503') {
      return send(reply, answer('REFERENCE'));
    }
    // The database was away (restart, failover to the standby, decision 027): the client may send the same request
    // again. Whether a write that was under way committed is unknown to us, hence "未确认", not "未保存".
    if (isRetryableDbError(err)) {
      req.log.warn(
        {
          reqId: req.id,
          dbError: (err as { code?: string }).code ?? (err as { cause?: { code?: string } }).cause?.code ?? err.message,
        },
        'database unavailable',
      );
      return reply
        .status(503)
        .header('retry-after', '2')
        .send({ code: 'DB_UNAVAILABLE', message: '数据库正在切换或暂时不可用，本次操作结果未确认，请稍后刷新后重试' });
    }
    req.log.error({ err, reqId: req.id }, 'unhandled error');
    return send(reply, answer('INTERNAL', `服务器内部错误（请求编号 ${req.id}）`));
  });

  // Client-side routes (/orgs/12, /audit…) load the SPA when it is served; unknown /api paths stay JSON 404s.
  app.setNotFoundHandler((req, reply) => {
    if (
      !req.url.startsWith('/api/') &&
      req.method === 'GET' &&
      typeof reply.sendFile === 'function' &&
      app.deps.config.webDir
    ) {
      return reply.sendFile('index.html');
    }
    return send(reply, answer('NOT_FOUND', '请求的接口不存在'));
  });
}
