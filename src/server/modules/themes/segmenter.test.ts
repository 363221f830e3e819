import { describe, expect, it } from 'vitest';
import { contentWords } from '../../../domain/comment-themes';
import { jiebaSegment } from './segmenter';

describe('jieba with the party-building dictionary', () => {
  it('keeps 三会一课, 主题党日, 软弱涣散, 党群服务中心, 两代表一委员 and 四议两公开 whole', () => {
    const words = jiebaSegment(
      '三会一课落实不到位，主题党日形式单一，党群服务中心闲置，存在软弱涣散苗头，两代表一委员作用和四议两公开执行不够',
    );
    for (const t of ['三会一课', '主题党日', '党群服务中心', '软弱涣散', '两代表一委员', '四议两公开'])
      expect(words).toContain(t);
    expect(words).not.toContain('课');
  });
  it('drops stop words and single characters from the content words', () => {
    expect(contentWords('进一步加强三会一课的落实', jiebaSegment)).toEqual(['三会一课']);
  });
});
