/**
 * Which module owns which table (decision 022). Only the owner's files write a table; other modules read what the
 * owner publishes — typed functions in its `queries.ts`, or views it defines in a migration, named
 * `<owner>_v_<what>` — never the base table. scripts/check-boundaries.ts reads this map and lists every reference
 * a module's files make to another module's base table; the ratchet in boundaries.test.ts keeps that list from
 * growing.
 *
 * Every table of the Drizzle schema (src/server/db/schema*) is here once; boundaries.test.ts checks that too, so
 * a new table cannot be left without an owner. `audit_log` is written only through `writeAudit`
 * (src/server/http/audit.ts), the one audit writer every module calls.
 */
export const TABLE_OWNERS = {
  organizations: ['organizations', 'secretaries', 'committee_members', 'org_import_jobs', 'org_import_staging'],
  auth: ['users', 'sessions', 'login_guards', 'login_attempts'],
  audit: ['audit_log'],
  campaigns: ['campaigns', 'campaign_reporters'],
  oversight: ['observer_assignments', 'research_visits', 'visit_problems'],
  reports: [
    'reports',
    'report_versions',
    'report_review_events',
    'report_attachments',
    'report_reminders',
    'prior_rectification_items',
  ],
  rectification: [
    'rectification_items',
    'rectification_progress',
    'rectification_evidence',
    'rectification_verifications',
    'commitments',
  ],
  results: [
    'result_flags',
    'result_follow_ups',
    'key_management',
    'performance_scores',
    'performance_honours',
    'summary_reports',
  ],
  ballots: [
    'ballot_rounds',
    'ballot_code_batches',
    'ballot_codes',
    'ballot_code_uses',
    'ballots',
    'ballot_paper_tallies',
    'vote_failures',
  ],
  meetings: ['meetings', 'meeting_agenda_items', 'meeting_attendance', 'meeting_attendees', 'meeting_comments'],
  surveys: ['surveys', 'survey_items', 'survey_respondents', 'survey_tokens', 'survey_responses'],
  assessment: [
    'checklists',
    'checklist_items',
    'assessment_teams',
    'assessment_team_members',
    'assessment_assignments',
    'field_scores',
    'field_score_photos',
  ],
  evaluation: [
    'evaluation_inputs',
    'evaluations',
    'evaluation_results',
    'grade_changes',
    'evaluation_reviews',
    'evaluation_ballot_tallies',
    'evaluation_survey_tallies',
    'evaluation_field_tallies',
    'evaluation_tallied',
  ],
  themes: ['comment_theme_jobs', 'theme_drafts'],
} as const satisfies Record<string, readonly string[]>;

export type OwningModule = keyof typeof TABLE_OWNERS;

/** table name → owning module. */
export const OWNER_OF: ReadonlyMap<string, OwningModule> = new Map(
  (Object.entries(TABLE_OWNERS) as [OwningModule, readonly string[]][]).flatMap(([m, ts]) =>
    ts.map((t) => [t, m] as const),
  ),
);
