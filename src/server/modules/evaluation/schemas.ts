/**
 * Request and response shapes of the evaluation routes; the web client imports the inferred types.
 */
import { z } from 'zod';
import { Id } from '../../http/schemas';
import { COMPONENTS } from '../../../domain/composite';
import { GRADES } from '../../../domain/grades';

export const ReporterParams = z.object({ id: Id, reporterId: Id });
const Note = (max: number, what: string) => z.string().trim().max(max, `${what}不能超过${max}字`).nullable().optional();
const Score = z.number().min(0, '得分不能小于0').max(100, '得分不能大于100').nullable();
const GradeEnum = z.enum(GRADES);
const Nullable = <T extends z.ZodTypeAny>(t: T) => t.nullable();

export const InputRow = z
  .object({
    reporterId: Id,
    dailyScore: Score,
    dailyNote: Note(500, '平时掌握说明'),
    reportScore: Score.optional(),
    reportNote: Note(500, '述职评议说明'),
    majorError: z.boolean(),
    majorErrorNote: Note(500, '重大失误情况'),
    accountability: z.boolean(),
    accountabilityNote: Note(500, '问责情况'),
  })
  .strict();
export const InputsBody = z.object({ rows: z.array(InputRow).min(1).max(5000) }).strict();
export const DecisionBody = z.object({ grade: GradeEnum, reason: Note(1000, '调整理由') }).strict();
export const OpinionBody = z
  .object({
    achievements: Note(3000, '主要成绩'),
    problems: Note(3000, '存在问题'),
    direction: Note(3000, '努力方向'),
  })
  .strict();
export const ReviewBody = z.object({ stance: z.enum(['agree', 'question']), note: Note(500, '意见') }).strict();
export const LockBody = z
  .object({
    confirm: z.literal(true, { message: '请确认锁定' }),
    decisionNote: z.string().trim().min(1, '请填写党委研究确定的会议（如“2026年1月15日镇党委会议”）').max(200),
    /** The share of 较好 or below (percent) the committee decided, where the plan leaves it to them (004). */
    lowerSharePercent: z.number().min(0, '比例不能小于0').max(100, '比例不能大于100').optional(),
  })
  .strict();
export const LockQuery = z.object({ lowerSharePercent: z.coerce.number().min(0).max(100).optional() });
export const EvaluationQuery = z.object({
  q: z.string().trim().max(100).optional(),
  sector: z.string().trim().max(40).optional(),
  grade: GradeEnum.optional(),
  autoPoor: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const Check = z.object({
  label: z.string(),
  bound: z.number(),
  actual: z.number(),
  delta: z.number(),
  ok: z.boolean(),
  hard: z.boolean(),
  message: z.string(),
});
const Components = z.object(
  Object.fromEntries(COMPONENTS.map((c) => [c, z.number().nullable()])) as Record<
    (typeof COMPONENTS)[number],
    z.ZodNullable<z.ZodNumber>
  >,
);
export const SummaryOut = z.object({
  n: z.number(),
  computedAt: z.string(),
  weights: z.record(z.string(), z.number()),
  checks: z.array(Check),
  bins: z.string(),
  unmet: z.string().nullable(),
  autoPoor: z.number(),
  missing: z.record(z.string(), z.number()),
  rankNote: z.string(),
  releasedRounds: z.number(),
});
export const EvaluationOut = z.object({
  campaign: z.object({ id: z.number(), title: z.string(), year: z.number() }),
  state: z.enum(['none', 'open', 'locked']),
  computedAt: z.string().nullable(),
  lockedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  /** The share of 较好 or below the committee stated at the lock (fraction), where the plan left it to them. */
  lowerShareStated: z.number().nullable(),
  /** How the 测评得分 here (weighted by evaluator category) and the 测评结果 page's 平均分 (unweighted) are computed. */
  ballotFormula: z.object({ weighted: z.string(), unweighted: z.string() }),
  summary: SummaryOut.nullable(),
  weights: z.record(z.string(), z.number()),
  current: z.object({ counts: z.record(z.string(), z.number()), checks: z.array(Check), bins: z.string() }),
  sectors: z.array(z.string()),
  can: z.object({ manage: z.boolean(), review: z.boolean() }),
  total: z.number(),
  items: z.array(
    z.object({
      reporterId: z.number(),
      orgName: z.string(),
      orgCode: z.string(),
      sector: z.string(),
      secretaryName: z.string().nullable(),
      components: Components,
      composite: z.number().nullable(),
      formula: z.string().nullable(),
      formulaNote: z.string().nullable(),
      rank: z.number().nullable(),
      sectorRank: z.number().nullable(),
      ballotCounts: z.object({
        good: z.number(),
        fair: z.number(),
        average: z.number(),
        poor: z.number(),
        invalid: z.number(),
      }),
      averageOrPoorShare: z.number().nullable(),
      autoPoorReasons: z.array(z.string()),
      suggestedGrade: Nullable(GradeEnum),
      suggestionReasons: z.array(z.string()),
      finalGrade: Nullable(GradeEnum),
      finalReason: z.string().nullable(),
      opinion: z.object({
        achievements: z.string().nullable(),
        problems: z.string().nullable(),
        direction: z.string().nullable(),
      }),
      inputs: z.object({
        dailyScore: z.number().nullable(),
        dailyNote: z.string().nullable(),
        reportScore: z.number().nullable(),
        reportNote: z.string().nullable(),
        majorError: z.boolean(),
        majorErrorNote: z.string().nullable(),
        accountability: z.boolean(),
        accountabilityNote: z.string().nullable(),
      }),
      reviews: z.array(
        z.object({
          userId: z.number(),
          userName: z.string(),
          stance: z.enum(['agree', 'question']),
          note: z.string().nullable(),
        }),
      ),
      changes: z.number(),
    }),
  ),
});
export const InputsOut = z.object({
  items: z.array(
    z.object({
      reporterId: z.number(),
      orgName: z.string(),
      orgCode: z.string(),
      sector: z.string(),
      dailyScore: z.number().nullable(),
      dailyNote: z.string().nullable(),
      reportScore: z.number().nullable(),
      reportNote: z.string().nullable(),
      majorError: z.boolean(),
      majorErrorNote: z.string().nullable(),
      accountability: z.boolean(),
      accountabilityNote: z.string().nullable(),
      updatedAt: z.string().nullable(),
    }),
  ),
});
export const HistoryOut = z.object({
  items: z.array(
    z.object({
      oldGrade: Nullable(GradeEnum),
      newGrade: GradeEnum,
      suggestedGrade: Nullable(GradeEnum),
      reason: z.string().nullable(),
      changedBy: z.string().nullable(),
      changedAt: z.string(),
    }),
  ),
});
export const LockPreviewOut = z.object({
  canLock: z.boolean(),
  blockers: z.array(z.string()),
  warnings: z.array(z.string()),
  /** Reporters whose written opinion lacks a part (主要成绩、存在问题、努力方向). */
  missingOpinions: z.array(z.object({ reporterId: z.number(), name: z.string(), missing: z.array(z.string()) })),
  /** The committee must state the share of 较好 or below to lock (the plan sets none). */
  lowerShareRequired: z.boolean(),
});
export const MineOut = z.object({
  locked: z.boolean(),
  orgName: z.string(),
  message: z.string().optional(),
  lockedAt: z.string().optional(),
  finalGrade: Nullable(GradeEnum).optional(),
  opinion: z
    .object({ achievements: z.string().nullable(), problems: z.string().nullable(), direction: z.string().nullable() })
    .optional(),
});
export const Ok = z.object({ ok: z.literal(true) });

export type EvaluationOutT = z.infer<typeof EvaluationOut>;
export type EvaluationItem = EvaluationOutT['items'][number];
export type SummaryOutT = z.infer<typeof SummaryOut>;
export type InputRowT = z.infer<typeof InputRow>;
export type InputsOutT = z.infer<typeof InputsOut>;
export type HistoryOutT = z.infer<typeof HistoryOut>;
export type LockPreviewOutT = z.infer<typeof LockPreviewOut>;
export type MineOutT = z.infer<typeof MineOut>;
export const SavedOut = z.object({ saved: z.number() });
export const ChangedOut = z.object({ changed: z.boolean() });
export const LockedOut = z.object({ locked: z.literal(true), warnings: z.array(z.string()) });

// —— Documents of the locked evaluation (outputs-routes.ts) ——
export const OutputsStatusOut = z.object({
  locked: z.boolean(),
  lockedAt: z.date().nullable(),
  /** An admin of the organizer's subtree: every document. */
  canManage: z.boolean(),
  /** A reporter's secretary: only their own feedback letter. */
  ownReporterId: z.number().nullable(),
});
const Line = (max: number) => z.string().trim().min(1).max(max);
export const NoticeQuery = z.object({
  issuer: Line(60).optional(),
  docNumber: Line(40).optional(),
  addressee: Line(200).optional(),
  date: z.iso.date().optional(),
});
