-- An event's payload carries what its stage produced: the validator's findings, the scores of
-- every performance target, the publication. Payloads over TOAST's threshold (about 2 KB) are
-- compressed as they are stored; after 0003 moved the submissions' bytes to lz4, pglz on these
-- payloads was what remained of it in the server's profile under load (docs/performance.md).
-- Rows written from now on use lz4; rows already stored stay readable as they are. A server
-- that has no lz4 keeps pglz, as 0003 does.
DO $$
BEGIN
    ALTER TABLE events ALTER COLUMN payload SET COMPRESSION lz4;
EXCEPTION
    WHEN feature_not_supported OR syntax_error THEN
        RAISE NOTICE 'lz4 is not available: event payloads stay compressed with pglz';
END
$$;
