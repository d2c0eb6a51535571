//! The state store: where kops6 keeps cluster specs, as kOps does (`--state` /
//! `KOPS_STATE_STORE`).
//!
//! This crate moves bytes under keys; it never interprets a spec. The layout of a cluster's
//! files is kOps' own (`<cluster>/config`, `<cluster>/instancegroup/<name>`), so a store can be
//! browsed by the same habits.

mod file;
mod layout;
mod url;

pub use file::FileStore;
pub use layout::ClusterFiles;
pub use url::StoreUrl;

use thiserror::Error;

/// Errors of a state store. Each says which store and key it is about.
#[derive(Debug, Error)]
pub enum StateError {
    #[error("state store {store}: cannot {action} {key:?}: {source}")]
    Io {
        store: String,
        action: &'static str,
        key: String,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid state store key {0:?}: keys are relative paths of plain names")]
    BadKey(String),
    #[error("invalid state store {url:?}: {why}")]
    BadUrl { url: String, why: String },
    #[error("state store {0}: s3:// stores need the AWS support of kops6, which this build does not have yet; use file://DIR")]
    Unsupported(String),
}

/// A place that keeps files by key. Writes are atomic: a reader sees the old bytes or the new
/// ones, never a mix, and a crash never leaves half a file.
pub trait StateStore: Send + Sync {
    /// The store's URL, for messages.
    fn url(&self) -> String;
    /// The bytes under `key`, or `None` if there are none.
    fn read(&self, key: &str) -> Result<Option<Vec<u8>>, StateError>;
    /// Replaces the bytes under `key` atomically.
    fn write(&self, key: &str, data: &[u8]) -> Result<(), StateError>;
    /// Removes `key`; removing a missing key is not an error.
    fn delete(&self, key: &str) -> Result<(), StateError>;
    /// The names directly under `prefix` (files and folders), sorted.
    fn list(&self, prefix: &str) -> Result<Vec<String>, StateError>;
}

/// Opens the store a URL names.
pub fn open(url: &str) -> Result<Box<dyn StateStore>, StateError> {
    match StoreUrl::parse(url)? {
        StoreUrl::File(dir) => Ok(Box::new(FileStore::new(dir))),
        StoreUrl::S3 { .. } => Err(StateError::Unsupported(url.to_string())),
    }
}

/// Checks that a key is a relative path of plain names (no `..`, no empty parts).
pub(crate) fn check_key(key: &str) -> Result<(), StateError> {
    let ok = !key.is_empty()
        && key.split('/').all(|part| {
            !part.is_empty()
                && part != "."
                && part != ".."
                && !part.contains('\\')
                && !part.starts_with(".kops6-tmp")
        });
    if ok {
        Ok(())
    } else {
        Err(StateError::BadKey(key.to_string()))
    }
}
