-- Audit chain (decision 013). Existing rows get their chain position in id order here; their hashes need the
-- application's key, which the database never sees, so the first audit write (or start) seals them (audit-chain.ts).
ALTER TABLE "audit_log" ADD COLUMN "seq" bigint;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "prev_hash" text;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "hash" text;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "alg" text;--> statement-breakpoint
-- Still append-only, with two narrow exceptions, both checked by the chain verifier anyway:
-- * sealing: an unsealed row (hash null) may get its seq (if it had none) and its chain columns, nothing else;
-- * retention purge: DELETE only inside a transaction that set shupingkao.audit_purge = 'on' (purge-audit.ts),
--   and only of rows older than 180 days by the database clock (the minimum retention, docs/operations.md).
-- A DBA who disables the trigger can still change rows; the keyed chain is what shows that.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.hash IS NULL AND (OLD.seq IS NULL OR OLD.seq = NEW.seq)
       AND (NEW.id, NEW.at, NEW.actor_id, NEW.actor_name, NEW.action, NEW.target_type, NEW.target_id, NEW.result,
            NEW.ip, NEW.scope_path, NEW.detail)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.at, OLD.actor_id, OLD.actor_name, OLD.action, OLD.target_type, OLD.target_id, OLD.result,
            OLD.ip, OLD.scope_path, OLD.detail) THEN
      RETURN NEW;
    END IF;
  ELSIF TG_OP = 'DELETE' THEN
    IF current_setting('shupingkao.audit_purge', true) = 'on' AND OLD.at < now() - interval '180 days' THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
UPDATE "audit_log" a SET "seq" = n.rn FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM "audit_log") n WHERE a.id = n.id;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "seq" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_seq_idx" ON "audit_log" USING btree ("seq");
