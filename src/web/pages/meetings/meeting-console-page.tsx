import {
  CaretRightOutlined,
  FastForwardOutlined,
  FullscreenOutlined,
  PauseOutlined,
  RedoOutlined,
  StepForwardOutlined,
} from '@ant-design/icons';
import { Button, Drawer, Select, Space, Spin } from 'antd';
import QRCode from 'qrcode';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router-dom';
import { isApiError } from '../../api/client';
import {
  meetingsApi,
  type BallotRound,
  type LiveCounts,
  type MeetingDetail,
  type TimerAction,
} from '../../api/meetings';
import { nextSpeaker } from '../../../domain/meeting-agenda';
import { formatClock, timerView } from '../../../domain/meeting-timer';
import { keys } from '../../lib/query';
import { CommentEditor } from './comment-editor';
import { StandbyWarning, useVoteAddress, VoteAddressWarning } from './vote-address';
import './meeting-console.css';

/** Changes arrive as server-sent events; polling is the fallback: often while the stream is down, rarely while it is up. */
const POLL_MS = 2000;
const SLOW_POLL_MS = 15_000;

/** The meeting's ballot rounds as the console shows them; the meeting's change events invalidate it. */
const roundsKey = (meetingId: number) => ['meeting-console-rounds', meetingId] as const;

/**
 * /campaigns/:id/meetings/:meetingId/console — the projector (R-MEET-1, R-REP-8): who speaks, who is
 * next, the countdown from the tier's minutes (red on overrun), the agenda step, and the ballots area
 * (room code, QR code, ballots received per reporter — never the distribution; from the ballots module).
 * The timer lives on the server, so a reload or a second screen shows the same time.
 */
export default function MeetingConsolePage() {
  const meetingId = Number(useParams().meetingId);
  const queryClient = useQueryClient();
  const [now, setNow] = useState(() => Date.now());
  const [busy, setBusy] = useState(false);
  const [commenting, setCommenting] = useState(false);
  // Set for the reload an event or the poll triggers: it must not keep the session alive (x-background).
  const backgroundLoad = useRef(false);

  // A newer load replaces one still under way (the query cancels it), so an event during a poll cannot show older data.
  const detail = useQuery({
    queryKey: [...keys.meeting(meetingId), 'console'],
    queryFn: async ({ signal }) => {
      const background = backgroundLoad.current;
      backgroundLoad.current = false;
      const d = await meetingsApi.detail(meetingId, { silent: true, background, signal });
      // The timer runs on the server's clock: the offset is taken when the answer arrives.
      return { d, offset: Date.parse(d.timer.serverNow) - Date.now() };
    },
  });
  const d = detail.data?.d ?? null;
  const offset = detail.data?.offset ?? 0;
  const error = detail.error ? (isApiError(detail.error) ? detail.error.message : '加载失败') : null;
  const { refetch } = detail;
  const load = useCallback(async () => {
    await refetch();
  }, [refetch]);

  useEffect(() => {
    let streaming = false;
    // The first load is the query's own, made when the page opens.
    let last = Date.now();
    const reload = () => {
      last = Date.now();
      backgroundLoad.current = true;
      void refetch();
    };
    const es = new EventSource(meetingsApi.eventsUrl(meetingId));
    // 'ready' also follows a reconnect, when changes may have been missed.
    es.addEventListener('ready', () => {
      streaming = true;
      reload();
    });
    es.addEventListener('changed', () => {
      reload();
      // A round opened or closed is re-read at once.
      void queryClient.invalidateQueries({ queryKey: roundsKey(meetingId) });
    });
    es.onerror = () => {
      streaming = false;
    };
    const poll = setInterval(() => {
      if (Date.now() - last >= (streaming ? SLOW_POLL_MS : POLL_MS)) reload();
    }, 1000);
    const tick = setInterval(() => setNow(Date.now()), 200);
    return () => {
      es.close();
      clearInterval(poll);
      clearInterval(tick);
    };
  }, [refetch, meetingId, queryClient]);

  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await fn();
      await load();
    } finally {
      setBusy(false);
    }
  };

  if (!d) {
    return (
      <div className="console console-center">
        {error ? <div className="console-error">{error}</div> : <Spin size="large" />}
      </div>
    );
  }

  const manage = d.permissions.manage && d.meeting.state !== 'closed';
  const current = d.agenda.find((a) => a.id === d.timer.itemId) ?? null;
  const next = nextSpeaker(d.agenda, d.timer.itemId);
  const view = timerView(
    {
      itemId: d.timer.itemId,
      status: d.timer.status,
      startedAt: d.timer.startedAt ? new Date(d.timer.startedAt) : null,
      elapsedMs: d.timer.elapsedMs,
    },
    new Date(now + offset),
    current?.speakingMinutes ?? null,
  );
  const clock = view.remainingMs == null ? formatClock(view.elapsedMs) : formatClock(view.remainingMs);
  const speakers = d.agenda.filter((a) => !a.writtenOnly);
  // 一述一评 / 集中点评: the console says whether the person shown is speaking or being commented on.
  const commenting_ = d.meeting.currentStep === 'comments';
  const timerAct = (action: TimerAction, itemId?: number) => act(() => meetingsApi.timer(meetingId, action, itemId));

  return (
    <div className="console" data-testid="console">
      <header className="console-header">
        <div className="console-title">{d.meeting.title}</div>
        <div className="console-steps">
          {d.steps.map((s) => (
            <button
              key={s.key}
              type="button"
              disabled={!manage || busy}
              className={`console-step${d.meeting.currentStep === s.key ? ' is-current' : ''}`}
              onClick={() => act(() => meetingsApi.setStep(meetingId, s.key))}
            >
              {s.label}
            </button>
          ))}
        </div>
        <Button
          type="text"
          className="console-fullscreen"
          icon={<FullscreenOutlined />}
          aria-label="全屏"
          onClick={() => void document.documentElement.requestFullscreen?.().catch(() => {})}
        />
      </header>

      <main className="console-main">
        <section className="console-speaker">
          <div className="console-label" data-testid="console-flow">
            {commenting_ ? '正在点评' : '正在述职'}（{d.flow.modeLabel}）
          </div>
          <div className="console-now" data-testid="console-speaker">
            {current ? current.orgName : '尚未开始'}
          </div>
          {current && (
            <div className="console-sub">
              {current.secretaryName ? `书记 ${current.secretaryName}` : ''}
              {current.role === 'downward' ? '（下评）' : ''}
              {current.speakingMinutes ? `　发言时间 ${current.speakingMinutes} 分钟` : ''}
            </div>
          )}
          <div
            className={`console-clock${view.overrun ? ' is-over' : ''}${d.timer.status === 'paused' ? ' is-paused' : ''}`}
            data-testid="console-clock"
          >
            {clock}
          </div>
          <div className="console-clock-note">
            {d.timer.status === 'running'
              ? view.overrun
                ? '已超时'
                : '计时中'
              : d.timer.status === 'paused'
                ? '已暂停'
                : current
                  ? '待开始'
                  : ''}
          </div>
          <div className="console-next" data-testid="console-next">
            下一项：{d.flow.next ?? '—'}
          </div>

          {manage && (
            <Space wrap className="console-controls" size="middle">
              {d.timer.status === 'running' ? (
                <Button
                  size="large"
                  icon={<PauseOutlined />}
                  disabled={busy}
                  onClick={() => timerAct('pause')}
                  data-testid="timer-pause"
                >
                  暂停
                </Button>
              ) : (
                <Button
                  size="large"
                  type="primary"
                  icon={<CaretRightOutlined />}
                  disabled={busy || !current}
                  onClick={() => timerAct('start')}
                  data-testid="timer-start"
                >
                  开始
                </Button>
              )}
              <Button
                size="large"
                type={d.timer.status === 'running' ? 'default' : 'primary'}
                icon={<FastForwardOutlined />}
                disabled={busy || !d.flow.next}
                onClick={() => act(() => meetingsApi.advance(meetingId))}
                data-testid="flow-next"
              >
                下一项
              </Button>
              <Button
                size="large"
                icon={<StepForwardOutlined />}
                disabled={busy || !next}
                onClick={() => timerAct('next')}
                data-testid="timer-next"
              >
                下一位述职
              </Button>
              <Button
                size="large"
                icon={<RedoOutlined />}
                disabled={busy || !current}
                onClick={() => timerAct('reset')}
              >
                重新计时
              </Button>
              <Select
                size="large"
                style={{ minWidth: 260 }}
                placeholder="选择发言人"
                value={current?.id}
                options={speakers.map((a) => ({ value: a.id, label: `${a.position}. ${a.orgName}` }))}
                onChange={(v) => timerAct('select', v)}
              />
            </Space>
          )}
          {d.permissions.comment && d.meeting.state !== 'closed' && (
            <Button
              size="large"
              className="console-comment-button"
              onClick={() => setCommenting(true)}
              data-testid="console-comment"
            >
              记录点评 / 问答
            </Button>
          )}
        </section>

        <aside className="console-side">
          <BallotsArea meetingId={meetingId} agenda={d.agenda} canManage={d.permissions.ballots} />
          <div className="console-agenda">
            <div className="console-label">述职顺序</div>
            <ol>
              {d.agenda.map((a) => (
                <li key={a.id} className={a.id === current?.id ? 'is-current' : a.speechEndedAt ? 'is-done' : ''}>
                  {a.orgName}
                  {a.writtenOnly ? '（书面述职）' : ''}
                  {a.commentCount ? `　点评 ${a.commentCount}` : ''}
                </li>
              ))}
            </ol>
          </div>
        </aside>
      </main>

      <Drawer
        open={commenting}
        onClose={() => setCommenting(false)}
        placement="bottom"
        size={420}
        title={`记录点评 / 问答${current ? `：${current.orgName}` : ''}`}
      >
        <CommentEditor
          meetingId={meetingId}
          agenda={d.agenda}
          defaultItemId={current?.id ?? null}
          large
          onSaved={async () => {
            setCommenting(false);
            await load();
          }}
        />
      </Drawer>
    </div>
  );
}

/**
 * The ballots module's part of the console: room code and QR code of the phone page while voting is
 * open, and ballots received per reporter over its live stream. Counts only — the distribution stays
 * hidden until the round is released (R-VOTE-5).
 */
function BallotsArea({
  meetingId,
  agenda,
  canManage,
}: {
  meetingId: number;
  agenda: MeetingDetail['agenda'];
  canManage: boolean;
}) {
  const rounds = useQuery({
    queryKey: roundsKey(meetingId),
    queryFn: ({ signal }) => meetingsApi.ballotRounds(meetingId, { background: true, signal }),
    enabled: canManage,
    refetchInterval: SLOW_POLL_MS,
    refetchIntervalInBackground: true,
  });
  const round: BallotRound | null | 'unavailable' = rounds.isError
    ? 'unavailable'
    : (rounds.data?.items.find((x) => x.state !== 'purged') ?? null);
  const [live, setLive] = useState<LiveCounts | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  const { url: voteUrl, warning } = useVoteAddress();

  useEffect(() => {
    const es = new EventSource(meetingsApi.liveUrl(meetingId));
    es.addEventListener('counts', (e) => {
      try {
        setLive(JSON.parse((e as MessageEvent<string>).data) as LiveCounts);
      } catch {
        /* a malformed event is skipped; the next one replaces it */
      }
    });
    return () => es.close();
  }, [meetingId]);

  useEffect(() => {
    if (!voteUrl) return;
    QRCode.toDataURL(voteUrl, { margin: 1, width: 320, errorCorrectionLevel: 'M' })
      .then(setQr)
      .catch(() => setQr(null));
  }, [voteUrl]);

  const open = round && round !== 'unavailable' && round.state === 'open';
  const received = new Map(live?.reporters.map((r) => [r.reporterId, r]) ?? []);
  return (
    <div className="console-ballots" data-testid="console-ballots">
      <div className="console-label">现场测评</div>
      {canManage && <VoteAddressWarning warning={warning} />}
      {canManage && <StandbyWarning />}
      {open ? (
        <div className="console-vote">
          {qr && <img src={qr} alt="手机测评二维码" className="console-qr" data-vote-url={voteUrl} />}
          <div>
            <div className="console-room-label">会场码</div>
            <div className="console-room" data-testid="console-room-code">
              {(round as BallotRound).roomCode}
            </div>
            <div className="console-vote-hint">
              扫码或打开 <span data-testid="console-vote-url">{voteUrl}</span>，输入投票码和会场码
            </div>
          </div>
        </div>
      ) : (
        <div className="console-vote-hint">
          {round === 'unavailable'
            ? '测评信息暂不可用'
            : !canManage
              ? '测评信息由会议管理员显示'
              : live?.state
                ? `测评${live.state === 'closed' ? '已结束' : '未开放'}`
                : '尚未开始测评'}
        </div>
      )}
      {live?.roundId != null && (
        <table className="console-counts">
          <thead>
            <tr>
              <th>述职对象</th>
              <th>已收票数</th>
            </tr>
          </thead>
          <tbody>
            {agenda.map((a) => {
              const r = received.get(a.reporterId);
              // Waiting ballots are stored together once the minimum group is reached, or at the close (匿名保护).
              return (
                <tr key={a.id}>
                  <td>{a.orgName}</td>
                  <td>
                    {r?.received ?? 0}
                    {r?.waiting ? <span className="console-waiting">（另有{r.waiting}张待成批保存）</span> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
