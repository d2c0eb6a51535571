use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::ObjectMeta;

/// A `kind: InstanceGroup` document. It has no IPv6 field of its own: its IPv6 behaviour
/// follows the subnets it names (SPEC 1.6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InstanceGroup {
    pub api_version: String,
    pub kind: String,
    pub metadata: ObjectMeta,
    pub spec: InstanceGroupSpec,
}

impl InstanceGroup {
    /// The cluster this group belongs to (its `kops.k8s.io/cluster` label).
    pub fn cluster_name(&self) -> Option<&str> {
        self.metadata
            .labels
            .get(super::CLUSTER_LABEL)
            .map(String::as_str)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InstanceGroupSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub associate_public_ip: Option<bool>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub cloud_labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_metadata: Option<InstanceMetadataOptions>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_size: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_size: Option<u32>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub node_labels: BTreeMap<String, String>,
    pub role: InstanceGroupRole,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_volume_size: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_volume_type: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub taints: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InstanceMetadataOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_put_response_hop_limit: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_tokens: Option<String>,
}

/// `spec.role`. v1alpha2 writes the control plane as `Master`; `ControlPlane` is read too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InstanceGroupRole {
    #[serde(alias = "ControlPlane")]
    Master,
    #[serde(rename = "APIServer")]
    ApiServer,
    Node,
    Bastion,
}

impl InstanceGroupRole {
    pub fn is_control_plane(self) -> bool {
        matches!(self, Self::Master)
    }
}
