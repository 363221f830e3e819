import { commentModeLabel } from '../../../domain/campaign-settings';
import { secretaryTitle } from '../../../domain/org-names';
import {
  agendaLines,
  type CommentMode,
  commentKindLabel,
  meetingStateLabel,
  stepLabel,
} from '../../../domain/meeting-agenda';
import { GRADE_LABELS, GRADES } from '../../../domain/grades';
import type { DbOrTx } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { type GongwenBlock, gongwenBuffer, gongwenDate } from '../documents/gongwen';
import { assertRead } from './policy';
import type { MeetingRounds } from './rounds-port';
import { presentAttendance, presentAttendee, ROLE_LABELS } from './present';
import { agendaItems, assignedObservers, attendanceRows, attendeeRows, commentRows, getMeeting } from './repo';
import { readTogether } from '../../db/parallel';
import { addSheet, newWorkbook, workbookBuffer, xlsxDate } from '../documents/xlsx';

/** Excel has no time zones: write the Asia/Shanghai wall-clock time people saw in the room. */
const shanghai = (d: Date | null) => (d ? new Date(d.getTime() + 8 * 3600_000) : null);
const CN_NUM = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const cnIndex = (i: number) => (i < 10 ? CN_NUM[i] : i < 20 ? `十${CN_NUM[i - 10] ?? ''}` : String(i + 1));

async function load(db: DbOrTx, user: AuthUser, id: number) {
  const { meeting, campaign } = await getMeeting(db, id, { viewer: user });
  assertRead(user, campaign.organizerPath);
  const [agenda, attendance, comments, observers, attendees] = await readTogether(db, [
    () => agendaItems(db, id),
    () => attendanceRows(db, id),
    () => commentRows(db, id),
    () => assignedObservers(db, campaign.id),
    () => attendeeRows(db, id),
  ] as const);
  return {
    meeting,
    campaign,
    agenda,
    attendance: presentAttendance(campaign.settings, attendance, attendees),
    comments,
    observers,
    attendees: attendees.map((a) => presentAttendee(a, campaign.settings)),
  };
}

/** 会议记录 in 公文 layout: attendance, agenda, each reporter's comments and Q&A, results once released. */
export async function meetingRecordDocx(db: DbOrTx, user: AuthUser, id: number, rounds: MeetingRounds) {
  const { meeting, campaign, agenda, attendance, comments, observers, attendees } = await load(db, user, id);
  const results = await rounds.releasedResults(db, user, id);
  const blocks: GongwenBlock[] = [];
  let section = 0;
  const h1 = (text: string) => blocks.push({ type: 'heading1', text: `${cnIndex(section++)}、${text}` });
  const p = (text: string) => blocks.push({ type: 'paragraph', text });

  h1('会议基本情况');
  p(`时间：${gongwenDate(meeting.meetingDate)}`);
  p(`地点：${meeting.place}`);
  if (meeting.chair) p(`主持人：${meeting.chair}`);
  if (meeting.recorder) p(`记录人：${meeting.recorder}`);
  const expected = attendance.reduce((s, a) => s + a.expected, 0);
  const present = attendance.reduce((s, a) => s + a.present, 0);
  p(`应到${expected}人，实到${present}人。`);
  blocks.push({
    type: 'table',
    header: ['人员类别', '应到', '实到', '名单'],
    rows: attendance.map((a) => [
      a.categoryLabel,
      a.expected,
      a.present,
      a.fromList ? '见参会人员名单' : (a.names ?? ''),
    ]),
    widths: [2400, 1000, 1000, 4440],
  });
  // R-MEET-2: the named attendees per category with the unit each represents, as signed in.
  if (attendees.length) {
    p('参会人员名单：');
    blocks.push({
      type: 'table',
      header: ['人员类别', '姓名', '所在单位', '身份或职务', '出席'],
      rows: attendees.map((a) => [a.categoryLabel, a.name, a.unit, a.identity ?? '', a.present ? '出席' : '缺席']),
      widths: [2200, 1300, 2800, 1740, 800],
    });
  }
  if (observers.length) {
    p(`上级组织部门到会指导：${observers.map((o) => o.name + (o.groupName ? `（${o.groupName}）` : '')).join('、')}。`);
  }

  h1('会议议程');
  const mode = meeting.commentMode as CommentMode;
  p(`点评方式：${commentModeLabel(mode)}。`);
  agendaLines(mode).forEach((line, i) => p(`${i + 1}.${line}`));

  h1('述职情况');
  const written = agenda.filter((a) => a.writtenOnly);
  const speaking = agenda.filter((a) => !a.writtenOnly);
  p(`本次会议安排${speaking.length}名党组织书记现场述职${written.length ? `，${written.length}名书面述职` : ''}。`);
  speaking.forEach((a, i) => {
    const who = a.secretaryName ? secretaryTitle(a.orgName, '书记', a.secretaryName) : a.orgName;
    p(
      `${i + 1}.${who}${a.role === 'downward' ? `（${ROLE_LABELS.downward}）` : ''}${a.speakingMinutes ? `，发言时间${a.speakingMinutes}分钟` : ''}。`,
    );
  });
  if (written.length) p(`书面述职：${written.map((a) => a.orgName).join('、')}。`);

  h1('点评及提问回答');
  const byItem = new Map<number | null, typeof comments>();
  for (const c of comments) byItem.set(c.agendaItemId, [...(byItem.get(c.agendaItemId) ?? []), c]);
  let sub = 0;
  for (const a of agenda) {
    const list = byItem.get(a.id);
    if (!list?.length) continue;
    blocks.push({
      type: 'heading2',
      text: `（${cnIndex(sub++)}）${a.orgName}${a.secretaryName ? `（${a.secretaryName}）` : ''}`,
    });
    for (const c of list) p(`${c.authorName}（${c.authorRole}）${commentKindLabel(c.kind)}：${c.body}`);
  }
  const general = byItem.get(null);
  if (general?.length) {
    blocks.push({ type: 'heading2', text: `（${cnIndex(sub++)}）集中点评及讲话` });
    for (const c of general) p(`${c.authorName}（${c.authorRole}）${commentKindLabel(c.kind)}：${c.body}`);
  }
  if (sub === 0) p('（暂无点评记录）');

  h1('测评情况');
  if (results) {
    p(`测评结果经核对后发布。${results.note}`);
    blocks.push({
      type: 'table',
      header: ['述职对象', '有效票', ...GRADES.map((g) => `${GRADE_LABELS[g]}(%)`), '一般+差(%)'],
      rows: results.results.map((r) => [
        r.name,
        r.overall.valid,
        ...GRADES.map((g) => `${r.overall.counts[g]}（${r.overall.percents[g].toFixed(1)}）`),
        r.overall.averageOrPoorPercent.toFixed(1),
      ]),
      widths: [2440, 900, 1100, 1100, 1100, 1100, 1100],
    });
  } else {
    p('测评结果尚未发布，以测评结果发布时的统计为准。');
  }

  const buffer = await gongwenBuffer({
    title: `${meeting.title}会议记录`,
    subtitle: `${gongwenDate(meeting.meetingDate)}　${meeting.place}`,
    blocks,
    signature: campaign.organizerName,
    date: meeting.meetingDate,
  });
  return { name: `${meeting.title}会议记录.docx`, buffer };
}

/** Agenda and attendance as .xlsx, one sheet per table, Chinese headers frozen (FORMATS.md). */
export async function meetingSheetXlsx(db: DbOrTx, user: AuthUser, id: number) {
  const { meeting, agenda, attendance, comments, attendees } = await load(db, user, id);
  const wb = newWorkbook();
  const sheet = (name: string, columns: { header: string; key: string; width: number }[]) =>
    addSheet(wb, name, columns);
  const info = sheet('会议', [
    { header: '项目', key: 'k', width: 14 },
    { header: '内容', key: 'v', width: 50 },
  ]);
  info.addRows([
    { k: '会议名称', v: meeting.title },
    { k: '日期', v: xlsxDate(meeting.meetingDate) },
    { k: '地点', v: meeting.place },
    { k: '主持人', v: meeting.chair ?? '' },
    { k: '记录人', v: meeting.recorder ?? '' },
    { k: '状态', v: meetingStateLabel(meeting.state) },
    { k: '当前环节', v: stepLabel(meeting.currentStep) },
    { k: '点评方式', v: commentModeLabel(meeting.commentMode) },
  ]);
  info.getCell('B3').numFmt = 'yyyy-mm-dd';

  const ag = sheet('议程', [
    { header: '序号', key: 'position', width: 8 },
    { header: '述职党组织', key: 'org', width: 36 },
    { header: '书记', key: 'sec', width: 12 },
    { header: '类型', key: 'role', width: 8 },
    { header: '述职方式', key: 'mode', width: 10 },
    { header: '发言时间（分钟）', key: 'min', width: 16 },
    { header: '开始发言', key: 'start', width: 20 },
    { header: '结束发言', key: 'end', width: 20 },
    { header: '点评及问答条数', key: 'n', width: 14 },
  ]);
  for (const a of agenda) {
    ag.addRow({
      position: a.position,
      org: a.orgName,
      sec: a.secretaryName ?? '',
      role: ROLE_LABELS[a.role] ?? a.role,
      mode: a.writtenOnly ? '书面述职' : '现场述职',
      min: a.speakingMinutes ?? null,
      start: shanghai(a.speechStartedAt),
      end: shanghai(a.speechEndedAt),
      n: comments.filter((c) => c.agendaItemId === a.id).length,
    });
  }
  ag.getColumn('start').numFmt = 'yyyy-mm-dd hh:mm';
  ag.getColumn('end').numFmt = 'yyyy-mm-dd hh:mm';

  const at = sheet('参会人员', [
    { header: '人员类别', key: 'label', width: 24 },
    { header: '应到', key: 'expected', width: 8 },
    { header: '实到', key: 'present', width: 8 },
    { header: '名单', key: 'names', width: 60 },
  ]);
  for (const a of attendance)
    at.addRow({ label: a.categoryLabel, expected: a.expected, present: a.present, names: a.names ?? '' });
  at.addRow({
    label: '合计',
    expected: attendance.reduce((s, a) => s + a.expected, 0),
    present: attendance.reduce((s, a) => s + a.present, 0),
  });

  const named = sheet('参会人员名单', [
    { header: '人员类别', key: 'label', width: 24 },
    { header: '姓名', key: 'name', width: 12 },
    { header: '所在单位', key: 'unit', width: 30 },
    { header: '身份或职务', key: 'identity', width: 16 },
    { header: '是否出席', key: 'present', width: 10 },
  ]);
  for (const a of attendees)
    named.addRow({
      label: a.categoryLabel,
      name: a.name,
      unit: a.unit,
      identity: a.identity ?? '',
      present: a.present ? '是' : '否',
    });

  const cm = sheet('点评及问答', [
    { header: '述职党组织', key: 'org', width: 30 },
    { header: '类型', key: 'kind', width: 8 },
    { header: '发言人', key: 'author', width: 12 },
    { header: '职务', key: 'role', width: 20 },
    { header: '内容', key: 'body', width: 80 },
    { header: '记录时间', key: 'at', width: 20 },
  ]);
  const names = new Map(agenda.map((a) => [a.id, a.orgName]));
  for (const c of comments) {
    cm.addRow({
      org: c.agendaItemId == null ? '集中点评' : (names.get(c.agendaItemId) ?? ''),
      kind: commentKindLabel(c.kind),
      author: c.authorName,
      role: c.authorRole,
      body: c.body,
      at: shanghai(c.createdAt),
    });
  }
  cm.getColumn('at').numFmt = 'yyyy-mm-dd hh:mm';
  return { name: `${meeting.title}议程及参会人员.xlsx`, buffer: await workbookBuffer(wb) };
}
