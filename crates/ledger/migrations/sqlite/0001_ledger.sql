-- The ledger (SQLite). Times are UTC RFC 3339 text with microseconds, so they sort as text.

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
    fiscal_year     INTEGER NOT NULL,
    state           TEXT NOT NULL
        CHECK (state IN ('received', 'validated', 'rejected', 'scored', 'published', 'failed')),
    content_type    TEXT NOT NULL,
    content_sha256  TEXT NOT NULL,
    content         BLOB NOT NULL,
    received_at     TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX submissions_by_department_year ON submissions (department_code, fiscal_year);
CREATE INDEX submissions_by_state ON submissions (state);

CREATE TABLE versions (
    department_code TEXT NOT NULL REFERENCES departments (code),
    fiscal_year     INTEGER NOT NULL,
    version         INTEGER NOT NULL,
    submission_id   TEXT NOT NULL UNIQUE REFERENCES submissions (id),
    PRIMARY KEY (department_code, fiscal_year, version)
);

CREATE TABLE events (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    submission_id TEXT NOT NULL REFERENCES submissions (id),
    kind          TEXT NOT NULL
        CHECK (kind IN ('received', 'validated', 'rejected', 'scored', 'published', 'failed')),
    at            TEXT NOT NULL,
    payload       TEXT NOT NULL,
    UNIQUE (submission_id, kind)
);

CREATE TRIGGER events_are_not_updated BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event history is append-only');
END;
CREATE TRIGGER events_are_not_deleted BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event history is append-only');
END;
