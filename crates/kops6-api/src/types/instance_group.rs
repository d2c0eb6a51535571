use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::*;

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

/// `role` is required in YAML; `Default` exists only so code can build a group with
/// `..Default::default()`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InstanceGroupSpec {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_security_groups: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_user_data: Vec<UserData>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub associate_public_ip: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autoscale: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autoscale_priority: Option<i16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_rebalance: Option<bool>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub cloud_labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compress_user_data: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub containerd: Option<ContainerdConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_credits: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detailed_instance_monitoring: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub external_load_balancers: Vec<LoadBalancerSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub file_assets: Vec<FileAssetSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gcp_provisioning_model: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guest_accelerators: Vec<AcceleratorConfig>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hooks: Vec<HookSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iam: Option<IamProfileSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_interruption_behavior: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_metadata: Option<InstanceMetadataOptions>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_protection: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubelet: Option<KubeletConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_instance_lifetime: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_price: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_size: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_size: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mixed_instances_policy: Option<MixedInstancesPolicySpec>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub node_labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub packages: Vec<String>,
    pub role: InstanceGroupRole,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rolling_update: Option<RollingUpdate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_volume_delete_on_termination: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_volume_encryption: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_volume_encryption_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_volume_iops: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_volume_optimization: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_volume_size: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_volume_throughput: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_volume_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_group_override: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spot_duration_in_minutes: Option<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suspend_processes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sysctl_parameters: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub taints: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenancy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_policy: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volume_mounts: Vec<VolumeMountSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<VolumeSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warm_pool: Option<WarmPoolSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zones: Vec<String>,
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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum InstanceGroupRole {
    #[serde(alias = "ControlPlane")]
    Master,
    #[serde(rename = "APIServer")]
    ApiServer,
    /// The default only for code building a group; YAML must name the role.
    #[default]
    Node,
    Bastion,
}

impl InstanceGroupRole {
    pub fn is_control_plane(self) -> bool {
        matches!(self, Self::Master)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AcceleratorConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accelerator_count: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accelerator_type: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IamProfileSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoadBalancerSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_balancer_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_group_arn: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MixedInstancesPolicySpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_requirements: Option<InstanceRequirementsSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instances: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_demand_above_base: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_demand_allocation_strategy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_demand_base: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spot_allocation_strategy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spot_instance_pools: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UserData {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VolumeMountSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filesystem: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub format_options: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mount_options: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VolumeSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete_on_termination: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encrypted: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iops: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throughput: Option<i64>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub volume_type: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InstanceRequirementsSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<MinMaxSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded_instance_types: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<MinMaxSpec>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MinMaxSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Quantity>,
}
