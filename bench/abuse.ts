// Issue 15, "one upload must not stop the server" (decision 021). The real server (src/server/main.ts) runs as a child
// process on a PGlite DATA_DIR — the default engine, which runs inside the app's own thread, where the freeze was
// found. While a 60 MB attachment is uploaded (and downloaded again) and a 200 MB zip bomb is sent as a report .docx
// (once declaring its size, once hiding it), and a 30 MB-XML report that passes every zip check is parsed (for a
// reporter without a 字数 limit, so only the worker's heap and deadline stop it), this script asks GET /api/health every 250 ms and reads the child's
// resident memory (VmRSS, all threads) every 100 ms. Bounds: every health answer within 1 s; RSS under 1 GB. The figures
// are printed against an idle baseline measured first, in the same run. Exits 1 when a bound is missed.
//   npm run proof:abuse   (ABUSE_ATTACHMENT_MB=60, ABUSE_BOMB_MB=200 — 0 leaves bombs and heavy reports out, ABUSE_BOMBS=10
//                          of each bomb in a row, ABUSE_HEAVY=3 heavy reports sent at once)
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { buildApp } from '../src/server/app';
import { campaignReporters } from '../src/server/db/schema';
import { buildUser, signIn } from '../tests/factories';
import { openPglite } from '../src/server/db/connect';
import { patchSettings } from '../tests/integration/reports-helpers';
import { buildBallotWorld } from '../tests/integration/ballots-fixtures';
import { docxBomb, docxParagraph } from '../tests/zip-fixtures';
import { freePort } from './lib/pg-server';

const ATTACHMENT_MB = Number(process.env.ABUSE_ATTACHMENT_MB ?? 60);
const BOMB_MB = Number(process.env.ABUSE_BOMB_MB ?? 200);
const BOMBS = Number(process.env.ABUSE_BOMBS ?? 10);
const HEAVY = Number(process.env.ABUSE_HEAVY ?? 3);
const HEALTH_EVERY_MS = 250;
const HEALTH_BOUND_MS = 1000;
const RSS_BOUND = 1024 ** 3;
const MB = 1024 * 1024;
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

const dir = mkdtempSync(path.join(os.tmpdir(), 'shuping-abuse-'));
const dataDir = path.join(dir, 'data');
const filesDir = path.join(dir, 'files');
let child: ChildProcess | null = null;
const cleanup = () => {
  child?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
};
process.on('exit', cleanup);

console.log(
  `abuse proof: ${ATTACHMENT_MB} MB attachment, ${BOMB_MB} MB zip bomb; PGlite; load ${load()} on ${os.cpus().length} cpus`,
);

// The world, from this process on the same data directory, before the server starts: a published campaign that takes
// attachments up to 200 MB, and the reporting secretary's open report (their session is used over HTTP below).
let reportId: number;
let cookie: string;
let csrf: string;
/** A second reporter whose tier has no 字数 limit, with its secretary's session. */
let openReportId: number;
let openCookie: string;
let openCsrf: string;
{
  const database = await openPglite(dataDir);
  await database.migrate();
  const app = await buildApp({
    database,
    config: { passwordCost: { N: 1024, r: 8, p: 1 }, filesDir, idleTimeoutMinutes: 600 },
  });
  const w = await buildBallotWorld(database.db, app);
  await patchSettings(database.db, w.campaign.id, (s) => {
    s.report.attachments = { allowed: true, maxSizeMb: 200 };
  });
  const opened = await w.sessions.secretary.post('/api/reports/open', { reporterId: w.r1.id });
  if (opened.statusCode !== 200) throw new Error(`open report: ${opened.statusCode} ${opened.body}`);
  reportId = opened.json().id;
  ({ cookie, csrf } = w.sessions.secretary);
  await patchSettings(database.db, w.campaign.id, (s) => {
    s.reporterTiers.push({
      key: 'nolimit',
      label: '不限字数',
      match: {},
      charLimit: null,
      speakingMinutes: null,
      writtenOnlyAllowed: true,
    });
  });
  await database.db.update(campaignReporters).set({ tierKey: 'nolimit' }).where(eq(campaignReporters.id, w.r2.id));
  const other = await signIn(
    app,
    (await buildUser(database.db, { role: 'secretary', orgId: w.villageA2.id })).username,
  );
  const opened2 = await other.post('/api/reports/open', { reporterId: w.r2.id });
  if (opened2.statusCode !== 200) throw new Error(`open report: ${opened2.statusCode} ${opened2.body}`);
  openReportId = opened2.json().id;
  ({ cookie: openCookie, csrf: openCsrf } = other);
  await app.close();
  await database.close();
}

const port = await freePort();
const log: string[] = [];
child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
  cwd: root,
  env: {
    ...process.env,
    DATA_DIR: dataDir,
    FILES_DIR: filesDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    SEED_DEMO: 'never',
    LOG_LEVEL: 'warn',
    IDLE_TIMEOUT_MINUTES: '600',
    NODE_ENV: 'development',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
for (const s of [child.stdout!, child.stderr!])
  s.on('data', (b: Buffer) => log.push(...b.toString().split('\n').filter(Boolean)));
const pid = child.pid!;

function call(
  method: string,
  url: string,
  o: {
    body?: Buffer | (() => AsyncIterable<Buffer>);
    length?: number;
    type?: string;
    timeoutMs?: number;
    as?: { cookie: string; csrf: string };
  } = {},
) {
  return new Promise<{ status: number; text: string; bytes: number; ms: number }>((resolve) => {
    const t0 = performance.now();
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: url,
        agent: false,
        headers: {
          cookie: `sp_sid=${o.as?.cookie ?? cookie}`,
          'x-csrf-token': o.as?.csrf ?? csrf,
          ...(o.type ? { 'content-type': o.type } : {}),
          ...(o.length !== undefined ? { 'content-length': String(o.length) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        res.on('data', (c: Buffer) => {
          bytes += c.length;
          if (bytes < 64 * 1024) chunks.push(c);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8').slice(0, 300),
            bytes,
            ms: performance.now() - t0,
          }),
        );
      },
    );
    req.setTimeout(o.timeoutMs ?? 600_000, () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, text: e.message, bytes: 0, ms: performance.now() - t0 }));
    if (typeof o.body === 'function') {
      void (async () => {
        for await (const c of (o.body as () => AsyncIterable<Buffer>)())
          if (!req.write(c)) await new Promise((r) => req.once('drain', r));
        req.end();
      })();
    } else req.end(o.body);
  });
}

const rss = () => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
};

const t0 = Date.now();
for (;;) {
  if (child.exitCode !== null) throw new Error(`server exited while starting:\n${log.slice(-20).join('\n')}`);
  if ((await call('GET', '/api/health', { timeoutMs: 2000 })).status === 200) break;
  if (Date.now() - t0 > 180_000) throw new Error(`server not healthy after 180 s:\n${log.slice(-20).join('\n')}`);
  await sleep(200);
}
console.log(`server up in ${((Date.now() - t0) / 1000).toFixed(1)} s (pid ${pid})`);

interface PhaseResult {
  name: string;
  probes: number;
  late: number;
  maxHealthMs: number;
  maxRss: number;
  outcome: string;
  seconds: number;
}

/** Runs `work` while probing health every 250 ms and sampling RSS every 100 ms. */
async function phase(name: string, work: () => Promise<string>): Promise<PhaseResult> {
  let running = true;
  let probes = 0;
  let late = 0;
  let maxHealthMs = 0;
  let maxRss = rss();
  const pending: Promise<void>[] = [];
  const sampler = setInterval(() => {
    maxRss = Math.max(maxRss, rss());
  }, 100);
  const prober = (async () => {
    while (running) {
      // Each probe on its own connection, not waiting for the previous one: a stalled server shows as many late probes.
      pending.push(
        call('GET', '/api/health', { timeoutMs: 60_000 }).then((r) => {
          probes++;
          const ms = r.status === 200 ? r.ms : Infinity;
          maxHealthMs = Math.max(maxHealthMs, ms);
          if (ms > HEALTH_BOUND_MS) late++;
        }),
      );
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
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="述职短片.mp4"\r\nContent-Type: video/mp4\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* body() {
    yield head;
    for (let i = 0; i < ATTACHMENT_MB; i++) yield chunk;
    yield tail;
  }
  return call('POST', `/api/reports/${reportId}/attachments`, {
    body: body,
    length: head.length + ATTACHMENT_MB * MB + tail.length,
    type: `multipart/form-data; boundary=${boundary}`,
  });
}
function docxUpload(file: Buffer, to = reportId, as?: { cookie: string; csrf: string }) {
  const boundary = '----bomb';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="述职报告.docx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return call('POST', `/api/reports/${to}/docx`, {
    body,
    length: body.length,
    type: `multipart/form-data; boundary=${boundary}`,
    as,
  });
}
const brief = (r: { status: number; text: string; ms: number }) => {
  let code = '';
  try {
    code = JSON.parse(r.text).code ? ` ${JSON.parse(r.text).code}` : '';
  } catch {
    /* a file, not JSON */
  }
  return `${r.status}${code} in ${(r.ms / 1000).toFixed(2)} s`;
};

const bomb = BOMB_MB ? await docxBomb({ bytes: BOMB_MB * MB }) : null;
const hidden = BOMB_MB ? await docxBomb({ bytes: BOMB_MB * MB, lieAbout: 150_000 }) : null;
// Passes the zip checks (30 MB < 40 MB, packs about 4:1): 64 distinct characters, paragraphs repeating every 300 KB,
// beyond deflate's 32 KB window.
const alphabet =
  '党建工作组织基层支部书记群众服务发展治理学习教育监督整改落实责任制度规范队伍建设乡村振兴产业经济文化生态民主协商';
let seedChars = 1;
const paragraphs: string[] = [];
for (let n = 0; n < 300 * 1024; ) {
  let text = '';
  for (let i = 0; i < 40; i++) {
    seedChars = (seedChars * 1103515245 + 12345) >>> 0;
    text += alphabet[seedChars % alphabet.length];
  }
  const p = docxParagraph(text);
  paragraphs.push(p);
  n += Buffer.byteLength(p);
}
const heavy = BOMB_MB ? await docxBomb({ bytes: 30 * MB, paragraph: paragraphs.join('') }) : null;
if (heavy) console.log(`heavy report: ${(heavy.length / MB).toFixed(1)} MB .docx, 30 MB of XML`);
if (bomb && hidden)
  console.log(
    `zip bombs: ${(bomb.length / 1024).toFixed(0)} KB declaring ${BOMB_MB} MB; ${(hidden.length / 1024).toFixed(0)} KB declaring 0.14 MB and unpacking to ${BOMB_MB} MB; ${BOMBS} of each in a row`,
  );
/** `BOMBS` uploads of one bomb in a row; the answers counted by status. */
async function bombs(file: Buffer) {
  const seen = new Map<string, number>();
  let slowest = 0;
  for (let i = 0; i < BOMBS; i++) {
    const r = await docxUpload(file);
    const key = brief(r).replace(/ in .*$/, '');
    seen.set(key, (seen.get(key) ?? 0) + 1);
    slowest = Math.max(slowest, r.ms);
  }
  return `${[...seen].map(([k, n]) => `${n} × ${k}`).join(', ')}, slowest ${(slowest / 1000).toFixed(2)} s`;
}

let attachmentId = 0;
const results: PhaseResult[] = [];
results.push(
  await phase('idle (baseline)', async () => {
    await sleep(5000);
    return '—';
  }),
);
results.push(
  await phase(`${ATTACHMENT_MB} MB attachment upload`, async () => {
    const r = await attachmentUpload();
    try {
      attachmentId = JSON.parse(r.text).id;
    } catch {
      /* reported below */
    }
    return brief(r);
  }),
);
results.push(
  await phase(`${ATTACHMENT_MB} MB attachment download`, async () => {
    const r = await call('GET', `/api/reports/${reportId}/attachments/${attachmentId}`);
    return `${brief(r)}, ${(r.bytes / MB).toFixed(0)} MB`;
  }),
);
if (bomb && hidden) {
  const heavyUpload = () => docxUpload(heavy!, openReportId, { cookie: openCookie, csrf: openCsrf });
  results.push(await phase('30 MB of XML parsed on the worker', async () => brief(await heavyUpload())));
  results.push(
    await phase(`${HEAVY} such reports at once`, async () =>
      (await Promise.all(Array.from({ length: HEAVY }, heavyUpload))).map(brief).join('; '),
    ),
  );
  results.push(await phase(`${BOMB_MB} MB zip bomb (declared)`, () => bombs(bomb)));
  results.push(await phase(`${BOMB_MB} MB zip bomb (hidden)`, () => bombs(hidden)));
  results.push(
    await phase('attachment + both bombs at once', async () => {
      const [a, b, c] = await Promise.all([attachmentUpload(), docxUpload(bomb), docxUpload(hidden)]);
      return `${brief(a)}; ${brief(b)}; ${brief(c)}`;
    }),
  );
}

const base = results[0]!;
console.log(
  `\n${'phase'.padEnd(34)} ${'s'.padStart(6)} ${'probes'.padStart(6)} ${'late'.padStart(4)} ${'max health'.padStart(10)} ${'×idle'.padStart(6)} ${'max RSS'.padStart(9)} ${'×idle'.padStart(6)}  answer`,
);
for (const r of results) {
  console.log(
    `${r.name.padEnd(34)} ${r.seconds.toFixed(1).padStart(6)} ${String(r.probes).padStart(6)} ${String(r.late).padStart(4)} ${`${r.maxHealthMs.toFixed(0)} ms`.padStart(10)} ${(r.maxHealthMs / base.maxHealthMs).toFixed(1).padStart(6)} ${`${(r.maxRss / MB).toFixed(0)} MB`.padStart(9)} ${(r.maxRss / base.maxRss).toFixed(2).padStart(6)}  ${r.outcome}`,
  );
}
const worstHealth = Math.max(...results.map((r) => r.maxHealthMs));
const worstRss = Math.max(...results.map((r) => r.maxRss));
const statusesOk =
  results[1]!.outcome.startsWith('200') &&
  results[2]!.outcome.startsWith('200') &&
  (!bomb ||
    (/^4\d\d /.test(results[3]!.outcome) &&
      /^\d+ × 413 UNPACKED_TOO_LARGE, slowest/.test(results[5]!.outcome) &&
      /^\d+ × 413 UNPACKED_TOO_LARGE, slowest/.test(results[6]!.outcome)));
console.log(
  `\nmax health latency ${worstHealth.toFixed(0)} ms (bound ${HEALTH_BOUND_MS} ms, idle ${base.maxHealthMs.toFixed(0)} ms); max RSS ${(worstRss / MB).toFixed(0)} MB (bound ${RSS_BOUND / MB} MB, idle ${(base.maxRss / MB).toFixed(0)} MB, ×${(worstRss / base.maxRss).toFixed(2)}); load ${load()}`,
);
const ok = worstHealth <= HEALTH_BOUND_MS && worstRss < RSS_BOUND && statusesOk;
console.log(
  ok
    ? 'OK: health answered within 1 s throughout, memory under 1 GB, bombs refused, the attachment stored and served'
    : `FAIL${statusesOk ? '' : ' (unexpected answers)'}`,
);
child.kill('SIGTERM');
await sleep(500);
process.exit(ok ? 0 : 1);
