//! kops6 on AWS, through the official AWS SDK for Rust: discover what a cluster owns (one
//! Describe per kind, by tag, concurrently), diff it against the model's [`ResourceGraph`],
//! apply the difference in dependency order with bounded parallelism, and delete only what
//! is tagged as owned. Also the `s3://` state store.
//!
//! Each AWS kind is one module under [`kinds`] implementing [`kind::AwsKind`] (discovery,
//! typed comparison, create, update, delete side by side), listed once in [`registry`]. The
//! phase engines ([`discover`], [`diff`], [`apply`], [`remove`]) know no kind.
//!
//! The SDK stays inside this crate: it is slow to compile, and nothing else waits for it.
//! The diff is pure ([`diff`]) and tested without AWS; the rest is tested against moto.
//!
//! [`ResourceGraph`]: kops6_model::ResourceGraph

pub mod actual;
pub mod apply;
pub mod compare;
pub mod connect;
pub mod context;
pub mod diff;
pub mod discover;
pub mod error;
pub mod kind;
pub mod kinds;
pub mod options;
pub mod progress;
pub mod queries;
pub mod registry;
pub mod remove;
pub mod s3_store;
pub mod schedule;
pub mod wait;

pub use apply::{
    apply, apply_prepared, preflight, preview, preview_prepared, ApplyOptions, ApplyReport, Preview,
};
pub use connect::Aws;
pub use error::AwsError;
pub use options::DEFAULT_PARALLELISM;
pub use registry::supports;
pub use remove::{
    delete_cluster, delete_cluster_with_records, owned_resources, owned_resources_with_records,
};
