ALTER TABLE "report_attachments" ALTER COLUMN "content" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "report_attachments" ADD COLUMN "sha256" text;--> statement-breakpoint
ALTER TABLE "report_attachments" ADD CONSTRAINT "report_attachments_stored_ck" CHECK ("report_attachments"."sha256" is not null or "report_attachments"."content" is not null);