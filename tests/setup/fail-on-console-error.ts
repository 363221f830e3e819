import { afterEach, vi } from 'vitest';

// ARCHITECTURE.md: console.error in a test fails it.
const calls: unknown[][] = [];
const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
  calls.push(args);
});
afterEach(() => {
  if (calls.length) {
    const first = calls.map((c) => c.map(String).join(' ')).join('\n');
    calls.length = 0;
    throw new Error(`console.error was called during the test:\n${first}`);
  }
});
void spy;
