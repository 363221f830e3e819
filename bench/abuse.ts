// Issue 15, "one upload must not stop the server" (decision 016). The real server (src/server/main.ts) runs as a child
// process on a PGlite DATA_DIR — the default engine, which runs inside the app's own thread, where the freeze was
// found. While a 60 MB attachment is uploaded (and downloaded again) and a 200 MB zip bomb is sent as a report .docx
// (once declaring its size, once hiding it), this script asks GET /api/health every 250 ms and reads the child's
// resident memory (VmRSS, all threads) every 100 ms. Bounds: every health answer within 1 s; RSS under 1 GB. The figures
// are printed against an idle baseline measured first, in the same run. Exits 1 when a bound is missed.
//   npm run proof:abuse        (ABUSE_ATTACHMENT_MB=60, ABUSE_BOMB_MB=200)
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/server/app';
import { openPglite } from '../src/server/db/connect';
import { patchSettings } from '../tests/integration/reports-helpers';
import { buildBallotWorld } from '../tests/integration/ballots-fixtures';
import { docxBomb } from '../tests/zip-fixtures';
import { freePort } from './lib/pg-server';

const ATTACHMENT_MB = Number(process.env.ABUSE_ATTACHMENT_MB ?? 60);
const BOMB_MB = Number(process.env.ABUSE_BOMB_MB ?? 200);
const HEALTH_EVERY_MS = 250;
const HEALTH_BOUND_MS = 1000;
const RSS_BOUND = 1024 ** 3;
const MB = 1024 * 1024;
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

const dir = mkdtempSync(path.join(os.tmpdir(), 'shuping-abuse-'));
const dataDir = path.join(dir, 'data');
const filesDir = path.join(dir, 'files');
let child: ChildProcess | null = null;
const cleanup = () => {
  child?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
};
process.on('exit', cleanup);

console.log(`abuse proof: ${ATTACHMENT_MB} MB attachment, ${BOMB_MB} MB zip bomb; PGlite; load ${load()} on ${os.cpus().length} cpus`);

// The world, from this process on the same data directory, before the server starts: a published campaign that takes
// attachments up to 200 MB, and the reporting secretary's open report (their session is used over HTTP below).
let reportId: number;
let cookie: string;
let csrf: string;
{
  const database = await openPglite(dataDir);
  await database.migrate();
  const app = await buildApp({ database, config: { passwordCost: { N: 1024, r: 8, p: 1 }, filesDir, idleTimeoutMinutes: 600 } });
  const w = await buildBallotWorld(database.db, app);
  await patchSettings(database.db, w.campaign.id, (s) => { s.report.attachments = { allowed: true, maxSizeMb: 200 }; });
  const opened = await w.sessions.secretary.post('/api/reports/open', { reporterId: w.r1.id });
  if (opened.statusCode !== 200) throw new Error(`open report: ${opened.statusCode} ${opened.body}`);
  reportId = opened.json().id;
  ({ cookie, csrf } = w.sessions.secretary);
  await app.close();
  await database.close();
}

const port = await freePort();
const log: string[] = [];
child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
  cwd: root,
  env: {
    ...process.env, DATA_DIR: dataDir, FILES_DIR: filesDir, PORT: String(port), HOST: '127.0.0.1', SEED_DEMO: 'never',
    LOG_LEVEL: 'warn', IDLE_TIMEOUT_MINUTES: '600', NODE_ENV: 'development',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
for (const s of [child.stdout!, child.stderr!]) s.on('data', (b: Buffer) => log.push(...b.toString().split('\n').filter(Boolean)));
const pid = child.pid!;

function call(method: string, url: string, o: { body?: Buffer | (() => AsyncIterable<Buffer>); length?: number; type?: string; timeoutMs?: number } = {}) {
  return new Promise<{ status: number; text: string; bytes: number; ms: number }>((resolve) => {
    const t0 = performance.now();
    const req = http.request({
      host: '127.0.0.1', port, method, path: url, agent: false,
      headers: {
        cookie: `sp_sid=${cookie}`, 'x-csrf-token': csrf,
        ...(o.type ? { 'content-type': o.type } : {}), ...(o.length !== undefined ? { 'content-length': String(o.length) } : {}),
      },
    }, (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (c: Buffer) => { bytes += c.length; if (bytes < 64 * 1024) chunks.push(c); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8').slice(0, 300), bytes, ms: performance.now() - t0 }));
    });
    req.setTimeout(o.timeoutMs ?? 600_000, () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, text: e.message, bytes: 0, ms: performance.now() - t0 }));
    if (typeof o.body === 'function') {
      void (async () => {
        for await (const c of (o.body as () => AsyncIterable<Buffer>)()) if (!req.write(c)) await new Promise((r) => req.once('drain', r));
        req.end();
      })();
    } else req.end(o.body);
  });
}

const rss = () => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch { return 0; }
};

const t0 = Date.now();
for (;;) {
  if (child.exitCode !== null) throw new Error(`server exited while starting:\n${log.slice(-20).join('\n')}`);
  if ((await call('GET', '/api/health', { timeoutMs: 2000 })).status === 200) break;
  if (Date.now() - t0 > 180_000) throw new Error(`server not healthy after 180 s:\n${log.slice(-20).join('\n')}`);
  await sleep(200);
}
console.log(`server up in ${((Date.now() - t0) / 1000).toFixed(1)} s (pid ${pid})`);

interface PhaseResult { name: string; probes: number; late: number; maxHealthMs: number; maxRss: number; outcome: string; seconds: number }

/** Runs `work` while probing health every 250 ms and sampling RSS every 100 ms. */
async function phase(name: string, work: () => Promise<string>): Promise<PhaseResult> {
  let running = true;
  let probes = 0;
  let late = 0;
  let maxHealthMs = 0;
  let maxRss = rss();
  const pending: Promise<void>[] = [];
  const sampler = setInterval(() => { maxRss = Math.max(maxRss, rss()); }, 100);
  const prober = (async () => {
    while (running) {
      // Each probe on its own connection, not waiting for the previous one: a stalled server shows as many late probes.
      pending.push(call('GET', '/api/health', { timeoutMs: 60_000 }).then((r) => {
        probes++;
        const ms = r.status === 200 ? r.ms : Infinity;
        maxHealthMs = Math.max(maxHealthMs, ms);
        if (ms > HEALTH_BOUND_MS) late++;
      }));
      await sleep(HEALTH_EVERY_MS);
    }
  })();
  const start = performance.now();
  const outcome = await work();
  const seconds = (performance.now() - start) / 1000;
  running = false;
  await prober;
  await Promise.all(pending);
  clearInterval(sampler);
  maxRss = Math.max(maxRss, rss());
  return { name, probes, late, maxHealthMs, maxRss, outcome, seconds };
}

const chunk = Buffer.alloc(MB);
for (let i = 0; i < chunk.length; i += 4) chunk.writeUInt32LE((i * 2654435761) >>> 0, i);
function attachmentUpload() {
  const boundary = '----abuse';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="述职短片.mp4"\r\nContent-Type: video/mp4\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* body() {
    yield head;
    for (let i = 0; i < ATTACHMENT_MB; i++) yield chunk;
    yield tail;
  }
  return call('POST', `/api/reports/${reportId}/attachments`, {
    body: body, length: head.length + ATTACHMENT_MB * MB + tail.length, type: `multipart/form-data; boundary=${boundary}`,
  });
}
function docxUpload(file: Buffer) {
  const boundary = '----bomb';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="述职报告.docx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document\r\n\r\n`),
    file, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return call('POST', `/api/reports/${reportId}/docx`, { body, length: body.length, type: `multipart/form-data; boundary=${boundary}` });
}
const brief = (r: { status: number; text: string; ms: number }) => {
  let code = '';
  try { code = ` ${JSON.parse(r.text).code}`; } catch { /* a file, not JSON */ }
  return `${r.status}${code} in ${(r.ms / 1000).toFixed(2)} s`;
};

const bomb = await docxBomb({ bytes: BOMB_MB * MB });
const hidden = await docxBomb({ bytes: BOMB_MB * MB, lieAbout: 150_000 });
console.log(`zip bombs: ${(bomb.length / 1024).toFixed(0)} KB declaring ${BOMB_MB} MB; ${(hidden.length / 1024).toFixed(0)} KB declaring 0.14 MB and unpacking to ${BOMB_MB} MB`);

let attachmentId = 0;
const results: PhaseResult[] = [];
results.push(await phase('idle (baseline)', async () => { await sleep(5000); return '—'; }));
results.push(await phase(`${ATTACHMENT_MB} MB attachment upload`, async () => {
  const r = await attachmentUpload();
  try { attachmentId = JSON.parse(r.text).id; } catch { /* reported below */ }
  return brief(r);
}));
results.push(await phase(`${ATTACHMENT_MB} MB attachment download`, async () => {
  const r = await call('GET', `/api/reports/${reportId}/attachments/${attachmentId}`);
  return `${brief(r)}, ${(r.bytes / MB).toFixed(0)} MB`;
}));
results.push(await phase(`${BOMB_MB} MB zip bomb (declared)`, async () => brief(await docxUpload(bomb))));
results.push(await phase(`${BOMB_MB} MB zip bomb (hidden)`, async () => brief(await docxUpload(hidden))));
results.push(await phase('all three at once', async () => {
  const [a, b, c] = await Promise.all([attachmentUpload(), docxUpload(bomb), docxUpload(hidden)]);
  return `${brief(a)}; ${brief(b)}; ${brief(c)}`;
}));

const base = results[0]!;
console.log(`\n${'phase'.padEnd(34)} ${'s'.padStart(6)} ${'probes'.padStart(6)} ${'late'.padStart(4)} ${'max health'.padStart(10)} ${'×idle'.padStart(6)} ${'max RSS'.padStart(9)} ${'×idle'.padStart(6)}  answer`);
for (const r of results) {
  console.log(`${r.name.padEnd(34)} ${r.seconds.toFixed(1).padStart(6)} ${String(r.probes).padStart(6)} ${String(r.late).padStart(4)} ${`${r.maxHealthMs.toFixed(0)} ms`.padStart(10)} ${(r.maxHealthMs / base.maxHealthMs).toFixed(1).padStart(6)} ${`${(r.maxRss / MB).toFixed(0)} MB`.padStart(9)} ${(r.maxRss / base.maxRss).toFixed(2).padStart(6)}  ${r.outcome}`);
}
const worstHealth = Math.max(...results.map((r) => r.maxHealthMs));
const worstRss = Math.max(...results.map((r) => r.maxRss));
const statusesOk = results[1]!.outcome.startsWith('200') && results[2]!.outcome.startsWith('200')
  && results[3]!.outcome.startsWith('413') && results[4]!.outcome.startsWith('413');
console.log(`\nmax health latency ${worstHealth.toFixed(0)} ms (bound ${HEALTH_BOUND_MS} ms, idle ${base.maxHealthMs.toFixed(0)} ms); max RSS ${(worstRss / MB).toFixed(0)} MB (bound ${RSS_BOUND / MB} MB, idle ${(base.maxRss / MB).toFixed(0)} MB, ×${(worstRss / base.maxRss).toFixed(2)}); load ${load()}`);
const ok = worstHealth <= HEALTH_BOUND_MS && worstRss < RSS_BOUND && statusesOk;
console.log(ok ? 'OK: health answered within 1 s throughout, memory under 1 GB, bombs refused, the attachment stored and served'
  : `FAIL${statusesOk ? '' : ' (unexpected answers)'}`);
child.kill('SIGTERM');
await sleep(500);
process.exit(ok ? 0 : 1);
