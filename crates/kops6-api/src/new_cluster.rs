//! `create cluster`: builds a new Cluster and its InstanceGroups from command-line choices, the
//! way `kops create cluster` does (SPEC 2).

use std::collections::{BTreeMap, BTreeSet};

use ipnet::{IpNet, Ipv4Net};
use thiserror::Error;

use crate::cidr::Ipv6CidrSpec;
use crate::defaults;
use crate::types::*;
use crate::version::KubernetesVersion;

/// What the user asked for. `None` means "kOps' default".
#[derive(Debug, Clone, Default)]
pub struct NewClusterOptions {
    pub name: String,
    pub zones: Vec<String>,
    pub control_plane_zones: Vec<String>,
    pub control_plane_count: Option<u32>,
    pub node_count: Option<u32>,
    pub ipv6: bool,
    pub topology: Option<Topology>,
    pub networking: Option<String>,
    pub kubernetes_version: Option<String>,
    pub network_cidr: Option<Ipv4Net>,
    pub vpc: Option<String>,
    pub cloud: Option<CloudProvider>,
    pub image: Option<String>,
    pub node_size: Option<String>,
    pub control_plane_size: Option<String>,
    pub dns: Option<DnsType>,
    pub dns_zone: Option<String>,
    pub bastion: bool,
    /// `--api-loadbalancer-type`: as in kOps, giving it always makes a load balancer.
    pub api_load_balancer_type: Option<LoadBalancerType>,
    pub admin_access: Vec<IpNet>,
    pub ssh_access: Vec<IpNet>,
    /// Where the spec will live (`<state store>/<name>`), set by the caller that knows the store.
    pub config_base: Option<String>,
}

/// A flag combination that cannot make a cluster. Each names the flag.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NewClusterError {
    #[error("--name: {0}")]
    Name(String),
    #[error("--zones: {0}")]
    Zones(String),
    #[error("--control-plane-zones: {0}")]
    ControlPlaneZones(String),
    #[error("--control-plane-count: {0}")]
    ControlPlaneCount(String),
    #[error("--node-count: {0}")]
    NodeCount(String),
    #[error("--ipv6: {0}")]
    Ipv6(String),
    #[error("--networking: {0}")]
    Networking(String),
    #[error("--kubernetes-version: {0}")]
    KubernetesVersion(String),
    #[error("--bastion: {0}")]
    Bastion(String),
    #[error("--network-cidr: {0}")]
    NetworkCidr(String),
}

/// The new cluster's documents.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCluster {
    pub cluster: Cluster,
    pub instance_groups: Vec<InstanceGroup>,
}

/// Builds the Cluster and InstanceGroups for `create cluster`.
pub fn new_cluster(opts: &NewClusterOptions) -> Result<NewCluster, NewClusterError> {
    check_name(&opts.name)?;
    let cloud = opts.cloud.unwrap_or(CloudProvider::Aws);
    if opts.ipv6 && cloud != CloudProvider::Aws {
        return Err(NewClusterError::Ipv6(format!(
            "IPv6 clusters are supported on AWS only, not on {}",
            cloud.as_str()
        )));
    }
    let zones = sorted_zones(&opts.zones)?;
    let topology = opts.topology.unwrap_or(if opts.ipv6 {
        Topology::Private
    } else {
        Topology::Public
    });
    if opts.bastion && topology == Topology::Public {
        return Err(NewClusterError::Bastion(
            "a bastion needs --topology private".into(),
        ));
    }
    let version = opts
        .kubernetes_version
        .clone()
        .unwrap_or_else(|| defaults::KUBERNETES_VERSION.to_string());
    version
        .parse::<KubernetesVersion>()
        .map_err(NewClusterError::KubernetesVersion)?;
    let networking_name = opts.networking.as_deref().unwrap_or(defaults::NETWORKING);
    let networking = NetworkingSpec::for_name(networking_name).ok_or_else(|| {
        NewClusterError::Networking(format!("unknown networking option {networking_name:?}"))
    })?;
    let network_cidr = opts.network_cidr.unwrap_or(defaults::network_cidr());
    let subnets = build_subnets(&zones, topology, opts.ipv6, network_cidr)?;
    let control_plane = control_plane_placement(opts, &zones)?;
    let mut groups = control_plane_groups(opts, &control_plane, topology, opts.ipv6);
    groups.extend(node_groups(opts, &zones)?);
    if opts.bastion {
        groups.push(bastion_group(opts, &subnets));
    }
    let spec = cluster_spec(
        opts,
        cloud,
        version,
        networking,
        network_cidr,
        subnets,
        &control_plane,
    );
    Ok(NewCluster {
        cluster: Cluster {
            api_version: API_VERSION.into(),
            kind: "Cluster".into(),
            metadata: ObjectMeta {
                name: opts.name.clone(),
                ..Default::default()
            },
            spec,
        },
        instance_groups: groups,
    })
}

/// Cluster names are DNS names with at least one dot (kOps uses them for DNS records and tags).
pub fn check_name(name: &str) -> Result<(), NewClusterError> {
    let bad = |why: &str| Err(NewClusterError::Name(format!("{name:?} {why}")));
    if name.is_empty() {
        return bad("is empty: a cluster needs a name like mycluster.example.com");
    }
    if name.len() > 253 || !name.contains('.') {
        return bad("must be a DNS name with at least one dot, e.g. mycluster.example.com");
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if !name.split('.').all(label_ok) {
        return bad("must be lowercase letters, digits, '-' and '.', each label 1-63 characters");
    }
    Ok(())
}

/// Zones sorted and checked: non-empty, no duplicates, all in one region.
fn sorted_zones(zones: &[String]) -> Result<Vec<String>, NewClusterError> {
    if zones.is_empty() {
        return Err(NewClusterError::Zones(
            "at least one zone is required, e.g. --zones us-east-1a".into(),
        ));
    }
    let mut seen = BTreeSet::new();
    for z in zones {
        region_of(z).map_err(NewClusterError::Zones)?;
        if !seen.insert(z.clone()) {
            return Err(NewClusterError::Zones(format!(
                "zone {z:?} is listed twice"
            )));
        }
    }
    let regions: BTreeSet<_> = seen.iter().filter_map(|z| region_of(z).ok()).collect();
    if regions.len() > 1 {
        let list: Vec<_> = regions.into_iter().collect();
        return Err(NewClusterError::Zones(format!(
            "all zones must be in one region, got {}",
            list.join(", ")
        )));
    }
    Ok(seen.into_iter().collect())
}

/// The region of an AWS zone: the zone name without its final letter (`us-east-1a` -> `us-east-1`).
pub fn region_of(zone: &str) -> Result<&str, String> {
    let valid = zone.len() >= 4
        && zone.ends_with(|c: char| c.is_ascii_lowercase())
        && zone[..zone.len() - 1].ends_with(|c: char| c.is_ascii_digit())
        && zone
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if valid {
        Ok(&zone[..zone.len() - 1])
    } else {
        Err(format!(
            "{zone:?} is not an availability zone name like us-east-1a"
        ))
    }
}

/// Subnets in kOps order (SPEC 2.2), with IPv4 (SPEC 2.4) and IPv6 (SPEC 2.3) ranges.
fn build_subnets(
    zones: &[String],
    topology: Topology,
    ipv6: bool,
    network: Ipv4Net,
) -> Result<Vec<ClusterSubnetSpec>, NewClusterError> {
    let subnet = |name: String, zone: &str, subnet_type| ClusterSubnetSpec {
        additional_routes: Vec::new(),
        cidr: None,
        egress: None,
        id: None,
        ipv6_cidr: None,
        name,
        public_ip: None,
        subnet_type,
        zone: zone.to_string(),
    };
    let mut subnets = Vec::new();
    match topology {
        Topology::Public => {
            subnets.extend(
                zones
                    .iter()
                    .map(|z| subnet(z.clone(), z, SubnetType::Public)),
            );
        }
        Topology::Private => {
            subnets.extend(
                zones
                    .iter()
                    .map(|z| subnet(z.clone(), z, SubnetType::Private)),
            );
            if ipv6 {
                subnets.extend(
                    zones
                        .iter()
                        .map(|z| subnet(format!("dualstack-{z}"), z, SubnetType::DualStack)),
                );
            }
            subnets.extend(
                zones
                    .iter()
                    .map(|z| subnet(format!("utility-{z}"), z, SubnetType::Utility)),
            );
        }
    }
    assign_ipv4_cidrs(network, &mut subnets, ipv6)?;
    if ipv6 {
        for (i, s) in subnets.iter_mut().enumerate() {
            s.ipv6_cidr = Some(Ipv6CidrSpec::Allocated {
                len: 64,
                index: i as u128,
            });
        }
    }
    Ok(subnets)
}

/// SPEC 2.4: split the network into 1, 2, 4 or 8 slices; utility subnets share the first slice
/// (split in 8); the others take one slice each in list order, except IPv6-only ones.
pub fn assign_ipv4_cidrs(
    network: Ipv4Net,
    subnets: &mut [ClusterSubnetSpec],
    ipv6: bool,
) -> Result<(), NewClusterError> {
    let utility = subnets
        .iter()
        .filter(|s| s.subnet_type == SubnetType::Utility)
        .count();
    let big = subnets.len() - utility;
    let slots = big + usize::from(utility > 0);
    let split_bits = match slots {
        0 | 1 => 0,
        2 => 1,
        3 | 4 => 2,
        _ => 3,
    };
    let too_many = |what: &str| {
        NewClusterError::NetworkCidr(format!(
            "{network} cannot be split for {what}; use fewer zones or a larger --network-cidr"
        ))
    };
    let mut slices = network
        .subnets(network.prefix_len() + split_bits)
        .map_err(|_| too_many("these subnets"))?;
    let mut little = match utility {
        0 => None,
        _ => {
            let first = slices.next().ok_or_else(|| too_many("utility subnets"))?;
            Some(
                first
                    .subnets(first.prefix_len() + 3)
                    .map_err(|_| too_many("utility subnets"))?,
            )
        }
    };
    for s in subnets.iter_mut() {
        let takes_none = ipv6 && s.subnet_type == SubnetType::Private;
        s.cidr = match s.subnet_type {
            SubnetType::Utility => little.as_mut().and_then(Iterator::next),
            _ if takes_none => None,
            _ => Some(slices.next().ok_or_else(|| too_many("this many subnets"))?),
        };
        if s.subnet_type == SubnetType::Utility && s.cidr.is_none() {
            return Err(too_many("more than 8 utility subnets"));
        }
    }
    Ok(())
}

/// (instance group name, zone, etcd member name) for each control-plane instance.
fn control_plane_placement(
    opts: &NewClusterOptions,
    zones: &[String],
) -> Result<Vec<(String, String, String)>, NewClusterError> {
    let cp_zones = if opts.control_plane_zones.is_empty() {
        let count = opts.control_plane_count.unwrap_or(1) as usize;
        zones.iter().take(count.max(1)).cloned().collect::<Vec<_>>()
    } else {
        let z = sorted_zones(&opts.control_plane_zones)
            .map_err(|e| NewClusterError::ControlPlaneZones(e.to_string()))?;
        if let Some(extra) = z.iter().find(|z| !zones.contains(z)) {
            return Err(NewClusterError::ControlPlaneZones(format!(
                "{extra:?} is not one of --zones"
            )));
        }
        z
    };
    let count = opts.control_plane_count.unwrap_or(cp_zones.len() as u32) as usize;
    if count == 0 || count > 9 {
        return Err(NewClusterError::ControlPlaneCount(format!(
            "{count} control-plane instances: use 1 to 9 (an odd number keeps etcd quorum)"
        )));
    }
    let per_zone_suffix = count > cp_zones.len();
    let groups: Vec<(String, String)> = (0..count)
        .map(|i| {
            let zone = &cp_zones[i % cp_zones.len()];
            let group = if per_zone_suffix {
                format!("control-plane-{zone}-{}", i / cp_zones.len() + 1)
            } else {
                format!("control-plane-{zone}")
            };
            (group, zone.clone())
        })
        .collect();
    // kOps' member names: the group names without `control-plane-`, then their common prefix
    // trimmed (`createEtcdCluster`, `trimCommonPrefix`). Members stay in creation order, zones
    // taking turns, as kOps lists them (golden test `create_cluster/ha_shared_zones`).
    let members = trim_common_prefix(
        groups
            .iter()
            .map(|(g, _)| g.trim_start_matches("control-plane-").to_string())
            .collect(),
    );
    let out = groups
        .into_iter()
        .zip(members)
        .map(|((group, zone), member)| (group, zone, member))
        .collect();
    Ok(out)
}

/// kOps' `trimCommonPrefix`: drop leading characters all names share while the first is longer
/// than one character; a name left starting with a digit becomes `etcd-<name>`. `us-east-1a`,
/// `us-east-1b` give `a`, `b`; `us-east-1a-1`, `us-east-1a-2` give `etcd-1`, `etcd-2`.
fn trim_common_prefix(mut names: Vec<String>) -> Vec<String> {
    while names.first().is_some_and(|n| n.chars().count() > 1) {
        let Some(first) = names[0].chars().next() else {
            break;
        };
        if !names.iter().all(|n| n.starts_with(first)) {
            break;
        }
        for n in &mut names {
            n.remove(0);
        }
    }
    names
        .into_iter()
        .map(|n| {
            if n.starts_with(|c: char| c.is_ascii_digit()) {
                format!("etcd-{n}")
            } else {
                n
            }
        })
        .collect()
}

fn instance_group(
    cluster: &str,
    name: String,
    role: InstanceGroupRole,
    machine_type: String,
    image: &str,
    size: u32,
    subnets: Vec<String>,
) -> InstanceGroup {
    InstanceGroup {
        api_version: API_VERSION.into(),
        kind: "InstanceGroup".into(),
        metadata: ObjectMeta {
            labels: BTreeMap::from([(CLUSTER_LABEL.to_string(), cluster.to_string())]),
            name,
            ..Default::default()
        },
        spec: InstanceGroupSpec {
            associate_public_ip: None,
            cloud_labels: BTreeMap::new(),
            image: Some(image.to_string()),
            // kOps stopped writing instanceMetadata for new groups; completion fills it.
            instance_metadata: None,
            machine_type: Some(machine_type),
            max_size: Some(size),
            min_size: Some(size),
            node_labels: BTreeMap::new(),
            role,
            root_volume_size: None,
            root_volume_type: None,
            subnets,
            taints: Vec::new(),
        },
    }
}

fn control_plane_groups(
    opts: &NewClusterOptions,
    placement: &[(String, String, String)],
    topology: Topology,
    ipv6: bool,
) -> Vec<InstanceGroup> {
    let image = opts.image.as_deref().unwrap_or(defaults::IMAGE);
    let size = opts
        .control_plane_size
        .clone()
        .unwrap_or_else(|| defaults::CONTROL_PLANE_MACHINE_TYPE.into());
    placement
        .iter()
        .map(|(name, zone, _)| {
            let subnet = match (topology, ipv6) {
                (Topology::Private, true) => format!("dualstack-{zone}"),
                _ => zone.clone(),
            };
            instance_group(
                &opts.name,
                name.clone(),
                InstanceGroupRole::Master,
                size.clone(),
                image,
                1,
                vec![subnet],
            )
        })
        .collect()
}

/// One `nodes-<Z>` group per zone; the node count is spread over the zones, earlier zones
/// taking the remainder.
fn node_groups(
    opts: &NewClusterOptions,
    zones: &[String],
) -> Result<Vec<InstanceGroup>, NewClusterError> {
    let total = opts.node_count.unwrap_or(zones.len() as u32) as usize;
    if total > 10_000 {
        return Err(NewClusterError::NodeCount(format!(
            "{total} nodes is more than kops6 will create (10000)"
        )));
    }
    let image = opts.image.as_deref().unwrap_or(defaults::IMAGE);
    let size = opts
        .node_size
        .clone()
        .unwrap_or_else(|| defaults::NODE_MACHINE_TYPE.into());
    Ok(zones
        .iter()
        .enumerate()
        .map(|(i, zone)| {
            let count = total / zones.len() + usize::from(i < total % zones.len());
            instance_group(
                &opts.name,
                format!("nodes-{zone}"),
                InstanceGroupRole::Node,
                size.clone(),
                image,
                count as u32,
                vec![zone.clone()],
            )
        })
        .collect())
}

/// Bastions live in the DualStack subnets (IPv6) or the Private subnets (IPv4), as kOps
/// writes them (`setupTopology`, then the subnet defaulting of `NewCluster`, which skips
/// DualStack and Utility subnets; golden test `create_cluster/private`).
fn bastion_group(opts: &NewClusterOptions, subnets: &[ClusterSubnetSpec]) -> InstanceGroup {
    let home = if opts.ipv6 {
        SubnetType::DualStack
    } else {
        SubnetType::Private
    };
    let names = subnets
        .iter()
        .filter(|s| s.subnet_type == home)
        .map(|s| s.name.clone())
        .collect();
    instance_group(
        &opts.name,
        "bastions".into(),
        InstanceGroupRole::Bastion,
        defaults::BASTION_MACHINE_TYPE.into(),
        opts.image.as_deref().unwrap_or(defaults::IMAGE),
        1,
        names,
    )
}

fn cluster_spec(
    opts: &NewClusterOptions,
    cloud: CloudProvider,
    version: String,
    networking: NetworkingSpec,
    network_cidr: Ipv4Net,
    subnets: Vec<ClusterSubnetSpec>,
    control_plane: &[(String, String, String)],
) -> ClusterSpec {
    let dns_type = opts.dns.unwrap_or(if opts.dns_zone.is_some() {
        DnsType::Public
    } else {
        DnsType::None
    });
    let private = subnets.iter().any(|s| s.subnet_type.is_private());
    // kOps' `setupAPI`: a load balancer when asked for one, when there are no DNS records, or
    // for a private topology; else `api.dns`.
    let api = if opts.api_load_balancer_type.is_some() || dns_type == DnsType::None || private {
        ApiSpec {
            load_balancer: Some(LoadBalancerAccessSpec {
                class: Some(LoadBalancerClass::Network),
                lb_type: opts
                    .api_load_balancer_type
                    .unwrap_or(LoadBalancerType::Public),
                ..Default::default()
            }),
            ..Default::default()
        }
    } else {
        ApiSpec {
            dns: Some(Empty {}),
            ..Default::default()
        }
    };
    let access = |given: &[IpNet]| {
        if given.is_empty() {
            defaults::access()
        } else {
            given.to_vec()
        }
    };
    let uses_cilium = networking.cilium.is_some();
    let networking = with_create_defaults(networking);
    ClusterSpec {
        api: Some(api),
        authorization: Some(AuthorizationSpec {
            rbac: Some(Empty {}),
            ..Default::default()
        }),
        channel: Some(defaults::CHANNEL.into()),
        cloud_controller_manager: opts.ipv6.then(CloudControllerManagerConfig::default),
        cloud_provider: Some(cloud),
        config_base: opts.config_base.clone(),
        dns_zone: opts.dns_zone.clone(),
        etcd_clusters: defaults::etcd_clusters(control_plane.iter().map(|(g, _, m)| (g, m))),
        iam: Some(IamSpec {
            allow_container_registry: Some(true),
            legacy: false,
            use_service_account_external_permissions: None,
        }),
        kube_proxy: uses_cilium.then(|| KubeProxyConfig {
            enabled: Some(false),
            ..Default::default()
        }),
        kubelet: Some(KubeletConfig {
            anonymous_auth: Some(false),
            ..Default::default()
        }),
        kubernetes_api_access: access(&opts.admin_access),
        kubernetes_version: Some(version),
        network_cidr: Some(network_cidr),
        network_id: opts.vpc.clone(),
        networking: Some(networking),
        non_masquerade_cidr: opts.ipv6.then(defaults::ipv6_non_masquerade_cidr),
        // kOps: SSH access defaults to the admin access, not to everyone (`NewCluster`).
        ssh_access: access(if opts.ssh_access.is_empty() {
            &opts.admin_access
        } else {
            &opts.ssh_access
        }),
        subnets,
        topology: Some(TopologySpec {
            // kOps names the bastion in DNS only when the cluster publishes DNS records
            // (`PublishesDNSRecords`; golden tests `create_cluster/private` and `different-amis`).
            bastion: (opts.bastion && dns_type != DnsType::None).then(|| BastionSpec {
                bastion_public_name: Some(format!("bastion.{}", opts.name)),
            }),
            dns: Some(DnsSpec { dns_type }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// What `kops create cluster` writes for Cilium: node-port service handling replaces kube-proxy.
fn with_create_defaults(mut networking: NetworkingSpec) -> NetworkingSpec {
    if let Some(cilium) = networking.cilium.as_mut() {
        cilium.enable_node_port = Some(true);
    }
    networking
}
