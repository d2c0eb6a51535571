//! `file://DIR`: a folder on disk.

use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use crate::{check_key, StateError, StateStore};

/// A state store in a local folder. Each write goes to a temporary file in the same folder,
/// is flushed to disk, then renamed over the target, so a crash leaves either the old file or
/// the new one.
#[derive(Debug, Clone)]
pub struct FileStore {
    root: PathBuf,
}

impl FileStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    fn path(&self, key: &str) -> Result<PathBuf, StateError> {
        check_key(key)?;
        Ok(self.root.join(key))
    }

    fn io(&self, action: &'static str, key: &str, source: std::io::Error) -> StateError {
        StateError::Io {
            store: self.url(),
            action,
            key: key.to_string(),
            source,
        }
    }
}

impl StateStore for FileStore {
    fn url(&self) -> String {
        format!("file://{}", self.root.display())
    }

    fn read(&self, key: &str) -> Result<Option<Vec<u8>>, StateError> {
        match fs::read(self.path(key)?) {
            Ok(data) => Ok(Some(data)),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(self.io("read", key, e)),
        }
    }

    fn write(&self, key: &str, data: &[u8]) -> Result<(), StateError> {
        let path = self.path(key)?;
        let dir = path.parent().unwrap_or(&self.root);
        fs::create_dir_all(dir).map_err(|e| self.io("create the folder for", key, e))?;
        write_atomically(dir, &path, data).map_err(|e| self.io("write", key, e))
    }

    fn delete(&self, key: &str) -> Result<(), StateError> {
        let path = self.path(key)?;
        let result = if path.is_dir() {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
        match result {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
            Err(e) => Err(self.io("delete", key, e)),
        }
    }

    fn list(&self, prefix: &str) -> Result<Vec<String>, StateError> {
        let dir = if prefix.is_empty() {
            self.root.clone()
        } else {
            self.path(prefix)?
        };
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(self.io("list", prefix, e)),
        };
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| self.io("list", prefix, e))?;
            if let Some(name) = entry.file_name().to_str() {
                if !name.starts_with('.') {
                    names.push(name.to_string());
                }
            }
        }
        names.sort();
        Ok(names)
    }
}

/// Temp file in the target's folder (same filesystem, so the rename is atomic), fsync, rename,
/// then fsync the folder so the rename itself survives a power cut.
fn write_atomically(dir: &Path, target: &Path, data: &[u8]) -> std::io::Result<()> {
    let mut tmp = tempfile::Builder::new()
        .prefix(".kops6-tmp")
        .tempfile_in(dir)?;
    tmp.write_all(data)?;
    tmp.as_file().sync_all()?;
    tmp.persist(target).map_err(|e| e.error)?;
    if let Ok(d) = fs::File::open(dir) {
        // Not every platform can fsync a folder; the file itself is already durable.
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, FileStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path());
        (dir, store)
    }

    #[test]
    fn write_then_read_returns_the_bytes() {
        let (_d, s) = store();
        s.write("c.example.com/config", b"spec").unwrap();
        assert_eq!(s.read("c.example.com/config").unwrap().unwrap(), b"spec");
    }

    #[test]
    fn read_of_missing_key_is_none() {
        let (_d, s) = store();
        assert!(s.read("nothing/here").unwrap().is_none());
    }

    #[test]
    fn overwrite_replaces_whole_file_and_leaves_no_temp_files() {
        let (d, s) = store();
        s.write("a/config", &[b'x'; 10_000]).unwrap();
        s.write("a/config", b"short").unwrap();
        assert_eq!(s.read("a/config").unwrap().unwrap(), b"short");
        let leftovers: Vec<_> = fs::read_dir(d.path().join("a"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("config")]);
    }

    #[test]
    fn list_is_sorted_and_hides_temp_files() {
        let (d, s) = store();
        s.write("b.example.com/config", b"1").unwrap();
        s.write("a.example.com/config", b"1").unwrap();
        fs::write(d.path().join(".kops6-tmpXYZ"), b"half").unwrap();
        assert_eq!(s.list("").unwrap(), vec!["a.example.com", "b.example.com"]);
        assert!(s.list("missing").unwrap().is_empty());
    }

    #[test]
    fn delete_removes_folders_and_tolerates_missing_keys() {
        let (_d, s) = store();
        s.write("a/instancegroup/nodes", b"1").unwrap();
        s.delete("a").unwrap();
        assert!(s.list("").unwrap().is_empty());
        s.delete("a").unwrap();
    }

    #[test]
    fn keys_that_escape_the_store_are_refused() {
        let (_d, s) = store();
        for key in ["../x", "a/../../x", "/etc/passwd", "", "a//b", "a/./b"] {
            assert!(
                matches!(s.write(key, b"x"), Err(StateError::BadKey(_))),
                "{key:?}"
            );
        }
    }
}
