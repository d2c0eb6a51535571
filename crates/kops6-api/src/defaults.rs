//! kOps' defaults for new clusters and for completion, in one place.

use std::net::{IpAddr, Ipv6Addr};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

use crate::types::{EtcdClusterSpec, EtcdManagerSpec, EtcdMemberSpec};

pub const CHANNEL: &str = "stable";
pub const KUBERNETES_VERSION: &str = "v1.35.0";
pub const NETWORKING: &str = "cilium";
/// Ubuntu 24.04 LTS (Noble), Canonical's AWS owner ID and the image kOps' stable channel pins.
pub const IMAGE: &str =
    "099720109477/ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250305";
pub const CONTROL_PLANE_MACHINE_TYPE: &str = "t3.medium";
pub const NODE_MACHINE_TYPE: &str = "t3.medium";
pub const BASTION_MACHINE_TYPE: &str = "t3.micro";

/// The managed VPC's IPv4 range unless `--network-cidr` says otherwise.
pub fn network_cidr() -> Ipv4Net {
    Ipv4Net::new(std::net::Ipv4Addr::new(172, 20, 0, 0), 16).expect("static prefix is valid")
}

/// SPEC 1.1: the only IPv6 `nonMasqueradeCIDR`.
pub fn ipv6_non_masquerade_cidr() -> IpNet {
    IpNet::V6(Ipv6Net::default())
}

/// IPv4 clusters' `nonMasqueradeCIDR` (kOps' default).
pub fn ipv4_non_masquerade_cidr() -> IpNet {
    IpNet::V4(Ipv4Net::new(std::net::Ipv4Addr::new(100, 64, 0, 0), 10).expect("static prefix"))
}

/// SPEC 3: the service range in IPv6 mode.
pub fn ipv6_service_cluster_ip_range() -> IpNet {
    let base = Ipv6Addr::new(0xfd00, 0x5e4f, 0xce, 0, 0, 0, 0, 0);
    IpNet::V6(Ipv6Net::new(base, 108).expect("static prefix"))
}

/// kOps' IPv4 service range.
pub fn ipv4_service_cluster_ip_range() -> IpNet {
    IpNet::V4(Ipv4Net::new(std::net::Ipv4Addr::new(100, 64, 0, 0), 13).expect("static prefix"))
}

/// The VPC resolver's IPv6 address (SPEC 3).
pub fn vpc_ipv6_resolver() -> IpAddr {
    IpAddr::V6(Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x253))
}

/// Admin and SSH access when none is given: everyone, over IPv4 and IPv6.
pub fn access() -> Vec<IpNet> {
    vec![IpNet::V4(Ipv4Net::default()), IpNet::V6(Ipv6Net::default())]
}

/// The `main` and `events` etcd clusters, one member per control-plane group.
pub fn etcd_clusters<'a>(
    members: impl Iterator<Item = (&'a String, &'a String)> + Clone,
) -> Vec<EtcdClusterSpec> {
    let cluster = |name: &str, cpu: &str| EtcdClusterSpec {
        cpu_request: Some(cpu.into()),
        etcd_members: members
            .clone()
            .map(|(group, member)| EtcdMemberSpec {
                encrypted_volume: Some(true),
                instance_group: group.clone(),
                name: member.clone(),
                ..Default::default()
            })
            .collect(),
        manager: Some(EtcdManagerSpec {
            backup_retention_days: Some(90),
            ..Default::default()
        }),
        memory_request: Some("100Mi".into()),
        name: name.into(),
        ..Default::default()
    };
    vec![cluster("main", "200m"), cluster("events", "100m")]
}
