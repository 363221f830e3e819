ALTER TABLE "ballot_codes" ADD COLUMN "closed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Codes of rounds already past voting and of voided batches are closed, as the app now sets them.
UPDATE "ballot_codes" c SET "closed" = true
FROM "ballot_code_batches" b, "ballot_rounds" r
WHERE b."id" = c."batch_id" AND r."id" = c."round_id" AND (b."voided_at" IS NOT NULL OR r."state" NOT IN ('draft', 'open'));
