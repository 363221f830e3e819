import { describe, expect, it } from 'vitest';
import { countChars } from './word-count';
import {
  blocksToPlainText,
  htmlToPlainText,
  normalizeRichHtml,
  parseRichHtml,
  plainTextToHtml,
  sectionHtml,
} from './rich-text';

describe('rich text of a report section', () => {
  it('reads paragraphs, bold runs, lists and tables as tiptap writes them', () => {
    const html =
      '<p>全年召开<strong>支委会12次</strong>。</p><ol><li><p>一是学习</p></li><li><p>二是整改</p></li></ol>' +
      '<ul><li><p>要点</p></li></ul><table style="min-width: 50px"><colgroup><col></colgroup><tbody>' +
      '<tr><th colspan="1" rowspan="1"><p>指标</p></th><th><p>完成数</p></th></tr><tr><td><p>主题党日</p></td><td><p>12次</p></td></tr></tbody></table>';
    const blocks = parseRichHtml(html);
    expect(blocks).toEqual([
      { type: 'paragraph', runs: [{ text: '全年召开' }, { text: '支委会12次', bold: true }, { text: '。' }] },
      { type: 'list', ordered: true, items: [[{ text: '一是学习' }], [{ text: '二是整改' }]] },
      { type: 'list', ordered: false, items: [[{ text: '要点' }]] },
      {
        type: 'table',
        rows: [
          { header: true, cells: ['指标', '完成数'] },
          { header: false, cells: ['主题党日', '12次'] },
        ],
      },
    ]);
    const text = blocksToPlainText(blocks);
    expect(text).toBe('全年召开支委会12次。\n一是学习\n二是整改\n要点\n指标　完成数\n主题党日　12次');
    // List numbers are not text (Word does not count them); the full-width space between cells counts 0.
    expect(countChars(text)).toBe(countChars('全年召开支委会12次。一是学习二是整改要点指标完成数主题党日12次'));
  });

  it('normalizing is stable and keeps only whitelisted tags with escaped text', () => {
    const once = normalizeRichHtml('<p>a &lt;b&gt; <span style="x">c</span></p><h2>小标题</h2><p>x<br>y</p>');
    expect(once).toBe('<p>a &lt;b&gt; c</p><p><strong>小标题</strong></p><p>x</p><p>y</p>');
    expect(normalizeRichHtml(once)).toBe(once);
  });

  it('drops script and style bodies and any attribute even when not sanitized first', () => {
    const out = normalizeRichHtml(
      '<p onclick="alert(1)">正文<script>alert(1)</script><img src=x onerror="alert(2)"><style>p{}</style></p>',
    );
    expect(out).toBe('<p>正文</p>');
    expect(htmlToPlainText('<script>alert(1)</script>')).toBe('');
  });

  it('a stored plain-text section opens as paragraphs with the same text', () => {
    const text = '第一段。\n\n第二段，含<标签>&符号。';
    const html = sectionHtml({ text });
    expect(html).toBe(plainTextToHtml(text));
    expect(html).toContain('&lt;标签&gt;&amp;');
    expect(htmlToPlainText(html)).toBe('第一段。\n第二段，含<标签>&符号。');
    expect(sectionHtml({ text: 'x', html: '<p>y</p>' })).toBe('<p>y</p>');
  });

  it('mammoth output: nested lists flatten, cell paragraphs join, multi-paragraph items split', () => {
    const blocks = parseRichHtml(
      '<ol><li>甲<ol><li>乙</li></ol></li><li><p>丙</p><p>丁</p></li></ol><table><tr><td><p>一</p><p>二</p></td></tr></table>',
    );
    expect(blocks).toEqual([
      { type: 'list', ordered: true, items: [[{ text: '甲' }], [{ text: '乙' }], [{ text: '丙' }], [{ text: '丁' }]] },
      { type: 'table', rows: [{ header: false, cells: ['一 二'] }] },
    ]);
  });
});
