CREATE TABLE "report_reminders" (
	"id" serial PRIMARY KEY NOT NULL,
	"reporter_id" integer NOT NULL,
	"campaign_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"report_state" text NOT NULL,
	"overdue" boolean DEFAULT false NOT NULL,
	"due_date" text,
	"message" text NOT NULL,
	"sender_id" integer,
	"sender_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "report_reminders" ADD CONSTRAINT "report_reminders_reporter_id_campaign_reporters_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."campaign_reporters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_reminders" ADD CONSTRAINT "report_reminders_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_reminders" ADD CONSTRAINT "report_reminders_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_reminders" ADD CONSTRAINT "report_reminders_sender_id_users_id_fk" FOREIGN KEY ("sender_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "report_reminders_reporter_idx" ON "report_reminders" USING btree ("reporter_id","created_at");--> statement-breakpoint
CREATE INDEX "report_reminders_org_idx" ON "report_reminders" USING btree ("org_id","created_at");