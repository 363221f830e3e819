import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt is memory-hard and built into Node, so no native addon is needed on a government laptop.
 * The parameters are stored with each hash so they can be raised later without breaking old logins.
 */
function scrypt(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export interface HashCost {
  /** CPU/memory cost; 2^15 with r=8 uses 32 MiB per hash. */
  N: number;
  r: number;
  p: number;
}
export const DEFAULT_COST: HashCost = { N: 2 ** 15, r: 8, p: 1 };

export async function hashPassword(password: string, cost: HashCost = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, { ...cost, maxmem: 256 * cost.N * cost.r });
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, saltB64, keyB64] = stored.split('$');
  if (alg !== 'scrypt' || !saltB64 || !keyB64) return false;
  const N = Number(n),
    R = Number(r),
    P = Number(p);
  const expected = Buffer.from(keyB64, 'base64');
  const key = await scrypt(password, Buffer.from(saltB64, 'base64'), expected.length, {
    N,
    r: R,
    p: P,
    maxmem: 256 * N * R,
  });
  return timingSafeEqual(key, expected);
}

/**
 * A hash of a random password, to spend the same scrypt on unknown usernames as on real ones. One per cost: a hash
 * made at another cost than the accounts' would make unknown usernames measurably faster or slower.
 */
const dummyHashes = new Map<string, Promise<string>>();
export function dummyPasswordHash(cost: HashCost): Promise<string> {
  const key = `${cost.N}-${cost.r}-${cost.p}`;
  let hash = dummyHashes.get(key);
  if (!hash) dummyHashes.set(key, (hash = hashPassword(randomBytes(12).toString('hex'), cost)));
  return hash;
}
