import { describe, expect, it } from 'vitest';
import { WorkerSlots } from './worker';

describe('worker slots', () => {
  it('runs `size` jobs at once, queues `queue` more in order, refuses the next with a Chinese 429', async () => {
    const slots = new WorkerSlots(1, 2);
    const order: string[] = [];
    await slots.acquire();
    const b = slots.acquire().then(() => order.push('b'));
    const c = slots.acquire().then(() => order.push('c'));
    await expect(slots.acquire()).rejects.toMatchObject({
      code: 'BUSY',
      status: 429,
      message: '服务器正在处理其他上传的文件，请稍后重试',
    });
    slots.release();
    await b;
    expect(order).toEqual(['b']);
    slots.release();
    await c;
    expect(order).toEqual(['b', 'c']);
    slots.release();
    // All free again: the next one runs at once.
    await slots.acquire();
  });
});
