import { describe, expect, it } from 'vitest';
import { buildFromTemplate, TEMPLATES } from '../../../domain/campaign-templates';
import { validateSettings } from '../../../domain/campaign-settings';
import { fromForm, parseShare, shareToText, toForm, toNamePath } from './settings-form';

describe('campaign settings form', () => {
  it.each(TEMPLATES.map((t) => t.id))('R-CAMP-7 template %s survives the form unchanged and stays valid', (id) => {
    const { settings } = buildFromTemplate(id, 2025);
    const back = fromForm(toForm(settings), settings, 2025);
    expect(back).toEqual(settings);
    expect(() => validateSettings(back)).not.toThrow();
  });

  it('reads shares as organizers write them', () => {
    expect(parseShare('1/3')).toEqual({ num: 1, den: 3 });
    expect(parseShare('40%')).toBe(0.4);
    expect(parseShare('0.15')).toBe(0.15);
    expect(parseShare('')).toBeNull();
    expect(parseShare('4/3')).toBe('invalid');
    expect(parseShare('abc')).toBe('invalid');
    expect(shareToText({ num: 1, den: 3 })).toBe('1/3');
    expect(shareToText(0.1)).toBe('10%');
  });

  it('drops cleared criteria (an empty list would match nothing) but keeps an explicit empty orgIds', () => {
    const { settings } = buildFromTemplate('002', 2025);
    const form = toForm(settings);
    form.reporterTiers[0].match = { ...form.reporterTiers[0].match, sectors: [] };
    form.routes[1].match = { ...form.routes[1].match, kinds: [] };
    const back = fromForm(form, settings, 2025);
    expect(back.reporterTiers[0].match.sectors).toBeUndefined();
    expect(back.routes[1].match.kinds).toBeUndefined();
    expect(back.routes[0].match.orgIds).toEqual([]);
  });

  it('R-CAMP-4 switching 下评 on supplies the seed 003 downward form', () => {
    const { settings } = buildFromTemplate('002', 2025);
    const form = toForm(settings);
    form.meeting.downwardReview = true;
    const back = fromForm(form, settings, 2025);
    expect(back.meeting.ballotForms.downward?.title).toBe('党委书记抓基层党建工作报告评议表');
    expect(() => validateSettings(back)).not.toThrow();
  });

  it('maps server field paths onto form name paths', () => {
    expect(toNamePath('phases.3.end')).toEqual(['phases', 3, 'end']);
    expect(toNamePath('settings.routes.0.reportTo')).toEqual(['routes', 0, 'reportTo']);
  });
});
