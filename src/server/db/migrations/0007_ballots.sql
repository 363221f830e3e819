CREATE TABLE "ballot_code_batches" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"category" text NOT NULL,
	"count" integer NOT NULL,
	"voided_at" timestamp with time zone,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ballot_code_uses" (
	"code_id" integer NOT NULL,
	"reporter_id" integer NOT NULL,
	CONSTRAINT "ballot_code_uses_code_id_reporter_id_pk" PRIMARY KEY("code_id","reporter_id")
);
--> statement-breakpoint
CREATE TABLE "ballot_codes" (
	"id" serial PRIMARY KEY NOT NULL,
	"batch_id" integer NOT NULL,
	"round_id" integer NOT NULL,
	"category" text NOT NULL,
	"code_hash" text NOT NULL,
	"room_failures" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ballot_paper_tallies" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"reporter_id" integer NOT NULL,
	"category" text NOT NULL,
	"entry_no" integer NOT NULL,
	"counts" jsonb NOT NULL,
	"problems" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"suggestions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"entered_by" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ballot_rounds" (
	"id" serial PRIMARY KEY NOT NULL,
	"meeting_id" integer NOT NULL,
	"mode" text NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"room_code" text NOT NULL,
	"anonymity" jsonb,
	"attendees" integer,
	"paper_counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"mismatches" jsonb,
	"explanation" text,
	"opened_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"released_at" timestamp with time zone,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ballots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"round_id" integer NOT NULL,
	"reporter_id" integer NOT NULL,
	"category" text NOT NULL,
	"grade" text NOT NULL,
	"problems" text,
	"suggestions" text
);
--> statement-breakpoint
ALTER TABLE "ballot_code_batches" ADD CONSTRAINT "ballot_code_batches_round_id_ballot_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."ballot_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot_code_batches" ADD CONSTRAINT "ballot_code_batches_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot_code_uses" ADD CONSTRAINT "ballot_code_uses_code_id_ballot_codes_id_fk" FOREIGN KEY ("code_id") REFERENCES "public"."ballot_codes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot_code_uses" ADD CONSTRAINT "ballot_code_uses_reporter_id_campaign_reporters_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."campaign_reporters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot_codes" ADD CONSTRAINT "ballot_codes_batch_id_ballot_code_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."ballot_code_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot_codes" ADD CONSTRAINT "ballot_codes_round_id_ballot_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."ballot_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot_paper_tallies" ADD CONSTRAINT "ballot_paper_tallies_round_id_ballot_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."ballot_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot_paper_tallies" ADD CONSTRAINT "ballot_paper_tallies_reporter_id_campaign_reporters_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."campaign_reporters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot_paper_tallies" ADD CONSTRAINT "ballot_paper_tallies_entered_by_users_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot_rounds" ADD CONSTRAINT "ballot_rounds_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot_rounds" ADD CONSTRAINT "ballot_rounds_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballots" ADD CONSTRAINT "ballots_round_id_ballot_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."ballot_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballots" ADD CONSTRAINT "ballots_reporter_id_campaign_reporters_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."campaign_reporters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ballot_code_batches_round_idx" ON "ballot_code_batches" USING btree ("round_id","category");--> statement-breakpoint
CREATE UNIQUE INDEX "ballot_codes_hash_uq" ON "ballot_codes" USING btree ("code_hash");--> statement-breakpoint
CREATE INDEX "ballot_codes_batch_idx" ON "ballot_codes" USING btree ("batch_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ballot_paper_tallies_uq" ON "ballot_paper_tallies" USING btree ("round_id","reporter_id","category","entry_no");--> statement-breakpoint
CREATE INDEX "ballot_rounds_meeting_idx" ON "ballot_rounds" USING btree ("meeting_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ballot_rounds_one_real_uq" ON "ballot_rounds" USING btree ("meeting_id") WHERE "ballot_rounds"."mode" = 'real';--> statement-breakpoint
CREATE UNIQUE INDEX "ballot_rounds_one_open_uq" ON "ballot_rounds" USING btree ("meeting_id") WHERE "ballot_rounds"."state" = 'open';--> statement-breakpoint
CREATE INDEX "ballots_round_reporter_idx" ON "ballots" USING btree ("round_id","reporter_id");--> statement-breakpoint
-- Anonymity settings are frozen when voting opens and never changed or cleared afterwards (R-VOTE-2).
CREATE FUNCTION ballot_rounds_freeze_anonymity() RETURNS trigger AS $$
BEGIN
  IF OLD.anonymity IS NOT NULL AND NEW.anonymity IS DISTINCT FROM OLD.anonymity THEN
    RAISE EXCEPTION 'ballot round anonymity settings are frozen' USING ERRCODE = '55000';
  END IF;
  IF OLD.mode <> NEW.mode THEN
    RAISE EXCEPTION 'ballot round mode cannot change' USING ERRCODE = '55000';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER ballot_rounds_freeze_anonymity BEFORE UPDATE ON ballot_rounds
  FOR EACH ROW EXECUTE FUNCTION ballot_rounds_freeze_anonymity();
--> statement-breakpoint
-- Only rehearsal ballots may ever be deleted (purge); a real round's ballots stay.
CREATE FUNCTION ballots_keep_real() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM ballot_rounds r WHERE r.id = OLD.round_id AND r.mode = 'real') THEN
    RAISE EXCEPTION 'ballots of a real round cannot be deleted' USING ERRCODE = '55000';
  END IF;
  RETURN OLD;
END $$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER ballots_keep_real BEFORE DELETE ON ballots FOR EACH ROW EXECUTE FUNCTION ballots_keep_real();
--> statement-breakpoint
CREATE FUNCTION ballot_code_uses_keep_real() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM ballot_codes c JOIN ballot_rounds r ON r.id = c.round_id WHERE c.id = OLD.code_id AND r.mode = 'real') THEN
    RAISE EXCEPTION 'code uses of a real round cannot be deleted' USING ERRCODE = '55000';
  END IF;
  RETURN OLD;
END $$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER ballot_code_uses_keep_real BEFORE DELETE ON ballot_code_uses FOR EACH ROW EXECUTE FUNCTION ballot_code_uses_keep_real();
