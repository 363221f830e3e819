// Runs every test: lint (stops the run when it fails), unit + integration on PGlite, then the integration suite again on a
// PostgreSQL 15 server this script starts on a free port and stops afterwards, then e2e in Chromium.
// First it installs the machine packages that needs when missing (scripts/system-deps.mjs: apt-get as root,
// otherwise it names the command), so a fresh machine needs only `npm install && npm test`.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureSystemDeps, PG_BIN } from './system-deps.mjs';
const run = (args, env = {}) =>
  spawnSync('npx', args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const e2e = process.env.SKIP_E2E !== '1';
// Checked before anything runs, so a missing package stops the run at once rather than after the PGlite suite.
if (!ensureSystemDeps({ e2e })) process.exit(1);

// Lint, boundaries and types first: a minute, and a failure there stops the run before the long suites.
console.log('== lint (Biome, dependency-cruiser, tsc) ==');
if (spawnSync('npm', ['run', 'lint'], { stdio: 'inherit' }).status !== 0) process.exit(1);

// Unit tests in file order; the integration tests in a shuffled order, files and tests (the seed is printed as
// "Running tests with seed …"; rerun one with --sequence.seed=N): each test builds what it needs (decision 024).
const unit = ['vitest', 'run', 'src'];
const inShuffledOrder = ['vitest', 'run', '--sequence.shuffle', 'tests/integration'];

let failed = 0;
console.log('== unit + integration (PGlite) ==');
failed |= run(unit);
failed |= run(inShuffledOrder);

const dir = mkdtempSync(path.join(os.tmpdir(), 'shuping-pg-'));
chmodSync(dir, 0o777);
const asPostgres = (cmd, args) => {
  const isRoot = process.getuid?.() === 0;
  return isRoot
    ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' })
    : execFileSync(cmd, args, { stdio: 'pipe' });
};
const port = await freePort();
const data = path.join(dir, 'data');
try {
  asPostgres(`${PG_BIN}/initdb`, ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  // wal_recycle off: WAL segments a checkpoint no longer needs are deleted, not renamed for reuse with their old
  // contents (decision 017); track_commit_timestamp on: one more thing the ballot relink attack test can try.
  asPostgres(`${PG_BIN}/pg_ctl`, [
    '-D',
    data,
    '-l',
    path.join(dir, 'log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c max_connections=200 -c wal_recycle=off -c track_commit_timestamp=on`,
    'start',
  ]);
  console.log(`== integration (PostgreSQL 15 on port ${port}) ==`);
  const pgEnv = { TEST_DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/postgres`, TEST_PG_DATA_DIR: data };
  failed |= run(inShuffledOrder, pgEnv);
} finally {
  try {
    asPostgres(`${PG_BIN}/pg_ctl`, ['-D', data, '-m', 'fast', '-w', 'stop']);
  } catch {}
  rmSync(dir, { recursive: true, force: true });
}

if (e2e) {
  console.log('== e2e (Chromium) ==');
  failed |= run(['vite', 'build', '--logLevel', 'warn']);
  failed |= run(['vitest', 'run', '--config', 'vitest.e2e.config.ts']);
}
process.exit(failed ? 1 : 0);
