import { describe, expect, it } from 'vitest';
import { classifyFailure, type QueuedScore, ScoreQueue } from './offline-queue';

const memory = () => {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
};
const entry = (itemId: number, score: number, clientId: string, reporterId = 1): QueuedScore => ({
  reporterId,
  itemId,
  score,
  failed: false,
  note: null,
  clientId,
  scoredAt: '2025-11-20T01:00:00.000Z',
});

describe('offline score queue', () => {
  it('keeps entries across instances and lets a later value for the same item replace the unsent one', () => {
    const store = memory();
    const q = new ScoreQueue(store, 'k');
    q.add(entry(1, 5, 'a'));
    q.add(entry(2, 3, 'b'));
    q.add(entry(1, 7, 'c'));
    const again = new ScoreQueue(store, 'k');
    expect(again.list().map((e) => [e.itemId, e.score, e.clientId])).toEqual([
      [2, 3, 'b'],
      [1, 7, 'c'],
    ]);
    expect(again.forReporter(2)).toEqual([]);
  });

  it('flush stops while unreachable and keeps the order; refused entries are dropped and reported', async () => {
    const q = new ScoreQueue(memory(), 'k');
    q.add(entry(1, 5, 'a'));
    q.add(entry(2, 99, 'b'));
    q.add(entry(3, 1, 'c'));
    expect(await q.flush(async () => ({ kind: 'unreachable' }))).toEqual({ sent: 0, refused: [], left: 3 });
    const seen: string[] = [];
    const res = await q.flush(async (e) => {
      seen.push(e.clientId);
      return e.score > 10 ? { kind: 'refused', message: '超过分值' } : { kind: 'ok' };
    });
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(res.sent).toBe(2);
    expect(res.refused.map((r) => r.message)).toEqual(['超过分值']);
    expect(res.left).toBe(0);
  });

  it('tolerates a corrupted store', () => {
    const store = memory();
    store.setItem('k', '{not json');
    expect(new ScoreQueue(store, 'k').list()).toEqual([]);
  });

  it('network errors and 5xx are retried, 4xx are refusals', () => {
    expect(classifyFailure({ code: 'NETWORK', status: 0 }).kind).toBe('unreachable');
    expect(classifyFailure({ code: 'HTTP_502', status: 502 }).kind).toBe('unreachable');
    expect(classifyFailure({ code: 'SESSION_EXPIRED', status: 401 }).kind).toBe('unreachable');
    expect(classifyFailure({ code: 'SCORE_ABOVE_MAX', status: 400, message: 'x' })).toEqual({
      kind: 'refused',
      message: 'x',
    });
  });
});
