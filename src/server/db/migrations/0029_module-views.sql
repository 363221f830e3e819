-- custom: views a module publishes for set-based reads by other modules (decision 022). Each is named
-- <owner>_v_<what> and is the owner's contract: the owner may change its base tables as long as the view keeps its
-- columns and meaning (tests/integration/module-views.test.ts). They are plain projections and joins, no aggregates,
-- so the planner inlines them and a caller's filter reaches the base tables' indexes as before. The paper tallies that
-- count are not a view: which entries match is a domain rule built from the domain's constants
-- (ballots/queries.ts, matchedPaperTallies), which a view would copy.

-- organizations: the tree's units as every module names them.
CREATE VIEW "organizations_v_units" AS
SELECT o.id, o.parent_id, o.name, o.code, o.kind, o.sector, o.level, o.path, o.depth
FROM organizations o;
--> statement-breakpoint

-- campaigns: every reporter row of a campaign, removed ones and 下评 rows included (callers filter role/removed_at).
CREATE VIEW "campaigns_v_reporters" AS
SELECT cr.id, cr.campaign_id, cr.org_id, cr.report_to_org_id, cr.role, cr.secretary_id, cr.tier_key, cr.written_only,
  cr.removed_at
FROM campaign_reporters cr;
--> statement-breakpoint

-- ballots: released real rounds with their campaign (a round belongs to a meeting, a meeting to a campaign).
CREATE VIEW "ballots_v_released_rounds" AS
SELECT r.id, r.meeting_id, m.campaign_id, r.anonymity
FROM ballot_rounds r JOIN meetings m ON m.id = r.meeting_id
WHERE r.mode = 'real' AND r.state = 'released';
--> statement-breakpoint

-- ballots: what a counted phone ballot says — no id, code, text or time (R-VOTE-2).
CREATE VIEW "ballots_v_cast" AS
SELECT b.round_id, b.reporter_id, b.category, b.grade
FROM ballots b;
--> statement-breakpoint

-- ballots: the paper double entries (R-VOTE-4), one row per entry, counts not included.
CREATE VIEW "ballots_v_paper_entries" AS
SELECT t.round_id, t.reporter_id, t.category, t.entry_no
FROM ballot_paper_tallies t;
--> statement-breakpoint

-- surveys: closed surveys (answering and paper entry need an open survey, so closed is final).
CREATE VIEW "surveys_v_closed" AS
SELECT s.id, s.campaign_id
FROM surveys s
WHERE s.state = 'closed';
--> statement-breakpoint

-- surveys: each response's answers (item → level) per unit — no token, id or source (R-ASSESS-3).
CREATE VIEW "surveys_v_answers" AS
SELECT r.survey_id, r.reporter_id, r.answers
FROM survey_responses r;
--> statement-breakpoint

-- assessment: completed field assessments, one per reporter, with the campaign of the team.
CREATE VIEW "assessment_v_completed" AS
SELECT a.reporter_id, a.team_id, t.campaign_id, a.completed_at
FROM assessment_assignments a JOIN assessment_teams t ON t.id = a.team_id
WHERE a.completed_at IS NOT NULL;
--> statement-breakpoint

-- assessment: every field score with its item's maximum.
CREATE VIEW "assessment_v_item_scores" AS
SELECT fs.reporter_id, fs.item_id, fs.score, ci.max_points
FROM field_scores fs JOIN checklist_items ci ON ci.id = fs.item_id;
--> statement-breakpoint

-- evaluation: each campaign's evaluation state (open, locked) and when it was locked.
CREATE VIEW "evaluation_v_state" AS
SELECT e.campaign_id, e.state, e.locked_at
FROM evaluations e;
--> statement-breakpoint

-- evaluation: each reporter's result — composite, ranks, suggested and final grade, the committee's direction.
CREATE VIEW "evaluation_v_results" AS
SELECT er.reporter_id, er.campaign_id, er.composite, er.rank, er.sector_rank, er.suggested_grade, er.final_grade,
  er.opinion_direction
FROM evaluation_results er;
--> statement-breakpoint

-- ballots: every round with its meeting, mode (real, rehearsal) and state.
CREATE VIEW "ballots_v_rounds" AS
SELECT r.id, r.meeting_id, r.mode, r.state
FROM ballot_rounds r;
--> statement-breakpoint

-- meetings: each meeting's campaign and title.
CREATE VIEW "meetings_v_meetings" AS
SELECT m.id, m.campaign_id, m.title
FROM meetings m;
--> statement-breakpoint

-- themes: the draft problems the organizer proposed from comment themes, as the rectification inbox lists them.
CREATE VIEW "themes_v_drafts" AS
SELECT d.id, d.campaign_id, d.org_id, d.reporter_id, d.label, d.comment_count, d.quotes, d.state, d.merged_item_id
FROM theme_drafts d;
--> statement-breakpoint

-- auth: who an account is, as other modules name and filter people — no password hash or password state.
CREATE VIEW "auth_v_users" AS
SELECT u.id, u.username, u.display_name, u.role, u.scope_org_id, u.org_id, u.disabled
FROM users u;
