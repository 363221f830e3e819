CREATE TABLE "org_import_staging" (
	"job_id" integer NOT NULL,
	"row" integer NOT NULL,
	"id" integer NOT NULL,
	"parent_id" integer NOT NULL,
	"name" text NOT NULL,
	"code" text NOT NULL,
	"parent_code" text NOT NULL,
	"kind" text NOT NULL,
	"sector" text NOT NULL,
	"level" text NOT NULL,
	"path" text NOT NULL,
	"depth" integer NOT NULL,
	"anchor_id" integer NOT NULL,
	"anchor_path" text NOT NULL,
	"anchor_depth" integer NOT NULL,
	"secretary_name" text,
	"secretary_position" text,
	"secretary_tenure_start" date,
	"secretary_phone" text
);
--> statement-breakpoint
ALTER TABLE "org_import_staging" ADD CONSTRAINT "org_import_staging_job_id_org_import_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."org_import_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "org_import_staging_job_idx" ON "org_import_staging" USING btree ("job_id","row");