import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { parseEnv } from '../../src/server/env';
import { publicUrlWarning } from '../../src/server/http/public-url';
import { freshDatabase } from '../setup/db';
import { TEST_COST } from '../factories';
import { buildBallotMeeting, buildBallotWorld, type BallotWorld } from './ballots-fixtures';

/**
 * Phones vote at PUBLIC_URL (README, "会场设置"): the slips' QR links carry it, whatever address the organizer's
 * browser used to print them (on the meeting laptop that is usually http://localhost:3000, which no phone can open).
 */
const PUBLIC = 'http://192.168.1.10:3000';
let database: Awaited<ReturnType<typeof freshDatabase>>;
let app: Awaited<ReturnType<typeof buildApp>>;
let w: BallotWorld;

beforeAll(async () => {
  database = await freshDatabase();
  app = await buildApp({
    database,
    config: { passwordCost: TEST_COST, publicUrl: PUBLIC, listen: { host: '0.0.0.0', port: 3000 } },
  });
  w = await buildBallotWorld(database.db, app);
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

/** A real round of a meeting of its own (a meeting holds one real round), so each test prints its slips alone. */
const newRound = async () => {
  const meeting = await buildBallotMeeting(database.db, w);
  return (await w.sessions.admin.post(`/api/meetings/${meeting.id}/ballot-rounds`, { mode: 'real' })).json()
    .id as number;
};

const links = (pdf: Buffer) => [...pdf.toString('latin1').matchAll(/\/URI \(([^)]*)\)/g)].map((m) => m[1]);

describe('PUBLIC_URL', () => {
  it('is parsed as an origin; a bad value stops the start with a Chinese message', () => {
    expect(parseEnv({ PUBLIC_URL: 'http://192.168.1.10:3000/' }).PUBLIC_URL).toBe(PUBLIC);
    expect(parseEnv({ PUBLIC_URL: '' }).PUBLIC_URL).toBeUndefined();
    for (const [value, says] of [
      ['192.168.1.10:3000', '须以 http:// 或 https:// 开头'],
      ['http://192.168.1.10:3000/vote/', '不带路径'],
      ['http://', '不是网址'],
      ['ftp://192.168.1.10', '须以 http:// 或 https:// 开头'],
    ]) {
      expect(() => parseEnv({ PUBLIC_URL: value })).toThrow(says);
    }
  });

  it('the ballot slips printed from http://localhost link to PUBLIC_URL', async () => {
    const roundId = await newRound();
    const res = await w.sessions.admin.request({
      method: 'POST',
      url: `/api/ballot-rounds/${roundId}/codes`,
      payload: { category: 'committee', count: 3 },
      headers: { host: 'localhost:3000' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const urls = links(res.rawPayload);
    expect(urls).toHaveLength(3);
    for (const u of urls) expect(u).toMatch(/^http:\/\/192\.168\.1\.10:3000\/vote\/#c=[A-Z0-9]+$/);
  });

  it('without PUBLIC_URL the slips use the address the request came in at', async () => {
    const roundId = await newRound();
    const plain = await buildApp({ database, config: { passwordCost: TEST_COST } });
    try {
      const res = await plain.inject({
        method: 'POST',
        url: `/api/ballot-rounds/${roundId}/codes`,
        payload: { category: 'deputies', count: 1 },
        headers: {
          host: '10.1.2.3:3000',
          cookie: `sp_sid=${w.sessions.admin.cookie}`,
          'x-csrf-token': w.sessions.admin.csrf,
        },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(links(res.rawPayload)[0]).toMatch(/^http:\/\/10\.1\.2\.3:3000\/vote\/#c=/);
    } finally {
      await plain.close();
    }
  });

  it('/api/meta tells the console the address and what is wrong with it', async () => {
    const meta = (await app.inject({ method: 'GET', url: '/api/meta' })).json();
    expect(meta.vote.publicUrl).toBe(PUBLIC);
    // This test machine has no interface 192.168.1.10 (the CI network is not a meeting hall).
    expect(meta.vote.warning).toContain('不是本机当前的网络地址');
  });

  it('warns about localhost, an address not on this machine, and a server listening on loopback only', () => {
    const nic = {
      eth0: [
        { address: '192.168.1.10', family: 'IPv4', internal: false, netmask: '255.255.255.0', mac: '', cidr: null },
      ],
    } as any;
    const listen = { host: '0.0.0.0', port: 3000 };
    expect(publicUrlWarning({ publicUrl: 'http://localhost:3000', listen }, nic)).toContain('只指本机');
    expect(publicUrlWarning({ publicUrl: 'http://192.168.1.11:3000', listen }, nic)).toContain(
      '不是本机当前的网络地址',
    );
    expect(publicUrlWarning({ publicUrl: PUBLIC, listen }, nic)).toBeNull();
    expect(publicUrlWarning({ publicUrl: PUBLIC, listen: { host: '127.0.0.1', port: 3000 } }, nic)).toContain(
      'HOST=0.0.0.0',
    );
    // Behind a proxy on another port, loopback listening is right.
    expect(
      publicUrlWarning({ publicUrl: 'http://192.168.1.10', listen: { host: '127.0.0.1', port: 3000 } }, nic),
    ).toBeNull();
    expect(publicUrlWarning({ publicUrl: 'https://vote.example.cn', listen }, nic)).toBeNull();
    expect(publicUrlWarning({ publicUrl: undefined, listen }, nic)).toBeNull();
  });
});
