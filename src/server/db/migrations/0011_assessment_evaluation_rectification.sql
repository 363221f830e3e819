CREATE TABLE "assessment_assignments" (
	"id" serial PRIMARY KEY NOT NULL,
	"team_id" integer NOT NULL,
	"reporter_id" integer NOT NULL,
	"completed_at" timestamp with time zone,
	"completed_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_team_members" (
	"team_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	CONSTRAINT "assessment_team_members_team_id_user_id_pk" PRIMARY KEY("team_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "assessment_teams" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"name" text NOT NULL,
	"leader_name" text,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "checklist_items" (
	"id" serial PRIMARY KEY NOT NULL,
	"checklist_id" integer NOT NULL,
	"section" text NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL,
	"max_points" numeric(7, 2) NOT NULL,
	"guidance" text DEFAULT '' NOT NULL,
	"method" text NOT NULL,
	"removed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "checklists" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"title" text NOT NULL,
	"applies_to" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "field_score_photos" (
	"id" serial PRIMARY KEY NOT NULL,
	"score_id" integer NOT NULL,
	"file_name" text NOT NULL,
	"mime_type" text NOT NULL,
	"size" integer NOT NULL,
	"content" "bytea" NOT NULL,
	"uploaded_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "field_scores" (
	"id" serial PRIMARY KEY NOT NULL,
	"reporter_id" integer NOT NULL,
	"item_id" integer NOT NULL,
	"score" numeric(7, 2) NOT NULL,
	"failed" boolean DEFAULT false NOT NULL,
	"note" text,
	"client_id" uuid,
	"scored_by" integer,
	"scored_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "survey_items" (
	"id" serial PRIMARY KEY NOT NULL,
	"survey_id" integer NOT NULL,
	"position" integer NOT NULL,
	"text" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "survey_respondents" (
	"id" serial PRIMARY KEY NOT NULL,
	"survey_id" integer NOT NULL,
	"reporter_id" integer NOT NULL,
	"name" text NOT NULL,
	"category" text NOT NULL,
	"phone" text,
	"sample_order" integer
);
--> statement-breakpoint
CREATE TABLE "survey_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"survey_id" integer NOT NULL,
	"reporter_id" integer NOT NULL,
	"answers" jsonb NOT NULL,
	"source" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "survey_tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"survey_id" integer NOT NULL,
	"reporter_id" integer NOT NULL,
	"token_hash" text NOT NULL,
	"used" boolean DEFAULT false NOT NULL,
	"voided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "surveys" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"title" text NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"sample_size" integer NOT NULL,
	"seed" text,
	"sampled_at" timestamp with time zone,
	"opened_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_inputs" (
	"reporter_id" integer PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"daily_score" numeric(7, 2),
	"daily_note" text,
	"major_error" boolean DEFAULT false NOT NULL,
	"major_error_note" text,
	"accountability" boolean DEFAULT false NOT NULL,
	"accountability_note" text,
	"updated_by" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_results" (
	"reporter_id" integer PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"components" jsonb NOT NULL,
	"composite" numeric(7, 2),
	"rank" integer,
	"sector_rank" integer,
	"ballot_counts" jsonb,
	"average_or_poor_share" numeric(6, 4),
	"auto_poor_reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"suggested_grade" text,
	"suggestion_reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"final_grade" text,
	"final_reason" text,
	"opinion_achievements" text,
	"opinion_problems" text,
	"opinion_direction" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_reviews" (
	"id" serial PRIMARY KEY NOT NULL,
	"reporter_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"stance" text NOT NULL,
	"note" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluations" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"summary" jsonb,
	"computed_at" timestamp with time zone,
	"locked_at" timestamp with time zone,
	"locked_by" integer,
	"decision_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grade_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"reporter_id" integer NOT NULL,
	"old_grade" text,
	"new_grade" text NOT NULL,
	"suggested_grade" text,
	"reason" text,
	"changed_by" integer,
	"changed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "commitments" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"reporter_id" integer,
	"content" text NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"return_reason" text,
	"filed_at" timestamp with time zone,
	"acknowledged_by" integer,
	"acknowledged_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "key_management" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"reporter_id" integer,
	"sector" text NOT NULL,
	"composite_rank" integer,
	"state" text DEFAULT 'proposed' NOT NULL,
	"added_manually" boolean DEFAULT false NOT NULL,
	"reason" text,
	"upgrade_note" text,
	"upgraded_at" timestamp with time zone,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "performance_scores" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"performance_score" numeric(7, 2),
	"performance_rank" integer,
	"imported_by" integer,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rectification_evidence" (
	"id" serial PRIMARY KEY NOT NULL,
	"item_id" integer NOT NULL,
	"progress_id" integer,
	"file_name" text NOT NULL,
	"mime_type" text NOT NULL,
	"size" integer NOT NULL,
	"content" "bytea" NOT NULL,
	"uploaded_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rectification_items" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"reporter_id" integer,
	"parent_id" integer,
	"weight" integer DEFAULT 1 NOT NULL,
	"source_type" text NOT NULL,
	"source_id" integer,
	"source_text" text,
	"description" text NOT NULL,
	"root_cause" text,
	"owner" text,
	"owner_user_id" integer,
	"responsible_leader" text,
	"measures" text,
	"deadline" date,
	"status" text DEFAULT 'not_started' NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"evidence_required" boolean DEFAULT true NOT NULL,
	"carried_from_id" integer,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "rectification_progress" (
	"id" serial PRIMARY KEY NOT NULL,
	"item_id" integer NOT NULL,
	"note" text NOT NULL,
	"percent" integer,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rectification_verifications" (
	"id" serial PRIMARY KEY NOT NULL,
	"item_id" integer NOT NULL,
	"result" text NOT NULL,
	"evidence" text,
	"note" text,
	"verified_by" integer,
	"verified_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "result_flags" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"reporter_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"code" text NOT NULL,
	"detail" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "result_follow_ups" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"reporter_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"assignee_org_id" integer NOT NULL,
	"kind" text NOT NULL,
	"due_date" date,
	"state" text DEFAULT 'open' NOT NULL,
	"record_date" date,
	"record_by" text,
	"record_content" text,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone,
	"done_by" integer
);
--> statement-breakpoint
CREATE TABLE "summary_reports" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"due_date" date,
	"sections" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"submitted_at" timestamp with time zone,
	"submitted_by" integer,
	"received_at" timestamp with time zone,
	"received_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "assessment_assignments" ADD CONSTRAINT "assessment_assignments_team_id_assessment_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."assessment_teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_assignments" ADD CONSTRAINT "assessment_assignments_reporter_id_campaign_reporters_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."campaign_reporters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_assignments" ADD CONSTRAINT "assessment_assignments_completed_by_users_id_fk" FOREIGN KEY ("completed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_team_members" ADD CONSTRAINT "assessment_team_members_team_id_assessment_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."assessment_teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_team_members" ADD CONSTRAINT "assessment_team_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_teams" ADD CONSTRAINT "assessment_teams_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_teams" ADD CONSTRAINT "assessment_teams_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checklist_items" ADD CONSTRAINT "checklist_items_checklist_id_checklists_id_fk" FOREIGN KEY ("checklist_id") REFERENCES "public"."checklists"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checklists" ADD CONSTRAINT "checklists_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checklists" ADD CONSTRAINT "checklists_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "field_score_photos" ADD CONSTRAINT "field_score_photos_score_id_field_scores_id_fk" FOREIGN KEY ("score_id") REFERENCES "public"."field_scores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "field_score_photos" ADD CONSTRAINT "field_score_photos_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "field_scores" ADD CONSTRAINT "field_scores_reporter_id_campaign_reporters_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."campaign_reporters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "field_scores" ADD CONSTRAINT "field_scores_item_id_checklist_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."checklist_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "field_scores" ADD CONSTRAINT "field_scores_scored_by_users_id_fk" FOREIGN KEY ("scored_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_items" ADD CONSTRAINT "survey_items_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_respondents" ADD CONSTRAINT "survey_respondents_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_respondents" ADD CONSTRAINT "survey_respondents_reporter_id_campaign_reporters_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."campaign_reporters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_reporter_id_campaign_reporters_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."campaign_reporters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_tokens" ADD CONSTRAINT "survey_tokens_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_tokens" ADD CONSTRAINT "survey_tokens_reporter_id_campaign_reporters_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."campaign_reporters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_inputs" ADD CONSTRAINT "evaluation_inputs_reporter_id_campaign_reporters_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."campaign_reporters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_inputs" ADD CONSTRAINT "evaluation_inputs_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_inputs" ADD CONSTRAINT "evaluation_inputs_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_results" ADD CONSTRAINT "evaluation_results_reporter_id_campaign_reporters_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."campaign_reporters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_results" ADD CONSTRAINT "evaluation_results_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_reviews" ADD CONSTRAINT "evaluation_reviews_reporter_id_campaign_reporters_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."campaign_reporters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_reviews" ADD CONSTRAINT "evaluation_reviews_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_locked_by_users_id_fk" FOREIGN KEY ("locked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grade_changes" ADD CONSTRAINT "grade_changes_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grade_changes" ADD CONSTRAINT "grade_changes_reporter_id_campaign_reporters_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."campaign_reporters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grade_changes" ADD CONSTRAINT "grade_changes_changed_by_users_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_reporter_id_campaign_reporters_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."campaign_reporters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_acknowledged_by_users_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_management" ADD CONSTRAINT "key_management_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_management" ADD CONSTRAINT "key_management_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_management" ADD CONSTRAINT "key_management_reporter_id_campaign_reporters_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."campaign_reporters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_management" ADD CONSTRAINT "key_management_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "performance_scores" ADD CONSTRAINT "performance_scores_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "performance_scores" ADD CONSTRAINT "performance_scores_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "performance_scores" ADD CONSTRAINT "performance_scores_imported_by_users_id_fk" FOREIGN KEY ("imported_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification_evidence" ADD CONSTRAINT "rectification_evidence_item_id_rectification_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."rectification_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification_evidence" ADD CONSTRAINT "rectification_evidence_progress_id_rectification_progress_id_fk" FOREIGN KEY ("progress_id") REFERENCES "public"."rectification_progress"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification_evidence" ADD CONSTRAINT "rectification_evidence_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification_items" ADD CONSTRAINT "rectification_items_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification_items" ADD CONSTRAINT "rectification_items_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification_items" ADD CONSTRAINT "rectification_items_reporter_id_campaign_reporters_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."campaign_reporters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification_items" ADD CONSTRAINT "rectification_items_parent_id_rectification_items_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."rectification_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification_items" ADD CONSTRAINT "rectification_items_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification_items" ADD CONSTRAINT "rectification_items_carried_from_id_rectification_items_id_fk" FOREIGN KEY ("carried_from_id") REFERENCES "public"."rectification_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification_items" ADD CONSTRAINT "rectification_items_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification_progress" ADD CONSTRAINT "rectification_progress_item_id_rectification_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."rectification_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification_progress" ADD CONSTRAINT "rectification_progress_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification_verifications" ADD CONSTRAINT "rectification_verifications_item_id_rectification_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."rectification_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification_verifications" ADD CONSTRAINT "rectification_verifications_verified_by_users_id_fk" FOREIGN KEY ("verified_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_flags" ADD CONSTRAINT "result_flags_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_flags" ADD CONSTRAINT "result_flags_reporter_id_campaign_reporters_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."campaign_reporters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_flags" ADD CONSTRAINT "result_flags_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_follow_ups" ADD CONSTRAINT "result_follow_ups_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_follow_ups" ADD CONSTRAINT "result_follow_ups_reporter_id_campaign_reporters_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."campaign_reporters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_follow_ups" ADD CONSTRAINT "result_follow_ups_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_follow_ups" ADD CONSTRAINT "result_follow_ups_assignee_org_id_organizations_id_fk" FOREIGN KEY ("assignee_org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_follow_ups" ADD CONSTRAINT "result_follow_ups_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_follow_ups" ADD CONSTRAINT "result_follow_ups_done_by_users_id_fk" FOREIGN KEY ("done_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "summary_reports" ADD CONSTRAINT "summary_reports_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "summary_reports" ADD CONSTRAINT "summary_reports_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "summary_reports" ADD CONSTRAINT "summary_reports_received_by_users_id_fk" FOREIGN KEY ("received_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_assignments_reporter_uq" ON "assessment_assignments" USING btree ("reporter_id");--> statement-breakpoint
CREATE INDEX "assessment_assignments_team_idx" ON "assessment_assignments" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "assessment_team_members_user_idx" ON "assessment_team_members" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "assessment_teams_campaign_idx" ON "assessment_teams" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "checklist_items_checklist_idx" ON "checklist_items" USING btree ("checklist_id","position");--> statement-breakpoint
CREATE INDEX "checklists_campaign_idx" ON "checklists" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "field_score_photos_score_idx" ON "field_score_photos" USING btree ("score_id");--> statement-breakpoint
CREATE UNIQUE INDEX "field_scores_reporter_item_uq" ON "field_scores" USING btree ("reporter_id","item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "field_scores_client_uq" ON "field_scores" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "survey_items_survey_idx" ON "survey_items" USING btree ("survey_id","position");--> statement-breakpoint
CREATE INDEX "survey_respondents_survey_idx" ON "survey_respondents" USING btree ("survey_id","reporter_id");--> statement-breakpoint
CREATE INDEX "survey_responses_survey_idx" ON "survey_responses" USING btree ("survey_id","reporter_id");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_tokens_hash_uq" ON "survey_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "survey_tokens_survey_idx" ON "survey_tokens" USING btree ("survey_id","reporter_id");--> statement-breakpoint
CREATE INDEX "surveys_campaign_idx" ON "surveys" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "evaluation_inputs_campaign_idx" ON "evaluation_inputs" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "evaluation_results_campaign_rank_idx" ON "evaluation_results" USING btree ("campaign_id","rank");--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_reviews_uq" ON "evaluation_reviews" USING btree ("reporter_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "evaluations_campaign_uq" ON "evaluations" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "grade_changes_reporter_idx" ON "grade_changes" USING btree ("reporter_id","changed_at");--> statement-breakpoint
CREATE INDEX "commitments_campaign_org_idx" ON "commitments" USING btree ("campaign_id","org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "key_management_uq" ON "key_management" USING btree ("campaign_id","org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "performance_scores_uq" ON "performance_scores" USING btree ("campaign_id","org_id");--> statement-breakpoint
CREATE INDEX "rectification_evidence_item_idx" ON "rectification_evidence" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "rectification_items_org_idx" ON "rectification_items" USING btree ("org_id","status");--> statement-breakpoint
CREATE INDEX "rectification_items_campaign_idx" ON "rectification_items" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "rectification_items_source_idx" ON "rectification_items" USING btree ("source_type","source_id");--> statement-breakpoint
CREATE INDEX "rectification_items_parent_idx" ON "rectification_items" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "rectification_progress_item_idx" ON "rectification_progress" USING btree ("item_id","created_at");--> statement-breakpoint
CREATE INDEX "rectification_verifications_item_idx" ON "rectification_verifications" USING btree ("item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "result_flags_uq" ON "result_flags" USING btree ("reporter_id","code");--> statement-breakpoint
CREATE INDEX "result_flags_campaign_idx" ON "result_flags" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "result_follow_ups_campaign_idx" ON "result_follow_ups" USING btree ("campaign_id","kind");--> statement-breakpoint
CREATE INDEX "result_follow_ups_assignee_idx" ON "result_follow_ups" USING btree ("assignee_org_id","state");--> statement-breakpoint
CREATE UNIQUE INDEX "summary_reports_campaign_uq" ON "summary_reports" USING btree ("campaign_id");--> statement-breakpoint
-- Grade changes and verification records are history: never edited or deleted (R-GRADE-4, R-FIX-2).
CREATE FUNCTION refuse_history_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% rows are append-only', TG_TABLE_NAME USING ERRCODE = '55000';
END $$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER grade_changes_append_only BEFORE UPDATE OR DELETE ON grade_changes
  FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
--> statement-breakpoint
CREATE TRIGGER rectification_verifications_append_only BEFORE UPDATE OR DELETE ON rectification_verifications
  FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
--> statement-breakpoint
-- A locked evaluation is immutable: its result rows cannot change or disappear (R-GRADE-4).
CREATE FUNCTION evaluation_results_locked() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM evaluations e WHERE e.campaign_id = OLD.campaign_id AND e.state = 'locked') THEN
    RAISE EXCEPTION 'evaluation of campaign % is locked', OLD.campaign_id USING ERRCODE = '55000';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER evaluation_results_locked BEFORE UPDATE OR DELETE ON evaluation_results
  FOR EACH ROW EXECUTE FUNCTION evaluation_results_locked();
--> statement-breakpoint
CREATE FUNCTION evaluations_stay_locked() RETURNS trigger AS $$
BEGIN
  IF OLD.state = 'locked' THEN
    RAISE EXCEPTION 'a locked evaluation cannot change' USING ERRCODE = '55000';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER evaluations_stay_locked BEFORE UPDATE OR DELETE ON evaluations
  FOR EACH ROW EXECUTE FUNCTION evaluations_stay_locked();
