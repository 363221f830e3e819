// `npm run bench`: runs every benchmark in turn; each prints its figures with a same-run baseline.
import { spawnSync } from 'node:child_process';

const benches = [
  'bench/org-tree.bench.ts',
  'bench/report-checks.bench.ts',
  'bench/ballots.bench.ts',
  'bench/evaluation.bench.ts',
  'bench/audit-chain.bench.ts',
  'bench/comment-themes.bench.ts',
];
let failed = 0;
for (const b of benches) {
  console.log(`\n== ${b} ==`);
  failed |= spawnSync('npx', ['tsx', b], { stdio: 'inherit' }).status ?? 1;
}
process.exit(failed ? 1 : 0);
