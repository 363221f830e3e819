import { TEMPLATES, buildFromTemplate } from '../../../domain/campaign-templates';
import { describeSettings } from '../../../domain/campaign-settings';

/** The five seed templates (R-CAMP-7) with their settings in Chinese for the chosen year. */
export function listTemplates(year: number) {
  return TEMPLATES.map((t) => ({
    id: t.id,
    seedId: t.seedId,
    name: t.name,
    description: t.description,
    lines: describeSettings(buildFromTemplate(t.id, year).settings),
  }));
}
