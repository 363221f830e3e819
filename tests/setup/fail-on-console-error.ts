import { afterEach, vi } from 'vitest';

// ARCHITECTURE.md: console.error in a test fails it.
const calls: unknown[][] = [];
const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
  calls.push(args);
});
// Overlapping queries on one pg client (e.g. Promise.all inside a transaction) are queued by node-postgres today
// and an error in pg 9: fail the test that does it (src/server/db/parallel.ts is the way to read together).
process.on('warning', (w) => {
  if (w.name === 'DeprecationWarning' && /already executing a query/.test(w.message)) calls.push([w.message, w.stack]);
});
afterEach(() => {
  if (calls.length) {
    const first = calls.map((c) => c.map(String).join(' ')).join('\n');
    calls.length = 0;
    throw new Error(`console.error was called during the test:\n${first}`);
  }
});
void spy;
