import { sql } from 'drizzle-orm';
import { codeShape, normalizeCode } from '../../../domain/ballot-codes';
import { AppError } from '../../../domain/errors';
import type { ErrorCode } from '../../../domain/error-codes';
import { SURVEY_LEVEL_LABELS, SURVEY_LEVELS } from '../../../domain/grades';
import { checkAnswers } from '../../../domain/surveys';
import { type Db, queryRows } from '../../db/connect';
import { surveyResponses } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { hashSurveyToken } from './issue-tokens';
import { assertManage } from './policy';
import { assertState, emptyUnitCounts, getSurvey, getUnit, listItems, unitCounts } from './repo';

/**
 * Answering through a link (R-ASSESS-3). Nothing here writes an audit row or a log line: a response must leave
 * nothing that ties it to a token, a time or a device. The checks before the statement only choose the message;
 * the single statement decides, so fifty phones racing with one token store exactly one response.
 */
const err = (code: ErrorCode, message: string) => new AppError(code, message);

interface TokenRow {
  token_id: number;
  used: boolean;
  voided: boolean;
  survey_id: number;
  state: string;
  title: string;
  unit_name: string;
}

async function resolveToken(db: Db, raw: string): Promise<TokenRow> {
  const token = normalizeCode(raw);
  if (codeShape(token) !== 'ok') throw err('TOKEN_MISTYPED', '调查码有误，请核对调查卡上的调查码，或重新扫描二维码');
  const [row] = await queryRows<TokenRow>(
    db,
    sql`
    select t.id as token_id, t.used, t.voided_at is not null as voided, s.id as survey_id, s.state, s.title, o.name as unit_name
    from survey_tokens t
    join surveys s on s.id = t.survey_id
    join campaigns_v_reporters cr on cr.id = t.reporter_id
    join organizations_v_units o on o.id = cr.org_id
    where t.token_hash = ${hashSurveyToken(token)}`,
  );
  if (!row) throw err('TOKEN_UNKNOWN', '调查链接无效，请核对链接或调查码');
  if (row.used) throw err('TOKEN_USED', '该调查链接已提交过问卷，每个链接只能提交一次');
  if (row.voided) throw err('TOKEN_VOIDED', '该调查链接已作废，请向发放人员索取新的链接');
  if (row.state === 'draft') throw err('SURVEY_NOT_OPEN', '调查尚未开始，请在通知的时间内填写');
  if (row.state !== 'open') throw err('SURVEY_CLOSED', '调查已结束，不能再提交问卷');
  return row;
}

export const LEVEL_OPTIONS = SURVEY_LEVELS.map((value) => ({ value, label: SURVEY_LEVEL_LABELS[value] }));

/** What the phone shows: the questionnaire and the unit it is about — nothing about the respondent. */
export async function openSurveySheet(db: Db, rawToken: string) {
  const row = await resolveToken(db, rawToken);
  const items = await listItems(db, row.survey_id);
  return {
    title: row.title,
    unitName: row.unit_name,
    items: items.map((i) => ({ id: i.id, text: i.text })),
    levels: LEVEL_OPTIONS,
  };
}

export async function submitSurvey(db: Db, rawToken: string, answers: Record<string, unknown>) {
  const row = await resolveToken(db, rawToken);
  const items = await listItems(db, row.survey_id);
  const clean = checkAnswers(
    items.map((i) => i.id),
    answers,
  );
  const token = normalizeCode(rawToken);
  // One statement: the token live and unused, its survey open (FOR SHARE: closing waits for answers in flight),
  // the token marked used — a concurrent duplicate re-checks `not used` after the first commits and updates
  // nothing — and only for the row that was marked, the response inserted. The response carries the unit, the
  // answers and the source; never the token, a time or an address.
  const inserted = await queryRows<{ ok: number }>(
    db,
    sql`
    with t as (
      select id, survey_id from survey_tokens where token_hash = ${hashSurveyToken(token)} and voided_at is null and not used
    ), s as (
      select id from surveys where id in (select survey_id from t) and state = 'open' for share
    ), u as (
      update survey_tokens st set used = true from t join s on s.id = t.survey_id
      where st.id = t.id and not st.used and st.voided_at is null
      returning st.survey_id, st.reporter_id
    )
    insert into survey_responses (survey_id, reporter_id, answers, source)
    select survey_id, reporter_id, ${JSON.stringify(clean)}::jsonb, 'link' from u
    returning 1 as ok`,
  );
  if (inserted.length === 0) {
    await resolveToken(db, rawToken); // says why (used meanwhile, closed meanwhile…)
    throw err('TOKEN_USED', '该调查链接已提交过问卷，每个链接只能提交一次');
  }
  return { ok: true as const };
}

/**
 * A paper questionnaire typed in by staff (source 'paper'), one form per request. A unit never holds more
 * responses plus live links than sampled respondents, so paper forms and links together stay within the sample.
 */
export async function enterPaperResponse(
  db: Db,
  user: AuthUser,
  actor: AuditActor,
  surveyId: number,
  input: { reporterId: number; answers: Record<string, unknown> },
) {
  return db.transaction(async (tx) => {
    const { survey, campaign } = await getSurvey(tx, surveyId, { lock: true, viewer: user });
    assertManage(user, campaign.organizerPath);
    assertState(survey, ['open'], '录入纸质问卷');
    const unit = await getUnit(tx, survey.campaignId, input.reporterId);
    const items = await listItems(tx, surveyId);
    const clean = checkAnswers(
      items.map((i) => i.id),
      input.answers,
    );
    const c = (await unitCounts(tx, surveyId)).get(unit.reporterId) ?? emptyUnitCounts(unit.reporterId);
    if (c.paperResponses + c.tokensLive >= c.sampled) {
      throw new AppError(
        'SAMPLE_FULL',
        `${unit.orgName}的问卷已满：抽样${c.sampled}人，已发放链接${c.tokensLive}个，已录入纸质问卷${c.paperResponses}份`,
      );
    }
    await tx.insert(surveyResponses).values({ surveyId, reporterId: unit.reporterId, answers: clean, source: 'paper' });
    await writeAudit(tx, actor, {
      action: 'survey.paper_enter',
      targetType: 'survey',
      targetId: surveyId,
      scopePath: campaign.organizerPath,
      detail: { reporterId: unit.reporterId },
    });
    return { ok: true as const, paperResponses: c.paperResponses + 1 };
  });
}
