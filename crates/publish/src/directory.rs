//! Atomic file writes for the directory sinks: every file is written to a temporary file
//! beside its final name, flushed to disk and then renamed, so a reader never sees a partial
//! file. [`write_once`] never replaces a file (content-addressed artifacts, manifests);
//! [`replace`] does (the `current` pointer, the site index). [`crate::archive`] builds the
//! publication layout on these.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use thiserror::Error;

/// Why an artifact could not be written (the stage retries: a full or unmounted disk is
/// transient from its point of view).
#[derive(Debug, Error)]
#[error("writing {path}: {source}")]
pub struct WriteError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// What [`write_once`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Written {
    /// The artifact was written now.
    Created(PathBuf),
    /// It was already there (a redelivery): nothing was written.
    AlreadyThere(PathBuf),
}

impl Written {
    pub fn path(&self) -> &Path {
        match self {
            Written::Created(path) | Written::AlreadyThere(path) => path,
        }
    }
}

/// Removes the temporary files a writer killed mid-write left under `dir`, at any depth
/// (`.<name>.<pid>.<n>.tmp`); returns how many. Called when a publisher starts: a live writer
/// on a shared volume whose temporary file disappears fails its rename and is retried,
/// finding the artifact or writing it again.
pub fn remove_orphans(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => removed += remove_orphans(&entry.path()),
            Ok(kind)
                if kind.is_file()
                    && name.starts_with('.')
                    && name.ends_with(".tmp")
                    && std::fs::remove_file(entry.path()).is_ok() =>
            {
                removed += 1
            }
            _ => {}
        }
    }
    removed
}

/// Writes `bytes` to `dir/name` unless a file of that name exists.
pub fn write_once(dir: &Path, name: &str, bytes: &[u8]) -> Result<Written, WriteError> {
    let path = dir.join(name);
    if path.is_file() {
        return Ok(Written::AlreadyThere(path));
    }
    write_atomically(dir, name, bytes)?;
    Ok(Written::Created(path))
}

/// Writes `bytes` to `dir/name`, replacing the file there, unless it already holds exactly
/// these bytes; returns whether it wrote.
pub fn replace(dir: &Path, name: &str, bytes: &[u8]) -> Result<bool, WriteError> {
    if std::fs::read(dir.join(name)).is_ok_and(|there| there == bytes) {
        return Ok(false);
    }
    write_atomically(dir, name, bytes)?;
    Ok(true)
}

/// Temporary files are unique per process and write, so concurrent writers of one name never
/// share one.
static TEMPORARY: AtomicU64 = AtomicU64::new(0);

fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), WriteError> {
    let path = dir.join(name);
    let error = |path: &Path| {
        let path = path.to_owned();
        move |source| WriteError { path, source }
    };
    let parent = path.parent().unwrap_or(dir);
    std::fs::create_dir_all(parent).map_err(error(parent))?;
    let file_name = path
        .file_name()
        .map_or_else(|| name.into(), |n| n.to_string_lossy());
    let temp = parent.join(format!(
        ".{file_name}.{}.{}.tmp",
        std::process::id(),
        TEMPORARY.fetch_add(1, Ordering::Relaxed)
    ));
    let mut file = std::fs::File::create(&temp).map_err(error(&temp))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(error(&temp))?;
    drop(file);
    if let Err(source) = std::fs::rename(&temp, &path) {
        let _ = std::fs::remove_file(&temp);
        return Err(WriteError { path, source });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_once_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let name = "id_abc.json";
        let first = write_once(dir.path(), name, b"first").unwrap();
        assert_eq!(first, Written::Created(dir.path().join(name)));
        let second = write_once(dir.path(), name, b"second").unwrap();
        assert_eq!(second, Written::AlreadyThere(dir.path().join(name)));
        assert_eq!(std::fs::read(first.path()).unwrap(), b"first");
        let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(files.len(), 1);
    }

    #[test]
    fn orphaned_temporary_files_are_removed_and_artifacts_kept() {
        let dir = tempfile::tempdir().unwrap();
        write_once(dir.path(), "a.json", b"a").unwrap();
        std::fs::write(dir.path().join(".b.json.4242.0.tmp"), b"half").unwrap();
        std::fs::create_dir_all(dir.path().join("dept/2025")).unwrap();
        std::fs::write(dir.path().join("dept/2025/.c.html.4242.1.tmp"), b"half").unwrap();
        std::fs::write(dir.path().join("dept/2025/c.html"), b"c").unwrap();
        assert_eq!(remove_orphans(dir.path()), 2);
        assert!(dir.path().join("dept/2025/c.html").is_file());
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(names, ["a.json", "dept"]);
        assert_eq!(remove_orphans(&dir.path().join("missing")), 0);
    }

    #[test]
    fn a_directory_in_the_way_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("blocked.json")).unwrap();
        std::fs::write(dir.path().join("blocked.json").join("x"), b"x").unwrap();
        let error = write_once(dir.path(), "blocked.json", b"data").unwrap_err();
        assert_eq!(error.path, dir.path().join("blocked.json"));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn replace_writes_only_what_changed_and_nested_names_get_their_directories() {
        let dir = tempfile::tempdir().unwrap();
        assert!(replace(dir.path(), "a/b/current.json", b"one").unwrap());
        let path = dir.path().join("a/b/current.json");
        let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
        assert!(!replace(dir.path(), "a/b/current.json", b"one").unwrap());
        assert_eq!(
            std::fs::metadata(&path).unwrap().modified().unwrap(),
            modified
        );
        assert!(replace(dir.path(), "a/b/current.json", b"two").unwrap());
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(
            std::fs::read_dir(dir.path().join("a/b")).unwrap().count(),
            1
        );
    }
}
