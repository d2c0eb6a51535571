use std::fmt;
use std::str::FromStr;

use ipnet::{IpNet, Ipv4Net};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Empty, NetworkingSpec, ObjectMeta};
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api: Option<ApiSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization: Option<AuthorizationSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_config: Option<CloudConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_controller_manager: Option<CloudControllerManagerConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_provider: Option<CloudProvider>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_base: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_zone: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub etcd_clusters: Vec<EtcdClusterSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iam: Option<IamSpec>,
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
    pub kubelet: Option<KubeletConfig>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kubernetes_api_access: Vec<IpNet>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubernetes_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub master_kubelet: Option<KubeletConfig>,
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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub node_port_access: Vec<IpNet>,
    #[serde(
        default,
        rename = "nonMasqueradeCIDR",
        skip_serializing_if = "Option::is_none"
    )]
    pub non_masquerade_cidr: Option<IpNet>,
    #[serde(
        default,
        rename = "serviceClusterIPRange",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_cluster_ip_range: Option<IpNet>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ssh_access: Vec<IpNet>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_key_name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<ClusterSubnetSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topology: Option<TopologySpec>,
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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_security_groups: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<LoadBalancerClass>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cross_zone_load_balancing: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle_timeout_seconds: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssl_certificate: Option<String>,
    #[serde(rename = "type")]
    pub lb_type: LoadBalancerType,
    #[serde(
        default,
        rename = "useForInternalAPI",
        skip_serializing_if = "Option::is_none"
    )]
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

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CloudConfig {
    #[serde(
        default,
        rename = "nodeIPFamilies",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub node_ip_families: Vec<IpFamily>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IpFamily {
    Ipv4,
    Ipv6,
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
    pub configure_cloud_routes: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
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
            Self::Openstack => "openstack",
            Self::Scaleway => "scaleway",
        }
    }

    pub const ALL: [CloudProvider; 7] = [
        Self::Aws,
        Self::Azure,
        Self::Digitalocean,
        Self::Gce,
        Self::Hetzner,
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
    pub cpu_request: Option<String>,
    pub etcd_members: Vec<EtcdMemberSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<EtcdManagerSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_request: Option<String>,
    pub name: String,
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
    pub volume_size: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_type: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EtcdManagerSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_retention_days: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IamSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_container_registry: Option<bool>,
    #[serde(default)]
    pub legacy: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_service_account_external_permissions: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KubeApiServerConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bind_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_provider: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KubeControllerManagerConfig {
    #[serde(
        default,
        rename = "allocateNodeCIDRs",
        skip_serializing_if = "Option::is_none"
    )]
    pub allocate_node_cidrs: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_provider: Option<String>,
    #[serde(
        default,
        rename = "clusterCIDR",
        skip_serializing_if = "Option::is_none"
    )]
    pub cluster_cidr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configure_cloud_routes: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KubeDnsConfig {
    /// CoreDNS's `dns64` plugin, so IPv6-only pods reach IPv4-only names through NAT64.
    /// A kops6 field: kOps turns this on implicitly in IPv6 mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns64: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<DnsProvider>,
    #[serde(default, rename = "serverIP", skip_serializing_if = "Option::is_none")]
    pub server_ip: Option<std::net::IpAddr>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub upstream_nameservers: Vec<std::net::IpAddr>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DnsProvider {
    CoreDNS,
    KubeDNS,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KubeProxyConfig {
    #[serde(
        default,
        rename = "clusterCIDR",
        skip_serializing_if = "Option::is_none"
    )]
    pub cluster_cidr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KubeletConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anonymous_auth: Option<bool>,
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
    /// `--node-ip`. A kops6 field: kOps' node bootstrap sets `::` implicitly in IPv6 mode.
    #[serde(default, rename = "nodeIP", skip_serializing_if = "Option::is_none")]
    pub node_ip: Option<String>,
}

/// `spec.subnets[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    #[serde(rename = "type")]
    pub subnet_type: SubnetType,
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RouteSpec {
    pub cidr: IpNet,
    pub target: String,
}

/// `spec.subnets[].type` (SPEC 1.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SubnetType {
    /// Dual-stack, routed to the internet gateway; nodes get public addresses.
    Public,
    /// IPv6-only in IPv6 mode (no `cidr`), routed through NAT64 and the egress-only gateway.
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
