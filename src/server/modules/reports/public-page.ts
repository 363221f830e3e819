/**
 * The public link of a published report (R-REP-7, only where the campaign publishes to the public):
 * a small server-rendered, read-only HTML page — no sign-in, no admin bundle, no script at all. The
 * section HTML is passed through the sanitizer again at render time, every other text is escaped, and
 * a Content-Security-Policy without script sources makes any markup that slipped through inert.
 */
import { escapeHtml, sectionHtml } from '../../../domain/rich-text';
import { readPublicReport } from './publish-reports';
import { sanitizeReportHtml } from './rich-text';
import type { DbOrTx } from '../../db/connect';

export const PUBLIC_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const STYLE = `
body{margin:0;background:#f5f5f5;color:#262626;font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif}
main{max-width:820px;margin:0 auto;background:#fff;padding:24px 20px 40px;min-height:100vh;box-sizing:border-box}
h1{font-size:22px;text-align:center;line-height:1.5;margin:8px 0 4px}
.meta{color:#8c8c8c;font-size:13px;text-align:center;margin-bottom:20px}
h2{font-size:18px;margin:22px 0 8px}
.sec p{text-indent:2em;line-height:1.9;font-size:16px;margin:0 0 6px}
.sec li p{text-indent:0}
.sec ol,.sec ul{padding-left:2em;line-height:1.9;font-size:16px}
.tbl{overflow-x:auto}
.sec table{border-collapse:collapse;margin:8px 0;min-width:60%}
.sec th,.sec td{border:1px solid #999;padding:4px 8px;font-size:15px}
.sec th p,.sec td p{text-indent:0;margin:0}
.sec th{background:#fafafa}
footer{color:#8c8c8c;font-size:12px;text-align:center;margin-top:32px}
@media (max-width:575px){main{padding:16px 14px 32px}h1{font-size:19px}}`;

const page = (title: string, body: string) => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;

export async function renderPublicReport(db: DbOrTx, token: string): Promise<string> {
  const r = await readPublicReport(db, token);
  const title = `${r.orgName}书记抓基层党建工作述职报告`;
  const sections = r.sections
    .map((s) => {
      // Tables scroll sideways on a phone instead of widening the page.
      const body = sanitizeReportHtml(sectionHtml(s))
        .replace(/<table>/g, '<div class="tbl"><table>')
        .replace(/<\/table>/g, '</table></div>');
      return `<section class="sec">${s.title ? `<h2>${escapeHtml(s.title)}</h2>` : ''}${body}</section>`;
    })
    .join('\n');
  const date = r.publishedAt.slice(0, 10);
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1>
<div class="meta">${escapeHtml(r.campaignTitle)} · 公开于${escapeHtml(date)} · 全文${r.charCount}字</div>
${sections}
<footer>本页为公开的述职报告，只读。</footer>`,
  );
}

export const notFoundPage = () =>
  page('链接无效', '<h1>链接无效或报告未公开</h1><div class="meta">请向发布单位核实链接。</div>');
