-- A submission's bytes (tens to hundreds of KB) are compressed by TOAST as they are stored.
-- PostgreSQL's default method, pglz, was a quarter of the server's CPU time under the bench's
-- load (docs/performance.md, "The four services as deployed"); lz4 does the same job several
-- times faster. Rows written from now on use it; rows already stored stay readable as they
-- are. A server that has no lz4 (older than 14, or built without it) keeps pglz.
DO $$
BEGIN
    ALTER TABLE submissions ALTER COLUMN content SET COMPRESSION lz4;
EXCEPTION
    WHEN feature_not_supported OR syntax_error THEN
        RAISE NOTICE 'lz4 is not available: submission bytes stay compressed with pglz';
END
$$;
