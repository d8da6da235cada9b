//! Rebuilds the crate when a migration is added. `sqlx::migrate!` embeds `migrations/` at
//! compile time, and on stable Rust cargo reruns it only when a file it already knows changes:
//! a new migration is a new file, so without this a build would keep migrating to the schema
//! of the build before. This is the build script sqlx recommends
//! (`sqlx migrate build-script`).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
