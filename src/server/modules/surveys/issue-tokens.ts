import { randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { codeFromBytes, formatCode } from '../../../domain/ballot-codes';
import { AppError } from '../../../domain/errors';
import type { Db } from '../../db/connect';
import { surveyTokens } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { hashCode } from '../ballots/secret';
import { qrSlipsPdf } from '../documents/qr-slips';
import { assertManage } from './policy';
import { assertState, emptyUnitCounts, getSurvey, getUnit, unitCounts } from './repo';
import { addSheet, newWorkbook, workbookBuffer } from '../documents/xlsx';

/**
 * Survey tokens are ballot-style codes (same alphabet and check character) hashed with the ballot code key under
 * a "survey:" prefix, so a survey token and a ballot code never share a hash even if the letters coincide.
 */
export const hashSurveyToken = (normalized: string) => hashCode(`survey:${normalized}`);

/** The token rides in the fragment, which browsers never send to a server or a log (as ballot codes). */
export const surveyUrl = (origin: string, token: string) => `${origin}/vote/survey.html#t=${token}`;

/**
 * Links for one unit's sampled respondents (R-ASSESS-3). Only keyed hashes are stored, with the unit and no
 * respondent; the plaintext exists only in the returned file, which lists tokens without names — staff hand
 * any slip to any sampled person. A new batch voids the unit's unused links. A unit never gets more links plus
 * paper forms than it has sampled respondents.
 */
export async function issueTokens(
  db: Db,
  user: AuthUser,
  actor: AuditActor,
  surveyId: number,
  reporterId: number,
  countIn?: number,
) {
  return db.transaction(async (tx) => {
    const { survey, campaign } = await getSurvey(tx, surveyId, { lock: true, viewer: user });
    assertManage(user, campaign.organizerPath);
    assertState(survey, ['draft', 'open'], '发放调查链接');
    const unit = await getUnit(tx, survey.campaignId, reporterId);
    const c = (await unitCounts(tx, surveyId)).get(reporterId) ?? emptyUnitCounts(reporterId);
    if (c.sampled === 0) throw new AppError('NOT_SAMPLED', `${unit.orgName}尚未抽取调查对象，不能发放链接`);
    const room = c.sampled - c.tokensUsed - c.paperResponses;
    const count = countIn ?? room;
    if (count < 1)
      throw new AppError('SAMPLE_FULL', `${unit.orgName}的抽样对象已全部答卷或录入纸质问卷，不能再发放链接`);
    if (count > room) {
      throw new AppError(
        'TOO_MANY_TOKENS',
        `${unit.orgName}最多还能发放${room}个链接（抽样${c.sampled}人，已答卷${c.tokensUsed}份，纸质问卷${c.paperResponses}份）`,
        { field: 'count' },
      );
    }
    const voided = await tx
      .update(surveyTokens)
      .set({ voidedAt: actor.at })
      .where(
        and(
          eq(surveyTokens.surveyId, surveyId),
          eq(surveyTokens.reporterId, reporterId),
          isNull(surveyTokens.voidedAt),
          eq(surveyTokens.used, false),
        ),
      )
      .returning({ id: surveyTokens.id });
    const voidedCount = voided.length;
    const tokens = new Set<string>();
    while (tokens.size < count) tokens.add(codeFromBytes(randomBytes(10)));
    const list = [...tokens];
    for (let i = 0; i < list.length; i += 500) {
      await tx
        .insert(surveyTokens)
        .values(list.slice(i, i + 500).map((t) => ({ surveyId, reporterId, tokenHash: hashSurveyToken(t) })));
    }
    await writeAudit(tx, actor, {
      action: 'survey.tokens_issue',
      targetType: 'survey',
      targetId: surveyId,
      scopePath: campaign.organizerPath,
      detail: { reporterId, count, voided: voidedCount },
    });
    return { tokens: list, surveyTitle: survey.title, unitName: unit.orgName };
  });
}

export interface TokenBatch {
  tokens: string[];
  surveyTitle: string;
  unitName: string;
}

/** .xlsx: one row per link (number, link, code) and no names. */
export async function tokensXlsx(origin: string, batch: TokenBatch): Promise<Buffer> {
  const wb = newWorkbook();
  const ws = addSheet(wb, '调查链接', [
    { header: '序号', key: 'no', width: 8 },
    { header: '调查链接', key: 'url', width: 70 },
    { header: '调查码', key: 'code', width: 18 },
  ]);
  batch.tokens.forEach((t, i) => ws.addRow({ no: i + 1, url: surveyUrl(origin, t), code: formatCode(t) }));
  const note = wb.addWorksheet('说明');
  note.columns = [{ header: '说明', key: 'text', width: 100 }];
  note.getRow(1).font = { bold: true };
  for (const text of [
    `${batch.surveyTitle} — ${batch.unitName}`,
    '每个链接只能提交一次，请逐一发给抽中的调查对象（短信或微信），一人一个。',
    '本表不含调查对象姓名，系统也不记录链接发给了谁，答卷匿名。重新发放会使本单位未使用的链接作废。',
  ])
    note.addRow({ text });
  return workbookBuffer(wb);
}

/** A4, 2 × 5 slips per page with the QR code and the code, as the ballot slips. */
export async function tokensPdf(origin: string, batch: TokenBatch): Promise<Buffer> {
  // The unit is on every card but no respondent: any card goes to any sampled person (R-ASSESS-3).
  return qrSlipsPdf({
    codes: batch.tokens,
    link: (token) => surveyUrl(origin, token),
    documentTitle: '满意度调查卡',
    slipName: '调查卡',
    heading: '满意度调查卡',
    details: [batch.surveyTitle, `调查单位：${batch.unitName}`],
    instructions: '用手机扫描二维码填写问卷。本卡一人一张，只能提交一次；问卷匿名，不记录您的身份。',
  });
}
