import net from 'node:net';
import type { z } from 'zod';

/**
 * Which peers may tell the client address through X-Forwarded-For (env TRUST_PROXY → Fastify's trustProxy).
 * Off by default: a forwarded address believed from anyone lets a phone pick a fresh "address" per request and
 * dodge the per-address limits (login rate, unknown ballot codes) and write what it likes into the audit's ip.
 * Behind nginx on the same machine: TRUST_PROXY=127.0.0.1; elsewhere the proxies' addresses or CIDRs,
 * comma-separated (or proxy-addr's names loopback, linklocal, uniquelocal), or a hop count when every request
 * surely arrives through exactly that many proxies.
 */
export type TrustProxy = false | number | string[];

/** proxy-addr's names for address ranges. */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const HELP =
  '应为反向代理的IP地址或网段（逗号分隔，如 127.0.0.1,10.0.0.0/8）、loopback，或代理层数（如 1）；不设置则不信任 X-Forwarded-For';

/** Parses the env value; with a zod context the problem becomes an issue of that field, else it throws. */
export function parseTrustProxy(raw: string | undefined, ctx?: z.RefinementCtx): TrustProxy {
  const fail = (message: string): TrustProxy => {
    if (!ctx) throw new Error(`TRUST_PROXY: ${message}`);
    ctx.addIssue({ code: 'custom', message });
    return false;
  };
  const v = (raw ?? '').trim();
  if (v === '' || v === 'false' || v === 'off') return false;
  if (v === 'true' || v === '*')
    return fail(`不允许信任任意来源的 X-Forwarded-For（投票者可借此伪造地址绕过限流）；${HELP}`);
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops < 1 || hops > 10) return fail(`代理层数应在1到10之间；${HELP}`);
    return hops;
  }
  const items = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items) {
    if (RANGE_NAMES.has(item)) continue;
    const [addr, prefix, ...rest] = item.split('/');
    const family = net.isIP(addr ?? '');
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32));
    if (!family || rest.length > 0 || !prefixOk) return fail(`「${item}」不是有效的地址或网段；${HELP}`);
  }
  return items;
}

/**
 * Fastify's option: a list goes to proxy-addr as is; a hop count becomes the function Fastify itself would make
 * of it (its types do not admit the number): trust the first `hops` addresses counted from the socket.
 */
export function fastifyTrustProxy(
  tp: TrustProxy | undefined,
): boolean | string[] | ((addr: string, hop: number) => boolean) {
  if (typeof tp === 'number') return (_addr, hop) => hop < tp;
  return tp ?? false;
}
