CREATE TABLE "meeting_attendees" (
	"id" serial PRIMARY KEY NOT NULL,
	"meeting_id" integer NOT NULL,
	"category_key" text NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"unit" text NOT NULL,
	"identity" text,
	"present" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "performance_honours" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"honour_key" text NOT NULL,
	"places" integer NOT NULL,
	"updated_by" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "comment_mode" text DEFAULT 'collective' NOT NULL;--> statement-breakpoint
ALTER TABLE "evaluations" ADD COLUMN "lower_share_stated" numeric(5, 4);--> statement-breakpoint
ALTER TABLE "summary_reports" ADD COLUMN "recipient" text;--> statement-breakpoint
ALTER TABLE "summary_reports" ADD COLUMN "sent_docx" "bytea";--> statement-breakpoint
ALTER TABLE "summary_reports" ADD COLUMN "sent_xlsx" "bytea";--> statement-breakpoint
ALTER TABLE "meeting_attendees" ADD CONSTRAINT "meeting_attendees_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "performance_honours" ADD CONSTRAINT "performance_honours_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "performance_honours" ADD CONSTRAINT "performance_honours_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "meeting_attendees_meeting_idx" ON "meeting_attendees" USING btree ("meeting_id","category_key","position");--> statement-breakpoint
CREATE UNIQUE INDEX "performance_honours_uq" ON "performance_honours" USING btree ("campaign_id","honour_key");--> statement-breakpoint
-- custom: campaigns stored before these settings existed get each template's value (campaign-templates.ts), so code that
-- reads the stored settings without parsing them sees every key.
UPDATE "campaigns" SET "settings" = jsonb_set("settings", '{meeting,commentMode}',
  to_jsonb(CASE WHEN "template_id" = '003' THEN 'one_by_one' ELSE 'collective' END))
  WHERE "settings"->'meeting' IS NOT NULL AND "settings"->'meeting'->'commentMode' IS NULL;--> statement-breakpoint
UPDATE "campaigns" SET "settings" = jsonb_set("settings", '{grading,lowerShareStatedAtLock}', to_jsonb("template_id" = '004'))
  WHERE "settings"->'grading' IS NOT NULL AND "settings"->'grading'->'lowerShareStatedAtLock' IS NULL;--> statement-breakpoint
UPDATE "campaigns" SET "settings" = jsonb_set("settings", '{keyManagement,scope}',
  to_jsonb(CASE WHEN "template_id" = '004' THEN 'sub_rounds' ELSE 'own_round' END))
  WHERE "settings"->'keyManagement' IS NOT NULL AND "settings"->'keyManagement'->'scope' IS NULL;--> statement-breakpoint
UPDATE "campaigns" SET "settings" = jsonb_set("settings", '{summary,upperBody}',
  CASE "template_id" WHEN '003' THEN '"中共乌审旗委组织部"'::jsonb WHEN '004' THEN '"孝感市委组织部"'::jsonb ELSE 'null'::jsonb END)
  WHERE "settings"->'summary' IS NOT NULL AND NOT ("settings"->'summary' ? 'upperBody');--> statement-breakpoint
UPDATE "campaigns" SET "settings" = "settings" || jsonb_build_object('parallel', CASE WHEN "template_id" = '004'
  THEN '{"ratio":20,"honours":[{"key":"advanced_unit","label":"年度目标考核先进单位","margin":1.5},{"key":"excellent_leaders","label":"党组织主要负责人和党建工作直接责任人年度考核优秀等次","margin":1.5},{"key":"july_first","label":"市委“七一”表彰对象","margin":1.5}]}'::jsonb
  ELSE '{"ratio":20,"honours":[]}'::jsonb END)
  WHERE NOT ("settings" ? 'parallel');
