//! The `kops.k8s.io/v1alpha2` types kops6 reads and writes.
//!
//! Fields are declared in alphabetical order of their YAML names, so output matches kOps (whose
//! YAML goes through JSON with sorted keys) and is byte-stable. Every struct denies unknown fields:
//! a kOps spec that uses something kops6 does not implement fails loudly instead of losing it.

mod cluster;
mod instance_group;
mod meta;
mod networking;

pub use cluster::*;
pub use instance_group::*;
pub use meta::*;
pub use networking::*;

/// The only API version kops6 speaks.
pub const API_VERSION: &str = "kops.k8s.io/v1alpha2";

/// An empty object, written `{}` (e.g. `rbac: {}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Empty {}

/// Options kops6 does not model but must recognise by name, e.g. a CNI it rejects in IPv6 mode.
/// Kept verbatim so that a spec loaded and written back loses nothing.
pub type Opaque = serde_json::Map<String, serde_json::Value>;
