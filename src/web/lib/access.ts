import type { Role } from '../api/types';

export type Section = 'orgs' | 'accounts' | 'audit';

/**
 * Which sections each role opens. Mirrors the server's policies (the server decides; this only
 * hides what would be refused): the auditor reads the audit log and nothing else (三员分立),
 * account management belongs to the organization department admin, every other role reads the
 * organization tree within its scope (a secretary: their own organization).
 */
const SECTIONS: Record<Section, readonly Role[]> = {
  orgs: ['org_admin', 'secretary', 'leader', 'assessor', 'observer'],
  accounts: ['org_admin'],
  audit: ['auditor'],
};

export const SECTION_PATHS: Record<Section, string> = {
  orgs: '/orgs',
  accounts: '/accounts',
  audit: '/audit',
};

export const canOpen = (role: Role, section: Section) => SECTIONS[section].includes(role);

export const sectionsFor = (role: Role): Section[] =>
  (Object.keys(SECTIONS) as Section[]).filter((s) => canOpen(role, s));

export function homePath(role: Role): string {
  const first = sectionsFor(role)[0];
  return first ? SECTION_PATHS[first] : '/no-access';
}

/** Only the organization department admin changes organizations, secretaries and members. */
export const canEditOrgs = (role: Role) => role === 'org_admin';
