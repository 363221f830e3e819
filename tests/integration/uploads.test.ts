// Issue 15, "one upload must not stop the server" and the two reachable 500s of the report routes (decision 021).
// Each test fails on the code before it: attachments were read whole into memory and stored as bytea (no sha256, no
// file store); an .xlsx import had no limit of its own (20 MB, then exceljs: 400); a .docx was unpacked by mammoth
// whatever its size (the 200 MB bomb below would have been inflated and stored); a report far over its 字数 limit or a
// section over 100,000 characters was stored, after which GET /api/reports/:id answered 500 (response schema) and the
// .docx download overflowed the stack (push(...blocks)).
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, campaignReporters, reportAttachments, reports, reportVersions } from '../../src/server/db/schema';
import { missingAttachmentFiles, moveLegacyAttachments } from '../../src/server/uploads/legacy-attachments';
import {
  buildCampaign,
  buildSecretary,
  buildTwoCounties,
  buildUser,
  setupTestApp,
  signIn,
  type Session,
} from '../factories';
import { docxBomb, docxParagraph } from '../zip-fixtures';
import { patchSettings, upload } from './reports-helpers';

const MB = 1024 * 1024;
let t: Awaited<ReturnType<typeof setupTestApp>>;
let tree: Awaited<ReturnType<typeof buildTwoCounties>>;
const s: Record<string, Session> = {};
let year = 2000;

/** A report of its own (one campaign per test, so limits can be patched freely) with the tier's 字数 limit given. */
async function openReport(charLimit: number | null = 3000) {
  const c = await buildCampaign(t.db, {
    organizerOrgId: tree.townA.id,
    templateId: '003',
    year: year++,
    state: 'published',
    reporterOrgIds: [tree.villageA1.id],
    open: ['reports'],
    openAt: t.app.deps.clock.now(),
  });
  await patchSettings(t.db, c.id, (x) => {
    for (const tier of x.reporterTiers) tier.charLimit = charLimit;
  });
  const [r] = await t.db
    .select()
    .from(campaignReporters)
    .where(and(eq(campaignReporters.campaignId, c.id), eq(campaignReporters.orgId, tree.villageA1.id)));
  const res = await s.secA1.post('/api/reports/open', { reporterId: r.id });
  expect(res.statusCode, res.body).toBe(200);
  return { id: res.json().id as number, campaignId: c.id };
}

const incoming = () => readdirSync(t.app.deps.files.incoming);
const audits = async (action: string) => (await t.db.select().from(auditLog).where(eq(auditLog.action, action))).length;
const stored = async (id: number) =>
  (await t.db.select({ v: reports.versionNo, n: reports.charCount }).from(reports).where(eq(reports.id, id)))[0];

/** A one-paragraph-per-line .docx of `n` paragraphs of `text` (no headings: all of it lands in the opening). */
const longDocx = (n: number, text: string) => {
  const p = docxParagraph(text);
  return docxBomb({ bytes: n * Buffer.byteLength(p), paragraph: p });
};

beforeAll(async () => {
  t = await setupTestApp();
  tree = await buildTwoCounties(t.db);
  await buildSecretary(t.db, tree.villageA1.id, { name: '王前进', tenureStart: '2019-03-01' });
  s.secA1 = await signIn(t.app, (await buildUser(t.db, { role: 'secretary', orgId: tree.villageA1.id })).username);
  s.townAdmin = await signIn(t.app, (await buildUser(t.db, { role: 'org_admin', scopeOrgId: tree.townA.id })).username);
});
afterAll(async () => t?.close());

describe('one upload must not stop the server (issue 15)', () => {
  it('an attachment streams into the file store: the row keeps its SHA-256 and no bytes, and downloads byte for byte', async () => {
    const { id } = await openReport();
    const video = randomBytes(3 * MB);
    const res = await upload(s.secA1, `/api/reports/${id}/attachments`, video, '汇报视频.mp4', 'video/mp4');
    expect(res.statusCode, res.body).toBe(200);
    const [row] = await t.db.select().from(reportAttachments).where(eq(reportAttachments.id, res.json().id));
    const sha256 = createHash('sha256').update(video).digest('hex');
    expect(row).toMatchObject({ size: video.length, sha256, content: null });
    expect(readFileSync(t.app.deps.files.pathOf(sha256)).equals(video)).toBe(true);
    const got = await s.secA1.get(`/api/reports/${id}/attachments/${row.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(video)).toBe(true);
    expect(incoming()).toEqual([]);
  });

  it('attachments stored in the database before decision 021 move to the file store at start-up, once; a missing file is named', async () => {
    const { id } = await openReport();
    const old = randomBytes(300_000);
    const [row] = await t.db
      .insert(reportAttachments)
      .values({ reportId: id, fileName: '旧附件.pdf', mimeType: 'application/pdf', size: old.length, content: old })
      .returning();
    expect(await moveLegacyAttachments(t.db, t.app.deps.files)).toBe(1);
    const sha256 = createHash('sha256').update(old).digest('hex');
    const [moved] = await t.db.select().from(reportAttachments).where(eq(reportAttachments.id, row.id));
    expect(moved).toMatchObject({ sha256, content: null });
    expect((await s.secA1.get(`/api/reports/${id}/attachments/${row.id}`)).rawPayload.equals(old)).toBe(true);
    expect(await moveLegacyAttachments(t.db, t.app.deps.files)).toBe(0);
    // A wrong FILES_DIR after an upgrade shows at start-up and on download, in Chinese.
    expect(await missingAttachmentFiles(t.db, t.app.deps.files)).toBe(0);
    rmSync(t.app.deps.files.pathOf(sha256));
    expect(await missingAttachmentFiles(t.db, t.app.deps.files)).toBe(1);
    const lost = await s.secA1.get(`/api/reports/${id}/attachments/${row.id}`);
    expect(lost.json()).toEqual({
      code: 'FILE_MISSING',
      message: '附件文件缺失：附件目录中找不到该文件，请联系系统管理员检查 FILES_DIR 设置或从备份恢复',
    });
    await t.db.delete(reportAttachments).where(eq(reportAttachments.id, row.id));
  });

  it('an attachment over the campaign limit is a Chinese 413 { code, message }: at once from Content-Length, or at the limit while streaming; nothing is kept', async () => {
    const { id, campaignId } = await openReport();
    await patchSettings(t.db, campaignId, (x) => void (x.report.attachments.maxSizeMb = 1));
    const before = t.app.deps.files.list().length;
    const declared = await upload(s.secA1, `/api/reports/${id}/attachments`, randomBytes(2 * MB), '视频.mp4');
    expect(declared.statusCode).toBe(413);
    expect(declared.json()).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: '附件不能超过1MB（本次述职评议考核的设置），所选文件约2MB，未保存。请压缩或删减后重新上传',
    });
    // No Content-Length (a streamed body): stopped when the part passes the limit.
    const boundary = '----chunked';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="视频.mp4"\r\nContent-Type: video/mp4\r\n\r\n`,
      ),
      randomBytes(2 * MB),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const streamed = await s.secA1.request({
      method: 'POST',
      url: `/api/reports/${id}/attachments`,
      payload: Readable.from([body.subarray(0, MB), body.subarray(MB)]),
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(streamed.statusCode).toBe(413);
    expect(streamed.json().message).toBe('附件不能超过1MB（本次述职评议考核的设置），未保存。请压缩或删减后重新上传');
    expect(await t.db.select().from(reportAttachments).where(eq(reportAttachments.reportId, id))).toEqual([]);
    expect(t.app.deps.files.list().length).toBe(before);
    expect(incoming()).toEqual([]);
  });

  it('an .xlsx import has its own limit (10 MB, a Chinese 413 before it is read) and a spreadsheet zip bomb is refused unread', async () => {
    const c = await buildCampaign(t.db, {
      organizerOrgId: tree.townA.id,
      templateId: '003',
      year: year++,
      state: 'published',
      reporterOrgIds: [tree.villageA1.id],
      open: ['reports'],
      openAt: t.app.deps.clock.now(),
    });
    const url = `/api/campaigns/${c.id}/evaluation/inputs/import`;
    const big = await upload(s.townAdmin, url, randomBytes(11 * MB), '录入表.xlsx');
    expect(big.statusCode).toBe(413);
    expect(big.json().message).toMatch(/^\.xlsx 文件不能超过10MB，所选文件约11MB，未保存/);
    const bomb = await upload(s.townAdmin, url, await docxBomb({ bytes: 200 * MB }), '录入表.xlsx');
    expect(bomb.statusCode).toBe(413);
    expect(bomb.json()).toMatchObject({ code: 'UNPACKED_TOO_LARGE' });
    expect(bomb.json().message).toMatch(
      /^\.xlsx 文件解压后共200MB，超过上限100MB，可能是恶意构造的压缩文件（“压缩炸弹”），未导入/,
    );
  });

  it('a .docx zip bomb — declaring 200 MB, or hiding it — is refused with a Chinese 413 and nothing is stored', async () => {
    const { id } = await openReport();
    const uploadsBefore = await audits('report.upload_docx');
    const honest = await upload(
      s.secA1,
      `/api/reports/${id}/docx`,
      await docxBomb({ bytes: 200 * MB }),
      '述职报告.docx',
    );
    expect(honest.statusCode).toBe(413);
    expect(honest.json()).toMatchObject({
      code: 'UNPACKED_TOO_LARGE',
      message:
        'Word文件解压后共200MB，超过上限40MB，可能是恶意构造的压缩文件（“压缩炸弹”），未导入。请检查文件后重新上传',
    });
    const liar = await upload(
      s.secA1,
      `/api/reports/${id}/docx`,
      await docxBomb({ bytes: 200 * MB, lieAbout: 150_000 }),
      '述职报告.docx',
    );
    expect(liar.statusCode).toBe(413);
    expect(liar.json().message).toMatch(/^Word文件中的部件“word\/document\.xml”实际解压后比声明的0\.14MB更大/);
    expect(await stored(id)).toEqual({ v: 0, n: 0 });
    expect(await audits('report.upload_docx')).toBe(uploadsBefore);
    expect(incoming()).toEqual([]);
  });

  it('a .docx far over the 字数 limit is refused at import with its count; twice the limit is still imported (to trim in the editor)', async () => {
    const { id } = await openReport(3000);
    const far = await upload(
      s.secA1,
      `/api/reports/${id}/docx`,
      await longDocx(1200, '加强基层党组织建设工作'),
      '述职报告.docx',
    );
    expect(far.statusCode).toBe(400);
    expect(far.json()).toMatchObject({
      code: 'REPORT_TOO_LONG',
      message: '导入的报告正文共13,200字，超过本次述职报告字数上限3,000字的3倍，未导入。请删减后重新上传',
    });
    expect(await stored(id)).toEqual({ v: 0, n: 0 });
    const twice = await upload(
      s.secA1,
      `/api/reports/${id}/docx`,
      await longDocx(600, '加强基层党组织建设工作'),
      '述职报告.docx',
    );
    expect(twice.statusCode, twice.body).toBe(200);
    expect(twice.json().charCount).toBe(6600);
  });
});

describe('the two reachable 500s (issue 15, HTTP surface)', () => {
  it('GET /api/reports/:id after a .docx import over the per-section limit: the import is refused with the size, the report reads; one stored over it before reads too', async () => {
    const { id } = await openReport(null);
    const over = await upload(
      s.secA1,
      `/api/reports/${id}/docx`,
      await longDocx(12_000, '加强基层党组织建设'),
      '述职报告.docx',
    );
    expect(over.statusCode).toBe(400);
    expect(over.json()).toMatchObject({
      code: 'REPORT_TOO_LONG',
      message: '导入的「开头」部分共119,999个字符，超过单个部分100,000个字符的上限，未导入。请删减后重新上传',
    });
    expect((await s.secA1.get(`/api/reports/${id}`)).statusCode).toBe(200);
    // As an import before this fix stored it: the answer's schema no longer applies the input limits to stored text.
    const text = '加强基层党组织建设\n'.repeat(15_000);
    await t.db
      .update(reports)
      .set({ sections: [{ key: 'preamble', title: '', text }] })
      .where(eq(reports.id, id));
    const read = await s.secA1.get(`/api/reports/${id}`);
    expect(read.statusCode, read.body.slice(0, 200)).toBe(200);
    expect(read.json().report.sections[0].text.length).toBe(text.length);
  });

  it('GET …/versions/:n/docx of a report stored with 150,000 lines is a Chinese 422, not a stack overflow; 10,000 lines build off the request thread', async () => {
    const { id } = await openReport(null);
    const version = async (versionNo: number, lines: number) => {
      const sections = [
        { key: 'preamble', title: '', text: Array.from({ length: lines }, (_, i) => `第${i}项`).join('\n') },
      ];
      await t.db.insert(reportVersions).values({
        reportId: id,
        versionNo,
        reason: 'upload',
        sections,
        charCount: 1,
        unknownHeadings: [],
        createdAt: new Date(),
      });
      await t.db.update(reports).set({ versionNo }).where(eq(reports.id, id));
    };
    await version(1, 150_000);
    const huge = await s.secA1.get(`/api/reports/${id}/versions/1/docx`);
    expect(huge.statusCode, huge.body.slice(0, 200)).toBe(422);
    expect(huge.json()).toEqual({
      code: 'REPORT_TOO_LARGE',
      message: '述职报告共150,000行（段落、列表项和表格行），超过可生成Word文件的上限20,000行，请删减后再下载',
    });
    await version(2, 10_000);
    const long = await s.secA1.get(`/api/reports/${id}/versions/2/docx`);
    expect(long.statusCode, long.body.slice(0, 200)).toBe(200);
    expect(long.rawPayload.subarray(0, 2).toString()).toBe('PK');
  }, 180_000);
});
