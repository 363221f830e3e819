CREATE TABLE "evaluation_ballot_tallies" (
	"round_id" integer NOT NULL,
	"reporter_id" integer NOT NULL,
	"category" text NOT NULL,
	"good" integer NOT NULL,
	"fair" integer NOT NULL,
	"average" integer NOT NULL,
	"poor" integer NOT NULL,
	CONSTRAINT "evaluation_ballot_tallies_round_id_reporter_id_category_pk" PRIMARY KEY("round_id","reporter_id","category")
);
--> statement-breakpoint
CREATE TABLE "evaluation_survey_tallies" (
	"survey_id" integer NOT NULL,
	"reporter_id" integer NOT NULL,
	"points" bigint NOT NULL,
	"answers" integer NOT NULL,
	CONSTRAINT "evaluation_survey_tallies_survey_id_reporter_id_pk" PRIMARY KEY("survey_id","reporter_id")
);
--> statement-breakpoint
CREATE TABLE "evaluation_tallied" (
	"kind" text NOT NULL,
	"source_id" integer NOT NULL,
	"tallied_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evaluation_tallied_kind_source_id_pk" PRIMARY KEY("kind","source_id")
);
--> statement-breakpoint
ALTER TABLE "evaluation_ballot_tallies" ADD CONSTRAINT "evaluation_ballot_tallies_round_id_ballot_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."ballot_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_ballot_tallies" ADD CONSTRAINT "evaluation_ballot_tallies_reporter_id_campaign_reporters_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."campaign_reporters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_survey_tallies" ADD CONSTRAINT "evaluation_survey_tallies_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_survey_tallies" ADD CONSTRAINT "evaluation_survey_tallies_reporter_id_campaign_reporters_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."campaign_reporters"("id") ON DELETE no action ON UPDATE no action;