//! kOps `kops.k8s.io/v1alpha2` cluster API for kops6: types, YAML in and out, `create cluster`
//! spec building, completion (defaults) and validation.
//!
//! Pure: no file, network or clock access. Everything here is deterministic, so the same input
//! always gives the same output bytes and the same errors.

pub mod cidr;
pub mod errors;
pub mod types;
pub mod yaml;

pub use cidr::Ipv6CidrSpec;
pub use errors::{FieldError, ObjectRef, ValidationErrors};
pub use yaml::{parse_documents, write_documents, Document, Format, ParseError};
pub mod complete;
pub mod defaults;
pub mod new_cluster;
pub mod spec_set;
pub mod support;
pub mod validate;
pub mod version;

pub use spec_set::ClusterSpecSet;
