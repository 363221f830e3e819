import type { Abilities, Section } from '../api/types';

export type { Section };

/**
 * Which sections a user opens comes from the server (`abilities.sections` of /api/auth/me, decision 025): each module's
 * policy answers for its own section, in menu order. The server still decides every request; the menu only hides
 * what would be refused.
 */
export const SECTION_PATHS: Record<Section, string> = {
  orgs: '/orgs',
  campaigns: '/campaigns',
  reports: '/reports',
  rectification: '/rectification',
  assess: '/assess',
  accounts: '/accounts',
  audit: '/audit',
  tasks: '/my-tasks',
};

export const canOpen = (abilities: Abilities, section: Section) => abilities.sections.includes(section);

export function homePath(abilities: Abilities | null): string {
  const first = abilities?.sections[0];
  return first ? SECTION_PATHS[first] : '/no-access';
}
