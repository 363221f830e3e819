import { describe, expect, it } from 'vitest';
import { isIpv4, phoneUnreachableReason } from './lan-address';

describe('addresses phones cannot open', () => {
  it.each(['localhost', 'LOCALHOST', 'app.localhost', '127.0.0.1', '127.1.2.3', '[::1]', '0.0.0.0', '169.254.10.3'])(
    '%s is refused with a reason',
    (h) => {
      expect(phoneUnreachableReason(h)).toMatch(/手机/);
    },
  );
  it.each(['192.168.1.10', '10.0.0.5', 'vote.example.cn', '172.16.3.4'])('%s may be reachable', (h) => {
    expect(phoneUnreachableReason(h)).toBeNull();
  });
  it('tells IPv4 literals from names', () => {
    expect(isIpv4('192.168.1.10')).toBe(true);
    expect(isIpv4('vote.example.cn')).toBe(false);
  });
});
