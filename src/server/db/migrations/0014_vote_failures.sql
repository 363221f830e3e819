CREATE TABLE "vote_failures" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"ip" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "vote_failures_ip_at_idx" ON "vote_failures" USING btree ("ip","at");