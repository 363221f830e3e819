ALTER TABLE "evaluation_inputs" ADD COLUMN "report_score" numeric(7, 2);--> statement-breakpoint
ALTER TABLE "evaluation_inputs" ADD COLUMN "report_note" text;