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
  'GET /api/health',
  'GET /api/openapi.json',
  'GET /api/meta',
  'POST /api/auth/login',
  'POST /api/vote/sheet',
  'POST /api/vote/ballots',
  'POST /api/survey/sheet',
  'POST /api/survey/responses',
  'GET /api/public/reports/:token',
  'GET /p/reports/:token',
];

/**
 * Outside county A's business roles, nobody allowed on a route may see county A's names (all begin with 甲) in its
 * answer — county B's users, the system-level auditor, and county A's 三员 on the routes every user may call (the
 * 三员 read no business data). Except where reading county A is the user's duty: listed here.
 */
export const SEES_COUNTY_A: Record<string, string[]> = {
  'GET /api/audit': ['auditor', 'auditorA'],
  'GET /api/users': ['sysAdminA', 'secAdminA'],
  'GET /api/orgs/roots': ['sysAdminA', 'secAdminA'],
  'GET /api/orgs/:id/children': ['sysAdminA', 'secAdminA'],
  'GET /api/orgs/search': ['sysAdminA', 'secAdminA'],
  'GET /api/orgs/:id': ['sysAdminA'],
  'GET /api/orgs/:id/export': ['sysAdminA'],
};

/** Server-sent event streams: allowed users get an endless response; the status is taken from the headers. */
export const STREAMS = new Set(['GET /api/meetings/:id/events', 'GET /api/meetings/:id/live']);

/**
 * Routes whose handler checks the object's state BEFORE the caller's access, so every signed-in caller gets the same
 * state error (the status given) on this world. Not an allow — nothing is changed or shown beyond the state — but not
 * a proof of denial either; listed so the gap is visible (issue 8 report) and the test fails if it changes.
 */
export const STATE_BEFORE_ACCESS: Record<string, number> = {
  // (Issue 15 closed the one there was: county B's secretary drafting a commitment in county A's campaign got a 400
  // "not a reporter" — now the campaign is not found for them, like a missing id.)
};

/** The business roles of each county; the 三员 (decision 019) are named on each row where they are allowed. */
const ALL_A = 'adminA townAdminA secretaryA leaderA assessorA observerA';
const ALL_B = 'adminB townAdminB secretaryB leaderB assessorB observerB';
const SYS_A = 'sysAdminA secAdminA auditorA';
const SYS_B = 'sysAdminB secAdminB auditorB';
const EVERYONE = `${ALL_A} ${ALL_B} auditor`;
/**
 * Every signed-in user, the 三员 included: their own session, blank forms and catalogues, and lists of "my" things or
 * of what is published to everyone — empty or public for the 三员, which the runner checks (SEES_COUNTY_A).
 */
const ALL_USERS = `${EVERYONE} ${SYS_A} ${SYS_B}`;
/** 系统管理员 of county A keeps organization data and accounts beside the business admins. */
const ORG_ADM = 'adminA townAdminA sysAdminA';
/** Organizer admins: the county admin and the township admin (the campaign's organizer). */
const ADM = 'adminA townAdminA';
const COUNTY_ADM = 'adminA';
const LEAD = `${ADM} leaderA`;
const READ = `${ADM} leaderA assessorA observerA`;
const SEC = 'secretaryA';

export const ALLOW: Record<string, string> = {
  // auth, own session
  'POST /api/auth/logout': ALL_USERS,
  'GET /api/auth/me': ALL_USERS,
  'POST /api/auth/password': ALL_USERS, // one's own password, the current one required
  // organizations (the village of county A; the county admin manages structure, a township admin edits within)
  'GET /api/orgs/roots': `${ALL_A} ${ALL_B} sysAdminA secAdminA sysAdminB secAdminB`,
  'GET /api/orgs/:id/children': `${ALL_A} sysAdminA secAdminA`, // the security admin browses names to bind accounts
  'GET /api/orgs/search': `${ALL_A} ${ALL_B} sysAdminA secAdminA sysAdminB secAdminB`,
  'GET /api/orgs/import/template': ALL_USERS,
  'POST /api/orgs/import': `${ORG_ADM} adminB townAdminB sysAdminB`,
  'POST /api/orgs/import-jobs': `${ORG_ADM} adminB townAdminB sysAdminB`,
  'GET /api/orgs/import-jobs/:id': ADM,
  'GET /api/orgs/:id/export': `${ALL_A} sysAdminA`,
  'GET /api/orgs/:id': `${ALL_A} sysAdminA`,
  'POST /api/orgs': ORG_ADM,
  'PATCH /api/orgs/:id': ORG_ADM,
  'POST /api/orgs/:id/move': ORG_ADM,
  'PUT /api/orgs/:id/secretary': ORG_ADM,
  'POST /api/orgs/:id/members': ORG_ADM,
  'PATCH /api/members/:id': ORG_ADM,
  'DELETE /api/members/:id': ORG_ADM,
  // accounts (the user addressed is county A's secretary). 三员分立 (decision 019): the business admins and the 系统管理员
  // keep accounts (create, edit, disable, set a password), the 安全管理员 roles, unlocking and forced password changes.
  'GET /api/users': `${ADM} adminB townAdminB sysAdminA secAdminA sysAdminB secAdminB`,
  'POST /api/users': `${ORG_ADM} adminB townAdminB sysAdminB`,
  'PATCH /api/users/:id': `${ORG_ADM} secAdminA`, // the security admin: the role only
  'POST /api/users/:id/unlock': 'secAdminA',
  'POST /api/users/:id/password': ORG_ADM,
  'POST /api/users/:id/expire-password': 'secAdminA',
  'GET /api/security/policy': 'secAdminA secAdminB', // the settings from the environment, read-only
  // audit: the auditors only (the county auditors their subtree's rows, the system-level one all)
  'GET /api/audit': 'auditor auditorA auditorB',
  'GET /api/audit/verify': 'auditor auditorA auditorB', // the chain check: counts and seq numbers, no row content
  'GET /api/audit/export': 'auditor auditorA auditorB', // the .xlsx export with a signed anchor (issue 15 audit integrity)
  // campaigns
  'GET /api/campaign-templates': ALL_USERS, // the template catalogue, no county data
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
  'GET /api/my/tasks': ALL_USERS, // the caller's own observer tasks
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
  'GET /api/results/performance-template.xlsx': ALL_USERS, // a blank form
  'POST /api/campaigns/:id/performance/import': ADM,
  'PUT /api/campaigns/:id/performance/honours': ADM,
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
  'POST /api/meetings/:id/advance': ADM,
  'PUT /api/meetings/:id/attendees': ADM,
  'POST /api/meetings/:id/attendees/import': ADM,
  'GET /api/meetings/:id/attendees/template.xlsx': ADM,
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
  'GET /api/assessment/my': ALL_USERS, // own teams only (empty for other roles)
  'GET /api/assessment/reporters/:id': `${LEAD} assessorA`,
  'PUT /api/assessment/reporters/:id/scores': 'assessorA',
  'POST /api/assessment/reporters/:id/complete': 'assessorA',
  'POST /api/assessment/reporters/:id/reopen': ADM,
  'POST /api/assessment/reporters/:id/items/:itemId/photos': 'assessorA',
  'GET /api/assessment/reporters/:id/photos/:photoId': `${LEAD} assessorA`,
  // reports: the secretary writes their own; admins/leaders review
  'GET /api/reports/tasks': ALL_USERS,
  'GET /api/reports/queue': `${LEAD} adminB townAdminB leaderB`,
  'POST /api/reports/reminders': `${LEAD} adminB townAdminB leaderB`,
  'GET /api/reports/published': ALL_USERS,
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
  'GET /api/survey-respondents/template': ALL_USERS,
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
  'GET /api/campaigns/:id/commitments': ALL_USERS,
  'POST /api/campaigns/:id/commitments': SEC,
  'GET /api/campaigns/:id/rectification/published-progress': ALL_USERS,
  // comment themes (R-VOTE-6): the organizer; one reporter's themes also its own secretary, once the evaluation is locked
  'POST /api/campaigns/:id/themes/jobs': ADM,
  'GET /api/campaigns/:id/themes': ADM,
  'GET /api/campaigns/:id/themes/suggestions': ADM,
  'GET /api/campaigns/:id/themes/reporters/:orgId': `${ADM} ${SEC}`,
  'GET /api/campaigns/:id/themes/reporters/:orgId/docx': `${ADM} ${SEC}`,
  'GET /api/campaigns/:id/themes/xlsx': ADM,
  'POST /api/campaigns/:id/themes/drafts': ADM,
  'POST /api/theme-drafts/:id/merge': `${ADM} ${SEC}`,
  'POST /api/theme-drafts/:id/reject': `${ADM} ${SEC}`,
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
