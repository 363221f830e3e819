/**
 * The job's computation, on a worker thread (themes-worker.ts): themes of the whole set and each reporter's share.
 * Input and output are plain JSON; nothing here knows where a text came from beyond its reporter and kind.
 */
import { analyzeComments, groupView, type CommentIn } from '../../../domain/comment-themes';
import type { Rng } from '../../../domain/sampling';
import { jiebaSegment } from './segmenter';

export interface ThemeInput {
  comments: Array<{ text: string; group: string }>;
}

export type ReporterView = Exclude<ReturnType<typeof groupView>, { hidden: true }>;

export interface ThemeResult {
  total: number;
  noProblem: number;
  themes: Array<{
    id: number;
    label: string;
    keywords: string[];
    count: number;
    tags: Array<{ tag: string; count: number }>;
    quotes: string[];
    reporters: Record<string, number>;
  }>;
  other: { count: number; quotes: string[] };
  copies: Array<{ text: string; count: number; suspicious: boolean; reporters: Record<string, number> }>;
  reporters: Record<string, ReporterView>;
}

export function computeThemes(input: ThemeInput, rng: Rng, onProgress?: (share: number) => void): ThemeResult {
  // Ids are positions in a list the caller has already shuffled: they say nothing about a ballot.
  const comments: CommentIn[] = input.comments.map((c, i) => ({ id: String(i), text: c.text, group: c.group }));
  const analysis = analyzeComments(comments, { rng, segment: jiebaSegment, onProgress });
  const reporters: Record<string, ReporterView> = {};
  for (const group of new Set(comments.map((c) => c.group))) {
    const view = groupView(analysis, comments, group, { rng });
    if (!view.hidden) reporters[group] = view;
  }
  return {
    total: analysis.total,
    noProblem: analysis.noProblem.count,
    themes: analysis.themes.map((t) => ({
      id: t.id,
      label: t.label,
      keywords: t.keywords,
      count: t.count,
      tags: t.tags,
      quotes: t.quotes,
      reporters: t.groups,
    })),
    other: { count: analysis.other.count, quotes: analysis.other.quotes },
    copies: analysis.copies.map((c) => ({
      text: c.text,
      count: c.count,
      suspicious: c.suspicious,
      reporters: c.groups,
    })),
    reporters,
  };
}
