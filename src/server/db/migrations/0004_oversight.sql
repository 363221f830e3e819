CREATE TABLE "observer_assignments" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"sub_campaign_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"group_name" text,
	"is_leader" boolean DEFAULT false NOT NULL,
	"note" text,
	"observation_note" text,
	"observed_at" timestamp with time zone,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone,
	"removed_by" integer
);
--> statement-breakpoint
CREATE TABLE "research_visits" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"visited_on" date NOT NULL,
	"visitors" text NOT NULL,
	"seen" text NOT NULL,
	"author_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "visit_problems" (
	"id" serial PRIMARY KEY NOT NULL,
	"visit_id" integer NOT NULL,
	"campaign_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"position" integer NOT NULL,
	"text" text NOT NULL,
	"source_type" text DEFAULT 'research_visit' NOT NULL,
	"source_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"withdrawn_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "observer_assignments" ADD CONSTRAINT "observer_assignments_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observer_assignments" ADD CONSTRAINT "observer_assignments_sub_campaign_id_campaigns_id_fk" FOREIGN KEY ("sub_campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observer_assignments" ADD CONSTRAINT "observer_assignments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observer_assignments" ADD CONSTRAINT "observer_assignments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observer_assignments" ADD CONSTRAINT "observer_assignments_removed_by_users_id_fk" FOREIGN KEY ("removed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_visits" ADD CONSTRAINT "research_visits_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_visits" ADD CONSTRAINT "research_visits_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_visits" ADD CONSTRAINT "research_visits_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_problems" ADD CONSTRAINT "visit_problems_visit_id_research_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."research_visits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_problems" ADD CONSTRAINT "visit_problems_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_problems" ADD CONSTRAINT "visit_problems_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "observer_assignments_active_uq" ON "observer_assignments" USING btree ("sub_campaign_id","user_id") WHERE "observer_assignments"."removed_at" is null;--> statement-breakpoint
CREATE INDEX "observer_assignments_campaign_idx" ON "observer_assignments" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "observer_assignments_user_idx" ON "observer_assignments" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "research_visits_campaign_idx" ON "research_visits" USING btree ("campaign_id","visited_on");--> statement-breakpoint
CREATE INDEX "research_visits_org_idx" ON "research_visits" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "visit_problems_visit_idx" ON "visit_problems" USING btree ("visit_id");--> statement-breakpoint
CREATE INDEX "visit_problems_org_idx" ON "visit_problems" USING btree ("org_id") WHERE "visit_problems"."withdrawn_at" is null;