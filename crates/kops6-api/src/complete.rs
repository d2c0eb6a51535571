//! Completion: the defaults kOps fills in before building a cluster (SPEC 3). A value the user
//! set is never overwritten; validation then judges the result.

use std::net::{IpAddr, Ipv6Addr};

use ipnet::IpNet;

use crate::defaults;
use crate::types::*;

/// A cluster and its groups with every default filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Completed {
    pub cluster: Cluster,
    pub instance_groups: Vec<InstanceGroup>,
}

/// Fills in defaults. Pure and idempotent: completing a completed spec changes nothing.
pub fn complete(cluster: &Cluster, groups: &[InstanceGroup]) -> Completed {
    let mut cluster = cluster.clone();
    complete_spec(&mut cluster.spec, &cluster.metadata.name);
    let instance_groups = groups.iter().map(complete_group).collect();
    Completed {
        cluster,
        instance_groups,
    }
}

fn complete_spec(spec: &mut ClusterSpec, name: &str) {
    let ipv6 = spec.is_ipv6();
    if spec.network_cidr.is_none() && spec.network_id.is_none() {
        spec.network_cidr = Some(defaults::network_cidr());
    }
    spec.non_masquerade_cidr
        .get_or_insert_with(defaults::ipv4_non_masquerade_cidr);
    let services = *spec.service_cluster_ip_range.get_or_insert_with(|| {
        if ipv6 {
            defaults::ipv6_service_cluster_ip_range()
        } else {
            defaults::ipv4_service_cluster_ip_range()
        }
    });
    spec.topology
        .get_or_insert_with(Default::default)
        .dns
        .get_or_insert(DnsSpec {
            dns_type: DnsType::Public,
        });
    complete_dns(spec, services, ipv6);
    if ipv6 {
        complete_ipv6_control_plane(spec, name);
    }
    if let Some(networking) = spec.networking.as_mut() {
        complete_cni(networking, ipv6);
    }
}

/// The cluster DNS service address: the range's base + 10 (SPEC 3).
pub fn dns_service_ip(services: IpNet) -> Option<IpAddr> {
    nth_address(services, 10)
}

/// The `kubernetes` service address: the range's base + 1.
pub fn api_service_ip(services: IpNet) -> Option<IpAddr> {
    nth_address(services, 1)
}

fn nth_address(net: IpNet, n: u32) -> Option<IpAddr> {
    match net {
        IpNet::V4(v4) => u32::from(v4.network())
            .checked_add(n)
            .map(|a| IpAddr::V4(a.into()))
            .filter(|a| net.contains(a)),
        IpNet::V6(v6) => u128::from(v6.network())
            .checked_add(u128::from(n))
            .map(|a| IpAddr::V6(Ipv6Addr::from(a)))
            .filter(|a| net.contains(a)),
    }
}

fn complete_dns(spec: &mut ClusterSpec, services: IpNet, ipv6: bool) {
    let server_ip = dns_service_ip(services);
    let dns = spec.kube_dns.get_or_insert_with(Default::default);
    dns.provider.get_or_insert(DnsProvider::CoreDNS);
    if dns.server_ip.is_none() {
        dns.server_ip = server_ip;
    }
    if ipv6 {
        dns.dns64.get_or_insert(true);
        if dns.upstream_nameservers.is_empty() {
            dns.upstream_nameservers = vec![defaults::vpc_ipv6_resolver()];
        }
    }
    let cluster_dns = dns.server_ip.map(|ip| ip.to_string());
    let kubelet = spec.kubelet.get_or_insert_with(Default::default);
    if kubelet.cluster_dns.is_none() {
        kubelet.cluster_dns = cluster_dns;
    }
    kubelet.anonymous_auth.get_or_insert(false);
}

/// IPv6 mode: the external cloud controller manager owns node addresses; nodes take their pod
/// range from the /80 prefix delegated to their interface, so node IPAM and cloud routes are off.
fn complete_ipv6_control_plane(spec: &mut ClusterSpec, name: &str) {
    let aws = spec.cloud_provider == Some(CloudProvider::Aws);
    if aws {
        let ccm = spec
            .cloud_controller_manager
            .get_or_insert_with(Default::default);
        ccm.allocate_node_cidrs.get_or_insert(false);
        ccm.configure_cloud_routes.get_or_insert(false);
        ccm.cloud_provider.get_or_insert_with(|| "aws".into());
        ccm.cluster_name.get_or_insert_with(|| name.to_string());
    }
    let kcm = spec
        .kube_controller_manager
        .get_or_insert_with(Default::default);
    kcm.allocate_node_cidrs.get_or_insert(false);
    kcm.configure_cloud_routes.get_or_insert(false);
    spec.kube_api_server
        .get_or_insert_with(Default::default)
        .bind_address
        .get_or_insert_with(|| "::".into());
    let kubelet = spec.kubelet.get_or_insert_with(Default::default);
    kubelet.node_ip.get_or_insert_with(|| "::".into());
    if aws {
        kubelet
            .cloud_provider
            .get_or_insert_with(|| "external".into());
    }
    let cloud_config = spec.cloud_config.get_or_insert_with(Default::default);
    if cloud_config.node_ip_families.is_empty() {
        cloud_config.node_ip_families = vec![IpFamily::Ipv6, IpFamily::Ipv4];
    }
}

/// SPEC 3: routed, unmasqueraded pod traffic for the IPv6-capable CNIs.
fn complete_cni(networking: &mut NetworkingSpec, ipv6: bool) {
    if !ipv6 {
        return;
    }
    if let Some(calico) = networking.calico.as_mut() {
        calico
            .encapsulation_mode
            .get_or_insert_with(|| "none".into());
        calico
            .aws_src_dst_check
            .get_or_insert_with(|| "DoNothing".into());
    }
    if let Some(cilium) = networking.cilium.as_mut() {
        cilium.disable_masquerade.get_or_insert(true);
        cilium.tunnel.get_or_insert_with(|| "disabled".into());
        cilium.ipam.get_or_insert_with(|| "kubernetes".into());
    }
}

fn complete_group(group: &InstanceGroup) -> InstanceGroup {
    let mut group = group.clone();
    let spec = &mut group.spec;
    spec.image.get_or_insert_with(|| defaults::IMAGE.into());
    spec.machine_type.get_or_insert_with(|| {
        match spec.role {
            InstanceGroupRole::Master | InstanceGroupRole::ApiServer => {
                defaults::CONTROL_PLANE_MACHINE_TYPE
            }
            InstanceGroupRole::Node => defaults::NODE_MACHINE_TYPE,
            InstanceGroupRole::Bastion => defaults::BASTION_MACHINE_TYPE,
        }
        .into()
    });
    let min = *spec.min_size.get_or_insert(1);
    spec.max_size.get_or_insert(min.max(1));
    let imds = spec.instance_metadata.get_or_insert_with(Default::default);
    imds.http_tokens.get_or_insert_with(|| "required".into());
    imds.http_put_response_hop_limit.get_or_insert(1);
    group
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_service_ip_is_base_plus_ten() {
        let range = defaults::ipv6_service_cluster_ip_range();
        assert_eq!(
            dns_service_ip(range).unwrap().to_string(),
            "fd00:5e4f:ce::a"
        );
        assert_eq!(
            api_service_ip(range).unwrap().to_string(),
            "fd00:5e4f:ce::1"
        );
        let v4 = defaults::ipv4_service_cluster_ip_range();
        assert_eq!(dns_service_ip(v4).unwrap().to_string(), "100.64.0.10");
    }

    #[test]
    fn dns_service_ip_is_none_when_range_is_too_small() {
        let tiny: IpNet = "fd00::/126".parse().unwrap();
        assert_eq!(dns_service_ip(tiny), None);
    }
}
