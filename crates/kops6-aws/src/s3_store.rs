//! `s3://bucket/prefix`: the state store in S3. A PUT replaces an object whole, so writes are
//! atomic as the [`StateStore`] contract asks.

use aws_sdk_s3::primitives::ByteStream;
use kops6_state::{StateError, StateStore};

use crate::connect::Aws;
use crate::error::api_error;

/// A state store in an S3 bucket, under a prefix.
pub struct S3Store {
    aws: Aws,
    bucket: String,
    prefix: String,
    // The trait is synchronous: each call runs on this store's own small runtime.
    runtime: tokio::runtime::Runtime,
}

impl S3Store {
    /// Opens `s3://bucket/prefix` with the standard AWS configuration chain.
    pub fn open(bucket: &str, prefix: &str) -> Result<Self, StateError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| io_error("s3", "start", "the AWS client", e))?;
        let aws = runtime.block_on(Aws::connect(None));
        Ok(Self {
            aws,
            bucket: bucket.to_string(),
            prefix: prefix.trim_matches('/').to_string(),
            runtime,
        })
    }

    fn object(&self, key: &str) -> String {
        if self.prefix.is_empty() {
            key.to_string()
        } else {
            format!("{}/{key}", self.prefix)
        }
    }

    fn fail(&self, action: &'static str, key: &str, message: String) -> StateError {
        io_error(&self.url(), action, key, std::io::Error::other(message))
    }

    /// Every object key under `prefix/` (recursively).
    fn keys_under(&self, dir: &str) -> Result<Vec<String>, StateError> {
        let s3 = &self.aws.s3;
        let prefix = format!("{}/", self.object(dir));
        self.runtime.block_on(async {
            let mut keys = Vec::new();
            let mut pages = s3
                .list_objects_v2()
                .bucket(&self.bucket)
                .prefix(&prefix)
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|e| {
                    self.fail(
                        "list",
                        dir,
                        api_error(e, "listing", &prefix, &self.aws.endpoint).to_string(),
                    )
                })?;
                keys.extend(
                    page.contents()
                        .iter()
                        .filter_map(|o| o.key().map(str::to_string)),
                );
            }
            Ok(keys)
        })
    }
}

fn io_error(store: &str, action: &'static str, key: &str, source: std::io::Error) -> StateError {
    StateError::Io {
        store: store.to_string(),
        action,
        key: key.to_string(),
        source,
    }
}

impl StateStore for S3Store {
    fn url(&self) -> String {
        format!("s3://{}/{}", self.bucket, self.prefix)
    }

    fn read(&self, key: &str) -> Result<Option<Vec<u8>>, StateError> {
        let object = self.object(key);
        self.runtime.block_on(async {
            let out = self
                .aws
                .s3
                .get_object()
                .bucket(&self.bucket)
                .key(&object)
                .send()
                .await;
            match out {
                Ok(o) => {
                    let data = o
                        .body
                        .collect()
                        .await
                        .map_err(|e| self.fail("read", key, e.to_string()))?;
                    Ok(Some(data.into_bytes().to_vec()))
                }
                Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_key()) => Ok(None),
                Err(e) => Err(self.fail(
                    "read",
                    key,
                    api_error(e, "reading", &object, &self.aws.endpoint).to_string(),
                )),
            }
        })
    }

    fn write(&self, key: &str, data: &[u8]) -> Result<(), StateError> {
        let object = self.object(key);
        self.runtime.block_on(async {
            self.aws
                .s3
                .put_object()
                .bucket(&self.bucket)
                .key(&object)
                .body(ByteStream::from(data.to_vec()))
                .send()
                .await
                .map(|_| ())
                .map_err(|e| {
                    self.fail(
                        "write",
                        key,
                        api_error(e, "writing", &object, &self.aws.endpoint).to_string(),
                    )
                })
        })
    }

    fn delete(&self, key: &str) -> Result<(), StateError> {
        let mut objects = self.keys_under(key)?;
        objects.push(self.object(key));
        self.runtime.block_on(async {
            for object in objects {
                self.aws
                    .s3
                    .delete_object()
                    .bucket(&self.bucket)
                    .key(&object)
                    .send()
                    .await
                    .map_err(|e| {
                        self.fail(
                            "delete",
                            key,
                            api_error(e, "deleting", &object, &self.aws.endpoint).to_string(),
                        )
                    })?;
            }
            Ok(())
        })
    }

    fn list(&self, prefix: &str) -> Result<Vec<String>, StateError> {
        let base = if prefix.is_empty() {
            self.prefix.clone()
        } else {
            self.object(prefix)
        };
        let dir = if base.is_empty() {
            String::new()
        } else {
            format!("{base}/")
        };
        let mut names = self.runtime.block_on(async {
            let mut names = Vec::new();
            let mut pages = self
                .aws
                .s3
                .list_objects_v2()
                .bucket(&self.bucket)
                .prefix(&dir)
                .delimiter("/")
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|e| {
                    self.fail(
                        "list",
                        prefix,
                        api_error(e, "listing", &dir, &self.aws.endpoint).to_string(),
                    )
                })?;
                for p in page.common_prefixes() {
                    if let Some(p) = p.prefix() {
                        names.push(p[dir.len()..].trim_end_matches('/').to_string());
                    }
                }
                for o in page.contents() {
                    if let Some(k) = o.key() {
                        names.push(k[dir.len()..].to_string());
                    }
                }
            }
            Ok::<_, StateError>(names)
        })?;
        names.retain(|n| !n.is_empty() && !n.starts_with('.'));
        names.sort();
        names.dedup();
        Ok(names)
    }
}
