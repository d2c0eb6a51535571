//! kops6 on AWS, through the official AWS SDK for Rust: discover what a cluster owns (one
//! Describe per kind, by tag), diff it against the model's [`ResourceGraph`], apply the
//! difference in dependency order with bounded parallelism, and delete only what is tagged as
//! owned. Also the `s3://` state store.
//!
//! The SDK stays inside this crate: it is slow to compile, and nothing else waits for it.
//! The diff is pure ([`diff`]) and tested without AWS; the rest is tested against moto.
//!
//! [`ResourceGraph`]: kops6_model::ResourceGraph

pub mod actual;
pub mod apply;
pub mod connect;
pub mod diff;
pub mod discover;
pub mod error;
pub mod ops;
pub mod remove;
pub mod s3_store;

pub use apply::{apply, preview, ApplyOptions, ApplyReport, Preview};
pub use connect::Aws;
pub use error::AwsError;
pub use remove::{delete_cluster, owned_resources};
