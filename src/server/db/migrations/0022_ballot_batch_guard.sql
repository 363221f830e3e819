-- Custom SQL migration file, put your code below! --
-- custom: decision 017. A ballot batch is one statement (code uses, then the round's inbox); when a (reporter,
-- category) group of the batch ends up below the round's minimum group (a code raced in from elsewhere), this
-- aborts the whole statement, so no batch smaller than the minimum is ever stored.
CREATE FUNCTION ballot_batch_guard(ok boolean) RETURNS boolean AS $$
BEGIN
  IF NOT ok THEN
    RAISE EXCEPTION 'ballot batch below the minimum group' USING ERRCODE = 'SB001';
  END IF;
  RETURN true;
END $$ LANGUAGE plpgsql VOLATILE;
