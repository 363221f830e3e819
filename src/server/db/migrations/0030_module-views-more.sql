-- custom: more views modules publish for set-based reads by other modules (decision 022; 0029 has the first 15).
-- Same rules: named <owner>_v_<what>, the owner's contract (tests/integration/module-views.test.ts fixes the
-- columns), plain projections without aggregates or filters, so the planner inlines them and a caller's filter
-- reaches the base tables' indexes as before.

-- organizations: every secretary's tenure (the current one has no tenure_end) — no phone.
CREATE VIEW "organizations_v_secretaries" AS
SELECT s.id, s.org_id, s.name, s.position, s.tenure_start, s.tenure_end
FROM secretaries s;
--> statement-breakpoint

-- campaigns: each round's plan as other modules read it — its place in the tree, organizer, state, settings and phases.
CREATE VIEW "campaigns_v_campaigns" AS
SELECT c.id, c.parent_id, c.organizer_org_id, c.year, c.title, c.state, c.settings, c.phases, c.filing_state, c.complete_by
FROM campaigns c;
--> statement-breakpoint

-- meetings: each meeting's date, place and state (meetings_v_meetings has only the campaign and title).
CREATE VIEW "meetings_v_schedule" AS
SELECT m.id, m.campaign_id, m.title, m.meeting_date, m.place, m.state
FROM meetings m;
--> statement-breakpoint

-- meetings: the agenda — which reporter speaks at which meeting, in which place.
CREATE VIEW "meetings_v_agenda_items" AS
SELECT a.id, a.meeting_id, a.reporter_id, a.position, a.written_only
FROM meeting_agenda_items a;
--> statement-breakpoint

-- rectification: every item (sub-items have a parent_id) with its status, deadline and problem.
CREATE VIEW "rectification_v_items" AS
SELECT i.id, i.campaign_id, i.org_id, i.parent_id, i.status, i.deadline, i.description
FROM rectification_items i;
--> statement-breakpoint

-- results: each campaign's summary report state (draft, submitted, received) — no text.
CREATE VIEW "results_v_summary_states" AS
SELECT s.campaign_id, s.state, s.submitted_at
FROM summary_reports s;
--> statement-breakpoint

-- reports: each reporter's report state — no text.
CREATE VIEW "reports_v_states" AS
SELECT rp.id, rp.reporter_id, rp.campaign_id, rp.state
FROM reports rp;
--> statement-breakpoint

-- surveys: every survey with its campaign and state (surveys_v_closed has the closed ones only).
CREATE VIEW "surveys_v_surveys" AS
SELECT s.id, s.campaign_id, s.state
FROM surveys s;
--> statement-breakpoint

-- assessment: every field assignment, completed or not (assessment_v_completed has the completed ones).
CREATE VIEW "assessment_v_assignments" AS
SELECT a.reporter_id, a.team_id, a.completed_at
FROM assessment_assignments a;
