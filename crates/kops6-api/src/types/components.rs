//! Component configuration: kubelet, API server, controller manager, scheduler, proxy, DNS,
//! container runtime and the add-ons kOps installs (`componentconfig.go` and its neighbours in
//! kOps' `pkg/apis/kops/v1alpha2`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::*;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CertManagerConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_issuer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub feature_gates: BTreeMap<String, bool>,
    #[serde(
        default,
        rename = "hostedZoneIDs",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub hosted_zone_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nameservers: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CloudConfig {
    #[serde(
        default,
        rename = "awsEBSCSIDriver",
        skip_serializing_if = "Option::is_none"
    )]
    pub aws_ebs_csi_driver: Option<EbsCsiDriverSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azure: Option<AzureSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_security_group_ingress: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elb_security_group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gce_service_account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gce_use_startup_script: Option<bool>,
    #[serde(
        default,
        rename = "gcpPDCSIDriver",
        skip_serializing_if = "Option::is_none"
    )]
    pub gcp_pd_csi_driver: Option<PdCsiDriver>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manage_storage_classes: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multizone: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nlb_security_group_mode: Option<String>,
    #[serde(
        default,
        rename = "nodeIPFamilies",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub node_ip_families: Vec<IpFamily>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_instance_prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_tags: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub openstack: Option<OpenstackSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spotinst_orientation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spotinst_product: Option<String>,
    #[serde(
        default,
        rename = "useIPBasedNodeNames",
        skip_serializing_if = "Option::is_none"
    )]
    pub use_ip_based_node_names: Option<bool>,
    #[serde(
        default,
        rename = "vSphereCoreDNSServer",
        skip_serializing_if = "Option::is_none"
    )]
    pub v_sphere_core_dns_server: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub v_sphere_datacenter: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub v_sphere_datastore: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub v_sphere_password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub v_sphere_resource_pool: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub v_sphere_server: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub v_sphere_username: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CloudControllerManagerConfig {
    #[serde(
        default,
        rename = "allocateNodeCIDRs",
        skip_serializing_if = "Option::is_none"
    )]
    pub allocate_node_cidrs: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_untagged_cloud: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azure_node_manager_image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr_allocator_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_provider: Option<String>,
    #[serde(
        default,
        rename = "clusterCIDR",
        skip_serializing_if = "Option::is_none"
    )]
    pub cluster_cidr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrent_node_syncs: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configure_cloud_routes: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controllers: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_request: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_leader_migration: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leader_election: Option<LeaderElectionConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub master: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_status_update_frequency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_service_account_credentials: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClusterAutoscalerConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_use_static_instance_list: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance_similar_node_groups: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cordon_node_before_terminating: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_request: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_priority_expander_config: Option<bool>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub custom_priority_expander_config: BTreeMap<String, Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emit_per_nodegroup_metrics: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expander: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ignore_daemon_sets_utilization: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_node_provision_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_request: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_pod_scale_up_delay: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pod_annotations: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_down_delay_after_add: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_down_unneeded_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_down_unready_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_down_utilization_threshold: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_nodes_with_custom_controller_pods: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_nodes_with_local_storage: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_nodes_with_system_pods: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContainerdConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub config_additions: BTreeMap<String, IntOrString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_override: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gvisor: Option<GvisorConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub install_cri_ctl: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub install_nerd_ctl: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nri: Option<NriConfig>,
    #[serde(default, rename = "nvidiaGPU", skip_serializing_if = "Option::is_none")]
    pub nvidia_gpu: Option<NvidiaGpuConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub packages: Option<PackagesConfig>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub registry_mirrors: BTreeMap<String, Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runc: Option<Runc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sandbox_image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selinux_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_install: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(
        default,
        rename = "useECRCredentialsForMirrors",
        skip_serializing_if = "Option::is_none"
    )]
    pub use_ecr_credentials_for_mirrors: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DockerConfig {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authorization_plugins: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bridge: Option<String>,
    #[serde(default, rename = "bridgeIP", skip_serializing_if = "Option::is_none")]
    pub bridge_ip: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_root: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_runtime: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub default_ulimit: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dns: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exec_opt: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exec_root: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experimental: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hosts: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub insecure_registries: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insecure_registry: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_masq: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_tables: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live_restore: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_driver: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub log_opt: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_concurrent_downloads: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_concurrent_uploads: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_download_attempts: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mtu: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub packages: Option<PackagesConfig>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub registry_mirrors: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runtimes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selinux_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_install: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub storage_opts: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_namespace_remap: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KubeApiServerConfig {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_service_account_issuers: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub admission_control: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admission_control_config_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advertise_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_privileged: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anonymous_auth: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub api_audiences: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_server_count: Option<i32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub append_admission_plugins: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_dynamic_configuration: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_log_format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_log_max_age: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_log_max_backups: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_log_max_size: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_log_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_policy_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_webhook_batch_buffer_size: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_webhook_batch_max_size: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_webhook_batch_max_wait: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_webhook_batch_throttle_burst: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_webhook_batch_throttle_enable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_webhook_batch_throttle_qps: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_webhook_config_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_webhook_initial_backoff: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_webhook_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication_config_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication_token_webhook_cache_ttl: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication_token_webhook_config_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_rbac_super_user: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_webhook_cache_authorized_ttl: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_webhook_cache_unauthorized_ttl: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_webhook_config_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basic_auth_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bind_address: Option<String>,
    #[serde(
        default,
        rename = "clientCAFile",
        skip_serializing_if = "Option::is_none"
    )]
    pub client_ca_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_provider: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compaction_interval: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cors_allowed_origins: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_limit: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_request: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_not_ready_toleration_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_unreachable_toleration_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete_collection_workers: Option<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disable_admission_plugins: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_basic_auth: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enable_admission_plugins: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_aggregator_routing: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_bootstrap_token_auth: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_contention_profiling: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_profiling: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_provider_config: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<KubeObject>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etcd_ca_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etcd_cert_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etcd_key_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etcd_quorum_read: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub etcd_servers: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub etcd_servers_overrides: Vec<String>,
    #[serde(default, rename = "eventTTL", skip_serializing_if = "Option::is_none")]
    pub event_ttl: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experimental_encryption_provider_config: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub feature_gates: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goaway_chance: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http2_max_streams_per_connection: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insecure_bind_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insecure_port: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubelet_certificate_authority: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubelet_client_certificate: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubelet_client_key: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kubelet_preferred_address_types: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_mutating_requests_inflight: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_requests_inflight: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_limit: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_request: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_request_timeout: Option<i32>,
    #[serde(
        default,
        rename = "oidcCAFile",
        skip_serializing_if = "Option::is_none"
    )]
    pub oidc_ca_file: Option<String>,
    #[serde(
        default,
        rename = "oidcClientID",
        skip_serializing_if = "Option::is_none"
    )]
    pub oidc_client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oidc_groups_claim: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oidc_groups_prefix: Option<String>,
    #[serde(
        default,
        rename = "oidcIssuerURL",
        skip_serializing_if = "Option::is_none"
    )]
    pub oidc_issuer_url: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub oidc_required_claim: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oidc_username_claim: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oidc_username_prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_client_cert_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_client_key_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_timeout: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requestheader_allowed_names: Vec<String>,
    #[serde(
        default,
        rename = "requestheaderClientCAFile",
        skip_serializing_if = "Option::is_none"
    )]
    pub requestheader_client_ca_file: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requestheader_extra_header_prefixes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requestheader_group_headers: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requestheader_username_headers: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub runtime_config: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secure_port: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_issuer: Option<String>,
    #[serde(
        default,
        rename = "serviceAccountJWKSURI",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_account_jwksuri: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_account_key_file: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_signing_key_file: Option<String>,
    #[serde(
        default,
        rename = "serviceClusterIPRange",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_cluster_ip_range: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_node_port_range: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_backend: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_initialization_timeout: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub strict_transport_security_directives: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_cert_file: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tls_cipher_suites: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_min_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_private_key_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_auth_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watch_cache: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub watch_cache_sizes: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KubeControllerManagerConfig {
    #[serde(
        default,
        rename = "ClusterSigningDuration",
        skip_serializing_if = "Option::is_none"
    )]
    pub cluster_signing_duration: Option<String>,
    #[serde(
        default,
        rename = "allocateNodeCIDRs",
        skip_serializing_if = "Option::is_none"
    )]
    pub allocate_node_cidrs: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attach_detach_reconcile_sync_period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication_kubeconfig: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authorization_always_allow_paths: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_kubeconfig: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr_allocator_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_provider: Option<String>,
    #[serde(
        default,
        rename = "clusterCIDR",
        skip_serializing_if = "Option::is_none"
    )]
    pub cluster_cidr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrent_deployment_syncs: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrent_endpoint_syncs: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrent_horizontal_pod_austoscaler_syncs: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrent_job_syncs: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrent_namespace_syncs: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrent_rc_syncs: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrent_replicaset_syncs: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrent_resource_quota_syncs: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrent_service_syncs: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrent_serviceaccount_token_syncs: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configure_cloud_routes: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controllers: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_limit: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_request: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_attach_detach_reconcile_sync: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_contention_profiling: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_leader_migration: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_profiling: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_slice_updates_batch_period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_updates_batch_period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experimental_cluster_signing_duration: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_cloud_volume_plugin: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub feature_gates: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizontal_pod_autoscaler_cpu_initialization_period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizontal_pod_autoscaler_downscale_delay: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizontal_pod_autoscaler_downscale_stabilization: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizontal_pod_autoscaler_initial_readiness_delay: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizontal_pod_autoscaler_sync_period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizontal_pod_autoscaler_tolerance: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizontal_pod_autoscaler_upscale_delay: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizontal_pod_autoscaler_use_rest_clients: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(
        default,
        rename = "kubeAPIBurst",
        skip_serializing_if = "Option::is_none"
    )]
    pub kube_api_burst: Option<i32>,
    #[serde(
        default,
        rename = "kubeAPIQPS",
        skip_serializing_if = "Option::is_none"
    )]
    pub kube_api_qps: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leader_election: Option<LeaderElectionConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub master: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_limit: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_request: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_resync_period: Option<String>,
    #[serde(
        default,
        rename = "nodeCIDRMaskSize",
        skip_serializing_if = "Option::is_none"
    )]
    pub node_cidr_mask_size: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_monitor_grace_period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_monitor_period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_eviction_timeout: Option<String>,
    #[serde(
        default,
        rename = "rootCAFile",
        skip_serializing_if = "Option::is_none"
    )]
    pub root_ca_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_private_key_file: Option<String>,
    #[serde(
        default,
        rename = "terminatedPodGCThreshold",
        skip_serializing_if = "Option::is_none"
    )]
    pub terminated_pod_gc_threshold: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_cert_file: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tls_cipher_suites: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_min_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_private_key_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_service_account_credentials: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KubeProxyConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bind_address: Option<String>,
    #[serde(
        default,
        rename = "clusterCIDR",
        skip_serializing_if = "Option::is_none"
    )]
    pub cluster_cidr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conntrack_max_per_core: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conntrack_min: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_limit: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_request: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub feature_gates: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname_override: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ipvs_exclude_cidrs: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipvs_min_sync_period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipvs_scheduler: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipvs_sync_period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub master: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_limit: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_request: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics_bind_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_mode: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KubeSchedulerConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication_kubeconfig: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authorization_always_allow_paths: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_kubeconfig: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub burst: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_limit: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_request: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_contention_profiling: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_profiling: Option<bool>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub feature_gates: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(
        default,
        rename = "kubeAPIBurst",
        skip_serializing_if = "Option::is_none"
    )]
    pub kube_api_burst: Option<i32>,
    #[serde(
        default,
        rename = "kubeAPIQPS",
        skip_serializing_if = "Option::is_none"
    )]
    pub kube_api_qps: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leader_election: Option<LeaderElectionConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub master: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_persistent_volumes: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_limit: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_request: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qps: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_cert_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_private_key_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_policy_config_map: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KubeletConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_privileged: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_unsafe_sysctls: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anonymous_auth: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_servers: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication_token_webhook: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication_token_webhook_cache_ttl: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub babysit_daemons: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bootstrap_kubeconfig: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cgroup_driver: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cgroup_root: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_ca_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_provider: Option<String>,
    #[serde(
        default,
        rename = "clusterDNS",
        skip_serializing_if = "Option::is_none"
    )]
    pub cluster_dns: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_domain: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configure_cbr0: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_log_max_files: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_log_max_size: Option<String>,
    #[serde(
        default,
        rename = "cpuCFSQuota",
        skip_serializing_if = "Option::is_none"
    )]
    pub cpu_cfs_quota: Option<bool>,
    #[serde(
        default,
        rename = "cpuCFSQuotaPeriod",
        skip_serializing_if = "Option::is_none"
    )]
    pub cpu_cfs_quota_period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_manager_policy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crash_loop_back_off_max_container_restart_period: Option<String>,
    #[serde(
        default,
        rename = "dockerDisableSharedPID",
        skip_serializing_if = "Option::is_none"
    )]
    pub docker_disable_shared_pid: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_cadvisor_json_endpoints: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_custom_metrics: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_debugging_handlers: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enforce_node_allocatable: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_burst: Option<i32>,
    #[serde(default, rename = "eventQPS", skip_serializing_if = "Option::is_none")]
    pub event_qps: Option<i32>,
    #[serde(
        default,
        rename = "eventRecordQPS",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_record_qps: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eviction_hard: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eviction_max_pod_grace_period: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eviction_minimum_reclaim: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eviction_pressure_transition_period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eviction_soft: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eviction_soft_grace_period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experimental_allocatable_ignore_eviction: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub experimental_allowed_unsafe_sysctls: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_swap_on: Option<bool>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub feature_gates: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hairpin_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname_override: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub housekeeping_interval: Option<String>,
    #[serde(
        default,
        rename = "imageGCHighThresholdPercent",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_gc_high_threshold_percent: Option<i32>,
    #[serde(
        default,
        rename = "imageGCLowThresholdPercent",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_gc_low_threshold_percent: Option<i32>,
    #[serde(
        default,
        rename = "imageMaximumGCAge",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_maximum_gc_age: Option<String>,
    #[serde(
        default,
        rename = "imageMinimumGCAge",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_minimum_gc_age: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_progress_deadline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kernel_memcg_notification: Option<bool>,
    #[serde(
        default,
        rename = "kubeAPIQPS",
        skip_serializing_if = "Option::is_none"
    )]
    pub kube_api_qps: Option<i32>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub kube_reserved: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kube_reserved_cgroup: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubeconfig_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubelet_cgroups: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_parallel_image_pulls: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_pods: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_swap_behavior: Option<String>,
    #[serde(
        default,
        rename = "networkPluginMTU",
        skip_serializing_if = "Option::is_none"
    )]
    pub network_plugin_mtu: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_plugin_name: Option<String>,
    /// `--node-ip`. A kops6 field: kOps' node bootstrap sets `::` implicitly in IPv6 mode.
    #[serde(default, rename = "nodeIP", skip_serializing_if = "Option::is_none")]
    pub node_ip: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub node_labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_lease_duration_seconds: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_status_update_frequency: Option<String>,
    #[serde(
        default,
        rename = "nonMasqueradeCIDR",
        skip_serializing_if = "Option::is_none"
    )]
    pub non_masquerade_cidr: Option<String>,
    #[serde(
        default,
        rename = "nvidiaGPUs",
        skip_serializing_if = "Option::is_none"
    )]
    pub nvidia_gpus: Option<i32>,
    #[serde(default, rename = "podCIDR", skip_serializing_if = "Option::is_none")]
    pub pod_cidr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_infra_container_image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_manifest_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_pids_limit: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protect_kernel_defaults: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only_port: Option<i32>,
    #[serde(
        default,
        rename = "reconcileCIDR",
        skip_serializing_if = "Option::is_none"
    )]
    pub reconcile_cidr: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub register_node: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub register_schedulable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry_burst: Option<i32>,
    #[serde(
        default,
        rename = "registryPullQPS",
        skip_serializing_if = "Option::is_none"
    )]
    pub registry_pull_qps: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_kubeconfig: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolv_conf: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_dir: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotate_certificates: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime_cgroups: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime_request_timeout: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seccomp_default: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seccomp_profile_root: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serialize_image_pulls: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shutdown_grace_period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shutdown_grace_period_critical_pods: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub streaming_connection_idle_timeout: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_cgroups: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub system_reserved: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_reserved_cgroup: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub taints: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_cert_file: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tls_cipher_suites: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_min_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_private_key_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topology_manager_policy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_plugin_directory: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_stats_agg_period: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoadBalancerControllerSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_limit: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_request: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_shield: Option<bool>,
    #[serde(default, rename = "enableWAF", skip_serializing_if = "Option::is_none")]
    pub enable_waf: Option<bool>,
    #[serde(
        default,
        rename = "enableWAFv2",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_wa_fv2: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_limit: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_request: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MetricsServerConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insecure: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NtpConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeProblemDetectorConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_limit: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_request: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_limit: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_request: Option<Quantity>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeTerminationHandlerSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_request: Option<Quantity>,
    #[serde(
        default,
        rename = "deleteSQSMsgIfNodeNotFound",
        skip_serializing_if = "Option::is_none"
    )]
    pub delete_sqs_msg_if_node_not_found: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_out_of_service_taint: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_rebalance_draining: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_rebalance_monitoring: Option<bool>,
    #[serde(
        default,
        rename = "enableSQSTerminationDraining",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_sqs_termination_draining: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_scheduled_event_draining: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_spot_interruption_draining: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclude_from_load_balancers: Option<bool>,
    #[serde(
        default,
        rename = "managedASGTag",
        skip_serializing_if = "Option::is_none"
    )]
    pub managed_asg_tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_limit: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_request: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_termination_grace_period: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prometheus_enable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taint_node: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_template: Option<String>,
    #[serde(
        default,
        rename = "webhookURL",
        skip_serializing_if = "Option::is_none"
    )]
    pub webhook_url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SnapshotControllerConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub install_default_class: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AzureSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_user: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_group_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_table_name: Option<String>,
    #[serde(
        default,
        rename = "storageAccountID",
        skip_serializing_if = "Option::is_none"
    )]
    pub storage_account_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<String>,
    #[serde(default)]
    pub tenant_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EbsCsiDriverSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_network: Option<bool>,
    #[serde(
        default,
        rename = "kubeAPIBurst",
        skip_serializing_if = "Option::is_none"
    )]
    pub kube_api_burst: Option<i32>,
    #[serde(
        default,
        rename = "kubeAPIQPS",
        skip_serializing_if = "Option::is_none"
    )]
    pub kube_api_qps: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed: Option<bool>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pod_annotations: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_attach_limit: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OpenstackSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block_storage: Option<OpenstackBlockStorageConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insecure_skip_verify: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loadbalancer: Option<OpenstackLoadbalancerConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<OpenstackMetadata>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monitor: Option<OpenstackMonitor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<OpenstackNetwork>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub router: Option<OpenstackRouter>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PdCsiDriver {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_storage_class_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LeaderElectionConfiguration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leader_elect: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leader_elect_lease_duration: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leader_elect_renew_deadline_duration: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leader_elect_resource_lock: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leader_elect_resource_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leader_elect_resource_namespace: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leader_elect_retry_period: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GvisorConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NriConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plugin_registration_timeout: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plugin_request_timeout: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NvidiaGpuConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dcgm_exporter: Option<DcgmExporterConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Runc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub packages: Option<PackagesConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OpenstackBlockStorageConfig {
    #[serde(
        default,
        rename = "bs-version",
        skip_serializing_if = "Option::is_none"
    )]
    pub bs_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_storage_class: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csi_plugin_image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csi_topology_support: Option<bool>,
    #[serde(
        default,
        rename = "ignore-volume-az",
        skip_serializing_if = "Option::is_none"
    )]
    pub ignore_volume_az: Option<bool>,
    #[serde(
        default,
        rename = "ignore-volume-microversion",
        skip_serializing_if = "Option::is_none"
    )]
    pub ignore_volume_microversion: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics_enabled: Option<bool>,
    #[serde(
        default,
        rename = "override-volume-az",
        skip_serializing_if = "Option::is_none"
    )]
    pub override_volume_az: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OpenstackLoadbalancerConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_ingress_hostname: Option<bool>,
    #[serde(default, rename = "flavorID", skip_serializing_if = "Option::is_none")]
    pub flavor_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floating_network: Option<String>,
    #[serde(
        default,
        rename = "floatingNetworkID",
        skip_serializing_if = "Option::is_none"
    )]
    pub floating_network_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floating_subnet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress_hostname_suffix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manage_security_groups: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    #[serde(default, rename = "subnetID", skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_octavia: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OpenstackMetadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_drive: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OpenstackMonitor {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_retries: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OpenstackNetwork {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_sort_order: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub availability_zone_hints: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub internal_network_names: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_support_disabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub public_network_names: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OpenstackRouter {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub availability_zone_hints: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_servers: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_network: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_subnet: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DcgmExporterConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}
