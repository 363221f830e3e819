import type { FormInstance } from 'antd';
import { isApiError } from '../../api/client';
import type { CampaignSettings } from '../../api/campaigns';
import { notify } from '../../lib/notify';
import { TEMPLATES } from '../../../domain/campaign-templates';
import type { Share } from '../../../domain/quotas';

type NamePath = (string | number)[];

/** Shares are typed as text ("1/3", "40%", "0.4") because organizers write them that way. */
export function shareToText(s: Share | null | undefined): string {
  if (s === null || s === undefined) return '';
  if (typeof s === 'number') return `${Math.round(s * 10000) / 100}%`;
  return `${s.num}/${s.den}`;
}

export function parseShare(text: string | null | undefined): Share | null | 'invalid' {
  const t = (text ?? '').trim();
  if (!t) return null;
  let m = /^(\d+)\s*\/\s*(\d+)$/.exec(t);
  if (m) {
    const num = Number(m[1]);
    const den = Number(m[2]);
    return den > 0 && num <= den ? { num, den } : 'invalid';
  }
  m = /^(\d+(?:\.\d+)?)\s*%$/.exec(t);
  if (m) {
    const v = Number(m[1]) / 100;
    return v <= 1 ? Math.round(v * 1e6) / 1e6 : 'invalid';
  }
  if (/^(0(\.\d+)?|1(\.0+)?)$/.test(t)) return Number(t);
  return 'invalid';
}

export const shareRule = {
  validator: (_: unknown, v: string) =>
    parseShare(v) === 'invalid' ? Promise.reject(new Error('请填写如“1/3”“40%”或“0.4”的比例')) : Promise.resolve(),
};

/** The form keeps shares as text and quotas with an explicit "by share / by count" switch. */
export type SettingsForm = Omit<CampaignSettings, 'report' | 'grading'> & {
  report: Omit<CampaignSettings['report'], 'achievementsMaxShare'> & { achievementsMaxShare: string };
  grading: Omit<CampaignSettings['grading'], 'quotas' | 'autoPoor'> & {
    quotas: (Omit<CampaignSettings['grading']['quotas'][number], 'share'> & {
      by: 'share' | 'count';
      share?: string;
    })[];
    autoPoor: Omit<CampaignSettings['grading']['autoPoor'], 'averageOrPoorShareAbove'> & {
      averageOrPoorShareAbove: string;
    };
  };
};

export function toForm(s: CampaignSettings): SettingsForm {
  const c = structuredClone(s);
  return {
    ...c,
    report: { ...c.report, achievementsMaxShare: shareToText(c.report.achievementsMaxShare) },
    grading: {
      ...c.grading,
      quotas: c.grading.quotas.map((q) => ({
        ...q,
        by: q.share === undefined ? 'count' : 'share',
        share: shareToText(q.share),
      })),
      autoPoor: {
        ...c.grading.autoPoor,
        averageOrPoorShareAbove: shareToText(c.grading.autoPoor.averageOrPoorShareAbove),
      },
    },
  };
}

const share = (t: string | undefined) => {
  const v = parseShare(t);
  return v === 'invalid' ? null : v;
};

/** 003 附件2, used when 下评 is switched on in a campaign whose template had no such form. */
function defaultDownwardForm(year: number) {
  return TEMPLATES.find((t) => t.id === '003')?.build(year).meeting.ballotForms.downward ?? null;
}

/**
 * A cleared multi-select leaves an empty list, and an empty list matches nothing (routes.ts reads
 * `sectors: []` as "no sector"), so criteria the organizer cleared are dropped to mean "不限".
 * An explicit `orgIds` list is kept even when empty: the server then says the rule is unbound.
 */
function cleanCriteria<M extends { sectors?: unknown[]; kinds?: unknown[]; levels?: unknown[] }>(m: M | undefined): M {
  const out = { ...(m ?? {}) } as M;
  for (const k of ['sectors', 'kinds', 'levels'] as const) {
    const list = out[k];
    if (list === undefined || list === null || (Array.isArray(list) && list.length === 0)) delete out[k];
  }
  return out;
}

export function fromForm(v: SettingsForm, original: CampaignSettings, year: number): CampaignSettings {
  const { quotas, autoPoor, ...grading } = v.grading;
  const downwardReview = !!v.meeting.downwardReview;
  const downward =
    v.meeting.ballotForms?.downward ??
    original.meeting.ballotForms.downward ??
    (downwardReview ? defaultDownwardForm(year) : null);
  return {
    ...original,
    ...v,
    report: { ...original.report, ...v.report, achievementsMaxShare: share(v.report.achievementsMaxShare) },
    meeting: {
      ...original.meeting,
      ...v.meeting,
      ballotForms: { ...original.meeting.ballotForms, ...v.meeting.ballotForms, downward },
      selfCommitteeReport: {
        enabled: !!v.meeting.selfCommitteeReport?.enabled,
        completeBy: v.meeting.selfCommitteeReport?.completeBy || null,
      },
    },
    grading: {
      ...original.grading,
      ...grading,
      quotas: (quotas ?? []).map(({ by, share: s, count, ...q }) =>
        by === 'count' ? { ...q, count: count ?? 0 } : { ...q, share: share(s) ?? 0 },
      ),
      autoPoor: { ...autoPoor, averageOrPoorShareAbove: share(autoPoor.averageOrPoorShareAbove) },
    },
    summary: { ...original.summary, ...v.summary, upperBody: v.summary?.upperBody?.trim() || null },
    reporterTiers: (v.reporterTiers ?? []).map((t) => ({ ...t, match: cleanCriteria(t.match) })),
    routes: (v.routes ?? []).map((r) => ({ ...r, match: cleanCriteria(r.match) })),
    keyContentItems: (v.keyContentItems ?? []).map((k, i) => ({
      id: k.id || `k${i + 1}`,
      title: k.title,
      description: k.description ?? '',
    })),
  };
}

/** A server field path ("phases.3.end", "settings.routes.0.reportTo") as a form name path. */
export function toNamePath(field: string): NamePath {
  return field
    .replace(/^settings\./, '')
    .split('.')
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

const samePrefix = (a: NamePath, b: NamePath) => a.length <= b.length && a.every((x, i) => x === b[i]);

/**
 * Puts the server's message on the deepest registered field the server's path names (the
 * settings form nests lists inside lists), and always shows it as a message too, because the
 * field may sit in a collapsed section. Returns the name path used, if any.
 */
export function showSettingsError(form: FormInstance, error: unknown): NamePath | null {
  if (!isApiError(error)) {
    notify.error('操作失败，请稍后重试');
    return null;
  }
  if (error.code === 'ABORTED' || error.status === 401) return null;
  notify.error(error.message);
  const raw = (error.details as { field?: unknown } | undefined)?.field;
  if (typeof raw !== 'string') return null;
  const path = toNamePath(raw);
  const registered = form.getFieldsError().map((f) => f.name as NamePath);
  // The deepest field on the path, else the first field inside a group the server named as a whole.
  const target =
    registered.filter((n) => samePrefix(n, path)).sort((a, b) => b.length - a.length)[0] ??
    registered.find((n) => samePrefix(path, n));
  if (target) {
    form.setFields([{ name: target, errors: [error.message] }]);
    form.scrollToField(target, { block: 'center' });
    return target;
  }
  return path;
}
