-- Issue 14: every submission ends.
--
-- 1. A `failed` submission says why: the stage that gave up and its reason, as the
--    `submission.failed` event carried them (NULL for every other state).
-- 2. A submission whose `submission.received` the broker never took is withdrawn whole by the
--    API (it answers 503 and stores nothing): its only event, `received`, may be deleted, and
--    nothing else. Every history that reached the bus stays append-only.

ALTER TABLE submissions ADD COLUMN failure_stage TEXT;
ALTER TABLE submissions ADD COLUMN failure_reason TEXT;

CREATE OR REPLACE FUNCTION events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
        AND OLD.kind = 'received'
        AND NOT EXISTS (SELECT 1 FROM events e
                        WHERE e.submission_id = OLD.submission_id AND e.kind <> 'received')
        AND NOT EXISTS (SELECT 1 FROM submissions s
                        WHERE s.id = OLD.submission_id AND s.state <> 'received')
    THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the event history is append-only';
END;
$$;
