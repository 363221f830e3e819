/**
 * The vote page's address as phones must open it (README, "会场设置"): PUBLIC_URL when set, else the address the
 * request came in at — which, on the laptop at the projector, is often http://localhost:3000, useless to a phone.
 */
import os from 'node:os';
import type { FastifyRequest } from 'fastify';
import { isIpv4, phoneUnreachableReason } from '../../domain/lan-address';
import type { AppConfig } from './context';

/** The origin printed on slips and survey cards. */
export function publicOrigin(req: FastifyRequest): string {
  return req.server.deps.config.publicUrl ?? `${req.protocol}://${req.host}`;
}

type Interfaces = ReturnType<typeof os.networkInterfaces>;

/** This machine's IPv4 addresses on a network (not loopback), as phones would reach it. */
export function lanAddresses(interfaces: Interfaces = os.networkInterfaces()): string[] {
  return Object.values(interfaces).flatMap((list) =>
    (list ?? [])
      .filter((a) => a.family === 'IPv4' && !a.internal && !a.address.startsWith('169.254.'))
      .map((a) => a.address),
  );
}

/**
 * Why phones may not reach the configured address, or null when nothing is known to be wrong. A name (vote.example.cn)
 * is not checked: only DNS and the proxy in front know it. Without PUBLIC_URL the console checks the address it was
 * opened at itself.
 */
export function publicUrlWarning(
  config: Pick<AppConfig, 'publicUrl' | 'listen'>,
  interfaces: Interfaces = os.networkInterfaces(),
): string | null {
  if (!config.publicUrl) return null;
  const url = new URL(config.publicUrl);
  const host = url.hostname;
  const reason = phoneUnreachableReason(host);
  if (reason) return `PUBLIC_URL 设置为 ${config.publicUrl}：${reason}。请改为本机在会场网络中的地址`;
  if (!isIpv4(host)) return null;
  const mine = lanAddresses(interfaces);
  if (!mine.includes(host)) {
    return `PUBLIC_URL 中的 ${host} 不是本机当前的网络地址（可能换了网络或重新分配了地址），手机可能打不开；请核对后重新设置并重启`;
  }
  const listen = config.listen;
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (listen && port === listen.port && phoneUnreachableReason(listen.host)?.includes('只指本机')) {
    return `服务只在本机监听（HOST=${listen.host}），手机打不开 ${config.publicUrl}；请以 HOST=0.0.0.0 启动`;
  }
  return null;
}
