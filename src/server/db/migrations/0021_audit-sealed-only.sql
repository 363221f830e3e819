-- Custom SQL migration file, put your code below! --
-- custom: decision 016. The app seals an audit row only while writing it, so nothing may seal one later:
-- * UPDATE is refused outright (0017 let an unsealed row receive its chain columns once: that was the re-sealing path);
-- * a new row must arrive sealed (NOT VALID: rows already stored are left as they are and reported by the verifier).
-- DELETE keeps the retention-purge exception of 0017. A DBA can still switch all this off; the chain and the anchors
-- outside the database are what show it.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF current_setting('shupingkao.audit_purge', true) = 'on' AND OLD.at < now() - interval '180 days' THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_sealed" CHECK ("hash" IS NOT NULL AND "prev_hash" IS NOT NULL AND "alg" IS NOT NULL) NOT VALID;
