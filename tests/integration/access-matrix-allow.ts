/**
 * The access matrix as data: route → the users that may get a 2xx when the path (and any id in the body or query)
 * points at county A's objects. Users: the six roles of county A (adminA = county org_admin, townAdminA = township
 * org_admin of the campaign's organizer, secretaryA = secretary of a reporting village, leaderA, assessorA = member of
 * the team scoring that village, observerA), the same six of county B, and the auditor. Anything 2xx outside its
 * row is an "unexpected allow" and fails the test; a route without a row fails as "unclassified".
 *
 * County B users appear only on collection routes that carry no county A id (lists of "my" things, templates):
 * there a 2xx is their own data, and the runner checks no county A name (all begin with 甲) is in the answer.
 */
export const PUBLIC_ROUTES = [
  'GET /api/health', 'GET /api/openapi.json', 'GET /api/meta', 'POST /api/auth/login',
  'POST /api/vote/sheet', 'POST /api/vote/ballots', 'POST /api/survey/sheet', 'POST /api/survey/responses',
  'GET /api/public/reports/:token', 'GET /p/reports/:token',
];

/** Server-sent event streams: allowed users get an endless response; the status is taken from the headers. */
export const STREAMS = new Set(['GET /api/meetings/:id/events', 'GET /api/meetings/:id/live']);

/**
 * Routes whose handler checks the object's state BEFORE the caller's access, so every signed-in caller gets the same
 * state error (the status given) on this world. Not an allow — nothing is changed or shown beyond the state — but not
 * a proof of denial either; listed so the gap is visible (issue 8 report) and the test fails if it changes.
 */
export const STATE_BEFORE_ACCESS: Record<string, number> = {
  // A secretary whose organization does not report in this campaign (county B's) is refused as invalid input.
  'POST /api/campaigns/:id/commitments': 400,
};

const ALL_A = 'adminA townAdminA secretaryA leaderA assessorA observerA';
const ALL_B = 'adminB townAdminB secretaryB leaderB assessorB observerB';
const EVERYONE = `${ALL_A} ${ALL_B} auditor`;
/** Organizer admins: the county admin and the township admin (the campaign's organizer). */
const ADM = 'adminA townAdminA';
const COUNTY_ADM = 'adminA';
const LEAD = `${ADM} leaderA`;
const READ = `${ADM} leaderA assessorA observerA`;
const SEC = 'secretaryA';

export const ALLOW: Record<string, string> = {
  // auth, own session
  'POST /api/auth/logout': EVERYONE,
  'GET /api/auth/me': EVERYONE,
  // organizations (the village of county A; the county admin manages structure, a township admin edits within)
  'GET /api/orgs/roots': `${ALL_A} ${ALL_B}`,
  'GET /api/orgs/:id/children': ALL_A,
  'GET /api/orgs/search': `${ALL_A} ${ALL_B}`,
  'GET /api/orgs/import/template': EVERYONE,
  'POST /api/orgs/import': `${ADM} adminB townAdminB`,
  'POST /api/orgs/import-jobs': `${ADM} adminB townAdminB`,
  'GET /api/orgs/import-jobs/:id': ADM,
  'GET /api/orgs/:id/export': ALL_A,
  'GET /api/orgs/:id': ALL_A,
  'POST /api/orgs': ADM,
  'PATCH /api/orgs/:id': ADM,
  'POST /api/orgs/:id/move': ADM,
  'PUT /api/orgs/:id/secretary': ADM,
  'POST /api/orgs/:id/members': ADM,
  'PATCH /api/members/:id': ADM,
  'DELETE /api/members/:id': ADM,
  // accounts (the user addressed is county A's secretary)
  'GET /api/users': `${ADM} adminB townAdminB`,
  'POST /api/users': `${ADM} adminB townAdminB`,
  'PATCH /api/users/:id': ADM,
  'POST /api/users/:id/unlock': ADM,
  'POST /api/users/:id/password': ADM,
  // audit: the auditor only
  'GET /api/audit': 'auditor',
  'GET /api/audit/verify': 'auditor', // the chain check (issue 8 audit integrity)
  'GET /api/audit/export': 'auditor', // the .xlsx export with a signed anchor (issue 15 audit integrity)
  // campaigns
  'GET /api/campaign-templates': EVERYONE, // the template catalogue, no county data
  'GET /api/campaigns': `${ALL_A} ${ALL_B}`,
  'POST /api/campaigns': `${ADM} adminB townAdminB`,
  'GET /api/campaigns/:id': `${READ} ${SEC}`,
  'PUT /api/campaigns/:id/settings': ADM,
  'PUT /api/campaigns/:id/scope': ADM,
  'GET /api/campaigns/:id/scope/preview': READ,
  'GET /api/campaigns/:id/gaps': READ,
  'POST /api/campaigns/:id/publish': ADM,
  'POST /api/campaigns/:id/phases/:key/:action': ADM,
  'GET /api/campaigns/:id/phases/:key/pending': ADM, // what closing the phase would leave open (R-CAMP-8)
  'POST /api/campaigns/:id/close': ADM,
  'POST /api/campaigns/:id/archive': ADM,
  'GET /api/campaigns/:id/reporters': READ,
  'GET /api/campaigns/:id/reporters/export': READ,
  'POST /api/campaigns/:id/reporters': ADM,
  'POST /api/campaigns/:id/reporters/:rid/remove': ADM,
  'POST /api/campaigns/:id/reporters/:rid/self-committee': `${ADM} ${SEC}`, // the reporter's own side keeps and files it (R-CAMP-5)
  'POST /api/campaigns/:id/reporters/:rid/self-committee/file': `${ADM} ${SEC}`,
  'POST /api/campaigns/:id/filing/submit': ADM,
  // Past access for the campaign's admins; the matrix campaign is top-level, so they then get FILING_NOT_REQUIRED.
  'POST /api/campaigns/:id/filing/acknowledge': ADM,
  'POST /api/campaigns/:id/filing/return': ADM,
  // oversight
  'GET /api/campaigns/:id/observers': ADM,
  'GET /api/campaigns/:id/observers/candidates': ADM,
  'GET /api/campaigns/:id/observers/export': ADM,
  'POST /api/campaigns/:id/observers': ADM,
  'DELETE /api/campaigns/:id/observers/:assignmentId': ADM,
  'GET /api/my/tasks': EVERYONE, // the caller's own observer tasks
  'POST /api/my/tasks/:id/observation': 'observerA',
  'GET /api/campaigns/:id/visits': READ,
  'POST /api/campaigns/:id/visits': READ,
  'PATCH /api/campaigns/:id/visits/:visitId': ADM,
  'GET /api/campaigns/:id/progress': LEAD,
  'GET /api/campaigns/:id/progress/export': LEAD,
  // ballots
  'GET /api/meetings/:id/ballot-rounds': ADM,
  'POST /api/meetings/:id/ballot-rounds': ADM,
  'GET /api/ballot-rounds/:id': ADM,
  'POST /api/ballot-rounds/:id/codes': ADM,
  'POST /api/ballot-rounds/:id/open': ADM,
  'POST /api/ballot-rounds/:id/room-code': ADM,
  'POST /api/ballot-rounds/:id/close': ADM,
  'POST /api/ballot-rounds/:id/release': ADM,
  'POST /api/ballot-rounds/:id/paper-counts': ADM,
  'POST /api/ballot-rounds/:id/purge': ADM,
  'GET /api/ballot-rounds/:id/reconciliation': ADM,
  'GET /api/ballot-rounds/:id/paper-tallies': ADM,
  'POST /api/ballot-rounds/:id/paper-tallies': ADM,
  'DELETE /api/ballot-rounds/:id/paper-tallies/:tallyId': ADM,
  'GET /api/ballot-rounds/:id/results': `${READ} ${SEC}`, // released results only (409 RESULTS_HIDDEN before)
  'GET /api/ballot-rounds/:id/results.xlsx': `${READ} ${SEC}`,
  'GET /api/meetings/:id/paper-forms.docx': ADM,
  'GET /api/meetings/:id/live': READ,
  // results
  'POST /api/campaigns/:id/results/derive': ADM,
  'GET /api/campaigns/:id/results/flags': LEAD,
  'GET /api/campaigns/:id/results/flags.xlsx': LEAD,
  'GET /api/campaigns/:id/results/follow-ups': LEAD,
  'POST /api/result-follow-ups/:id/record': ADM,
  'POST /api/campaigns/:id/results/accountability': ADM,
  'POST /api/campaigns/:id/key-management/propose': ADM,
  'GET /api/campaigns/:id/key-management': LEAD,
  'POST /api/campaigns/:id/key-management': ADM,
  'POST /api/campaigns/:id/key-management/:itemId': ADM,
  'GET /api/campaigns/:id/key-management.xlsx': LEAD,
  'GET /api/results/performance-template.xlsx': EVERYONE, // a blank form
  'POST /api/campaigns/:id/performance/import': ADM,
  'GET /api/campaigns/:id/performance/parallel': LEAD,
  'GET /api/campaigns/:id/performance/parallel.xlsx': LEAD,
  'GET /api/campaigns/:id/summary': LEAD,
  'PUT /api/campaigns/:id/summary': ADM,
  'POST /api/campaigns/:id/summary/submit': ADM,
  'POST /api/campaigns/:id/summary/receive': COUNTY_ADM, // the upper level receives the township's summary
  'GET /api/campaigns/:id/summary.docx': LEAD,
  'GET /api/campaigns/:id/results-table.xlsx': LEAD,
  'GET /api/summary-reports/inbox': `${ADM} adminB townAdminB`,
  'GET /api/campaigns/:id/dashboard': LEAD,
  // meetings
  'GET /api/campaigns/:id/meetings': READ,
  'POST /api/campaigns/:id/meetings': ADM,
  'GET /api/meetings/:id': READ,
  'PATCH /api/meetings/:id': ADM,
  'DELETE /api/meetings/:id': ADM,
  'PUT /api/meetings/:id/agenda': ADM,
  'POST /api/meetings/:id/agenda/default': ADM,
  'PUT /api/meetings/:id/step': ADM,
  'POST /api/meetings/:id/timer': ADM,
  'PUT /api/meetings/:id/attendance': ADM,
  'POST /api/meetings/:id/close': ADM,
  'POST /api/meetings/:id/comments': LEAD,
  'PATCH /api/meetings/:id/comments/:commentId': LEAD,
  'DELETE /api/meetings/:id/comments/:commentId': LEAD,
  'GET /api/meetings/:id/events': READ,
  'GET /api/meetings/:id/record.docx': READ,
  'GET /api/meetings/:id/sheet.xlsx': READ,
  // assessment (实地考核): admins manage, leaders read, the team's assessor scores
  'GET /api/campaigns/:id/checklists': LEAD,
  'POST /api/campaigns/:id/checklists': ADM,
  'POST /api/campaigns/:id/checklists/from-template': ADM,
  'PATCH /api/checklists/:id': ADM,
  'DELETE /api/checklists/:id': ADM,
  'POST /api/checklists/:id/items': ADM,
  'PATCH /api/checklist-items/:id': ADM,
  'DELETE /api/checklist-items/:id': ADM,
  'GET /api/campaigns/:id/assessment-teams': LEAD,
  'GET /api/campaigns/:id/assessment-teams/candidates': ADM,
  'POST /api/campaigns/:id/assessment-teams': ADM,
  'PATCH /api/assessment-teams/:id': ADM,
  'DELETE /api/assessment-teams/:id': ADM,
  'GET /api/campaigns/:id/assessment/progress': `${LEAD} assessorA`,
  'GET /api/campaigns/:id/assessment/export': LEAD,
  'GET /api/assessment/my': EVERYONE, // own teams only (empty for other roles)
  'GET /api/assessment/reporters/:id': `${LEAD} assessorA`,
  'PUT /api/assessment/reporters/:id/scores': 'assessorA',
  'POST /api/assessment/reporters/:id/complete': 'assessorA',
  'POST /api/assessment/reporters/:id/reopen': ADM,
  'POST /api/assessment/reporters/:id/items/:itemId/photos': 'assessorA',
  'GET /api/assessment/reporters/:id/photos/:photoId': `${LEAD} assessorA`,
  // reports: the secretary writes their own; admins/leaders review
  'GET /api/reports/tasks': EVERYONE,
  'GET /api/reports/queue': `${LEAD} adminB townAdminB leaderB`,
  'POST /api/reports/reminders': `${LEAD} adminB townAdminB leaderB`,
  'GET /api/reports/published': EVERYONE,
  'POST /api/reports/open': `${LEAD} ${SEC}`,
  'POST /api/reports/publish': ADM,
  'GET /api/reports/:id': `${LEAD} ${SEC}`,
  'PUT /api/reports/:id/sections': SEC,
  'POST /api/reports/:id/check': SEC,
  'POST /api/reports/:id/docx': SEC,
  'POST /api/reports/:id/transitions': `${LEAD} ${SEC}`,
  'GET /api/reports/:id/versions/:versionNo/docx': `${LEAD} ${SEC}`,
  'GET /api/reports/:id/diff': `${LEAD} ${SEC}`,
  'POST /api/reports/:id/attachments': SEC,
  'GET /api/reports/:id/attachments/:attachmentId': `${LEAD} ${SEC}`,
  'DELETE /api/reports/:id/attachments/:attachmentId': SEC,
  'GET /api/reporters/:id/rectification-items': `${LEAD} ${SEC}`,
  'POST /api/reporters/:id/rectification-items': ADM,
  'DELETE /api/reporters/:id/rectification-items/:itemId': ADM,
  // surveys
  'GET /api/campaigns/:id/surveys': READ,
  'POST /api/campaigns/:id/surveys': ADM,
  'GET /api/surveys/:id': READ,
  'PATCH /api/surveys/:id': ADM,
  'POST /api/surveys/:id/open': ADM,
  'POST /api/surveys/:id/close': ADM,
  'GET /api/surveys/:id/respondents': ADM,
  'POST /api/surveys/:id/respondents': ADM,
  'DELETE /api/surveys/:id/respondents/:respondentId': ADM,
  'GET /api/survey-respondents/template': EVERYONE,
  'POST /api/surveys/:id/respondents/import': ADM,
  'POST /api/surveys/:id/sample': ADM,
  'POST /api/surveys/:id/tokens': ADM,
  'POST /api/surveys/:id/paper-responses': ADM,
  'GET /api/surveys/:id/results': READ,
  'GET /api/surveys/:id/results.xlsx': READ,
  // rectification
  'GET /api/campaigns/:id/rectification/inbox': `${READ} ${SEC}`,
  'POST /api/campaigns/:id/rectification/items': `${ADM} ${SEC}`,
  'GET /api/rectification/items': `${ALL_A} ${ALL_B}`,
  'GET /api/rectification/items/:id': ALL_A,
  'PATCH /api/rectification/items/:id': `${ADM} ${SEC}`,
  'DELETE /api/rectification/items/:id': ADM, // the secretary only items they created (this one the county recorded)
  'POST /api/rectification/items/:id/actions': `${ADM} ${SEC}`,
  'POST /api/rectification/items/:id/progress': `${ADM} ${SEC}`,
  'POST /api/rectification/items/:id/evidence': `${ADM} ${SEC}`,
  'GET /api/rectification/items/:id/evidence/:evidenceId': ALL_A,
  'POST /api/rectification/items/:id/verifications': LEAD, // the upper level, never the unit itself
  'GET /api/campaigns/:id/rectification/bulletin.docx': LEAD,
  'POST /api/campaigns/:id/rectification/carry-over': ADM,
  // commitments: the list and the published progress answer every signed-in user with only what
  // canReadPublished lets them see (the campaign's publication audience); county B sees no county A unit.
  'GET /api/campaigns/:id/commitments': EVERYONE,
  'POST /api/campaigns/:id/commitments': SEC,
  'GET /api/campaigns/:id/rectification/published-progress': EVERYONE,
  'POST /api/campaigns/:id/commitments/publish': ADM,
  'PATCH /api/commitments/:id': SEC,
  'POST /api/commitments/:id/file': SEC,
  'POST /api/commitments/:id/review': ADM,
  // evaluation
  'GET /api/campaigns/:id/evaluation/outputs': ADM,
  'GET /api/campaigns/:id/evaluation/outputs/feedback-letters': ADM,
  'GET /api/campaigns/:id/evaluation/outputs/feedback-letters/:reporterId': `${ADM} ${SEC}`,
  'GET /api/campaigns/:id/evaluation/outputs/notice': ADM,
  'GET /api/campaigns/:id/evaluation/outputs/cadre-sheets': ADM,
  'GET /api/campaigns/:id/evaluation/outputs/ranking': ADM,
  'GET /api/campaigns/:id/evaluation': `${LEAD} observerA`,
  'POST /api/campaigns/:id/evaluation/recompute': ADM,
  'GET /api/campaigns/:id/evaluation/inputs': `${LEAD} observerA`,
  'PUT /api/campaigns/:id/evaluation/inputs': ADM,
  'GET /api/campaigns/:id/evaluation/inputs/template.xlsx': ADM,
  'POST /api/campaigns/:id/evaluation/inputs/import': ADM,
  // Past access for the organizer's admins (leaders review); the evaluation is not computed here, so NOT_COMPUTED follows.
  'PUT /api/campaigns/:id/evaluation/results/:reporterId/decision': ADM,
  'DELETE /api/campaigns/:id/evaluation/results/:reporterId/decision': ADM,
  'PUT /api/campaigns/:id/evaluation/results/:reporterId/opinion': ADM,
  'PUT /api/campaigns/:id/evaluation/results/:reporterId/review': 'leaderA',
  'GET /api/campaigns/:id/evaluation/results/:reporterId/history': `${LEAD} observerA`,
  'GET /api/campaigns/:id/evaluation/lock': ADM,
  'POST /api/campaigns/:id/evaluation/lock': ADM,
  'GET /api/campaigns/:id/evaluation/mine': SEC,
};
