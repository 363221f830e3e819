import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/audit';
import { requireUser } from '../../http/session';
import { openEventStream } from '../../http/sse-hub';
import { AppError } from '../../../domain/errors';
import { attendeesTemplate, importAttendees, saveAttendees } from './attendees';
import { addComment, deleteComment, editComment } from './comments';
import { controlTimer } from './control-timer';
import { createMeeting } from './create-meeting';
import { meetingRecordDocx, meetingSheetXlsx } from './export-record';
import { getMeetingDetail } from './get-meeting';
import type { MeetingRounds } from './rounds-port';
import { listMeetings } from './list-meetings';
import { MeetingEvents, notifyMeeting } from './live';
import { presentComment, presentMeeting, presentTimer } from './present';
import { saveAttendance } from './save-attendance';
import { IdParams } from '../../http/schemas';
import {
  AgendaInput,
  AttendanceInput,
  AttendeesImportOut,
  AttendeesInput,
  CommentInput,
  CommentOut,
  CommentParams,
  CommentPatch,
  ListQuery,
  MeetingDetail,
  MeetingInput,
  MeetingList,
  MeetingPatch,
  MeetingSummary,
  OkOut as Ok,
  StepInput,
  TimerInput,
  TimerOut,
} from './schemas';
import { defaultAgendaEntries, setAgenda } from './set-agenda';
import { advanceMeeting, closeMeeting, setStep } from './set-step';
import { deleteMeeting, updateMeeting } from './update-meeting';
import { getMeeting } from './repo';
import { assertManage, assertRead } from './policy';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const disposition = (name: string, fallback: string) =>
  `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;

/** 述职评议会 (R-MEET-1…4): meetings of a campaign, agenda, attendance, comments, console timer, record. */
export async function meetingRoutes(app: FastifyInstance, { rounds }: { rounds: MeetingRounds }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = () => app.deps.db;
  const now = () => app.deps.clock.now();
  const tags = ['meetings'];
  const detail = (req: Parameters<typeof requireUser>[0], id: number) =>
    getMeetingDetail(db(), requireUser(req), id, now(), rounds);
  const events = new MeetingEvents(app.deps.database, app.log);
  app.addHook('onClose', async () => events.close());

  // Every successful change under /api/meetings/:id (timer, step, agenda, attendance, comments, close) is announced
  // to the open consoles through the database, once the response is out; a failed notify only costs latency,
  // as the pages keep a slow poll.
  app.addHook('onResponse', async (req, reply) => {
    if (req.method === 'GET' || reply.statusCode >= 400 || !req.routeOptions.url?.startsWith('/api/meetings/:id'))
      return;
    const id = Number((req.params as { id?: unknown }).id);
    if (!Number.isInteger(id)) return;
    try {
      await notifyMeeting(db(), id);
    } catch (e) {
      req.log.warn({ err: e }, 'meeting change notify failed');
    }
  });

  r.get(
    '/api/campaigns/:id/meetings',
    {
      schema: {
        summary: '述职评议会列表',
        tags,
        params: IdParams,
        querystring: ListQuery,
        response: { 200: MeetingList },
      },
    },
    async (req) => listMeetings(db(), requireUser(req), req.params.id, req.query),
  );

  r.post(
    '/api/campaigns/:id/meetings',
    {
      schema: {
        summary: '新建述职评议会',
        tags,
        params: IdParams,
        body: MeetingInput,
        response: { 200: MeetingSummary },
      },
    },
    async (req) =>
      presentMeeting(await createMeeting(db(), requireUser(req), actorOf(req), req.params.id, req.body), 0),
  );

  r.get(
    '/api/meetings/:id',
    {
      schema: {
        summary: '述职评议会详情（议程、出席、点评）',
        tags,
        params: IdParams,
        response: { 200: MeetingDetail },
      },
    },
    async (req) => detail(req, req.params.id),
  );

  r.patch(
    '/api/meetings/:id',
    {
      schema: {
        summary: '修改述职评议会',
        tags,
        params: IdParams,
        body: MeetingPatch,
        response: { 200: MeetingDetail },
      },
    },
    async (req) => {
      await updateMeeting(db(), requireUser(req), actorOf(req), req.params.id, req.body);
      return detail(req, req.params.id);
    },
  );

  r.delete(
    '/api/meetings/:id',
    {
      schema: { summary: '删除述职评议会', tags, params: IdParams, response: { 200: Ok } },
    },
    async (req) => {
      await deleteMeeting(db(), requireUser(req), actorOf(req), req.params.id);
      return { ok: true as const };
    },
  );

  r.put(
    '/api/meetings/:id/agenda',
    {
      schema: { summary: '调整议程', tags, params: IdParams, body: AgendaInput, response: { 200: MeetingDetail } },
    },
    async (req) => {
      await setAgenda(db(), requireUser(req), actorOf(req), req.params.id, req.body.items);
      return detail(req, req.params.id);
    },
  );

  /** Every reporter of the campaign, in the default order (roster, 下评 last). */
  r.post(
    '/api/meetings/:id/agenda/default',
    {
      schema: { summary: '按默认顺序生成议程', tags, params: IdParams, response: { 200: MeetingDetail } },
    },
    async (req) => {
      const user = requireUser(req);
      const { campaign } = await getMeeting(db(), req.params.id, { viewer: user });
      assertManage(user, campaign.organizerPath);
      await setAgenda(db(), user, actorOf(req), req.params.id, await defaultAgendaEntries(db(), campaign.id));
      return detail(req, req.params.id);
    },
  );

  r.put(
    '/api/meetings/:id/step',
    {
      schema: { summary: '切换会议环节', tags, params: IdParams, body: StepInput, response: { 200: MeetingDetail } },
    },
    async (req) => {
      await setStep(db(), requireUser(req), actorOf(req), req.params.id, req.body.step);
      return detail(req, req.params.id);
    },
  );

  /** 下一项: the next stop of the meeting's flow (一述一评 / 集中点评). */
  r.post(
    '/api/meetings/:id/advance',
    {
      schema: { summary: '进入下一项议程', tags, params: IdParams, response: { 200: MeetingDetail } },
    },
    async (req) => {
      await advanceMeeting(db(), requireUser(req), actorOf(req), req.params.id);
      return detail(req, req.params.id);
    },
  );

  r.post(
    '/api/meetings/:id/timer',
    {
      schema: { summary: '操作发言计时器', tags, params: IdParams, body: TimerInput, response: { 200: TimerOut } },
    },
    async (req) => {
      const row = await controlTimer(
        db(),
        requireUser(req),
        actorOf(req),
        req.params.id,
        req.body.action,
        req.body.itemId,
      );
      return presentTimer(row, now());
    },
  );

  r.put(
    '/api/meetings/:id/attendance',
    {
      schema: {
        summary: '登记出席人数',
        tags,
        params: IdParams,
        body: AttendanceInput,
        response: { 200: MeetingDetail },
      },
    },
    async (req) => {
      await saveAttendance(db(), requireUser(req), actorOf(req), req.params.id, req.body.rows);
      return detail(req, req.params.id);
    },
  );

  /** The named attendees (R-MEET-2), the whole list at once. */
  r.put(
    '/api/meetings/:id/attendees',
    {
      schema: {
        summary: '保存参会人员名单',
        tags,
        params: IdParams,
        body: AttendeesInput,
        response: { 200: MeetingDetail },
      },
    },
    async (req) => {
      await saveAttendees(db(), requireUser(req), actorOf(req), req.params.id, req.body.rows);
      return detail(req, req.params.id);
    },
  );

  r.post(
    '/api/meetings/:id/attendees/import',
    {
      schema: {
        summary: '导入参会人员名单（.xlsx）',
        tags,
        params: IdParams,
        consumes: ['multipart/form-data'],
        response: { 200: AttendeesImportOut },
      },
    },
    async (req) => {
      const user = requireUser(req);
      if (!req.isMultipart())
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请以文件上传方式（multipart/form-data）提交');
      const file = await req.file();
      if (!file) throw new AppError('VALIDATION', '请选择要导入的 .xlsx 文件', { field: 'file' });
      const buffer = await file.toBuffer();
      if (file.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE');
      return importAttendees(db(), user, actorOf(req), req.params.id, buffer);
    },
  );

  r.get(
    '/api/meetings/:id/attendees/template.xlsx',
    { schema: { summary: '参会人员名单模板（.xlsx）', tags, params: IdParams } },
    async (req, reply) => {
      const buffer = await attendeesTemplate(db(), requireUser(req), req.params.id);
      reply
        .header('content-type', XLSX)
        .header('content-disposition', disposition('参会人员名单模板.xlsx', 'attendees.xlsx'));
      return reply.send(buffer);
    },
  );

  r.post(
    '/api/meetings/:id/close',
    {
      schema: { summary: '结束会议', tags, params: IdParams, response: { 200: MeetingDetail } },
    },
    async (req) => {
      await closeMeeting(db(), requireUser(req), actorOf(req), req.params.id);
      return detail(req, req.params.id);
    },
  );

  r.post(
    '/api/meetings/:id/comments',
    {
      schema: { summary: '添加点评或问答', tags, params: IdParams, body: CommentInput, response: { 200: CommentOut } },
    },
    async (req) => presentComment(await addComment(db(), requireUser(req), actorOf(req), req.params.id, req.body)),
  );

  r.patch(
    '/api/meetings/:id/comments/:commentId',
    {
      schema: {
        summary: '修改点评或问答',
        tags,
        params: CommentParams,
        body: CommentPatch,
        response: { 200: CommentOut },
      },
    },
    async (req) =>
      presentComment(
        await editComment(db(), requireUser(req), actorOf(req), req.params.id, req.params.commentId, req.body),
      ),
  );

  r.delete(
    '/api/meetings/:id/comments/:commentId',
    {
      schema: { summary: '删除点评或问答', tags, params: CommentParams, response: { 200: Ok } },
    },
    async (req) => {
      await deleteComment(db(), requireUser(req), actorOf(req), req.params.id, req.params.commentId);
      return { ok: true as const };
    },
  );

  /** Server-sent events for the console and the organizer's page: `changed` whenever the meeting changes. */
  r.get(
    '/api/meetings/:id/events',
    { schema: { summary: '会议状态事件流（SSE，投屏控制台）', tags, params: IdParams } },
    async (req, reply) => {
      const user = requireUser(req);
      const { campaign } = await getMeeting(db(), req.params.id, { viewer: user });
      assertRead(user, campaign.organizerPath);
      await events.subscribe(req.params.id, openEventStream(reply));
    },
  );

  r.get(
    '/api/meetings/:id/record.docx',
    { schema: { summary: '会议记录（.docx）', tags, params: IdParams } },
    async (req, reply) => {
      const { name, buffer } = await meetingRecordDocx(db(), requireUser(req), req.params.id, rounds);
      reply.header('content-type', DOCX).header('content-disposition', disposition(name, 'meeting-record.docx'));
      return reply.send(buffer);
    },
  );

  r.get(
    '/api/meetings/:id/sheet.xlsx',
    { schema: { summary: '会议记录表（.xlsx）', tags, params: IdParams } },
    async (req, reply) => {
      const { name, buffer } = await meetingSheetXlsx(db(), requireUser(req), req.params.id);
      reply.header('content-type', XLSX).header('content-disposition', disposition(name, 'meeting.xlsx'));
      return reply.send(buffer);
    },
  );
}
