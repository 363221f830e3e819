/**
 * Scores entered on the phone while the connection is down (R-ASSESS-1: "a score entered offline is
 * kept and sent when back"). Kept in localStorage (decision 0NN-field-assessment): a handful of small
 * JSON entries, synchronous, survives a reload or a closed tab. Each entry carries the clientId the
 * server deduplicates on, so a re-send after a lost response is stored once.
 */
export interface QueuedScore {
  reporterId: number;
  itemId: number;
  score: number;
  failed: boolean;
  note: string | null;
  clientId: string;
  scoredAt: string;
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** What a send attempt came to: stored, refused by the server (drop and report), or not reached (keep). */
export type SendOutcome = { kind: 'ok' } | { kind: 'refused'; message: string } | { kind: 'unreachable' };

export class ScoreQueue {
  constructor(
    private readonly store: KeyValueStore,
    private readonly key: string,
  ) {}

  list(): QueuedScore[] {
    try {
      const raw = JSON.parse(this.store.getItem(this.key) ?? '[]') as unknown;
      return Array.isArray(raw) ? (raw as QueuedScore[]) : [];
    } catch {
      return [];
    }
  }

  private save(entries: QueuedScore[]) {
    this.store.setItem(this.key, JSON.stringify(entries));
  }

  /** A later entry for the same item replaces the unsent earlier one: only the last value counts. */
  add(entry: QueuedScore) {
    this.save([...this.list().filter((e) => !(e.reporterId === entry.reporterId && e.itemId === entry.itemId)), entry]);
  }

  forReporter(reporterId: number) {
    return this.list().filter((e) => e.reporterId === reporterId);
  }

  /**
   * Sends the entries in the order they were made; stops at the first unreachable one (still offline)
   * so the order is kept. Entries the server refuses are dropped and returned so the page can say why.
   */
  async flush(
    send: (e: QueuedScore) => Promise<SendOutcome>,
  ): Promise<{ sent: number; refused: { entry: QueuedScore; message: string }[]; left: number }> {
    let sent = 0;
    const refused: { entry: QueuedScore; message: string }[] = [];
    for (const entry of this.list()) {
      const outcome = await send(entry);
      if (outcome.kind === 'unreachable') break;
      // Remove by clientId: an entry replaced meanwhile (a newer value for the item) stays queued.
      this.save(this.list().filter((e) => e.clientId !== entry.clientId));
      if (outcome.kind === 'ok') sent++;
      else refused.push({ entry, message: outcome.message });
    }
    return { sent, refused, left: this.list().length };
  }
}

/**
 * A network failure, a server not answering (5xx, gateway) or a lapsed session (401: sign in again,
 * the entry must survive that) is worth a retry; any other 4xx is the server refusing the value.
 */
export function classifyFailure(e: unknown): SendOutcome {
  const err = e as { code?: string; status?: number; message?: string };
  if (
    err?.code === 'NETWORK' ||
    err?.status === 0 ||
    (err?.status ?? 0) >= 500 ||
    err?.status === undefined ||
    err?.status === 401
  )
    return { kind: 'unreachable' };
  return { kind: 'refused', message: err.message ?? '评分被拒绝' };
}
