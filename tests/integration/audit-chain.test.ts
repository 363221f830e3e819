import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type SQL, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import ExcelJS from 'exceljs';
import { parseAnchors } from '../../src/domain/audit-anchor';
import { canonicalAuditRow, GENESIS_PREV } from '../../src/domain/audit-chain';
import { buildApp } from '../../src/server/app';
import { openPglite, queryRows, type Database, type Db } from '../../src/server/db/connect';
import { type AuditActor, writeAudit } from '../../src/server/http/audit';
import { chainMac, initAuditKey, setChainWriteAlgForTests, SM3_AVAILABLE } from '../../src/server/http/audit-key';
import { openConfigured } from '../../src/server/cli/db-from-env';
import {
  anchorLogFile,
  type AuditAnchorConfig,
  AuditAnchors,
  loadAnchorPublicKey,
  loadAnchors,
} from '../../src/server/modules/audit/anchors';
import { purgeAuditLog } from '../../src/server/modules/audit/purge-audit';
import { verifyAuditChain } from '../../src/server/modules/audit/verify-chain';
import { buildTwoCounties, buildUser, setupTestApp, signIn, type Session, TEST_COST, testClock } from '../factories';
import { freshDatabase } from '../setup/db';
import { PGLITE_TEMPLATE } from '../setup/paths';

// One key for this process and the verify tool it spawns.
process.env.AUDIT_CHAIN_KEY ??= 'cd'.repeat(32);
const WRITE_ALG = SM3_AVAILABLE ? 'hmac-sm3' : 'hmac-sha256';
const DAY = 86_400_000;

interface Row {
  id: number;
  seq: number;
  prev_hash: string;
  hash: string;
  alg: string;
  action: string;
  detail: unknown;
}
const chainRows = (db: Db) =>
  queryRows<Row>(db, sql`select id, seq::int as seq, prev_hash, hash, alg, action, detail from audit_log order by seq`);

/**
 * What a DBA can do: switch the append-only trigger and the "arrive sealed" check off for one statement (or a few).
 * The chain and the anchors must show it.
 */
async function asDba(db: Db, ...stmts: SQL[]) {
  await db.transaction(async (tx) => {
    const [c] = await queryRows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from pg_constraint where conname = 'audit_log_sealed'`,
    );
    await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update`);
    await tx.execute(sql`alter table audit_log drop constraint if exists audit_log_sealed`);
    for (const stmt of stmts) await tx.execute(stmt);
    if (c!.n)
      await tx.execute(
        sql`alter table audit_log add constraint audit_log_sealed check (hash is not null and prev_hash is not null and alg is not null) not valid`,
      );
    await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update`);
  });
}

/** The database's own refusal (drizzle wraps it as the cause of a "Failed query" error). */
const refusal = (q: Promise<unknown>) =>
  q.then(
    () => 'allowed',
    (e: { message?: string; cause?: Error }) => `${e.message} ${e.cause?.message ?? ''}`,
  );

function expectLinear(rows: Row[], firstSeq = 1) {
  rows.forEach((r, i) => {
    expect(r.seq).toBe(firstSeq + i);
    if (i > 0) expect(r.prev_hash).toBe(rows[i - 1]!.hash);
    expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
  });
}

/**
 * Every test here reads or tampers with the whole audit chain of its database, so every test takes a database of its
 * own (decision 024): the tests run in any order and alone.
 */
describe('audit chain through real routes (decision 013)', () => {
  let t: Awaited<ReturnType<typeof setupTestApp>>;
  let tree: Awaited<ReturnType<typeof buildTwoCounties>>;
  let admin: Session;
  let n = 0;
  const createOrg = () => {
    const u = ++n;
    return admin.post('/api/orgs', {
      parentId: tree.townA.id,
      name: `链测支部${u}`,
      code: `CHAIN-${u}`,
      kind: 'branch',
      sector: 'rural',
      level: 'grassroots',
    });
  };

  /**
   * The test's own database: a tree and an admin whose sign-in is seq 1; then `orgs` organizations created through the
   * route (seq 2 …), for a test that tampers with rows further down the chain. Closed when the test finishes.
   */
  async function ownChain(orgs = 0) {
    // The app clock at the real time: the trigger's 180-day purge window is measured by the database clock.
    const own = await setupTestApp({ start: new Date() });
    t = own;
    onTestFinished(() => own.close());
    tree = await buildTwoCounties(t.db);
    await buildUser(t.db, { role: 'org_admin', username: 'chainAdmin', scopeOrgId: tree.countyA.id });
    admin = await signIn(t.app, 'chainAdmin');
    for (let i = 0; i < orgs; i++) expect((await createOrg()).statusCode).toBe(200);
  }

  it('rows written by routes form one chain from the genesis, with the algorithm named on every row', async () => {
    await ownChain();
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
    await ownChain();
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
    await ownChain();
    const actor: AuditActor = { actorId: null, actorName: '测试', ip: null, at: t.clock.now() };
    await expect(
      t.db.transaction(async (tx) => {
        await writeAudit(tx, actor, { action: 'org.create', targetType: 'organization', detail: { rolledBack: true } });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await writeAudit(t.db, actor, {
      action: 'org.create',
      targetType: 'organization',
      detail: { b: [1, { z: 1, a: null }], a: 'é\u{1F600}', u: undefined },
    });
    const rows = await chainRows(t.db);
    expectLinear(rows);
    expect(rows.some((r) => JSON.stringify(r.detail).includes('rolledBack'))).toBe(false);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('the SHA-256 fallback (a Node without SM3) writes rows that chain with the SM3 ones', async () => {
    await ownChain();
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
    await ownChain();
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
    await ownChain();
    expect((await createOrg()).statusCode).toBe(200);
    expect((await chainRows(t.db)).length).toBeGreaterThanOrEqual(2);
    expect(await refusal(t.db.execute(sql`update audit_log set detail = '{}' where seq = 2`))).toContain('append-only');
    expect(await refusal(t.db.execute(sql`update audit_log set hash = ${'0'.repeat(64)} where seq = 2`))).toContain(
      'append-only',
    );
    expect(await refusal(t.db.execute(sql`delete from audit_log where seq = 2`))).toContain('append-only');
    // Nothing can be unsealed or sealed later (decision 016), and a row must arrive sealed.
    expect(
      await refusal(t.db.execute(sql`update audit_log set hash = null, prev_hash = null, alg = null where seq = 2`)),
    ).toContain('append-only');
    expect(
      await refusal(
        t.db.execute(sql`insert into audit_log (seq, at, actor_name, action, target_type, result)
      values (100000, now(), '伪造', 'org.delete', 'organization', 'success')`),
      ),
    ).toContain('audit_log_sealed');
    // Even the purge switch does not allow removing a row younger than 180 days.
    expect(
      await refusal(
        t.db.transaction(async (tx) => {
          await tx.execute(sql`select set_config('shupingkao.audit_purge', 'on', true)`);
          await tx.execute(sql`delete from audit_log where seq = 2`);
        }),
      ),
    ).toContain('append-only');
  });

  it('a change whose audit row cannot be written does not happen (the audit write is part of its transaction)', async () => {
    await ownChain();
    const before = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from organizations`);
    await t.db.execute(
      sql`alter table audit_log add constraint audit_blocked_for_test check (action <> 'org.create') not valid`,
    );
    try {
      expect((await createOrg()).statusCode).toBe(500);
    } finally {
      await t.db.execute(sql`alter table audit_log drop constraint audit_blocked_for_test`);
    }
    expect(await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from organizations`)).toEqual(before);
    expect((await createOrg()).statusCode).toBe(200);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('an edited detail is reported at its seq (hash mismatch), and only there; restoring it heals the chain', async () => {
    await ownChain(7); // seq 3 is an org.create
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
    await ownChain(7); // seq 5 and 6 in the middle of the chain
    await asDba(t.db, sql`update audit_log set at = at + interval '1 millisecond' where seq = 5`);
    expect((await verifyAuditChain(t.db)).breaks[0]).toMatchObject({ seq: 5, reason: 'hash_mismatch' });
    await asDba(t.db, sql`update audit_log set at = at - interval '1 millisecond' where seq = 5`);
    await asDba(t.db, sql`update audit_log set actor_name = '别人' where seq = 6`);
    expect((await verifyAuditChain(t.db)).breaks.map((b) => [b.seq, b.reason])).toEqual([[6, 'hash_mismatch']]);
  });

  describe('on a chain written directly', () => {
    let fresh: Awaited<ReturnType<typeof setupTestApp>>;
    // Each test its own six rows (seq 1–6) written without a route: no sign-in row before them.
    beforeEach(async () => {
      fresh = await setupTestApp({ start: new Date() });
      const actor: AuditActor = { actorId: 1, actorName: '甲', ip: '10.0.0.1', at: fresh.clock.now() };
      for (let i = 0; i < 6; i++)
        await writeAudit(fresh.db, actor, {
          action: 'org.create',
          targetType: 'organization',
          targetId: i,
          detail: { i },
        });
    });
    afterEach(async () => fresh.close());

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
      expect((await verifyAuditChain(fresh.db, { anchor })).breaks[0]).toMatchObject({ seq: 7, reason: 'truncated' });
    });
  });
});

/** Each test its own database (it checks the whole chain), its clock 400 days back. */
describe('rows older than the chain, and the retention purge', () => {
  let t: Awaited<ReturnType<typeof setupTestApp>>;
  const start = new Date(Date.now() - 400 * DAY);
  beforeEach(async () => {
    t = await setupTestApp({ start });
  });
  afterEach(async () => t.close());

  /** Three rows older than the chain (seq 1–3, never sealed), as migration 0017 numbered them. */
  const insertUnsealed = () =>
    asDba(
      t.db,
      ...[1, 2, 3].map(
        (i) => sql`insert into audit_log (seq, at, actor_name, action, target_type, result, detail)
      values (${i}, ${new Date(start.getTime() + i * 1000).toISOString()}::timestamptz, '旧记录', 'org.create', 'organization', 'success', ${JSON.stringify({ old: i })}::jsonb)`,
      ),
    );
  /** The next write (seq 4), on the app clock. */
  const writeNext = () =>
    writeAudit(
      t.db,
      { actorId: null, actorName: '测试', ip: null, at: t.clock.now() },
      { action: 'org.create', targetType: 'organization' },
    );

  it('rows without a hash (e.g. numbered by migration 0017 and never sealed) are reported, and stay so after more writes', async () => {
    await insertUnsealed();
    const before = await verifyAuditChain(t.db);
    expect(before.breaks.map((b) => b.reason)).toEqual(['unsealed', 'unsealed', 'unsealed']);
    // The next write chains after them without sealing them (decision 016: the old code sealed them here).
    await writeNext();
    const after = await verifyAuditChain(t.db);
    expect(after.breaks.map((b) => [b.seq, b.reason])).toEqual([
      [1, 'unsealed'],
      [2, 'unsealed'],
      [3, 'unsealed'],
    ]);
    expect((await chainRows(t.db)).slice(0, 3).map((r) => r.hash)).toEqual([null, null, null]);
    // And nothing in the app may seal them: the trigger refuses.
    expect(
      await refusal(
        t.db.execute(
          sql`update audit_log set hash = ${'0'.repeat(64)}, prev_hash = ${GENESIS_PREV}, alg = 'hmac-sm3' where seq = 1`,
        ),
      ),
    ).toContain('append-only');
  });

  it('purges only rows older than the window from the head, leaves a checkpoint, and the chain still verifies', async () => {
    // What the test above leaves: seq 1–3 unsealed, seq 4 written after them.
    await insertUnsealed();
    await writeNext();
    const tree = await buildTwoCounties(t.db);
    await buildUser(t.db, { role: 'org_admin', username: 'purgeAdmin', scopeOrgId: tree.countyA.id });
    // seq 1–3 unsealed, seq 4 written after them, 400 days ago: the purge removes all four.
    t.clock.advance(300 * DAY); // now 100 days ago
    const admin = await signIn(t.app, 'purgeAdmin'); // seq 5
    const res = await admin.post('/api/orgs', {
      parentId: tree.townA.id,
      name: '保留期内支部',
      code: 'KEEP-1',
      kind: 'branch',
      sector: 'rural',
      level: 'grassroots',
    });
    expect(res.statusCode).toBe(200); // seq 6
    const actor: AuditActor = { actorId: null, actorName: '运维', ip: null, at: new Date() };
    await expect(purgeAuditLog(t.db, { olderThanDays: 179, now: new Date(), actor })).rejects.toThrow(
      /至少保留 180 天/,
    );
    const r = await purgeAuditLog(t.db, { olderThanDays: 180, now: new Date(), actor });
    expect(r).toEqual({ deleted: 4, throughSeq: 4 });
    const rows = await chainRows(t.db);
    expect(rows.map((x) => [x.seq, x.action])).toEqual([
      [5, 'auth.login'],
      [6, 'org.create'],
      [7, 'audit.purge'],
    ]);
    const report = await verifyAuditChain(t.db);
    expect(report).toMatchObject({ ok: true, head: 5, checked: 3, checkpoint: { throughSeq: 4, atSeq: 7 } });
    // Nothing left to purge: no new checkpoint.
    expect(await purgeAuditLog(t.db, { olderThanDays: 180, now: new Date(), actor })).toEqual({
      deleted: 0,
      throughSeq: null,
    });
    // Cutting the new head by hand is not covered by any checkpoint.
    await asDba(t.db, sql`delete from audit_log where seq = 5`);
    expect((await verifyAuditChain(t.db)).breaks[0]).toMatchObject({ seq: 5, reason: 'head_missing' });
  });
});

/**
 * The finding of issue 15: the app sealed any row without a hash at start-up or at the next audit write, so an operator
 * with the database could forge, edit, insert or delete rows, blank the hashes from there on, restart the app, and the
 * verifier reported the chain intact. Each case below tampers as a DBA, restarts the app on the same database (a new
 * app instance, as a process restart builds one) and lets it write (a sign-in: where the old code re-sealed), then
 * verifies the chain and the anchors kept outside the database (decision 016).
 */
describe('tampering with the database, then a restart: always reported (decision 016)', () => {
  interface World {
    database: Database;
    db: Db;
    dir: string;
    cfg: AuditAnchorConfig;
    app: Awaited<ReturnType<typeof buildApp>>;
    restart(): Promise<void>;
    verify(files?: string[]): ReturnType<typeof verifyAuditChain>;
    close(): Promise<void>;
  }
  const worlds: World[] = [];
  afterAll(async () => {
    for (const w of worlds) await w.close();
  });

  /**
   * An app with anchors under its own DATA_DIR, a tree, an admin who created six organizations: seq 1 (sign-in) – 7,
   * anchored as the periodic anchor does while the app runs (unless `intervalMs` is short: then the timer does it).
   */
  async function world(intervalMs = 3_600_000): Promise<World> {
    const database = await freshDatabase();
    const dir = mkdtempSync(path.join(tmpdir(), 'spk-anchor-'));
    const cfg: AuditAnchorConfig = { dataDir: dir, intervalMs };
    const clock = testClock(new Date());
    const boot = () => buildApp({ database, clock, config: { passwordCost: TEST_COST, auditAnchors: cfg } });
    const tree = await buildTwoCounties(database.db);
    await buildUser(database.db, { role: 'org_admin', username: 'tamperAdmin', scopeOrgId: tree.countyA.id });
    await buildUser(database.db, { role: 'auditor', username: 'tamperAuditor', scopeOrgId: tree.countyA.id });
    const w: World = {
      database,
      db: database.db,
      dir,
      cfg,
      app: await boot(),
      async restart() {
        await w.app.close(); // the shutdown anchor
        w.app = await boot();
        await w.app.ready(); // the start anchor
      },
      async verify(files = [anchorLogFile(cfg)]) {
        return verifyAuditChain(database.db, { anchors: await loadAnchors(files, loadAnchorPublicKey(cfg)) });
      },
      async close() {
        await w.app.close();
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
    worlds.push(w);
    const admin = await signIn(w.app, 'tamperAdmin');
    for (let i = 1; i <= 6; i++) {
      const res = await admin.post('/api/orgs', {
        parentId: tree.townA.id,
        name: `篡改测试支部${i}`,
        code: `TAMPER-${i}`,
        kind: 'branch',
        sector: 'rural',
        level: 'grassroots',
      });
      expect(res.statusCode).toBe(200);
    }
    if (intervalMs >= 60_000) expect(await w.app.deps.auditAnchors!.write('interval')).toContain('seq=7 ');
    return w;
  }

  /** Restart, then an audit write (the old code re-sealed every row without a hash here), then verify. */
  async function restartWriteVerify(w: World) {
    await w.restart();
    await signIn(w.app, 'tamperAuditor');
    return w.verify();
  }
  const reasons = (r: Awaited<ReturnType<typeof verifyAuditChain>>) => new Set(r.breaks.map((b) => b.reason));
  const blankFrom = (n: number) =>
    sql`update audit_log set hash = null, prev_hash = null, alg = null where seq >= ${n}`;

  it('normal operation, restarts included, verifies clean against the anchors written at start, interval and shutdown', async () => {
    const w = await world(40);
    const rows = await chainRows(w.db);
    expect(rows.length).toBe(7);
    // The interval anchor catches up with the head while the app runs.
    await expect
      .poll(
        async () =>
          parseAnchors(
            existsSync(anchorLogFile(w.cfg)) ? readFileSync(anchorLogFile(w.cfg), 'utf8') : '',
            'log',
          ).anchors.some((a) => a.reason === 'interval' && a.seq === 7),
        { timeout: 10_000, interval: 50 },
      )
      .toBe(true);
    await w.restart();
    await signIn(w.app, 'tamperAuditor');
    await w.restart();
    const anchors = parseAnchors(readFileSync(anchorLogFile(w.cfg), 'utf8'), 'log').anchors;
    expect(new Set(anchors.map((a) => a.reason))).toEqual(new Set(['interval', 'shutdown', 'start']));
    const last = anchors[anchors.length - 1]!;
    const tail = (await chainRows(w.db)).at(-1)!;
    expect(last).toMatchObject({ seq: tail.seq, hash: tail.hash, head: 1, rows: tail.seq });
    const report = await w.verify();
    expect(report).toMatchObject({ ok: true, breakCount: 0, checked: 8 });
    expect(report.anchors).toMatchObject({ total: anchors.length, lastSeq: 8, unanchoredFrom: null });
    // The anchor key is not the chain key and is a file of its own (0600), its public half beside it.
    expect(readFileSync(path.join(w.dir, 'audit-anchor.key'), 'utf8')).toContain('BEGIN PRIVATE KEY');
    expect(readFileSync(path.join(w.dir, 'audit-anchor.pub'), 'utf8')).toContain('BEGIN PUBLIC KEY');
  });

  it('the auditor sees the anchors in the check, and the export carries an anchor signed at export time that the verifier reads', async () => {
    const w = await world();
    const auditor = await signIn(w.app, 'tamperAuditor');
    const check = (await auditor.get('/api/audit/verify')).json();
    expect(check).toMatchObject({ ok: true, anchors: { total: expect.any(Number) } });
    const res = await auditor.get(`/api/audit/export?action=org.`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('.xlsx');
    const file = path.join(w.dir, 'export-copy.xlsx');
    writeFileSync(file, res.rawPayload);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.getWorksheet('审计日志')!.rowCount).toBe(1 + 6);
    const tail = (await chainRows(w.db)).at(-1)!;
    expect(tail.action).toBe('audit.export'); // the export is audited, and anchored with it
    const sheet: string[] = [];
    wb.getWorksheet('审计链锚点')!.eachRow((row) => row.eachCell((c) => sheet.push(String(c.text))));
    const exported = parseAnchors(sheet.join('\n'), 'xlsx').anchors;
    expect(exported.find((a) => a.reason === 'export')).toMatchObject({ seq: tail.seq, hash: tail.hash });
    // The saved export is an anchor source of its own: cut the tail, and the copy still shows it when the log is gone.
    expect((await w.verify([file])).ok).toBe(true);
    await asDba(w.db, sql`delete from audit_log where seq >= ${tail.seq - 1}`);
    unlinkSync(anchorLogFile(w.cfg));
    const cut = await w.verify([file]);
    expect(cut.ok).toBe(false);
    expect(cut.breaks).toContainEqual(expect.objectContaining({ reason: 'truncated', seq: tail.seq - 1 }));
    // Other roles may not export.
    const admin = await signIn(w.app, 'tamperAdmin');
    expect((await admin.get('/api/audit/export')).statusCode).toBe(403);
  });

  it('rows blanked from row N are reported after a restart, and stay unsealed', async () => {
    const w = await world();
    await asDba(w.db, blankFrom(4));
    const report = await restartWriteVerify(w);
    expect(report.ok).toBe(false);
    expect(report.breaks.filter((b) => b.reason === 'unsealed').map((b) => b.seq)).toEqual([4, 5, 6, 7]);
    expect(report.breaks).toContainEqual(expect.objectContaining({ seq: 7, reason: 'anchor_mismatch' }));
    expect((await chainRows(w.db)).filter((r) => r.hash === null).map((r) => r.seq)).toEqual([4, 5, 6, 7]);
  });

  it('an edited row with the hashes blanked from it on is reported after a restart', async () => {
    const w = await world();
    await asDba(
      w.db,
      sql`update audit_log set detail = jsonb_set(detail, '{name}', '"改过的名字"') where seq = 3`,
      blankFrom(3),
    );
    const report = await restartWriteVerify(w);
    expect(report.ok).toBe(false);
    expect(report.breaks[0]).toMatchObject({ seq: 3, reason: 'unsealed' });
    expect(reasons(report)).toContain('anchor_mismatch');
  });

  it('an inserted row (later rows renumbered, hashes blanked) is reported after a restart', async () => {
    const w = await world();
    await asDba(
      w.db,
      sql`update audit_log set seq = -seq where seq >= 3`,
      sql`update audit_log set seq = -seq + 1 where seq < 0`,
      blankFrom(3),
      sql`insert into audit_log (seq, at, actor_name, action, target_type, target_id, result, scope_path)
        values (3, now(), '伪造', 'org.delete', 'organization', '1', 'success', '/1/')`,
    );
    const report = await restartWriteVerify(w);
    expect(report.ok).toBe(false);
    expect(report.breaks[0]).toMatchObject({ seq: 3, reason: 'unsealed' });
    expect([...reasons(report)]).toEqual(expect.arrayContaining(['unsealed', 'anchor_mismatch']));
  });

  it('a row deleted in the middle (later rows renumbered, hashes blanked) is reported after a restart', async () => {
    const w = await world();
    await asDba(
      w.db,
      sql`delete from audit_log where seq = 3`,
      sql`update audit_log set seq = seq - 1 where seq > 3`,
      blankFrom(3),
    );
    const report = await restartWriteVerify(w);
    expect(report.ok).toBe(false);
    expect(report.breaks[0]).toMatchObject({ seq: 3, reason: 'unsealed' });
    // The anchored seq 7 now holds the sign-in written after the restart: another hash.
    expect(report.breaks).toContainEqual(expect.objectContaining({ seq: 7, reason: 'anchor_mismatch' }));
  });

  it('a truncated chain (tail deleted) is reported after a restart: shorter than an anchor, then a different hash there', async () => {
    const w = await world();
    await w.restart(); // anchors seq 7 at shutdown
    await asDba(w.db, sql`delete from audit_log where seq >= 5`);
    await w.restart();
    const cut = await w.verify();
    expect(cut.ok).toBe(false);
    expect(cut.breaks).toEqual([expect.objectContaining({ seq: 5, reason: 'truncated' })]);
    expect(cut.breaks[0]!.message).toMatch(/链比锚点短.*序号 5–7 的记录被删除/);
    // New rows take the cut seqs; their hashes differ from the anchored ones.
    await signIn(w.app, 'tamperAuditor');
    await signIn(w.app, 'tamperAuditor');
    await signIn(w.app, 'tamperAuditor');
    const later = await w.verify();
    expect(later.ok).toBe(false);
    expect(later.breaks).toContainEqual(expect.objectContaining({ seq: 7, reason: 'anchor_mismatch' }));
  });

  it('even with the chain key (rows rewritten and re-sealed), an anchored position shows it; so do a forged anchor and a deleted anchor log', async () => {
    const w = await world();
    await w.restart(); // anchors seq 7
    // Rewrite seq 3 and re-seal 3..7 with the chain key, exactly as the old start-up sealing did.
    await asDba(w.db, sql`update audit_log set actor_name = '别人' where seq = 3`);
    const rows = await queryRows<Record<string, unknown>>(
      w.db,
      sql`
      select id::int, seq::int, alg, at, actor_id, actor_name, action, target_type, target_id, result, ip, scope_path, detail
      from audit_log order by seq`,
    );
    let prev = GENESIS_PREV;
    for (const r of rows) {
      const row = {
        id: r.id as number,
        seq: r.seq as number,
        prevHash: prev,
        alg: r.alg as string,
        at: new Date(r.at as string),
        actorId: r.actor_id as number | null,
        actorName: r.actor_name as string,
        action: r.action as string,
        targetType: r.target_type as string,
        targetId: r.target_id as string | null,
        result: r.result as string,
        ip: r.ip as string | null,
        scopePath: r.scope_path as string | null,
        detail: r.detail,
      };
      const hash = chainMac(row.alg as 'hmac-sm3', canonicalAuditRow(row));
      await asDba(w.db, sql`update audit_log set prev_hash = ${prev}, hash = ${hash} where seq = ${row.seq}`);
      prev = hash;
    }
    expect((await verifyAuditChain(w.db)).ok).toBe(true); // the chain alone cannot tell
    const report = await restartWriteVerify(w);
    expect(report.ok).toBe(false);
    expect(report.breaks).toContainEqual(expect.objectContaining({ seq: 7, reason: 'anchor_mismatch' }));
    // Editing an anchor line to match breaks its signature.
    const log = anchorLogFile(w.cfg);
    writeFileSync(log, readFileSync(log, 'utf8').replace(/ hash=[0-9a-f]{64}/, ` hash=${'0'.repeat(64)}`));
    expect((await w.verify()).breaks).toContainEqual(expect.objectContaining({ reason: 'anchor_invalid' }));
    // Deleting the anchor log leaves a chain with no anchor at all: reported too.
    unlinkSync(log);
    expect((await w.verify()).breaks).toContainEqual(expect.objectContaining({ reason: 'anchor_missing' }));
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
      for (let i = 0; i < 5; i++)
        await writeAudit(seeded.db, actor, { action: 'org.create', targetType: 'organization', targetId: i });
      // The app's anchor of the head, in DATA_DIR where the tool looks by default.
      await new AuditAnchors(seeded.db, { dataDir: dir, intervalMs: 60_000 }, () => new Date()).write('shutdown');
      // Untouched: the same check the tool runs passes (the tool's exit 0 path).
      const key = loadAnchorPublicKey({ dataDir: dir });
      expect(
        await verifyAuditChain(seeded.db, { anchors: await loadAnchors([anchorLogFile({ dataDir: dir })], key) }),
      ).toMatchObject({ ok: true, checked: 5 });
      await asDba(
        seeded.db,
        sql`update audit_log set target_id = '99' where seq = 2`,
        sql`delete from audit_log where seq = 5`,
      );
    } finally {
      await seeded.close();
    }
    // One spawn only: starting tsx is the slow part on a loaded machine.
    const broken = spawnSync(process.execPath, ['--import', 'tsx', 'src/server/cli/audit-verify.ts'], {
      env: { PATH: process.env.PATH, DATA_DIR: dir, AUDIT_CHAIN_KEY: process.env.AUDIT_CHAIN_KEY },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(broken.status, broken.stderr).toBe(1);
    expect(broken.stdout).toContain('已检查 4 条');
    expect(broken.stdout).toMatch(/首个断点 序号 2（hash_mismatch 哈希不符）/);
    expect(broken.stdout).toMatch(/序号 5（truncated 链尾被截断）：链比锚点短/);
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
