//! The directory sink: each artifact is written once, under a name derived from the
//! submission id and content hash, through a temporary file that is flushed and then
//! renamed, so a reader never sees a partial file and a redelivered message finds the
//! artifact already there and does not write it again.

use std::io::Write;
use std::path::{Path, PathBuf};

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

/// Removes the temporary files a writer killed mid-write left in `dir` (`.<name>.<pid>.tmp`);
/// returns how many. Called when a publisher starts: a live writer on a shared volume whose
/// temporary file disappears fails its rename and is retried, finding the artifact or
/// writing it again.
pub fn remove_orphans(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            name.starts_with('.') && name.ends_with(".tmp")
        })
        .filter(|entry| std::fs::remove_file(entry.path()).is_ok())
        .count()
}

/// The file name of a submission's artifact: `<submission id>_<content sha256>.<extension>`.
pub fn artifact_name(submission_id: &str, content_sha256: &str, extension: &str) -> String {
    format!("{submission_id}_{content_sha256}.{extension}")
}

/// Writes `bytes` to `dir/name` unless a file of that name exists.
pub fn write_once(dir: &Path, name: &str, bytes: &[u8]) -> Result<Written, WriteError> {
    let path = dir.join(name);
    if path.is_file() {
        return Ok(Written::AlreadyThere(path));
    }
    let error = |path: &Path| {
        let path = path.to_owned();
        move |source| WriteError { path, source }
    };
    std::fs::create_dir_all(dir).map_err(error(dir))?;
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut file = std::fs::File::create(&temp).map_err(error(&temp))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(error(&temp))?;
    drop(file);
    if let Err(source) = std::fs::rename(&temp, &path) {
        let _ = std::fs::remove_file(&temp);
        return Err(WriteError { path, source });
    }
    Ok(Written::Created(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_once_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let name = artifact_name("id", "abc", "json");
        assert_eq!(name, "id_abc.json");
        let first = write_once(dir.path(), &name, b"first").unwrap();
        assert_eq!(first, Written::Created(dir.path().join(&name)));
        let second = write_once(dir.path(), &name, b"second").unwrap();
        assert_eq!(second, Written::AlreadyThere(dir.path().join(&name)));
        assert_eq!(std::fs::read(first.path()).unwrap(), b"first");
        let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(files.len(), 1);
    }

    #[test]
    fn orphaned_temporary_files_are_removed_and_artifacts_kept() {
        let dir = tempfile::tempdir().unwrap();
        write_once(dir.path(), "a.json", b"a").unwrap();
        std::fs::write(dir.path().join(".b.json.4242.tmp"), b"half").unwrap();
        assert_eq!(remove_orphans(dir.path()), 1);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.json"]);
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
}
