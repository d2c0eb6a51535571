use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use ipnet::{IpNet, Ipv4Net};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::*;
use crate::cidr::Ipv6CidrSpec;

/// A `kind: Cluster` document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Cluster {
    pub api_version: String,
    pub kind: String,
    pub metadata: ObjectMeta,
    pub spec: ClusterSpec,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClusterSpec {
    #[serde(
        default,
        rename = "DisableSubnetTags",
        skip_serializing_if = "Option::is_none"
    )]
    pub disable_subnet_tags: Option<bool>,
    #[serde(
        default,
        rename = "additionalNetworkCIDRs",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub additional_network_cidrs: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub additional_policies: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_sans: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addons: Vec<AddonSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api: Option<ApiSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assets: Option<AssetsSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication: Option<AuthenticationSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization: Option<AuthorizationSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_load_balancer_controller: Option<LoadBalancerControllerSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_manager: Option<CertManagerConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_config: Option<CloudConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_controller_manager: Option<CloudControllerManagerConfig>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub cloud_labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_provider: Option<CloudProvider>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_autoscaler: Option<ClusterAutoscalerConfig>,
    #[serde(
        default,
        rename = "clusterDNSDomain",
        skip_serializing_if = "Option::is_none"
    )]
    pub cluster_dns_domain: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_base: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_store: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_runtime: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub containerd: Option<ContainerdConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_controller_gossip_config: Option<DnsControllerGossipConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_zone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docker: Option<DockerConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub egress_proxy: Option<EgressProxySpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_config: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub etcd_clusters: Vec<EtcdClusterSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_dns: Option<ExternalDnsConfig>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub external_policies: BTreeMap<String, Vec<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub file_assets: Vec<FileAssetSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gossip_config: Option<GossipConfig>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hooks: Vec<HookSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iam: Option<IamSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isolate_masters: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub karpenter: Option<KarpenterConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_store: Option<String>,
    #[serde(
        default,
        rename = "kubeAPIServer",
        skip_serializing_if = "Option::is_none"
    )]
    pub kube_api_server: Option<KubeApiServerConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kube_controller_manager: Option<KubeControllerManagerConfig>,
    #[serde(default, rename = "kubeDNS", skip_serializing_if = "Option::is_none")]
    pub kube_dns: Option<KubeDnsConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kube_proxy: Option<KubeProxyConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kube_scheduler: Option<KubeSchedulerConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubelet: Option<KubeletConfig>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kubernetes_api_access: Vec<AccessSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubernetes_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub master_internal_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub master_kubelet: Option<KubeletConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub master_public_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics_server: Option<MetricsServerConfig>,
    #[serde(
        default,
        rename = "networkCIDR",
        skip_serializing_if = "Option::is_none"
    )]
    pub network_cidr: Option<Ipv4Net>,
    #[serde(default, rename = "networkID", skip_serializing_if = "Option::is_none")]
    pub network_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub networking: Option<NetworkingSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_authorization: Option<NodeAuthorizationSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub node_port_access: Vec<AccessSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_problem_detector: Option<NodeProblemDetectorConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_termination_handler: Option<NodeTerminationHandlerSpec>,
    #[serde(
        default,
        rename = "nonMasqueradeCIDR",
        skip_serializing_if = "Option::is_none"
    )]
    pub non_masquerade_cidr: Option<IpNet>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ntp: Option<NtpConfig>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub packages: Vec<String>,
    #[serde(default, rename = "podCIDR", skip_serializing_if = "Option::is_none")]
    pub pod_cidr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_identity_webhook: Option<PodIdentityWebhookSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rolling_update: Option<RollingUpdate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_store: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_issuer_discovery: Option<ServiceAccountIssuerDiscoveryConfig>,
    #[serde(
        default,
        rename = "serviceClusterIPRange",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_cluster_ip_range: Option<IpNet>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot_controller: Option<SnapshotControllerConfig>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ssh_access: Vec<AccessSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_key_name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<ClusterSubnetSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sysctl_parameters: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<TargetSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topology: Option<TopologySpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_policy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_host_certificates: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warm_pool: Option<WarmPoolSpec>,
}

impl ClusterSpec {
    /// IPv6 mode: `nonMasqueradeCIDR` is an IPv6 CIDR (SPEC 1.1).
    pub fn is_ipv6(&self) -> bool {
        matches!(self.non_masquerade_cidr, Some(IpNet::V6(_)))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApiSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns: Option<Empty>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_balancer: Option<LoadBalancerAccessSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoadBalancerAccessSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_log: Option<AccessLogSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_security_groups: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<LoadBalancerClass>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cross_zone_load_balancing: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle_timeout_seconds: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_group_override: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssl_certificate: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssl_policy: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<LoadBalancerSubnetSpec>,
    /// kOps completes an omitted type to `Public`; reading it so gives the same meaning.
    #[serde(default, rename = "type")]
    pub lb_type: LoadBalancerType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_for_internal_api: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoadBalancerClass {
    Classic,
    Network,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoadBalancerType {
    #[default]
    Public,
    Internal,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuthorizationSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub always_allow: Option<Empty>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rbac: Option<Empty>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IpFamily {
    Ipv4,
    Ipv6,
}

/// `spec.cloudProvider`, the v1alpha2 string form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CloudProvider {
    Aws,
    Azure,
    Digitalocean,
    Gce,
    Hetzner,
    Linode,
    Metal,
    Openstack,
    Scaleway,
}

impl CloudProvider {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Aws => "aws",
            Self::Azure => "azure",
            Self::Digitalocean => "digitalocean",
            Self::Gce => "gce",
            Self::Hetzner => "hetzner",
            Self::Linode => "linode",
            Self::Metal => "metal",
            Self::Openstack => "openstack",
            Self::Scaleway => "scaleway",
        }
    }

    pub const ALL: [CloudProvider; 9] = [
        Self::Aws,
        Self::Azure,
        Self::Digitalocean,
        Self::Gce,
        Self::Hetzner,
        Self::Linode,
        Self::Metal,
        Self::Openstack,
        Self::Scaleway,
    ];
}

impl FromStr for CloudProvider {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Self::ALL.iter().map(|c| c.as_str()).collect();
                format!("unknown cloud {s:?} (one of {})", names.join(", "))
            })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EtcdClusterSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backups: Option<EtcdBackupSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_request: Option<String>,
    #[serde(
        default,
        rename = "enableEtcdTLS",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_etcd_tls: Option<bool>,
    #[serde(
        default,
        rename = "enableTLSAuth",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_tls_auth: Option<bool>,
    pub etcd_members: Vec<EtcdMemberSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heartbeat_interval: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leader_election_timeout: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<EtcdManagerSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_request: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EtcdMemberSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encrypted_volume: Option<bool>,
    pub instance_group: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_iops: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_size: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_throughput: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_type: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EtcdManagerSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_interval: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_retention_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discovery_poll_interval: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<EnvVar>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(
        default,
        rename = "listenClientHTTPURLs",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub listen_client_http_urls: Vec<String>,
    #[serde(
        default,
        rename = "listenMetricsURLs",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub listen_metrics_urls: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level: Option<i32>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IamSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_container_registry: Option<bool>,
    #[serde(default)]
    pub legacy: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_account_external_permissions: Vec<ServiceAccountExternalPermission>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_service_account_external_permissions: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KubeDnsConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affinity: Option<KubeObject>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_max_concurrent: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_max_size: Option<i64>,
    #[serde(
        default,
        rename = "coreDNSImage",
        skip_serializing_if = "Option::is_none"
    )]
    pub core_dns_image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpa_image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_request: Option<Quantity>,
    /// CoreDNS's `dns64` plugin, so IPv6-only pods reach IPv4-only names through NAT64.
    /// A kops6 field: kOps turns this on implicitly in IPv6 mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns64: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_core_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_limit: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_request: Option<Quantity>,
    #[serde(
        default,
        rename = "nodeLocalDNS",
        skip_serializing_if = "Option::is_none"
    )]
    pub node_local_dns: Option<NodeLocalDnsConfig>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pod_annotations: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<DnsProvider>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i64>,
    #[serde(default, rename = "serverIP", skip_serializing_if = "Option::is_none")]
    pub server_ip: Option<std::net::IpAddr>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub stub_domains: BTreeMap<String, Vec<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tolerations: Vec<KubeObject>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub upstream_nameservers: Vec<std::net::IpAddr>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DnsProvider {
    CoreDNS,
    KubeDNS,
}

/// `spec.subnets[]`. `name`, `type` and `zone` are required in YAML; `Default` exists only so
/// code can build a subnet with `..Default::default()`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClusterSubnetSpec {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_routes: Vec<RouteSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr: Option<Ipv4Net>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub egress: Option<Egress>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, rename = "ipv6CIDR", skip_serializing_if = "Option::is_none")]
    pub ipv6_cidr: Option<Ipv6CidrSpec>,
    pub name: String,
    #[serde(default, rename = "publicIP", skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(rename = "type")]
    pub subnet_type: SubnetType,
    /// Empty when not given: kOps allows that for regional (GCE) subnets and looks a shared
    /// subnet's zone up; kops6's validation requires it on AWS.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub zone: String,
}

impl ClusterSubnetSpec {
    /// A subnet with no IPv4 range: only meaningful for `Private` subnets in IPv6 mode.
    pub fn is_ipv6_only(&self) -> bool {
        self.subnet_type == SubnetType::Private && self.cidr.is_none()
    }

    /// Shared subnets (`id`) and `External` ones are not routed or NATed by kops6.
    pub fn is_managed(&self) -> bool {
        self.id.is_none() && self.egress != Some(Egress::External)
    }
}

/// An entry of `sshAccess`, `kubernetesApiAccess` or `nodePortAccess`: a CIDR, or an AWS
/// managed prefix list (`pl-...`), both of which kOps accepts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AccessSource {
    Cidr(IpNet),
    PrefixList(String),
}

impl From<IpNet> for AccessSource {
    fn from(cidr: IpNet) -> Self {
        Self::Cidr(cidr)
    }
}

impl FromStr for AccessSource {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if let Some(id) = s.strip_prefix("pl-") {
            if !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Ok(Self::PrefixList(s.to_string()));
            }
            return Err(format!("{s:?} is not a prefix list ID (pl-<id>)"));
        }
        s.parse()
            .map(Self::Cidr)
            .map_err(|_| format!("{s:?} is neither a CIDR nor a prefix list ID (pl-<id>)"))
    }
}

impl fmt::Display for AccessSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Cidr(c) => c.fmt(f),
            Self::PrefixList(id) => f.write_str(id),
        }
    }
}

impl Serialize for AccessSource {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for AccessSource {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RouteSpec {
    pub cidr: IpNet,
    pub target: String,
}

/// `spec.subnets[].type` (SPEC 1.5).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum SubnetType {
    /// Dual-stack, routed to the internet gateway; nodes get public addresses.
    Public,
    /// IPv6-only in IPv6 mode (no `cidr`), routed through NAT64 and the egress-only gateway.
    /// The default only for code building a subnet; YAML must name the type.
    #[default]
    Private,
    /// Private and dual-stack; IPv6 mode only. The control plane's default home.
    DualStack,
    /// Dual-stack and public; holds load balancers and NAT gateways, never nodes by default.
    Utility,
}

impl SubnetType {
    /// Subnets whose IPv4 (and NAT64) traffic leaves through a NAT gateway.
    pub fn is_private(self) -> bool {
        matches!(self, Self::Private | Self::DualStack)
    }
}

impl fmt::Display for SubnetType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// `spec.subnets[].egress`: where a subnet's NATed traffic goes (SPEC 4.9).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Egress {
    /// `nat-...`: an existing NAT gateway.
    NatGateway(String),
    /// `eipalloc-...`: a new NAT gateway on this existing Elastic IP.
    ElasticIp(String),
    /// `tgw-...`: a transit gateway.
    TransitGateway(String),
    /// `i-...`: a NAT instance (cannot do NAT64; rejected in IPv6 mode).
    NatInstance(String),
    /// Routing is managed outside kops6.
    External,
}

impl FromStr for Egress {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        type Make = fn(String) -> Egress;
        let kinds: [(&str, Make); 4] = [
            ("nat-", Egress::NatGateway),
            ("eipalloc-", Egress::ElasticIp),
            ("tgw-", Egress::TransitGateway),
            ("i-", Egress::NatInstance),
        ];
        if s == "External" {
            return Ok(Self::External);
        }
        for (prefix, make) in kinds {
            if let Some(rest) = s.strip_prefix(prefix) {
                if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    return Ok(make(s.to_string()));
                }
            }
        }
        Err(format!(
            "egress {s:?} is not one of nat-<id>, eipalloc-<id>, tgw-<id>, i-<id> or External"
        ))
    }
}

impl fmt::Display for Egress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NatGateway(id)
            | Self::ElasticIp(id)
            | Self::TransitGateway(id)
            | Self::NatInstance(id) => f.write_str(id),
            Self::External => f.write_str("External"),
        }
    }
}

impl Serialize for Egress {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Egress {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TopologySpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bastion: Option<BastionSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns: Option<DnsSpec>,
    /// Legacy v1alpha2 field; kOps derives topology from the subnets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub masters: Option<Topology>,
    /// Legacy v1alpha2 field; kOps derives topology from the subnets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nodes: Option<Topology>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Topology {
    Public,
    Private,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BastionSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bastion_public_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle_timeout_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_balancer: Option<BastionLoadBalancerSpec>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DnsSpec {
    #[serde(rename = "type")]
    pub dns_type: DnsType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DnsType {
    Public,
    Private,
    None,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AddonSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AssetsSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_proxy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_registry: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_repository: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuthenticationSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws: Option<AwsAuthenticationSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kopeio: Option<Empty>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DnsControllerGossipConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secondary: Option<DnsControllerGossipConfigSecondary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EgressProxySpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excludes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_proxy: Option<HttpProxy>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExternalDnsConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority_class_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watch_ingress: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watch_namespace: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FileAssetSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_base64: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<InstanceGroupRole>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GossipConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secondary: Option<GossipConfigSecondary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HookSpec {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub before: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exec_container: Option<ExecContainerAction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<InstanceGroupRole>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_raw_manifest: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KarpenterConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_request: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature_gates: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_encoding: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_limit: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_request: Option<Quantity>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeAuthorizationSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_authorizer: Option<NodeAuthorizerSpec>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PodIdentityWebhookSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RollingUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drain_and_terminate: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_surge: Option<IntOrString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<IntOrString>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceAccountIssuerDiscoveryConfig {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_audiences: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discovery_service: Option<DiscoveryServiceOptions>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discovery_store: Option<String>,
    #[serde(
        default,
        rename = "enableAWSOIDCProvider",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_aws_oidc_provider: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TargetSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terraform: Option<TerraformSpec>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WarmPoolSpec {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_images: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_lifecycle_hook: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle_hook_timeout: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_size: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_size: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AwsAuthenticationSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backend_mode: Option<String>,
    #[serde(default, rename = "clusterID", skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_limit: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_request: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identity_mappings: Vec<AwsAuthenticationIdentityMappingSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_limit: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_request: Option<Quantity>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PackagesConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash_amd64: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash_arm64: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url_amd64: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url_arm64: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DnsControllerGossipConfigSecondary {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpProxy {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EtcdBackupSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_store: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GossipConfigSecondary {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExecContainerAction {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub environment: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceAccountExternalPermission {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws: Option<AwsPermission>,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub namespace: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeLocalDnsConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_config: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_request: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_core_file: Option<String>,
    #[serde(
        default,
        rename = "forwardToKubeDNS",
        skip_serializing_if = "Option::is_none"
    )]
    pub forward_to_kube_dns: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, rename = "localIP", skip_serializing_if = "Option::is_none")]
    pub local_ip: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_request: Option<Quantity>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pod_annotations: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeAuthorizerSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorizer: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<String>,
    #[serde(default, rename = "nodeURL", skip_serializing_if = "Option::is_none")]
    pub node_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
    #[serde(default, rename = "tokenTTL", skip_serializing_if = "Option::is_none")]
    pub token_ttl: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DiscoveryServiceOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TerraformSpec {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub files_provider_extra_config: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub provider_extra_config: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccessLogSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket_prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoadBalancerSubnetSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocation_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_i_pv4_address: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AwsAuthenticationIdentityMappingSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnvVar {
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AwsPermission {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inline_policy: Option<String>,
    #[serde(default, rename = "policyARNs", skip_serializing_if = "Vec::is_empty")]
    pub policy_arns: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BastionLoadBalancerSpec {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_security_groups: Vec<String>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub lb_type: Option<LoadBalancerType>,
}
