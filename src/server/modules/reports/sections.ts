/**
 * The sections a report is written in: the campaign's required sections (R-REP-2), an optional
 * opening, and for a secretary in office < 3 months the extra part 003 asks of them (R-REP-5).
 */
import type { CampaignSettings } from '../../../domain/campaign-settings';
import { reportText, type ReportSection, type SectionSpec } from '../../../domain/report-checks';
import { countChars } from '../../../domain/word-count';

export const PREAMBLE = 'preamble';
export const ON_BEHALF = 'on_behalf';
export const ON_BEHALF_TITLE = '调研了解的党建突出问题、履职尽责抓党建的认识体会和思路举措';

export interface SectionSlot {
  key: string;
  title: string;
  required: boolean;
  minChars: number;
}

export function sectionSlots(settings: CampaignSettings, onBehalf: boolean): SectionSlot[] {
  return [
    { key: PREAMBLE, title: '开头（简述本单位基本情况，可不填）', required: false, minChars: 0 },
    ...settings.report.requiredSections.map((r) => ({
      key: r.key,
      title: r.title,
      required: true,
      minChars: r.minChars,
    })),
    ...(onBehalf ? [{ key: ON_BEHALF, title: ON_BEHALF_TITLE, required: true, minChars: 0 }] : []),
  ];
}

/** Section titles of the campaign as specs for splitIntoSections (the defaults add common aliases). */
export const sectionSpecs = (settings: CampaignSettings): SectionSpec[] => [
  ...settings.report.requiredSections.map((r) => ({ key: r.key, title: r.title })),
  { key: ON_BEHALF, title: ON_BEHALF_TITLE, aliases: ['认识体会', '调研了解'] },
];

/** Slots first in their order, then anything else an upload brought; empty slots are kept out of the text. */
export function orderSections(sections: ReportSection[], slots: SectionSlot[]): ReportSection[] {
  const rank = (k: string) => {
    const i = slots.findIndex((s) => s.key === k);
    return i < 0 ? slots.length : i;
  };
  return [...sections].sort((a, b) => rank(a.key) - rank(b.key));
}

/** The sections the checks and the 字数 read: those with text. */
export const usedSections = (sections: ReportSection[]) => sections.filter((s) => s.text.trim());

/** 字数 as the length check counts it (titles included), so the editor, checks and .docx agree. */
export const countReport = (sections: ReportSection[]) =>
  usedSections(sections).reduce((n, s) => n + countChars(s.title) + countChars(s.text), 0);

export { reportText };
