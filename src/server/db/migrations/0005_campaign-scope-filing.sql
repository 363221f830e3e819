ALTER TABLE "campaigns" ADD COLUMN "scope_match" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "filing_return_reason" text;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "filed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "filing_reviewed_at" timestamp with time zone;