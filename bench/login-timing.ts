// Issue 15, accounts: does the time of a sign-in answer tell whether the username exists? Times wrong sign-ins with the
// production scrypt cost (N=2^15) for an unknown username, a real one and a disabled one, interleaved so machine load
// hits all three alike, and prints medians and their ratios. The structural proof (one scrypt of the configured cost
// per attempt, same answers) is tests/integration/login-guard.test.ts; this prints the figure.
//   npm run proof:login-timing                 (PGlite; LOGIN_TIMING_ROUNDS=40)
import os from 'node:os';
import { buildApp } from '../src/server/app';
import { openPglite } from '../src/server/db/connect';
import { users } from '../src/server/db/schema';
import { DEFAULT_COST, hashPassword } from '../src/server/modules/auth/password-hash';
import { testClock } from '../tests/factories';

const ROUNDS = Number(process.env.LOGIN_TIMING_ROUNDS ?? 40);
const database = await openPglite(undefined);
await database.migrate();
const db = database.db;
const passwordHash = await hashPassword('Real#Pass2026', DEFAULT_COST);
await db.insert(users).values([
  { username: 'real_user', displayName: '甲', role: 'leader', passwordHash },
  { username: 'gone_user', displayName: '乙', role: 'leader', passwordHash, disabled: true },
]);
// Locks would stop the checks after 5 attempts; the limits are raised so every attempt is a full check.
const app = await buildApp({
  database,
  clock: testClock(),
  config: { passwordCost: DEFAULT_COST, lockoutAttempts: 1e6, lockoutGlobalAttempts: 1e6, loginRatePerMinute: 1e6 },
});
console.log(
  `login timing: ${ROUNDS} rounds, scrypt N=${DEFAULT_COST.N}, load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}, ${os.cpus().length} cpus`,
);

const cases = { unknown: 'ghost_user', wrong: 'real_user', disabled: 'gone_user' } as const;
const times: Record<keyof typeof cases, number[]> = { unknown: [], wrong: [], disabled: [] };
const answers: Record<keyof typeof cases, Set<string>> = { unknown: new Set(), wrong: new Set(), disabled: new Set() };
for (let i = 0; i < ROUNDS + 3; i++) {
  for (const [name, username] of Object.entries(cases) as Array<[keyof typeof cases, string]>) {
    const started = process.hrtime.bigint();
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: 'Wrong#Pass2026' },
      remoteAddress: `10.77.${i % 250}.1`,
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (i >= 3) times[name].push(ms); // the first rounds warm up (the dummy hash is made once)
    answers[name].add(`${res.statusCode} ${res.json().code}`);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const m = { unknown: median(times.unknown), wrong: median(times.wrong), disabled: median(times.disabled) };
for (const k of Object.keys(cases) as Array<keyof typeof cases>) {
  console.log(`${k.padEnd(9)} median ${m[k].toFixed(1)} ms  answers ${[...answers[k]].join(', ')}`);
}
console.log(
  `ratio unknown/wrong ${(m.unknown / m.wrong).toFixed(2)}, disabled/wrong ${(m.disabled / m.wrong).toFixed(2)}`,
);
await app.close();
await database.close();
