import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../../domain/errors';
import { VoteLimiter } from '../ballots/vote-limit';
import { actorOf } from '../../http/audit';
import { requireUser } from '../../http/session';
import { UPLOAD_KINDS, withUpload } from '../../uploads/receive';
import { readZipUpload, XLSX_ZIP } from '../../uploads/zip-check';
import { getSurveyDetail } from './get-survey';
import { issueTokens, tokensPdf, tokensXlsx } from './issue-tokens';
import { closeSurvey, createSurvey, listSurveys, openSurvey, updateSurvey } from './manage-survey';
import { addRespondent, importRespondents, listRespondents, removeRespondent, respondentTemplate } from './respondents';
import { computeSurveyResults, surveyResultsXlsx } from './results';
import { enterPaperResponse, openSurveySheet, submitSurvey } from './respond';
import { drawSurveySample } from './sample';
import { canManage } from './policy';
import { stateLabel } from './repo';
import { IdParams } from '../../http/schemas';
import {
  Answers,
  ImportOut,
  OkOut as Ok,
  PaperIn,
  PaperOut,
  RespondentAddedOut,
  RespondentIn,
  RespondentsOut,
  RespondentsQuery,
  SampleIn,
  SampleOut,
  SheetOut,
  SurveyCreateIn,
  SurveyDetailOut,
  SurveyListOut,
  SurveyOut,
  SurveyResultsOut,
  SurveyUpdateIn,
  TokensIn,
} from './schemas';
import type { surveys } from '../../db/schema';
import { publicOrigin } from '../../http/public-url';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const disposition = (name: string, fallback: string) =>
  `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
const Problem = z.object({ code: z.string(), message: z.string() });

const present = (s: typeof surveys.$inferSelect) => ({
  id: s.id,
  campaignId: s.campaignId,
  title: s.title,
  state: s.state,
  stateLabel: stateLabel(s.state),
  sampleSize: s.sampleSize,
  seed: s.seed,
  sampledAt: s.sampledAt,
  openedAt: s.openedAt,
  closedAt: s.closedAt,
});

export async function surveyRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = () => app.deps.db;
  const tags = ['surveys'];

  /** A session names a person; an anonymous questionnaire is not answered from a signed-in browser (as ballots). */
  const refuseSignedIn = (req: FastifyRequest) => {
    if (req.user) throw new AppError('SIGNED_IN_CANNOT_ANSWER');
  };

  // ---- public: the phone questionnaire -------------------------------------------------------------------
  const Token = z.string().min(1, '请输入调查码').max(40);
  // Guessing tokens is limited per address like ballot codes; a mistyped token is caught by its check character.
  const limiter = new VoteLimiter(db, app.deps.clock, new Set(['TOKEN_UNKNOWN']), '当前网络输入无效调查码的次数过多');
  r.post(
    '/api/survey/sheet',
    {
      config: { public: true },
      schema: {
        summary: '凭调查链接取得问卷（手机答卷，公开）',
        tags,
        body: z.object({ token: Token }).strict(),
        response: { 200: SheetOut, '4xx': Problem },
      },
    },
    async (req) => {
      refuseSignedIn(req);
      return limiter.guard(req.ip, () => openSurveySheet(db(), req.body.token));
    },
  );

  r.post(
    '/api/survey/responses',
    {
      config: { public: true },
      schema: {
        summary: '提交问卷（手机答卷，公开）',
        tags,
        body: z.object({ token: Token, answers: Answers }).strict(),
        response: { 200: Ok, '4xx': Problem },
      },
    },
    async (req) => {
      refuseSignedIn(req);
      return limiter.guard(req.ip, () => submitSurvey(db(), req.body.token, req.body.answers));
    },
  );

  // ---- the organizer --------------------------------------------------------------------------------------
  r.get(
    '/api/campaigns/:id/surveys',
    {
      schema: { summary: '满意度调查列表', tags, params: IdParams, response: { 200: SurveyListOut } },
    },
    async (req) => {
      const user = requireUser(req);
      const { campaign, items } = await listSurveys(db(), user, req.params.id);
      return {
        campaign: {
          id: campaign.id,
          title: campaign.title,
          surveyEnabled: !!campaign.settings.survey?.enabled,
          sampleSize: campaign.settings.survey?.sampleSize ?? null,
        },
        canManage: canManage(user, campaign.organizerPath),
        items: items.map(present),
      };
    },
  );

  r.post(
    '/api/campaigns/:id/surveys',
    {
      schema: { summary: '新建满意度调查', tags, params: IdParams, body: SurveyCreateIn, response: { 200: SurveyOut } },
    },
    async (req) => present(await createSurvey(db(), requireUser(req), actorOf(req), req.params.id, req.body)),
  );

  r.get(
    '/api/surveys/:id',
    {
      schema: { summary: '满意度调查详情', tags, params: IdParams, response: { 200: SurveyDetailOut } },
    },
    async (req) => getSurveyDetail(db(), requireUser(req), req.params.id),
  );

  r.patch(
    '/api/surveys/:id',
    {
      schema: {
        summary: '修改满意度调查问卷',
        tags,
        params: IdParams,
        body: SurveyUpdateIn,
        response: { 200: SurveyOut },
      },
    },
    async (req) => present(await updateSurvey(db(), requireUser(req), actorOf(req), req.params.id, req.body)),
  );

  const Empty = z.object({}).strict().optional();
  r.post(
    '/api/surveys/:id/open',
    { schema: { summary: '开始满意度调查', tags, params: IdParams, body: Empty, response: { 200: SurveyOut } } },
    async (req) => present(await openSurvey(db(), requireUser(req), actorOf(req), req.params.id)),
  );
  r.post(
    '/api/surveys/:id/close',
    { schema: { summary: '结束满意度调查', tags, params: IdParams, body: Empty, response: { 200: SurveyOut } } },
    async (req) => present(await closeSurvey(db(), requireUser(req), actorOf(req), req.params.id)),
  );

  r.get(
    '/api/surveys/:id/respondents',
    {
      schema: {
        summary: '调查对象名单',
        tags,
        params: IdParams,
        querystring: RespondentsQuery,
        response: { 200: RespondentsOut },
      },
    },
    async (req) => listRespondents(db(), requireUser(req), req.params.id, req.query),
  );

  r.post(
    '/api/surveys/:id/respondents',
    {
      schema: {
        summary: '添加调查对象',
        tags,
        params: IdParams,
        body: RespondentIn,
        response: { 200: RespondentAddedOut },
      },
    },
    async (req) => ({ id: (await addRespondent(db(), requireUser(req), actorOf(req), req.params.id, req.body)).id }),
  );

  r.delete(
    '/api/surveys/:id/respondents/:respondentId',
    {
      schema: {
        summary: '删除调查对象',
        tags,
        params: IdParams.extend({ respondentId: IdParams.shape.id }),
        response: { 200: Ok },
      },
    },
    async (req) => {
      await removeRespondent(db(), requireUser(req), actorOf(req), req.params.id, req.params.respondentId);
      return { ok: true as const };
    },
  );

  r.get(
    '/api/survey-respondents/template',
    { schema: { summary: '调查对象名单模板（.xlsx）', tags } },
    async (req, reply) => {
      requireUser(req);
      reply
        .header('content-type', XLSX)
        .header('content-disposition', disposition('满意度调查对象名单模板.xlsx', 'respondents.xlsx'));
      return reply.send(await respondentTemplate());
    },
  );

  r.post(
    '/api/surveys/:id/respondents/import',
    {
      schema: {
        summary: '导入调查对象名单（.xlsx，全部或全不）',
        tags,
        params: IdParams,
        consumes: ['multipart/form-data'],
        response: { 200: ImportOut },
      },
    },
    async (req) => {
      const user = requireUser(req);
      return withUpload(req, app.deps.files.incoming, UPLOAD_KINDS.xlsx, async (file) =>
        importRespondents(db(), user, actorOf(req), req.params.id, await readZipUpload(file, XLSX_ZIP)),
      );
    },
  );

  r.post(
    '/api/surveys/:id/sample',
    {
      schema: { summary: '抽取调查对象', tags, params: IdParams, body: SampleIn, response: { 200: SampleOut } },
    },
    async (req) => drawSurveySample(db(), requireUser(req), actorOf(req), req.params.id, req.body.seed),
  );

  r.post(
    '/api/surveys/:id/tokens',
    {
      schema: {
        summary: '发放调查链接（打印调查卡）',
        tags,
        params: IdParams,
        body: TokensIn,
        produces: ['application/pdf', XLSX],
      },
    },
    async (req, reply) => {
      const batch = await issueTokens(
        db(),
        requireUser(req),
        actorOf(req),
        req.params.id,
        req.body.reporterId,
        req.body.count,
      );
      const origin = publicOrigin(req);
      const pdf = req.body.format === 'pdf';
      const body = pdf ? await tokensPdf(origin, batch) : await tokensXlsx(origin, batch);
      const name = `满意度调查链接-${batch.unitName}-${batch.tokens.length}份.${pdf ? 'pdf' : 'xlsx'}`;
      reply
        .header('content-type', pdf ? 'application/pdf' : XLSX)
        .header('cache-control', 'no-store')
        .header('content-disposition', disposition(name, pdf ? 'survey-links.pdf' : 'survey-links.xlsx'));
      return reply.send(body);
    },
  );

  r.post(
    '/api/surveys/:id/paper-responses',
    {
      schema: { summary: '录入纸质问卷', tags, params: IdParams, body: PaperIn, response: { 200: PaperOut } },
    },
    async (req) => enterPaperResponse(db(), requireUser(req), actorOf(req), req.params.id, req.body),
  );

  r.get(
    '/api/surveys/:id/results',
    {
      schema: { summary: '满意度调查结果', tags, params: IdParams, response: { 200: SurveyResultsOut } },
    },
    async (req) => computeSurveyResults(db(), requireUser(req), req.params.id),
  );

  r.get(
    '/api/surveys/:id/results.xlsx',
    { schema: { summary: '导出满意度调查结果（.xlsx）', tags, params: IdParams } },
    async (req, reply) => {
      const { name, buffer } = await surveyResultsXlsx(db(), requireUser(req), req.params.id);
      reply.header('content-type', XLSX).header('content-disposition', disposition(name, 'survey-results.xlsx'));
      return reply.send(buffer);
    },
  );
}
