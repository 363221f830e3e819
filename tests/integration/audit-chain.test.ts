import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_PREV } from '../../src/domain/audit-chain';
import { openPglite, queryRows, type Db } from '../../src/server/db/connect';
import { type AuditActor, sealAuditChain, writeAudit } from '../../src/server/http/audit';
import { initAuditKey, setChainWriteAlgForTests, SM3_AVAILABLE } from '../../src/server/http/audit-key';
import { openConfigured } from '../../src/server/cli/db-from-env';
import { purgeAuditLog } from '../../src/server/modules/audit/purge-audit';
import { verifyAuditChain } from '../../src/server/modules/audit/verify-chain';
import { buildTwoCounties, buildUser, setupTestApp, signIn, type Session } from '../factories';
import { PGLITE_TEMPLATE } from '../setup/paths';

// One key for this process and the verify tool it spawns.
process.env.AUDIT_CHAIN_KEY ??= 'cd'.repeat(32);
const WRITE_ALG = SM3_AVAILABLE ? 'hmac-sm3' : 'hmac-sha256';
const DAY = 86_400_000;

interface Row { id: number; seq: number; prev_hash: string; hash: string; alg: string; action: string; detail: unknown }
const chainRows = (db: Db) => queryRows<Row>(db, sql`select id, seq::int as seq, prev_hash, hash, alg, action, detail from audit_log order by seq`);

/** What a DBA can do: switch the append-only trigger off for one statement. The chain must show it. */
async function asDba(db: Db, stmt: SQL) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update`);
    await tx.execute(stmt);
    await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update`);
  });
}

/** The database's own refusal (drizzle wraps it as the cause of a "Failed query" error). */
const refusal = (q: Promise<unknown>) =>
  q.then(() => 'allowed', (e: { message?: string; cause?: Error }) => `${e.message} ${e.cause?.message ?? ''}`);

function expectLinear(rows: Row[], firstSeq = 1) {
  rows.forEach((r, i) => {
    expect(r.seq).toBe(firstSeq + i);
    if (i > 0) expect(r.prev_hash).toBe(rows[i - 1]!.hash);
    expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
  });
}

describe('audit chain through real routes (decision 013)', () => {
  let t: Awaited<ReturnType<typeof setupTestApp>>;
  let tree: Awaited<ReturnType<typeof buildTwoCounties>>;
  let admin: Session;
  let n = 0;
  const createOrg = () => {
    const u = ++n;
    return admin.post('/api/orgs', { parentId: tree.townA.id, name: `链测支部${u}`, code: `CHAIN-${u}`, kind: 'branch', sector: 'rural', level: 'grassroots' });
  };

  beforeAll(async () => {
    // The app clock at the real time: the trigger's 180-day purge window is measured by the database clock.
    t = await setupTestApp({ start: new Date() });
    tree = await buildTwoCounties(t.db);
    await buildUser(t.db, { role: 'org_admin', username: 'chainAdmin', scopeOrgId: tree.countyA.id });
    admin = await signIn(t.app, 'chainAdmin');
  });
  afterAll(async () => t.close());

  it('rows written by routes form one chain from the genesis, with the algorithm named on every row', async () => {
    for (let i = 0; i < 3; i++) expect((await createOrg()).statusCode).toBe(200);
    const rows = await chainRows(t.db);
    expect(rows.map((r) => r.action)).toEqual(['auth.login', 'org.create', 'org.create', 'org.create']);
    expect(rows[0]!.prev_hash).toBe(GENESIS_PREV);
    expectLinear(rows);
    expect(new Set(rows.map((r) => r.alg))).toEqual(new Set([WRITE_ALG]));
    const report = await verifyAuditChain(t.db);
    expect(report).toMatchObject({ ok: true, checked: 4, head: 1, breakCount: 0, algs: { [WRITE_ALG]: 4 } });
    expect(report.tail).toEqual({ seq: 4, hash: rows[3]!.hash });
  });

  it('20 concurrent state-changing requests keep the chain linear and gapless (no fork)', async () => {
    const before = (await chainRows(t.db)).length;
    const res = await Promise.all(Array.from({ length: 20 }, () => createOrg()));
    expect(res.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    const rows = await chainRows(t.db);
    expect(rows.length).toBe(before + 20);
    expectLinear(rows);
    expect(new Set(rows.map((r) => r.prev_hash)).size).toBe(rows.length);
    expect((await verifyAuditChain(t.db, { batch: 7 })).ok).toBe(true);
  });

  it('a rolled-back transaction leaves no gap; a write outside a transaction chains too', async () => {
    const actor: AuditActor = { actorId: null, actorName: '测试', ip: null, at: t.clock.now() };
    await expect(t.db.transaction(async (tx) => {
      await writeAudit(tx, actor, { action: 'org.create', targetType: 'organization', detail: { rolledBack: true } });
      throw new Error('abort');
    })).rejects.toThrow('abort');
    await writeAudit(t.db, actor, { action: 'org.create', targetType: 'organization', detail: { b: [1, { z: 1, a: null }], a: 'é\u{1F600}', u: undefined } });
    const rows = await chainRows(t.db);
    expectLinear(rows);
    expect(rows.some((r) => JSON.stringify(r.detail).includes('rolledBack'))).toBe(false);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('the SHA-256 fallback (a Node without SM3) writes rows that chain with the SM3 ones', async () => {
    setChainWriteAlgForTests('hmac-sha256');
    try {
      expect((await createOrg()).statusCode).toBe(200);
    } finally {
      setChainWriteAlgForTests(WRITE_ALG);
    }
    expect((await createOrg()).statusCode).toBe(200);
    const rows = await chainRows(t.db);
    expect(rows.slice(-2).map((r) => r.alg)).toEqual(['hmac-sha256', WRITE_ALG]);
    const report = await verifyAuditChain(t.db);
    expect(report.ok).toBe(true);
    expect(report.algs['hmac-sha256']).toBe(1);
  });

  it('the auditor checks the chain from the audit page (GET /api/audit/verify); nobody else may', async () => {
    await buildUser(t.db, { role: 'auditor', username: 'chainAuditor', scopeOrgId: tree.countyA.id });
    const auditor = await signIn(t.app, 'chainAuditor');
    const res = await auditor.get('/api/audit/verify');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ ok: true, head: 1, breakCount: 0, breaks: [] });
    expect(body.checked).toBe(body.tail.seq);
    expect((await admin.get('/api/audit/verify')).statusCode).toBe(403);
  });

  it('the app cannot change or remove a row: the trigger refuses', async () => {
    expect((await createOrg()).statusCode).toBe(200);
    expect((await chainRows(t.db)).length).toBeGreaterThanOrEqual(2);
    expect(await refusal(t.db.execute(sql`update audit_log set detail = '{}' where seq = 2`))).toContain('append-only');
    expect(await refusal(t.db.execute(sql`update audit_log set hash = ${'0'.repeat(64)} where seq = 2`))).toContain('append-only');
    expect(await refusal(t.db.execute(sql`delete from audit_log where seq = 2`))).toContain('append-only');
    // Even the purge switch does not allow removing a row younger than 180 days.
    expect(await refusal(t.db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('shupingkao.audit_purge', 'on', true)`);
      await tx.execute(sql`delete from audit_log where seq = 2`);
    }))).toContain('append-only');
  });

  it('an edited detail is reported at its seq (hash mismatch), and only there; restoring it heals the chain', async () => {
    const [row] = await queryRows<{ detail: unknown }>(t.db, sql`select detail from audit_log where seq = 3`);
    await asDba(t.db, sql`update audit_log set detail = jsonb_set(detail, '{name}', '"改过的名字"') where seq = 3`);
    const report = await verifyAuditChain(t.db);
    expect(report.ok).toBe(false);
    expect(report.breakCount).toBe(1);
    expect(report.breaks[0]).toMatchObject({ seq: 3, reason: 'hash_mismatch' });
    await asDba(t.db, sql`update audit_log set detail = ${JSON.stringify(row!.detail)}::jsonb where seq = 3`);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('an edited timestamp or actor is reported too', async () => {
    await asDba(t.db, sql`update audit_log set at = at + interval '1 millisecond' where seq = 5`);
    expect((await verifyAuditChain(t.db)).breaks[0]).toMatchObject({ seq: 5, reason: 'hash_mismatch' });
    await asDba(t.db, sql`update audit_log set at = at - interval '1 millisecond' where seq = 5`);
    await asDba(t.db, sql`update audit_log set actor_name = '别人' where seq = 6`);
    expect((await verifyAuditChain(t.db)).breaks.map((b) => [b.seq, b.reason])).toEqual([[6, 'hash_mismatch']]);
  });

  describe('on a chain written directly', () => {
    let fresh: Awaited<ReturnType<typeof setupTestApp>>;
    beforeAll(async () => {
      fresh = await setupTestApp({ start: new Date() });
      const actor: AuditActor = { actorId: 1, actorName: '甲', ip: '10.0.0.1', at: fresh.clock.now() };
      for (let i = 0; i < 6; i++) await writeAudit(fresh.db, actor, { action: 'org.create', targetType: 'organization', targetId: i, detail: { i } });
    });
    afterAll(async () => fresh.close());

    it('a deleted middle row is reported as a gap at its seq; putting it back heals the chain', async () => {
      expect((await verifyAuditChain(fresh.db)).ok).toBe(true);
      await asDba(fresh.db, sql`create table audit_saved as select * from audit_log where seq = 4`);
      await asDba(fresh.db, sql`delete from audit_log where seq = 4`);
      const report = await verifyAuditChain(fresh.db);
      expect(report).toMatchObject({ ok: false, checked: 5, breakCount: 1 });
      expect(report.breaks[0]).toMatchObject({ seq: 4, reason: 'gap' });
      await fresh.db.execute(sql`insert into audit_log select * from audit_saved`);
      expect((await verifyAuditChain(fresh.db)).ok).toBe(true);
    });

    it('reordered rows and an inserted forged row are reported; an anchor shows a cut tail', async () => {
      // Swap the positions of rows 2 and 3 (their hashes travel with them).
      const swap = async () => {
        await asDba(fresh.db, sql`update audit_log set seq = -seq where seq in (2, 3)`);
        await asDba(fresh.db, sql`update audit_log set seq = case seq when -2 then 3 else 2 end where seq in (-2, -3)`);
      };
      await swap();
      const swapped = await verifyAuditChain(fresh.db);
      expect(swapped.ok).toBe(false);
      expect(swapped.breaks[0]).toMatchObject({ seq: 2 });
      await swap();
      expect((await verifyAuditChain(fresh.db)).ok).toBe(true);
      // A forged row appended with a hash made without the key.
      const rows = await chainRows(fresh.db);
      await fresh.db.execute(sql`insert into audit_log (seq, prev_hash, hash, alg, at, actor_name, action, target_type, result)
        values (7, ${rows[5]!.hash}, ${'f'.repeat(64)}, 'hmac-sm3', now(), '伪造', 'org.delete', 'organization', 'success')`);
      const forged = await verifyAuditChain(fresh.db);
      expect(forged.breaks).toEqual([expect.objectContaining({ seq: 7, reason: 'hash_mismatch' })]);
      // An anchor noted earlier shows a cut tail, which the chain alone cannot.
      const anchor = { seq: 7, hash: 'f'.repeat(64) };
      await asDba(fresh.db, sql`delete from audit_log where seq = 7`);
      expect((await verifyAuditChain(fresh.db)).ok).toBe(true);
      expect((await verifyAuditChain(fresh.db, { anchor })).breaks[0]).toMatchObject({ seq: 7, reason: 'gap' });
    });
  });
});

describe('rows older than the chain, and the retention purge', () => {
  let t: Awaited<ReturnType<typeof setupTestApp>>;
  const start = new Date(Date.now() - 400 * DAY);
  beforeAll(async () => {
    t = await setupTestApp({ start });
  });
  afterAll(async () => t.close());

  it('rows numbered by migration 0017 without a hash are reported unsealed, then sealed at the next start', async () => {
    for (let i = 1; i <= 3; i++) {
      await t.db.execute(sql`insert into audit_log (seq, at, actor_name, action, target_type, result, detail)
        values (${i}, ${new Date(start.getTime() + i * 1000).toISOString()}::timestamptz, '旧记录', 'org.create', 'organization', 'success', ${JSON.stringify({ old: i })}::jsonb)`);
    }
    const before = await verifyAuditChain(t.db);
    expect(before.breaks.map((b) => b.reason)).toEqual(['unsealed', 'unsealed', 'unsealed']);
    await sealAuditChain(t.db);
    await sealAuditChain(t.db); // idempotent
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, checked: 3 });
    // A sealed row is as immutable as any other.
    expect(await refusal(t.db.execute(sql`update audit_log set hash = null where seq = 1`))).toContain('append-only');
  });

  it('purges only rows older than the window from the head, leaves a checkpoint, and the chain still verifies', async () => {
    const tree = await buildTwoCounties(t.db);
    await buildUser(t.db, { role: 'org_admin', username: 'purgeAdmin', scopeOrgId: tree.countyA.id });
    await signIn(t.app, 'purgeAdmin'); // seq 4, 400 days ago
    t.clock.advance(300 * DAY); // now 100 days ago
    const admin = await signIn(t.app, 'purgeAdmin'); // seq 5
    const res = await admin.post('/api/orgs', { parentId: tree.townA.id, name: '保留期内支部', code: 'KEEP-1', kind: 'branch', sector: 'rural', level: 'grassroots' });
    expect(res.statusCode).toBe(200); // seq 6
    const actor: AuditActor = { actorId: null, actorName: '运维', ip: null, at: new Date() };
    await expect(purgeAuditLog(t.db, { olderThanDays: 179, now: new Date(), actor })).rejects.toThrow(/至少保留 180 天/);
    const r = await purgeAuditLog(t.db, { olderThanDays: 180, now: new Date(), actor });
    expect(r).toEqual({ deleted: 4, throughSeq: 4 });
    const rows = await chainRows(t.db);
    expect(rows.map((x) => [x.seq, x.action])).toEqual([[5, 'auth.login'], [6, 'org.create'], [7, 'audit.purge']]);
    const report = await verifyAuditChain(t.db);
    expect(report).toMatchObject({ ok: true, head: 5, checked: 3, checkpoint: { throughSeq: 4, atSeq: 7 } });
    // Nothing left to purge: no new checkpoint.
    expect(await purgeAuditLog(t.db, { olderThanDays: 180, now: new Date(), actor })).toEqual({ deleted: 0, throughSeq: null });
    // Cutting the new head by hand is not covered by any checkpoint.
    await asDba(t.db, sql`delete from audit_log where seq = 5`);
    expect((await verifyAuditChain(t.db)).breaks[0]).toMatchObject({ seq: 5, reason: 'head_missing' });
  });
});

describe('npm run audit:verify on a PGlite data directory', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'spk-audit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints rows checked, the first broken seq and its reason, and exits 1 on an edited log', async () => {
    const tar = readFileSync(PGLITE_TEMPLATE);
    const seeded = await openPglite(dir, new Blob([tar]));
    try {
      const actor: AuditActor = { actorId: 1, actorName: '甲', ip: null, at: new Date() };
      for (let i = 0; i < 4; i++) await writeAudit(seeded.db, actor, { action: 'org.create', targetType: 'organization', targetId: i });
      // Untouched: the same check the tool runs passes (the tool's exit 0 path).
      expect(await verifyAuditChain(seeded.db)).toMatchObject({ ok: true, checked: 4 });
      await asDba(seeded.db, sql`update audit_log set target_id = '99' where seq = 2`);
    } finally {
      await seeded.close();
    }
    // One spawn only: starting tsx is the slow part on a loaded machine.
    const broken = spawnSync(process.execPath, ['--import', 'tsx', 'src/server/cli/audit-verify.ts'], {
      env: { PATH: process.env.PATH, DATA_DIR: dir, AUDIT_CHAIN_KEY: process.env.AUDIT_CHAIN_KEY },
      encoding: 'utf8', timeout: 120_000,
    });
    expect(broken.status, broken.stderr).toBe(1);
    expect(broken.stdout).toContain('已检查 4 条');
    expect(broken.stdout).toMatch(/首个断点 序号 2（hash_mismatch/);
  }, 180_000);

  it('refuses to run without the key rather than inventing one', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'spk-audit-nokey-'));
    try {
      await expect(openConfigured({ DATA_DIR: empty })).rejects.toThrow(/未找到审计链密钥/);
      expect(existsSync(path.join(empty, 'audit-chain.key'))).toBe(false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
      initAuditKey({ DATA_DIR: dir, AUDIT_CHAIN_KEY: process.env.AUDIT_CHAIN_KEY });
    }
  });
});
