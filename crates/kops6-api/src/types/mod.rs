//! The `kops.k8s.io/v1alpha2` types kops6 reads and writes.
//!
//! Fields are declared in alphabetical order of their YAML names, so output matches kOps (whose
//! YAML goes through JSON with sorted keys) and is byte-stable. Every struct denies unknown fields:
//! a kOps spec that uses something kops6 does not implement fails loudly instead of losing it.

mod cluster;
mod components;
mod instance_group;
mod meta;
mod networking;

pub use cluster::*;
pub use components::*;
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

/// A Kubernetes resource quantity (`100Mi`, `0.5`, `2`), kept as written. YAML may give a plain
/// number; it is written back as a string, as Kubernetes does.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Quantity(pub String);

impl<'de> serde::Deserialize<'de> for Quantity {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => Ok(Self(s)),
            serde_json::Value::Number(n) => Ok(Self(n.to_string())),
            other => Err(serde::de::Error::custom(format!(
                "a quantity must be a string or a number, not {other}"
            ))),
        }
    }
}

/// Kubernetes' `IntOrString` (e.g. `maxUnavailable: 1` or `maxUnavailable: 10%`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum IntOrString {
    Int(i64),
    String(String),
}

/// A Kubernetes core object embedded in a kOps spec (a toleration, an affinity, resource
/// requirements, an environment variable). Its schema is Kubernetes', not kOps', and kops6 only
/// passes it through, so it is kept as written rather than typed.
pub type KubeObject = serde_json::Value;
