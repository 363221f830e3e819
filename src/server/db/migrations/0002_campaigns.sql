CREATE TABLE "campaign_reporters" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"report_to_org_id" integer NOT NULL,
	"route_rule_index" integer,
	"role" text DEFAULT 'reporter' NOT NULL,
	"secretary_id" integer,
	"tier_key" text NOT NULL,
	"written_only" boolean DEFAULT false NOT NULL,
	"self_committee_reported_on" date,
	"removed_at" timestamp with time zone,
	"removed_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" serial PRIMARY KEY NOT NULL,
	"parent_id" integer,
	"organizer_org_id" integer NOT NULL,
	"year" integer NOT NULL,
	"title" text NOT NULL,
	"template_id" text NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"settings" jsonb NOT NULL,
	"phases" jsonb NOT NULL,
	"filing_state" text DEFAULT 'not_required' NOT NULL,
	"filing_note" text,
	"complete_by" date,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "campaign_reporters" ADD CONSTRAINT "campaign_reporters_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_reporters" ADD CONSTRAINT "campaign_reporters_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_reporters" ADD CONSTRAINT "campaign_reporters_report_to_org_id_organizations_id_fk" FOREIGN KEY ("report_to_org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_reporters" ADD CONSTRAINT "campaign_reporters_secretary_id_secretaries_id_fk" FOREIGN KEY ("secretary_id") REFERENCES "public"."secretaries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_parent_id_campaigns_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_organizer_org_id_organizations_id_fk" FOREIGN KEY ("organizer_org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_reporters_uq" ON "campaign_reporters" USING btree ("campaign_id","org_id","role");--> statement-breakpoint
CREATE INDEX "campaign_reporters_report_to_idx" ON "campaign_reporters" USING btree ("campaign_id","report_to_org_id");--> statement-breakpoint
CREATE INDEX "campaign_reporters_org_idx" ON "campaign_reporters" USING btree ("org_id") WHERE "campaign_reporters"."removed_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "campaigns_organizer_year_uq" ON "campaigns" USING btree ("organizer_org_id","year");--> statement-breakpoint
CREATE INDEX "campaigns_parent_idx" ON "campaigns" USING btree ("parent_id");