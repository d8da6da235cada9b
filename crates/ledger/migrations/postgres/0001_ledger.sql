-- The ledger (PostgreSQL). Times are UTC RFC 3339 text with microseconds, as in SQLite, so
-- that one set of runtime queries serves both backends (sqlx's `Any` driver).

CREATE TABLE departments (
    code         TEXT PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    role         TEXT NOT NULL CHECK (role IN ('department', 'bureau')),
    token_sha256 TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    rotated_at   TEXT
);

CREATE TABLE submissions (
    id              TEXT PRIMARY KEY,
    department_code TEXT NOT NULL REFERENCES departments (code),
    fiscal_year     BIGINT NOT NULL,
    state           TEXT NOT NULL
        CHECK (state IN ('received', 'validated', 'rejected', 'scored', 'published', 'failed')),
    content_type    TEXT NOT NULL,
    content_sha256  TEXT NOT NULL,
    content         BYTEA NOT NULL,
    received_at     TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX submissions_by_department_year ON submissions (department_code, fiscal_year);
CREATE INDEX submissions_by_state ON submissions (state);

CREATE TABLE versions (
    department_code TEXT NOT NULL REFERENCES departments (code),
    fiscal_year     BIGINT NOT NULL,
    version         BIGINT NOT NULL,
    submission_id   TEXT NOT NULL UNIQUE REFERENCES submissions (id),
    PRIMARY KEY (department_code, fiscal_year, version)
);

CREATE TABLE events (
    seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    submission_id TEXT NOT NULL REFERENCES submissions (id),
    kind          TEXT NOT NULL
        CHECK (kind IN ('received', 'validated', 'rejected', 'scored', 'published', 'failed')),
    at            TEXT NOT NULL,
    payload       TEXT NOT NULL,
    UNIQUE (submission_id, kind)
);

CREATE FUNCTION events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the event history is append-only';
END;
$$;
CREATE TRIGGER events_are_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_are_append_only();
