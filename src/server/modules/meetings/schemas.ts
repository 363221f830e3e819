/**
 * Request and response shapes of the meetings routes. The web client imports the inferred types
 * (`import type`), so a change here shows up in its type check.
 */
import { z } from 'zod';
import { Id } from '../../http/schemas';
import { COMMENT_KIND_KEYS, MEETING_STEP_KEYS } from '../../../domain/meeting-agenda';

export const CommentParams = z.object({ id: Id, commentId: Id });
const Text = (max: number, what: string) =>
  z.string().trim().min(1, `请填写${what}`).max(max, `${what}不能超过${max}字`);
const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(s)), '不是有效日期');
const Optional = (max: number, what: string) =>
  z.string().trim().max(max, `${what}不能超过${max}字`).nullable().optional();

const CommentModeEnum = z.enum(['one_by_one', 'collective'], { message: '点评方式应为“一述一评”或“集中点评”' });

export const MeetingInput = z
  .object({
    title: Text(100, '会议名称'),
    meetingDate: IsoDate,
    place: Text(100, '会议地点'),
    chair: Optional(50, '主持人'),
    recorder: Optional(50, '记录人'),
    /** 一述一评 / 集中点评; the campaign's setting when not given. */
    commentMode: CommentModeEnum.optional(),
  })
  .strict();
export type MeetingInputT = z.infer<typeof MeetingInput>;
export const MeetingPatch = MeetingInput.partial().strict();

export const ListQuery = z.object({
  q: z.string().trim().max(100).optional(),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const AgendaInput = z
  .object({
    items: z.array(z.object({ reporterId: Id, writtenOnly: z.boolean() }).strict()).max(2000),
  })
  .strict();

export const StepInput = z.object({ step: z.enum(MEETING_STEP_KEYS) }).strict();

export const TimerInput = z
  .object({
    action: z.enum(['select', 'start', 'pause', 'reset', 'next']),
    /** The agenda item to select (action 'select'). */
    itemId: Id.optional(),
  })
  .strict();

export const AttendanceInput = z
  .object({
    rows: z
      .array(
        z
          .object({
            categoryKey: z.string().trim().min(1).max(64),
            expected: z.number().int().min(0, '应到人数不能为负').max(100_000),
            present: z.number().int().min(0, '实到人数不能为负').max(100_000),
            names: Optional(2000, '名单'),
          })
          .strict(),
      )
      .max(50),
  })
  .strict();

export const AttendeeInput = z
  .object({
    categoryKey: z.string().trim().min(1).max(64),
    name: Text(50, '姓名'),
    unit: Text(100, '所在单位'),
    identity: Optional(50, '身份或职务'),
    present: z.boolean(),
  })
  .strict();
export const AttendeesInput = z.object({ rows: z.array(AttendeeInput).max(2000) }).strict();

export const AttendeeOut = z.object({
  id: z.number(),
  categoryKey: z.string(),
  categoryLabel: z.string(),
  name: z.string(),
  unit: z.string(),
  identity: z.string().nullable(),
  present: z.boolean(),
});
export type AttendeeOutT = z.infer<typeof AttendeeOut>;

export const CommentInput = z
  .object({
    /** null: a collective comment (集中点评) on the whole meeting. */
    agendaItemId: Id.nullable(),
    kind: z.enum(COMMENT_KIND_KEYS),
    authorName: Text(50, '发言人'),
    authorRole: Text(50, '职务'),
    body: Text(5000, '内容'),
  })
  .strict();
export const CommentPatch = CommentInput.omit({ agendaItemId: true }).partial().strict();

export const MeetingSummary = z.object({
  id: z.number(),
  campaignId: z.number(),
  title: z.string(),
  meetingDate: z.string(),
  place: z.string(),
  chair: z.string().nullable(),
  recorder: z.string().nullable(),
  state: z.string(),
  stateLabel: z.string(),
  currentStep: z.string().nullable(),
  currentStepLabel: z.string(),
  commentMode: z.string(),
  commentModeLabel: z.string(),
  agendaCount: z.number(),
  closedAt: z.string().nullable(),
});
export type MeetingSummaryT = z.infer<typeof MeetingSummary>;

export const CampaignBrief = z.object({
  id: z.number(),
  title: z.string(),
  year: z.number(),
  organizerName: z.string(),
});

export const MeetingList = z.object({
  campaign: CampaignBrief,
  items: z.array(MeetingSummary),
  total: z.number(),
  canManage: z.boolean(),
});
export type MeetingListT = z.infer<typeof MeetingList>;

export const AgendaItemOut = z.object({
  id: z.number(),
  reporterId: z.number(),
  position: z.number(),
  orgName: z.string(),
  secretaryName: z.string().nullable(),
  role: z.string(),
  roleLabel: z.string(),
  tierKey: z.string(),
  tierLabel: z.string(),
  writtenOnly: z.boolean(),
  writtenOnlyAllowed: z.boolean(),
  speakingMinutes: z.number().nullable(),
  speechStartedAt: z.string().nullable(),
  speechEndedAt: z.string().nullable(),
  commentCount: z.number(),
});
export type AgendaItemOutT = z.infer<typeof AgendaItemOut>;

export const ReporterOption = z.object({
  id: z.number(),
  orgName: z.string(),
  secretaryName: z.string().nullable(),
  role: z.string(),
  roleLabel: z.string(),
  tierLabel: z.string(),
  writtenOnly: z.boolean(),
  writtenOnlyAllowed: z.boolean(),
  speakingMinutes: z.number().nullable(),
});
export type ReporterOptionT = z.infer<typeof ReporterOption>;

export const AttendanceOut = z.object({
  categoryKey: z.string(),
  categoryLabel: z.string(),
  /** 0 for those who attend without rating (观察员). */
  weight: z.number().nullable(),
  expected: z.number(),
  present: z.number(),
  names: z.string().nullable(),
  /** Counts derived from the named list (R-MEET-2); they change through the list only. */
  fromList: z.boolean(),
});
export type AttendanceOutT = z.infer<typeof AttendanceOut>;

export const CommentOut = z.object({
  id: z.number(),
  agendaItemId: z.number().nullable(),
  kind: z.string(),
  kindLabel: z.string(),
  authorName: z.string(),
  authorRole: z.string(),
  body: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CommentOutT = z.infer<typeof CommentOut>;

export const TimerOut = z.object({
  itemId: z.number().nullable(),
  status: z.enum(['idle', 'running', 'paused']),
  startedAt: z.string().nullable(),
  elapsedMs: z.number(),
  /** The server's clock when answering, so each screen corrects its own clock's offset. */
  serverNow: z.string(),
});
export type TimerOutT = z.infer<typeof TimerOut>;

export const MeetingDetail = z.object({
  meeting: MeetingSummary,
  campaign: CampaignBrief,
  agenda: z.array(AgendaItemOut),
  availableReporters: z.array(ReporterOption),
  attendance: z.array(AttendanceOut),
  attendees: z.array(AttendeeOut),
  /** Where the console is in the meeting's flow (一述一评 / 集中点评) and what 下一项 does. */
  flow: z.object({ mode: z.string(), modeLabel: z.string(), current: z.string(), next: z.string().nullable() }),
  observers: z.array(z.object({ name: z.string(), groupName: z.string().nullable(), isLeader: z.boolean() })),
  comments: z.array(CommentOut),
  timer: TimerOut,
  steps: z.array(z.object({ key: z.string(), label: z.string() })),
  permissions: z.object({
    manage: z.boolean(),
    comment: z.boolean(),
    /** May run the ballot rounds (the ballots module's policy); the web app shows the 测评 tab only then. */
    ballots: z.boolean(),
  }),
});
export type MeetingDetailT = z.infer<typeof MeetingDetail>;

export const OkOut = z.object({ ok: z.literal(true) });
export const AttendeesImportOut = z.object({ imported: z.number(), categories: z.number() });
