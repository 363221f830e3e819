/**
 * Whether phones in the meeting room can open an address at all. The QR code and the slips carry the vote page's
 * address; an address that names the laptop itself (localhost, 127.0.0.1) or no machine (0.0.0.0) opens nothing on a
 * phone. Used by the server for PUBLIC_URL and by the console for the address it was opened at.
 */
export function phoneUnreachableReason(hostname: string): string | null {
  const host = hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1') {
    return `「${hostname}」只指本机，手机打不开`;
  }
  if (host === '0.0.0.0' || host === '::') return `「${hostname}」是监听地址，不是手机能打开的地址`;
  if (/^169\.254\.\d+\.\d+$/.test(host) || /^fe80:/.test(host)) {
    return `「${hostname}」是未连上网络时的临时地址，手机通常打不开`;
  }
  return null;
}

/** An IPv4 literal (as opposed to a name such as vote.example.cn, which only DNS can check). */
export const isIpv4 = (host: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
