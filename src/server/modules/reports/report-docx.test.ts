import { describe, expect, it } from 'vitest';
import { reportBlocks } from './report-docx';

describe('report .docx blocks', () => {
  it('a section of 200,000 lines gives its blocks instead of overflowing the stack (issue 15: push(...blocks) did)', () => {
    const text = Array.from({ length: 200_000 }, (_, i) => `第${i}项`).join('\n');
    const blocks = reportBlocks([{ key: 'achievements', title: '工作成效', text }]);
    expect(blocks.length).toBe(200_001);
    expect(blocks[0]).toEqual({ type: 'heading1', text: '一、工作成效' });
  });
});
