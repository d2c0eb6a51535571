//! What bootstrap needs to know, read once from the completed spec and the inputs.

use std::net::IpAddr;

use ipnet::IpNet;
use kops6_api::complete::{api_service_ip, Completed};
use kops6_api::types::{Cni, InstanceGroup, InstanceGroupRole, IpFamily};

use crate::versions::Packages;
use crate::{BootstrapError, Inputs};

/// How clients and nodes reach the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiEndpoint {
    /// The host name in every kubeconfig and in kubeadm's `controlPlaneEndpoint`: the load
    /// balancer's DNS name with `dns.type: None`, else `api.<C>`.
    pub name: String,
    /// The load balancer's DNS name when known (it goes on the API certificate either way).
    pub load_balancer: Option<String>,
}

/// The port the API load balancer listens on and forwards to (SPEC 7).
pub const API_PORT: u16 = 443;

/// Where a cluster's directory is in the state store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StateStoreLocation {
    S3 {
        bucket: String,
        /// The cluster's directory inside the bucket, e.g. `kops6/v6.example.org`.
        prefix: String,
        region: String,
    },
    /// A store nodes cannot read (`file://`): fine for rendering, refused for a real cluster.
    Unreachable { url: String },
}

impl StateStoreLocation {
    /// From the store's URL (`s3://bucket/prefix` or `file://...`) and the cluster name.
    pub fn from_url(url: &str, cluster: &str, region: &str) -> Self {
        match url.strip_prefix("s3://") {
            Some(rest) => {
                let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
                let prefix = prefix.trim_matches('/');
                let prefix = if prefix.is_empty() {
                    cluster.to_string()
                } else {
                    format!("{prefix}/{cluster}")
                };
                Self::S3 {
                    bucket: bucket.into(),
                    prefix,
                    region: region.into(),
                }
            }
            None => Self::Unreachable { url: url.into() },
        }
    }

    /// A real cluster needs a store its instances can read with their role.
    pub fn require_s3(&self) -> Result<(), BootstrapError> {
        match self {
            Self::S3 { .. } => Ok(()),
            Self::Unreachable { url } => Err(BootstrapError::Input {
                what: format!("state store {url}"),
                message: "instances fetch the cluster's CAs and join credential from the state \
                          store at boot, and cannot read this one; use an s3:// state store \
                          (--state s3://BUCKET/PREFIX) to create a cluster (rendering, \
                          --offline and --target terraform work with any store)"
                    .into(),
            }),
        }
    }

    /// The HTTPS base URL objects are fetched from (S3's dual-stack endpoint, so IPv6-only
    /// nodes reach it without NAT64), and the cluster's directory under it.
    pub fn base_url(&self) -> String {
        match self {
            Self::S3 {
                bucket,
                prefix,
                region,
            } => format!("https://{bucket}.s3.dualstack.{region}.amazonaws.com/{prefix}"),
            Self::Unreachable { url } => url.clone(),
        }
    }
}

/// The CNI the addons configure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CniChoice {
    Calico,
    Cilium,
    /// `cni: {}`: the user brings their own.
    BringYourOwn,
}

/// Facts about the cluster.
#[derive(Debug, Clone)]
pub struct ClusterFacts {
    pub name: String,
    pub ipv6: bool,
    pub region: String,
    pub packages: Packages,
    pub service_range: IpNet,
    pub dns_service_ip: IpAddr,
    pub api_service_ip: IpAddr,
    pub dns_domain: String,
    pub upstream_nameservers: Vec<IpAddr>,
    pub dns64: bool,
    pub node_ip_families: Vec<IpFamily>,
    pub cni: CniChoice,
    pub api: ApiEndpoint,
    pub state_store: StateStoreLocation,
    /// The control-plane group whose instance may run `kubeadm init` (the first by name).
    pub initializer: Option<String>,
    /// Each subnet's name, whether it is IPv6-only, and whether it has an IPv6 CIDR.
    pub subnets: Vec<(String, bool, bool)>,
}

fn spec_error(path: &str, message: impl Into<String>) -> BootstrapError {
    BootstrapError::Spec {
        path: path.into(),
        message: message.into(),
    }
}

impl ClusterFacts {
    pub fn new(completed: &Completed, inputs: &Inputs) -> Result<Self, BootstrapError> {
        let c = &completed.cluster;
        let spec = &c.spec;
        let version = spec
            .kubernetes_version
            .as_deref()
            .ok_or_else(|| spec_error("spec.kubernetesVersion", "is required"))?;
        let packages = Packages::for_version(version)?;
        let service_range = spec
            .service_cluster_ip_range
            .ok_or_else(|| spec_error("spec.serviceClusterIPRange", "is required"))?;
        let dns = spec.kube_dns.clone().unwrap_or_default();
        let dns_service_ip = dns
            .server_ip
            .ok_or_else(|| spec_error("spec.kubeDNS.serverIP", "is required"))?;
        let api_service_ip = api_service_ip(service_range).ok_or_else(|| {
            spec_error(
                "spec.serviceClusterIPRange",
                "has no room for the API service",
            )
        })?;
        let zone = spec
            .subnets
            .first()
            .map(|s| s.zone.as_str())
            .ok_or_else(|| spec_error("spec.subnets", "at least one subnet is required"))?;
        let region = kops6_api::new_cluster::region_of(zone)
            .map_err(|m| spec_error("spec.subnets[0].zone", m))?
            .to_string();
        let cni = match spec.networking.as_ref().map(|n| n.selected()).as_deref() {
            Some([Cni::Calico]) => CniChoice::Calico,
            Some([Cni::Cilium]) => CniChoice::Cilium,
            Some([Cni::Cni]) => CniChoice::BringYourOwn,
            _ => {
                return Err(spec_error(
                    "spec.networking",
                    "kops6 bootstraps calico, cilium or cni (bring your own)",
                ))
            }
        };
        let initializer = completed
            .instance_groups
            .iter()
            .filter(|g| g.spec.role.is_control_plane())
            .map(|g| g.metadata.name.clone())
            .min();
        let ipv6 = spec.is_ipv6();
        Ok(Self {
            name: c.metadata.name.clone(),
            ipv6,
            region,
            packages,
            service_range,
            dns_service_ip,
            api_service_ip,
            dns_domain: dns.domain.clone().unwrap_or_else(|| "cluster.local".into()),
            upstream_nameservers: dns.upstream_nameservers.clone(),
            dns64: dns.dns64.unwrap_or(false),
            node_ip_families: spec
                .cloud_config
                .as_ref()
                .map(|cc| cc.node_ip_families.clone())
                .unwrap_or_default(),
            cni,
            api: inputs.api.clone(),
            state_store: inputs.state_store.clone(),
            initializer,
            subnets: spec
                .subnets
                .iter()
                .map(|s| (s.name.clone(), s.is_ipv6_only(), s.ipv6_cidr.is_some()))
                .collect(),
        })
    }

    /// The names on the API server's certificate (SPEC 8): the LB name, `api.<C>`,
    /// `api.internal.<C>`, the `kubernetes` service address and IPv6 loopback.
    pub fn api_cert_sans(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        let mut push = |n: String| {
            if !names.contains(&n) {
                names.push(n);
            }
        };
        if let Some(lb) = &self.api.load_balancer {
            push(lb.clone());
        }
        push(self.api.name.clone());
        push(format!("api.{}", self.name));
        push(format!("api.internal.{}", self.name));
        push(self.api_service_ip.to_string());
        push(if self.ipv6 { "::1" } else { "127.0.0.1" }.into());
        names
    }
}

/// A group's role in bootstrap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// `may_initialize`: the group whose instance runs `kubeadm init` when no API answers yet.
    ControlPlane {
        may_initialize: bool,
    },
    Node,
}

/// Facts about one instance group.
#[derive(Debug, Clone)]
pub struct GroupFacts {
    pub name: String,
    pub role: Role,
    /// Every subnet of the group is IPv6-only: no IPv4 literal may appear in its user data.
    pub ipv6_only: bool,
    /// Some subnet has an IPv6 CIDR: the instance reaches IMDS at `[fd00:ec2::254]`.
    pub ipv6_subnets: bool,
}

impl GroupFacts {
    /// `None` for groups that do not join the cluster (bastions).
    pub fn new(cluster: &ClusterFacts, g: &InstanceGroup) -> Result<Option<Self>, BootstrapError> {
        let role = match g.spec.role {
            InstanceGroupRole::Master => Role::ControlPlane {
                may_initialize: cluster.initializer.as_deref() == Some(g.metadata.name.as_str()),
            },
            InstanceGroupRole::Node | InstanceGroupRole::ApiServer => Role::Node,
            InstanceGroupRole::Bastion => return Ok(None),
        };
        let subnets: Vec<_> = g
            .spec
            .subnets
            .iter()
            .map(|name| {
                cluster
                    .subnets
                    .iter()
                    .find(|(n, _, _)| n == name)
                    .ok_or_else(|| BootstrapError::Spec {
                        path: format!("instancegroup/{}: spec.subnets", g.metadata.name),
                        message: format!("names subnet {name:?}, which the cluster does not have"),
                    })
            })
            .collect::<Result<_, _>>()?;
        Ok(Some(Self {
            name: g.metadata.name.clone(),
            role,
            ipv6_only: !subnets.is_empty() && subnets.iter().all(|(_, only, _)| *only),
            ipv6_subnets: subnets.iter().any(|(_, _, v6)| *v6),
        }))
    }
}
