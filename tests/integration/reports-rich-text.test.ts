import JSZip from 'jszip';
import mammoth from 'mammoth';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countChars } from '../../src/domain/word-count';
import { campaignReporters, meetingAgendaItems, meetings, reports } from '../../src/server/db/schema';
import {
  buildCampaign,
  buildSecretary,
  buildTwoCounties,
  buildUser,
  setupTestApp,
  signIn,
  type Session,
} from '../factories';
import { goodSections, patchSettings, upload } from './reports-helpers';

let t: Awaited<ReturnType<typeof setupTestApp>>;
let tree: Awaited<ReturnType<typeof buildTwoCounties>>;
let campaignId: number;
const s: Record<string, Session> = {};

async function openFor(session: Session, orgId: number) {
  const [r] = await t.db
    .select()
    .from(campaignReporters)
    .where(and(eq(campaignReporters.campaignId, campaignId), eq(campaignReporters.orgId, orgId)));
  const res = await session.post('/api/reports/open', { reporterId: r.id });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().id as number;
}

/** The good report as the editor would send it: the achievements part with bold, a numbered list and a table. */
function richSections() {
  const g = goodSections();
  const [first, ...rest] = g;
  return [
    {
      key: first.key,
      title: first.title,
      text: 'ignored: the server derives the text',
      html:
        '<p>全年召开<strong>支委会12次</strong>，专题研究党建工作4次。</p><ol><li><p>发展党员2名，其中35岁以下1名。</p></li><li><p>投入资金18万元改造党群服务中心。</p></li></ol>' +
        '<table style="min-width:50px"><colgroup><col></colgroup><tbody><tr><th colspan="1" rowspan="1"><p>指标</p></th><th><p>完成数</p></th></tr><tr><td><p>主题党日</p></td><td><p>12次</p></td></tr></tbody></table>',
    },
    ...rest,
  ];
}

beforeAll(async () => {
  t = await setupTestApp();
  tree = await buildTwoCounties(t.db);
  await buildSecretary(t.db, tree.villageA1.id, { name: '王前进', tenureStart: '2019-03-01' });
  await buildSecretary(t.db, tree.villageA2.id, { name: '李村', tenureStart: '2019-03-01' });
  const users = {
    secA1: await buildUser(t.db, { role: 'secretary', orgId: tree.villageA1.id }),
    secA2: await buildUser(t.db, { role: 'secretary', orgId: tree.villageA2.id }),
    townAdmin: await buildUser(t.db, { role: 'org_admin', scopeOrgId: tree.townA.id }),
  };
  for (const [k, u] of Object.entries(users)) s[k] = await signIn(t.app, u.username);
  const c = await buildCampaign(t.db, {
    organizerOrgId: tree.townA.id,
    templateId: '003',
    year: 2025,
    state: 'published',
    reporterOrgIds: [tree.villageA1.id, tree.villageA2.id],
    open: ['review'],
  });
  campaignId = c.id;
  await patchSettings(t.db, c.id, (x) => void (x.report.lateSubmissionAllowed = true));
});
afterAll(async () => t?.close());

describe('rich-text sections (decision 009)', () => {
  it('XSS: <script>, onerror and other attributes are stripped on save and on check; the text is derived from the clean HTML', async () => {
    const id = await openFor(s.secA1, tree.villageA1.id);
    const payload =
      '<p onclick="alert(1)">全年召开支委会12次。<script>alert("x")</script><img src=x onerror="alert(2)"></p>' +
      '<p><a href="javascript:alert(3)">链接文字</a><iframe src="https://evil.example"></iframe><style>p{display:none}</style></p>';
    const sections = [{ key: 'achievements', title: '工作成效', text: '伪造的文字', html: payload }];
    const checked = await s.secA1.post(`/api/reports/${id}/check`, { sections });
    expect(checked.statusCode, checked.body).toBe(200);
    const saved = await s.secA1.put(`/api/reports/${id}/sections`, { sections });
    expect(saved.statusCode, saved.body).toBe(200);
    const [row] = await t.db.select().from(reports).where(eq(reports.id, id));
    const stored = (row.sections as { key: string; text: string; html: string }[])[0];
    expect(stored.html).toBe('<p>全年召开支委会12次。</p><p>链接文字</p>');
    for (const bad of ['script', 'onerror', 'onclick', 'javascript:', '<img', 'iframe', '<style', 'alert'])
      expect(stored.html).not.toContain(bad);
    expect(stored.text).toBe('全年召开支委会12次。\n链接文字');
    expect(saved.json().charCount).toBe(countChars('工作成效') + countChars(stored.text));
    const view = (await s.secA1.get(`/api/reports/${id}`)).json();
    expect(view.report.sections[0].html).toBe(stored.html);
  });

  it('字数 and checks read the plain text of lists and tables; the .docx renders bold, numbered lists and tables and uploads back into the same sections', async () => {
    const id = await openFor(s.secA2, tree.villageA2.id);
    const res = await s.secA2.put(`/api/reports/${id}/sections`, { sections: richSections() });
    expect(res.statusCode, res.body).toBe(200);
    const view = (await s.secA2.get(`/api/reports/${id}`)).json();
    const ach = view.report.sections.find((x: { key: string }) => x.key === 'achievements');
    expect(ach.text).toBe(
      '全年召开支委会12次，专题研究党建工作4次。\n发展党员2名，其中35岁以下1名。\n投入资金18万元改造党群服务中心。\n指标　完成数\n主题党日　12次',
    );
    const expected = view.report.sections.reduce(
      (n: number, x: { title: string; text: string }) => n + countChars(x.title) + countChars(x.text),
      0,
    );
    expect(res.json().charCount).toBe(expected);
    expect(view.report.charCount).toBe(expected);
    const length = view.checks.results.find((r: { id: string }) => r.id === 'length');
    expect(length.details.count).toBe(expected);
    expect(view.checks.results.find((r: { id: string }) => r.id === 'required_sections').level).toBe('pass');

    const dl = await s.secA2.get(`/api/reports/${id}/versions/0/docx`);
    expect(dl.statusCode).toBe(200);
    const xml = await (await JSZip.loadAsync(dl.rawPayload)).file('word/document.xml')!.async('string');
    expect(xml).toMatch(/<w:b\/>|<w:b w:val="true"\/>/);
    expect(xml).toContain('<w:numPr>');
    expect(xml).toContain('<w:tbl>');
    expect(xml).toContain(`（全文${expected}字）`);
    const html = (await mammoth.convertToHtml({ buffer: dl.rawPayload })).value;
    expect(html).toMatch(/<ol><li>发展党员2名/);
    expect(html).toContain('<strong>支委会12次</strong>');

    // The downloaded file uploads back into the same sections with the same text.
    const up = await upload(s.secA2, `/api/reports/${id}/docx`, dl.rawPayload, '回传.docx');
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json().sections.map((x: { key: string }) => x.key)).toEqual([
      'achievements',
      'problems',
      'causes',
      'measures',
    ]);
    const again = (await s.secA2.get(`/api/reports/${id}`)).json();
    const ach2 = again.report.sections.find((x: { key: string }) => x.key === 'achievements');
    expect(ach2.text).toBe(ach.text);
    expect(ach2.html).toContain('<ol><li><p>发展党员2名');
    expect(ach2.html).toContain('<strong>支委会12次</strong>');
    expect(ach2.html).toContain('<table><tbody><tr><th><p>指标</p></th>');
    for (const key of ['problems', 'causes']) {
      const text = (v: typeof view) => v.report.sections.find((x: { key: string }) => x.key === key).text;
      expect(text(again)).toBe(text(view));
    }
    // The titles come back numbered (一、); the signature, date and 字数 closing lines are not taken as report text.
    expect(again.report.sections.find((x: { key: string }) => x.key === 'achievements').title).toBe('一、工作成效');
    const measures = (v: typeof view) => v.report.sections.find((x: { key: string }) => x.key === 'measures').text;
    expect(measures(again)).toBe(measures(view));
  });

  it('a report stored as plain text before rich text still opens, checks, downloads and saves', async () => {
    const id = await openFor(s.secA1, tree.villageA1.id);
    const plain = goodSections().map((x) => ({ ...x, text: `${x.text}\n第二段：补充1项。` }));
    await t.db.update(reports).set({ sections: plain }).where(eq(reports.id, id));
    const view = (await s.secA1.get(`/api/reports/${id}`)).json();
    expect(view.report.sections[0].html).toBeUndefined();
    expect(view.report.sections[0].text).toBe(plain[0].text);
    expect(view.report.charCount).toBe(plain.reduce((n, x) => n + countChars(x.title) + countChars(x.text), 0));
    const dl = await s.secA1.get(`/api/reports/${id}/versions/0/docx`);
    expect(dl.statusCode).toBe(200);
    expect((await mammoth.extractRawText({ buffer: dl.rawPayload })).value).toContain('第二段：补充1项。');
    // Saved back without HTML (an older client): kept as plain text.
    expect((await s.secA1.put(`/api/reports/${id}/sections`, { sections: plain })).statusCode).toBe(200);
  });

  it('R-REP-7 the public link is a read-only page without sign-in: rich text rendered, anything unsafe stripped, no script allowed', async () => {
    const c = await buildCampaign(t.db, {
      organizerOrgId: tree.townA.id,
      templateId: '003',
      year: 2019,
      state: 'published',
      reporterOrgIds: [tree.villageA1.id],
      open: ['review'],
    });
    await patchSettings(t.db, c.id, (x) => {
      x.report.lateSubmissionAllowed = true;
      x.report.publicationAudience = 'public';
    });
    const [r] = await t.db.select().from(campaignReporters).where(eq(campaignReporters.campaignId, c.id));
    const id = (await s.secA1.post('/api/reports/open', { reporterId: r.id })).json().id;
    expect((await s.secA1.put(`/api/reports/${id}/sections`, { sections: richSections() })).statusCode).toBe(200);
    expect((await s.secA1.post(`/api/reports/${id}/transitions`, { action: 'submit' })).statusCode).toBe(200);
    expect((await s.townAdmin.post(`/api/reports/${id}/transitions`, { action: 'approve' })).statusCode).toBe(200);
    const [m] = await t.db
      .insert(meetings)
      .values({ campaignId: c.id, title: '述职评议会', meetingDate: '2019-12-20', place: '镇会议室' })
      .returning();
    await t.db.insert(meetingAgendaItems).values({ meetingId: m.id, reporterId: r.id, position: 1 });
    expect((await s.townAdmin.post('/api/reports/publish', { campaignId: c.id })).json().published).toEqual([
      tree.villageA1.name,
    ]);
    // Even HTML that reached the database unsanitized (an old row, a manual fix) is made safe when rendered.
    const [row] = await t.db.select().from(reports).where(eq(reports.id, id));
    const tampered = (row.sections as { key: string; html?: string }[]).map((x) =>
      x.key === 'problems'
        ? {
            ...x,
            html: '<p>问题<img src=x onerror="alert(1)"><script>alert(2)</script></p><p onmouseover="alert(3)">二是</p>',
          }
        : x,
    );
    await t.db.update(reports).set({ sections: tampered }).where(eq(reports.id, id));
    const token = row.publicToken!;
    expect(token).toBeTruthy();

    const res = await t.app.inject({ method: 'GET', url: `/p/reports/${token}` }); // no cookie
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['content-security-policy']).not.toContain('script-src');
    const html = res.body;
    expect(html).toContain(`${tree.villageA1.name}书记抓基层党建工作述职报告`);
    expect(html).toContain('<strong>支委会12次</strong>');
    expect(html).toContain('<ol><li><p>发展党员2名');
    expect(html).toContain('<td><p>主题党日</p></td>');
    expect(html).toContain('<p>问题</p><p>二是</p>');
    for (const bad of ['<script', 'onerror', 'onmouseover', 'alert(', '<img']) expect(html).not.toContain(bad);
    expect((await t.app.inject({ method: 'GET', url: '/p/reports/AAAAAAAAAAAAAAAAAAAAAAAA' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/p/reports/<script>' })).statusCode).toBe(404);
    // The published list (one query) filters by organization name; a secretary elsewhere in the tree reads a public report too.
    const namedRes = await s.secA2.get(`/api/reports/published?q=${encodeURIComponent('东村')}`);
    expect(namedRes.statusCode, namedRes.body).toBe(200);
    const named = namedRes.json();
    expect(named.items.map((i: { id: number }) => i.id)).toEqual([id]);
    expect((await s.townAdmin.get(`/api/reports/published?q=${encodeURIComponent('不存在的村')}`)).json()).toEqual({
      items: [],
      total: 0,
    });
  });
});
