import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { assessmentApi } from '../../api/assessment';
import { useUser } from '../../auth/auth-context';
import { notify } from '../../lib/notify';
import { classifyFailure, type QueuedScore, ScoreQueue } from './offline-queue';

const RETRY_MS = 10_000;

/** A v4 UUID also where crypto.randomUUID is missing (plain http on a LAN address is not a secure context). */
export function newClientId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The phone's queue of unsent scores: sent when the browser says it is back online, and retried every
 * 10 s while anything is waiting (navigator.onLine can say "online" on a dead Wi-Fi). `onSynced` lets the
 * page reload the sheet once entries reached the server.
 */
export function useScoreQueue(onSynced?: () => void) {
  const user = useUser();
  const queue = useMemo(() => new ScoreQueue(window.localStorage, `assessment-queue:v1:${user.id}`), [user.id]);
  const [pending, setPending] = useState<QueuedScore[]>(() => queue.list());
  const [online, setOnline] = useState(() => navigator.onLine);
  const flushing = useRef(false);
  const synced = useRef(onSynced);
  synced.current = onSynced;

  const refresh = useCallback(() => setPending(queue.list()), [queue]);

  const flush = useCallback(async () => {
    if (flushing.current || !queue.list().length) return;
    flushing.current = true;
    try {
      const res = await queue.flush(async (e) => {
        try {
          await assessmentApi.score(e.reporterId, {
            itemId: e.itemId,
            score: e.score,
            failed: e.failed,
            note: e.note,
            clientId: e.clientId,
            scoredAt: e.scoredAt,
          });
          return { kind: 'ok' };
        } catch (err) {
          return classifyFailure(err);
        }
      });
      for (const r of res.refused) notify.error(`一条离线评分未能保存：${r.message}`);
      if (res.sent) notify.success(`已同步 ${res.sent} 条离线评分`);
      if (res.sent || res.refused.length) synced.current?.();
    } finally {
      flushing.current = false;
      refresh();
    }
  }, [queue, refresh]);

  useEffect(() => {
    const up = () => {
      setOnline(true);
      void flush();
    };
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    const timer = window.setInterval(() => {
      if (queue.list().length) void flush();
    }, RETRY_MS);
    void flush();
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
      window.clearInterval(timer);
    };
  }, [flush, queue]);

  const add = useCallback(
    (e: QueuedScore) => {
      queue.add(e);
      refresh();
    },
    [queue, refresh],
  );

  return { pending, online, add, flush };
}
