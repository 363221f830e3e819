/**
 * Issue 15, HTTP surface: security headers on every page and answer, the session cookie's Secure flag over TLS, and
 * uploaded bytes served only as downloads with a type sniffed from their content (never text/html or SVG as sent).
 * The 403-versus-404 part is proven by the access matrix (existenceLeaks), the campaign titles in cross-scope.test.ts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import {
  buildCampaign,
  buildSecretary,
  buildTwoCounties,
  buildUser,
  setupTestApp,
  signIn,
  TEST_COST,
  TEST_PASSWORD,
  testClock,
  type Session,
} from '../factories';
import { freshDatabase } from '../setup/db';
import { makeReportDocx, upload } from './reports-helpers';

let t: Awaited<ReturnType<typeof setupTestApp>>;
let webDir: string;
let tree: Awaited<ReturnType<typeof buildTwoCounties>>;
const s: Record<string, Session> = {};

beforeAll(async () => {
  // A stand-in for dist/web: the server's headers do not depend on what the files say (the real build is checked in
  // Chromium by tests/e2e/csp.e2e.test.ts).
  webDir = mkdtempSync(path.join(tmpdir(), 'sp-web-'));
  mkdirSync(path.join(webDir, 'vote'));
  for (const f of ['index.html', 'vote/index.html', 'vote/survey.html'])
    writeFileSync(path.join(webDir, f), '<!doctype html><title>x</title>');
  t = await setupTestApp({ config: { webDir, trustProxy: ['127.0.0.1'] } });
  tree = await buildTwoCounties(t.db);
  await buildSecretary(t.db, tree.villageA1.id);
  s.secA1 = await signIn(t.app, (await buildUser(t.db, { role: 'secretary', orgId: tree.villageA1.id })).username);
  s.adminA = await signIn(t.app, (await buildUser(t.db, { role: 'org_admin', scopeOrgId: tree.countyA.id })).username);
});
afterAll(async () => {
  await t?.close();
  rmSync(webDir, { recursive: true, force: true });
});

const expectHardened = (headers: Record<string, unknown>, where: string) => {
  const csp = String(headers['content-security-policy'] ?? '');
  expect(csp, where).toContain("script-src 'self'");
  expect(csp, where).toContain("frame-ancestors 'none'");
  expect(csp, where).toContain("object-src 'none'");
  expect(csp, where).not.toContain('unsafe-eval');
  expect(headers['x-content-type-options'], where).toBe('nosniff');
  expect(headers['x-frame-options'], where).toBe('DENY');
  expect(headers['referrer-policy'], where).toBe('no-referrer');
};

describe('security headers (issue 15)', () => {
  it('the admin app, its client routes (/assess), the phone vote and survey pages and the API carry CSP, nosniff, no framing, no referrer', async () => {
    for (const url of [
      '/',
      '/assess',
      '/campaigns/1/assessment',
      '/vote/',
      '/vote/survey.html',
      '/api/health',
      '/api/auth/me',
    ]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBeLessThan(500);
      expectHardened(res.headers, url);
    }
    // The vote page's token is in the fragment: no Referer may carry the page's URL anywhere.
    const vote = await t.app.inject({ method: 'GET', url: '/vote/' });
    expect(vote.headers['content-type']).toContain('text/html');
  });

  it('the public report page keeps its own stricter policy (no script at all) with the same companions', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/p/reports/not-a-real-token-000' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });
});

describe('Secure session cookie over TLS (issue 15)', () => {
  const login = async (
    app: typeof t.app,
    username: string,
    headers: Record<string, string> = {},
    remoteAddress = '127.0.0.1',
  ) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: TEST_PASSWORD },
      headers,
      remoteAddress,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.cookies.find((c) => c.name === 'sp_sid')!;
  };

  it('auto: Secure behind the trusted proxy when it says https; not over plain HTTP; not when an untrusted peer claims https', async () => {
    const u = await buildUser(t.db, { role: 'leader', scopeOrgId: tree.countyA.id });
    expect((await login(t.app, u.username, { 'x-forwarded-proto': 'https' })).secure).toBe(true);
    expect((await login(t.app, u.username)).secure).toBeFalsy();
    expect((await login(t.app, u.username, { 'x-forwarded-proto': 'https' }, '10.9.8.7')).secure).toBeFalsy();
  });

  it('COOKIE_SECURE=true forces it (TLS ended by a proxy the app does not trust)', async () => {
    const database = await freshDatabase();
    const app = await buildApp({
      database,
      clock: testClock(),
      config: { passwordCost: TEST_COST, cookieSecure: true },
    });
    try {
      const u = await buildUser(database.db, { role: 'auditor' });
      const c = await login(app, u.username);
      expect(c.secure).toBe(true);
      expect(c.httpOnly).toBe(true);
      expect(c.sameSite).toBe('Strict');
    } finally {
      await app.close();
      await database.close();
    }
  });
});

describe('uploaded bytes are served as downloads of a sniffed type (issue 15)', () => {
  let reportId: number;
  beforeAll(async () => {
    const c = await buildCampaign(t.db, {
      organizerOrgId: tree.townA.id,
      templateId: '003',
      year: 2025,
      state: 'published',
      reporterOrgIds: [tree.villageA1.id],
      open: ['reports'],
      openAt: t.clock.now(),
    });
    const [r] = (await s.adminA.get(`/api/campaigns/${c.id}/reporters`)).json().items as { id: number }[];
    const opened = await s.secA1.post('/api/reports/open', { reporterId: r.id });
    expect(opened.statusCode, opened.body).toBe(200);
    reportId = opened.json().id;
  });

  const attach = async (content: Buffer, name: string, type: string) => {
    const up = await upload(s.secA1, `/api/reports/${reportId}/attachments`, content, name, type);
    expect(up.statusCode, up.body).toBe(200);
    return s.secA1.get(`/api/reports/${reportId}/attachments/${up.json().id}`);
  };

  it('an HTML page named .pdf and sent as text/html comes back as application/octet-stream, attachment, nosniff', async () => {
    const html = Buffer.from('<!doctype html><html><body><script>fetch("/api/auth/me")</script></body></html>');
    const got = await attach(html, '通知.pdf', 'text/html');
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('application/octet-stream');
    expect(String(got.headers['content-disposition'])).toMatch(/^attachment; /);
    expect(String(got.headers['content-disposition'])).toContain(encodeURIComponent('通知.pdf'));
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.rawPayload.equals(html)).toBe(true);
  });

  it('an SVG named .png and sent as image/svg+xml is not served as an image', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const got = await attach(svg, '照片.png', 'image/svg+xml');
    expect(got.headers['content-type']).toBe('application/octet-stream');
    expect(String(got.headers['content-disposition'])).toMatch(/^attachment; /);
  });

  it('real files get their own type whatever the upload said: PDF, Word', async () => {
    const pdf = await attach(
      Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
      '材料.pdf',
      'text/html',
    );
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(String(pdf.headers['content-disposition'])).toMatch(/^attachment; /);
    const docx = await attach(await makeReportDocx(), '述职报告.docx', 'text/html');
    expect(docx.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
  });

  it('rectification evidence: an HTML page named .pdf is a download of octet-stream too', async () => {
    const c = await buildCampaign(t.db, {
      organizerOrgId: tree.countyA.id,
      templateId: '003',
      year: 2024,
      state: 'published',
      reporterOrgIds: [tree.villageA1.id],
      open: ['rectification'],
      openAt: t.clock.now(),
    });
    const item = await s.adminA.post(`/api/campaigns/${c.id}/rectification/items`, {
      orgId: tree.villageA1.id,
      description: '巡察反馈：记录不规范',
      owner: '张书记',
      responsibleLeader: '李镇长',
      measures: '逐月检查',
      deadline: '2026-12-31',
    });
    expect(item.statusCode, item.body).toBe(200);
    const html = Buffer.from('<html><script>alert(document.cookie)</script></html>');
    const up = await upload(
      s.adminA,
      `/api/rectification/items/${item.json().id}/evidence`,
      html,
      '佐证.pdf',
      'text/html',
    );
    expect(up.statusCode, up.body).toBe(200);
    const got = await s.adminA.get(`/api/rectification/items/${item.json().id}/evidence/${up.json().id}`);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('application/octet-stream');
    expect(String(got.headers['content-disposition'])).toMatch(/^attachment; /);
    expect(got.headers['x-content-type-options']).toBe('nosniff');
  });
});
