use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Kubernetes object metadata, the parts kOps specs use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ObjectMeta {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// RFC 3339, set when the spec is first written to the state store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_timestamp: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    pub name: String,
}

/// The label kOps puts on every instance group to name its cluster.
pub const CLUSTER_LABEL: &str = "kops.k8s.io/cluster";

/// The node label kOps' `create cluster` gives every instance group's nodes: the group's name.
pub const INSTANCE_GROUP_LABEL: &str = "kops.k8s.io/instancegroup";
