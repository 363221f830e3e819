import { z } from 'zod';
import { Id } from '../../http/schemas';
import { MAX_ITEM_TEXT, MAX_SURVEY_ITEMS, RESPONDENT_CATEGORIES } from '../../../domain/surveys';

/** The survey module's HTTP contract; the web client infers its types from these. */

/** Levels are checked by checkAnswers, so an unknown one gets its own Chinese message with the item number. */
export const Answers = z
  .record(z.string().max(12), z.string().max(40))
  .refine((a) => Object.keys(a).length <= 100, '答案数量过多');

export const SurveyOut = z.object({
  id: z.number(),
  campaignId: z.number(),
  title: z.string(),
  state: z.string(),
  stateLabel: z.string(),
  sampleSize: z.number(),
  seed: z.string().nullable(),
  sampledAt: z.date().nullable(),
  openedAt: z.date().nullable(),
  closedAt: z.date().nullable(),
});

export const SurveyListOut = z.object({
  campaign: z.object({
    id: z.number(),
    title: z.string(),
    surveyEnabled: z.boolean(),
    sampleSize: z.number().nullable(),
  }),
  canManage: z.boolean(),
  items: z.array(SurveyOut),
});

export const SurveyCreateIn = z
  .object({
    title: z.string().max(100).optional(),
    sampleSize: z.number().int().min(1).max(10_000).optional(),
  })
  .strict();

export const SurveyUpdateIn = z
  .object({
    title: z.string().max(100).optional(),
    sampleSize: z.number().int().min(1).max(10_000).optional(),
    items: z.array(z.string().max(MAX_ITEM_TEXT)).max(MAX_SURVEY_ITEMS).optional(),
  })
  .strict();

export const UnitOut = z.object({
  reporterId: z.number(),
  orgName: z.string(),
  orgCode: z.string(),
  role: z.string(),
  listed: z.number(),
  twoReps: z.number(),
  residents: z.number(),
  sampled: z.number(),
  sampledTwoReps: z.number(),
  sampledResidents: z.number(),
  tokensLive: z.number(),
  tokensUsed: z.number(),
  linkResponses: z.number(),
  paperResponses: z.number(),
  needsDraw: z.boolean(),
  paperRoom: z.number(),
});

export const SurveyDetailOut = z.object({
  survey: SurveyOut,
  campaign: z.object({ id: z.number(), title: z.string(), organizerName: z.string(), surveyEnabled: z.boolean() }),
  canManage: z.boolean(),
  items: z.array(z.object({ id: z.number(), position: z.number(), text: z.string() })),
  units: z.array(UnitOut),
});

export const RespondentsQuery = z.object({
  reporterId: Id.optional(),
  q: z.string().max(50).optional(),
  category: z.enum(RESPONDENT_CATEGORIES).optional(),
  sampled: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const RespondentsOut = z.object({
  total: z.number(),
  items: z.array(
    z.object({
      id: z.number(),
      reporterId: z.number(),
      name: z.string(),
      category: z.string(),
      categoryLabel: z.string(),
      phone: z.string().nullable(),
      sampled: z.boolean(),
      sampleOrder: z.number().nullable(),
    }),
  ),
});

export const RespondentIn = z
  .object({
    reporterId: Id,
    name: z.string().max(40),
    category: z.string().max(40),
    phone: z.string().max(30).nullable().optional(),
  })
  .strict();

export const ImportOut = z.object({ imported: z.number(), units: z.number() });

export const SampleIn = z.object({ seed: z.string().max(200).optional() }).strict();
export const SampleOut = z.object({
  seed: z.string(),
  units: z.array(
    z.object({
      reporterId: z.number(),
      orgName: z.string(),
      listed: z.number(),
      sampled: z.number(),
      shortfall: z.number(),
    }),
  ),
});

export const TokensIn = z
  .object({
    reporterId: Id,
    count: z.number().int().min(1).max(10_000).optional(),
    format: z.enum(['pdf', 'xlsx']).default('xlsx'),
  })
  .strict();

export const PaperIn = z.object({ reporterId: Id, answers: Answers }).strict();

const Level = z.object({ value: z.string(), label: z.string() });
export const SheetOut = z.object({
  title: z.string(),
  unitName: z.string(),
  items: z.array(z.object({ id: z.number(), text: z.string() })),
  levels: z.array(Level),
});

const Counts = z.object({
  satisfied: z.number(),
  fairly_satisfied: z.number(),
  basically_satisfied: z.number(),
  dissatisfied: z.number(),
});
const Summary = z.object({ total: z.number(), counts: Counts, shares: Counts, score: z.number().nullable() });
export const SurveyResultsOut = z.object({
  survey: z.object({
    id: z.number(),
    title: z.string(),
    state: z.string(),
    stateLabel: z.string(),
    seed: z.string().nullable(),
    sampleSize: z.number(),
  }),
  campaignTitle: z.string(),
  items: z.array(z.object({ id: z.number(), position: z.number(), text: z.string() })),
  levels: z.array(Level),
  units: z.array(
    z.object({
      reporterId: z.number(),
      orgName: z.string(),
      sampled: z.number(),
      sampledTwoReps: z.number(),
      sampledResidents: z.number(),
      responses: z.number(),
      linkResponses: z.number(),
      paperResponses: z.number(),
      overall: Summary,
      items: z.array(z.object({ itemId: z.number(), summary: Summary })),
    }),
  ),
  note: z.string(),
});

export const OkOut = z.object({ ok: z.literal(true) });
export const RespondentAddedOut = z.object({ id: z.number() });
export const PaperOut = z.object({ ok: z.literal(true), paperResponses: z.number() });
