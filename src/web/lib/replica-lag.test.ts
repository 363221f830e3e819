import { describe, expect, it } from 'vitest';
import { lagInWords, noteReplicaLag, replicaLagOf } from './replica-lag';

describe('replica lag shown on the page that was read from a replica', () => {
  it('keeps the lag of the page it came from, clears it when the primary answers that page', () => {
    noteReplicaLag('/campaigns/1/progress', '2400');
    expect(replicaLagOf('/campaigns/1/progress')).toEqual({ page: '/campaigns/1/progress', lagMs: 2400 });
    expect(replicaLagOf('/campaigns/1/results')).toBeNull();
    noteReplicaLag('/campaigns/1/progress', null); // a route without the header says nothing
    expect(replicaLagOf('/campaigns/1/progress')?.lagMs).toBe(2400);
    noteReplicaLag('/campaigns/1/progress', 'primary');
    expect(replicaLagOf('/campaigns/1/progress')).toBeNull();
  });

  it('words the lag', () => {
    expect(lagInWords(300)).toBe('不到1秒');
    expect(lagInWords(2400)).toBe('约2秒');
    expect(lagInWords(600_000)).toBe('约10分钟');
  });
});
