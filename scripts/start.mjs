// `npm start`: builds the web app when it is missing or older than its sources, then runs the server
// (PGlite unless DATABASE_URL is set).
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Newest modification time under the given files/folders, so a `git pull` never serves a stale page. */
function newestMtime(entries) {
  let newest = 0;
  const visit = (p) => {
    const st = statSync(p);
    if (st.isDirectory()) for (const name of readdirSync(p)) visit(path.join(p, name));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const e of entries) if (existsSync(e)) visit(e);
  return newest;
}

const built = 'dist/web/index.html';
const stale =
  !existsSync(built) ||
  process.env.REBUILD_WEB === '1' ||
  newestMtime(['src/web', 'src/domain', 'vite.config.ts', 'package-lock.json']) > statSync(built).mtimeMs;
if (stale) {
  console.log('正在构建前端页面……');
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const child = spawn('npx', ['tsx', 'src/server/main.ts'], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
