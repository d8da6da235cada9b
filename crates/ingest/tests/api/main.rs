//! The ingestion API, black-box: a real server on `127.0.0.1:0`, a scratch ledger (SQLite
//! always, PostgreSQL too when `DATABASE_URL` is set), the in-memory bus, and — where a test
//! follows a submission to the end — the validate, score and publish stages in process.

mod access;
mod bad_input;
mod dashboard;
mod failures;
mod headers;
mod hostile_upload;
mod inbox;
mod limits;
mod queue;
mod submissions;
mod support;
mod webdriver;
mod year_over_year;
