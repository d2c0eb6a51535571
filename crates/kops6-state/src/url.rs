//! State store URLs: `file://DIR` and `s3://bucket/prefix`.

use std::path::PathBuf;

use crate::StateError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreUrl {
    File(PathBuf),
    S3 { bucket: String, prefix: String },
}

impl StoreUrl {
    pub fn parse(url: &str) -> Result<Self, StateError> {
        let bad = |why: &str| StateError::BadUrl {
            url: url.to_string(),
            why: why.to_string(),
        };
        if let Some(path) = url.strip_prefix("file://") {
            if path.is_empty() {
                return Err(bad("file:// needs a folder, e.g. file:///home/me/.kops6"));
            }
            return Ok(Self::File(PathBuf::from(path)));
        }
        if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                return Err(bad("s3:// needs a bucket, e.g. s3://my-bucket/prefix"));
            }
            return Ok(Self::S3 {
                bucket: bucket.to_string(),
                prefix: prefix.trim_end_matches('/').to_string(),
            });
        }
        Err(bad("use file://DIR or s3://bucket/prefix"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_file_and_s3() {
        assert_eq!(
            StoreUrl::parse("file:///tmp/state").unwrap(),
            StoreUrl::File("/tmp/state".into())
        );
        assert_eq!(
            StoreUrl::parse("s3://bucket/a/b/").unwrap(),
            StoreUrl::S3 {
                bucket: "bucket".into(),
                prefix: "a/b".into()
            }
        );
    }

    #[test]
    fn rejects_other_schemes_and_empty_parts() {
        for url in ["/tmp/state", "gs://x", "file://", "s3://", "s3:///x"] {
            assert!(StoreUrl::parse(url).is_err(), "{url}");
        }
    }
}
