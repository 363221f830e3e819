import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { IdParams } from '../../http/schemas';
import { AppError } from '../../../domain/errors';
import { actorOf } from '../../http/audit';
import { requireUser } from '../../http/session';
import { openEventStream } from '../../http/sse-hub';
import { castBallots, LIVE_CHANNEL, notifyCounts, openVoteSheet } from './cast-ballots';
import { answerClosings } from './closing';
import { BallotMixer } from './mixer';
import { MEETING_CHANNEL, notifyMeeting } from '../meetings/live';
import { computeResults } from './compute-results';
import { paperFormsDocx, resultsXlsx } from './exports';
import { issueCodes, slipsPdf } from './issue-codes';
import { LiveCounts } from './live';
import { VoteLimiter } from './vote-limit';
import {
  closeVoting,
  createRound,
  openVoting,
  purgeRehearsal,
  reconcileRound,
  releaseResults,
  rotateRoomCode,
  setPaperCounts,
  stateLabel,
} from './manage-round';
import { deletePaperTally, enterPaperTally, listPaperTallies } from './paper-tallies';
import { assertManage, assertRead } from './policy';
import { codeCounts, getMeetingContext, getRound } from './repo';
import { ballotRounds } from '../../db/schema';
import { desc, eq, sql } from 'drizzle-orm';
import { publicOrigin } from '../../http/public-url';
import {
  CastIn,
  CastOut,
  CloseIn,
  CodesIn,
  EmptyIn,
  Problem,
  PurgedOut,
  PurgeIn,
  ReconciliationOut,
  ReconciliationQuery,
  ReleaseIn,
  RoundCreateIn,
  RoundDetailOut,
  RoundOut,
  RoundPaperCountsIn,
  type RoundMode,
  RoundResultsOut,
  RoundsOut,
  type RoundState,
  VoteSheetIn,
  VoteSheetOut,
} from './schemas';
import { PaperTalliesOut, PaperTallyDeletedOut, PaperTallyEnteredOut, PaperTallyIn, PaperTallyParams } from './schemas';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const disposition = (name: string, fallback: string) =>
  `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;

const presentRound = (r: typeof ballotRounds.$inferSelect) => ({
  id: r.id,
  meetingId: r.meetingId,
  mode: r.mode as RoundMode,
  state: r.state as RoundState,
  stateLabel: stateLabel(r.state),
  roomCode: r.roomCode,
  anonymity: r.anonymity,
  attendees: r.attendees,
  paperCounts: r.paperCounts,
  mismatches: r.mismatches,
  explanation: r.explanation,
  openedAt: r.openedAt,
  closedAt: r.closedAt,
  releasedAt: r.releasedAt,
  secrecy:
    (r.secrecy as {
      mixed: number;
      walPurged: boolean;
      warnings: string[];
      at: string;
      mixMs: number;
      walMs: number;
    } | null) ?? null,
});

export async function ballotRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = () => app.deps.db;
  const tags = ['ballots'];
  const live = new LiveCounts(app.deps.database, app.log);
  app.addHook('onClose', async () => live.close());
  const limiter = new VoteLimiter(db, app.deps.clock);
  const mixer = new BallotMixer(db, {
    queued: (meetingId) => live.poke(meetingId),
    committed: (meetingId) => {
      notifyCounts(db(), meetingId);
      live.poke(meetingId);
    },
    failed: (e) => app.log.warn({ err: e }, 'a ballot batch could not be stored; its phones were told to send again'),
  });
  live.waiting = (roundId) => mixer.waiting(roundId);
  const unanswer = await answerClosings(app.deps.database, mixer, (e) =>
    app.log.warn({ err: e }, 'writing waiting ballots for a close failed'),
  );
  app.addHook('onClose', async () => unanswer());
  const voteWaitMs = app.deps.config.voteWaitMs ?? 20_000;
  const closeDeps = { database: app.deps.database, mixer };

  /**
   * A round's state changed (created, codes printed, opened, closed, released): the consoles on every app process
   * hear it through the database — the meeting channel makes them re-read the round (room code, QR), the counts
   * channel re-sends the live counts with the new state. Best effort: the pages also poll slowly.
   */
  const announce = async (meetingId: number) => {
    try {
      await db().execute(
        sql`select pg_notify(${MEETING_CHANNEL}, ${String(meetingId)}), pg_notify(${LIVE_CHANNEL}, ${String(meetingId)})`,
      );
    } catch (e) {
      app.log.warn({ err: e }, 'ballot round notify failed');
    }
  };

  /** The other clerk's screen re-reads the paper entries when one is entered or deleted (meeting channel only). */
  const paperChanged = async (roundId: number) => {
    try {
      const { round } = await getRound(db(), roundId);
      await notifyMeeting(db(), round.meetingId);
    } catch (e) {
      app.log.warn({ err: e }, 'paper entry notify failed');
    }
  };

  /** An administrator's browser must not cast: a session proves a person, which anonymity forbids. */
  const refuseSignedIn = (req: { user: unknown }) => {
    if (req.user) throw new AppError('SIGNED_IN_CANNOT_VOTE');
  };

  // ---- public: the phone page -------------------------------------------------------------------------
  r.post(
    '/api/vote/sheet',
    {
      logLevel: 'warn',
      config: { public: true },
      schema: {
        summary: '凭投票码和会场码取得测评表（手机投票，公开）',
        tags,
        body: VoteSheetIn,
        response: {
          200: VoteSheetOut,
          '4xx': Problem,
        },
      },
    },
    async (req) => {
      refuseSignedIn(req);
      return limiter.guard(req.ip, () => openVoteSheet(db(), req.body.code, req.body.roomCode));
    },
  );

  r.post(
    '/api/vote/ballots',
    {
      // No request line in the log for a vote: its time and address must not be kept next to anything (decision 017).
      logLevel: 'warn',
      config: { public: true },
      schema: {
        summary: '提交选票（手机投票，公开）',
        tags,
        body: CastIn,
        response: {
          200: CastOut,
          202: CastOut,
          '4xx': Problem,
          503: Problem,
        },
      },
    },
    async (req, reply) => {
      refuseSignedIn(req);
      const out = await limiter.guard(req.ip, () =>
        castBallots(db(), mixer, req.body.code, req.body.roomCode, req.body.ballots, voteWaitMs),
      );
      // 202: some ballots are waiting to be stored with at least the minimum group; the phone asks again.
      reply.code(out.pending.length ? 202 : 200);
      return { accepted: out.accepted, alreadyVoted: out.alreadyVoted, pending: out.pending };
    },
  );

  // ---- the organizer ----------------------------------------------------------------------------------
  r.get(
    '/api/meetings/:id/ballot-rounds',
    {
      schema: {
        summary: '会议的测评轮次列表',
        tags,
        params: IdParams,
        response: { 200: RoundsOut },
      },
    },
    async (req) => {
      const ctx = await getMeetingContext(db(), req.params.id, requireUser(req));
      assertManage(requireUser(req), ctx.organizerPath);
      const rows = await db()
        .select()
        .from(ballotRounds)
        .where(eq(ballotRounds.meetingId, req.params.id))
        .orderBy(desc(ballotRounds.id));
      return { items: rows.map(presentRound) };
    },
  );

  r.post(
    '/api/meetings/:id/ballot-rounds',
    {
      schema: {
        summary: '新建测评轮次（演练或正式）',
        tags,
        params: IdParams,
        body: RoundCreateIn,
        response: { 200: RoundOut },
      },
    },
    async (req) => {
      const round = await createRound(db(), requireUser(req), actorOf(req), req.params.id, req.body.mode);
      await announce(round.meetingId);
      return presentRound(round);
    },
  );

  r.get(
    '/api/ballot-rounds/:id',
    {
      schema: {
        summary: '测评轮次详情与实时票数',
        tags,
        params: IdParams,
        response: { 200: RoundDetailOut },
      },
    },
    async (req) => {
      const { round, ctx } = await getRound(db(), req.params.id, { viewer: requireUser(req) });
      assertManage(requireUser(req), ctx.organizerPath);
      return { ...presentRound(round), codes: await codeCounts(db(), round.id) };
    },
  );

  r.post(
    '/api/ballot-rounds/:id/codes',
    {
      schema: {
        summary: '生成投票码并打印投票条（PDF）',
        tags,
        params: IdParams,
        body: CodesIn,
        produces: ['application/pdf'],
      },
    },
    async (req, reply) => {
      const batch = await issueCodes(
        db(),
        requireUser(req),
        actorOf(req),
        req.params.id,
        req.body.category,
        req.body.count,
      );
      const { round } = await getRound(db(), req.params.id);
      await announce(round.meetingId);
      const pdf = await slipsPdf(publicOrigin(req), batch);
      reply
        .header('content-type', 'application/pdf')
        .header('cache-control', 'no-store')
        .header(
          'content-disposition',
          disposition(`测评投票条-${batch.categoryLabel}-第${batch.batchId}批.pdf`, 'slips.pdf'),
        );
      return reply.send(pdf);
    },
  );

  const transition = (
    path: string,
    summary: string,
    body: z.ZodTypeAny,
    // biome-ignore lint/suspicious/noExplicitAny: each caller's request is typed by its own body schema, which this helper cannot name
    fn: (req: any) => Promise<typeof ballotRounds.$inferSelect>,
  ) =>
    r.post(path, { schema: { summary, tags, params: IdParams, body, response: { 200: RoundOut } } }, async (req) => {
      const round = await fn(req);
      await announce(round.meetingId);
      return presentRound(round);
    });
  transition('/api/ballot-rounds/:id/open', '开始投票', EmptyIn, (req) =>
    openVoting(db(), requireUser(req), actorOf(req), req.params.id),
  );
  transition('/api/ballot-rounds/:id/room-code', '更换会场码', EmptyIn, (req) =>
    rotateRoomCode(db(), requireUser(req), actorOf(req), req.params.id),
  );
  transition('/api/ballot-rounds/:id/close', '结束投票（登记签到人数）', CloseIn, (req) =>
    closeVoting(db(), requireUser(req), actorOf(req), req.params.id, req.body.attendees, closeDeps),
  );
  transition('/api/ballot-rounds/:id/release', '发布测评结果', ReleaseIn, (req) =>
    releaseResults(db(), requireUser(req), actorOf(req), req.params.id, req.body.explanation),
  );
  transition('/api/ballot-rounds/:id/paper-counts', '登记纸质表发放与回收数', RoundPaperCountsIn, (req) =>
    setPaperCounts(db(), requireUser(req), actorOf(req), req.params.id, req.body.counts),
  );

  r.post(
    '/api/ballot-rounds/:id/purge',
    {
      schema: {
        summary: '清除演练测评数据',
        tags,
        params: IdParams,
        body: PurgeIn,
        response: { 200: PurgedOut },
      },
    },
    async (req) => purgeRehearsal(db(), requireUser(req), actorOf(req), req.params.id, closeDeps),
  );

  r.get(
    '/api/ballot-rounds/:id/reconciliation',
    {
      schema: {
        summary: '票数核对（发放、收回与计票）',
        tags,
        params: IdParams,
        querystring: ReconciliationQuery,
        response: {
          200: ReconciliationOut,
        },
      },
    },
    async (req) => {
      const { round, ctx } = await getRound(db(), req.params.id, { viewer: requireUser(req) });
      assertManage(requireUser(req), ctx.organizerPath);
      return {
        codes: await codeCounts(db(), round.id),
        reporters: await reconcileRound(db(), round.id, req.query.attendees ?? round.attendees ?? 0),
      };
    },
  );

  r.get(
    '/api/ballot-rounds/:id/paper-tallies',
    {
      schema: { summary: '纸质测评表录入列表', tags, params: IdParams, response: { 200: PaperTalliesOut } },
    },
    async (req) => {
      const { ctx } = await getRound(db(), req.params.id, { viewer: requireUser(req) });
      assertManage(requireUser(req), ctx.organizerPath);
      return { items: await listPaperTallies(db(), req.params.id) };
    },
  );

  r.post(
    '/api/ballot-rounds/:id/paper-tallies',
    {
      schema: {
        summary: '录入纸质测评表（两人各录一次）',
        tags,
        params: IdParams,
        body: PaperTallyIn,
        response: { 200: PaperTallyEnteredOut },
      },
    },
    async (req) => {
      const row = await enterPaperTally(db(), requireUser(req), actorOf(req), req.params.id, req.body);
      await paperChanged(req.params.id);
      return { id: row.id, entryNo: row.entryNo };
    },
  );

  r.delete(
    '/api/ballot-rounds/:id/paper-tallies/:tallyId',
    {
      schema: {
        summary: '删除一次纸质测评表录入',
        tags,
        params: PaperTallyParams,
        response: { 200: PaperTallyDeletedOut },
      },
    },
    async (req) => {
      await deletePaperTally(db(), requireUser(req), actorOf(req), req.params.id, req.params.tallyId);
      await paperChanged(req.params.id);
      return { ok: true as const };
    },
  );

  r.get(
    '/api/ballot-rounds/:id/results',
    {
      schema: { summary: '测评结果', tags, params: IdParams, response: { 200: RoundResultsOut } },
    },
    async (req) => computeResults(db(), requireUser(req), req.params.id),
  );

  r.get(
    '/api/ballot-rounds/:id/results.xlsx',
    { schema: { summary: '导出测评结果（.xlsx）', tags, params: IdParams } },
    async (req, reply) => {
      const { name, buffer } = await resultsXlsx(db(), requireUser(req), req.params.id);
      reply.header('content-type', XLSX).header('content-disposition', disposition(name, 'results.xlsx'));
      return reply.send(buffer);
    },
  );

  r.get(
    '/api/meetings/:id/paper-forms.docx',
    { schema: { summary: '空白纸质测评表（.docx）', tags, params: IdParams } },
    async (req, reply) => {
      const buffer = await paperFormsDocx(db(), requireUser(req), req.params.id);
      reply
        .header('content-type', DOCX)
        .header('content-disposition', disposition('测评评议表（纸质）.docx', 'forms.docx'));
      return reply.send(buffer);
    },
  );

  /** Server-sent events for the console: counts received per reporter, within a second of each cast. */
  r.get(
    '/api/meetings/:id/live',
    { schema: { summary: '实时票数事件流（SSE）', tags, params: IdParams } },
    async (req, reply) => {
      const ctx = await getMeetingContext(db(), req.params.id, requireUser(req));
      assertRead(requireUser(req), ctx.organizerPath);
      await live.subscribe(req.params.id, openEventStream(reply));
    },
  );
}
