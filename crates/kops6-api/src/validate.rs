//! Validation of a completed cluster and its instance groups (SPEC 4 and the structural rules
//! kOps applies). Every problem is reported, each with its field path; nothing stops at the first.

use std::collections::{BTreeMap, BTreeSet};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

use crate::cidr::{overlaps, Ipv6CidrSpec};
use crate::errors::{Collector, FieldError, ObjectRef, ValidationErrors};
use crate::new_cluster::{check_name, region_of};
use crate::types::*;
use crate::version::KubernetesVersion;

/// Facts from outside the spec that some rules need. All optional: a rule whose fact is
/// unknown checks what it can without it.
#[derive(Debug, Clone, Default)]
pub struct ValidationContext {
    /// The VPC's IPv6 block, when it is known (a shared VPC that was looked up).
    pub vpc_ipv6_cidr: Option<Ipv6Net>,
    /// AMI names by ID (`ami-0123...` -> `ubuntu/images/...`), resolved by the AWS edge.
    pub image_names: BTreeMap<String, String>,
}

/// The prefix length of an Amazon-provided VPC IPv6 block.
pub const AMAZON_VPC_IPV6_PREFIX_LEN: u8 = 56;

/// Validates a completed cluster and its groups; `Err` holds every problem found.
pub fn validate(
    cluster: &Cluster,
    groups: &[InstanceGroup],
    ctx: &ValidationContext,
) -> Result<(), ValidationErrors> {
    let object = ObjectRef::Cluster(cluster.metadata.name.clone());
    let spec = &cluster.spec;
    if let Some(problem) = cloud_problem(spec) {
        return Err(ValidationErrors(vec![FieldError { object, ..problem }]));
    }
    let mut c = Collector::new(object);
    if let Err(e) = check_name(&cluster.metadata.name) {
        c.push(
            "metadata.name",
            e.to_string().trim_start_matches("--name: "),
        );
    }
    validate_mode(&mut c, spec);
    validate_version(&mut c, spec);
    validate_subnets(&mut c, spec);
    validate_ipv6_cidrs(&mut c, spec, ctx);
    validate_egress(&mut c, spec);
    validate_nat_homes(&mut c, spec);
    validate_networking(&mut c, spec);
    validate_etcd(&mut c, spec, groups);
    let mut errors = c.into_errors();
    for g in groups {
        errors.extend(validate_group(cluster, g, ctx));
    }
    if !groups.iter().any(|g| g.spec.role.is_control_plane()) {
        errors.push(FieldError {
            object: ObjectRef::Cluster(cluster.metadata.name.clone()),
            path: "(instance groups)".into(),
            message: "the cluster has no control-plane instance group (role: Master)".into(),
        });
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ValidationErrors(errors))
    }
}

/// kops6 builds clusters on AWS only. A spec for another cloud still loads (the types are
/// kOps' whole API), and is refused here with this one error rather than a field-by-field list
/// of things that make no sense off AWS.
fn cloud_problem(spec: &ClusterSpec) -> Option<FieldError> {
    let message = match spec.cloud_provider {
        None => "is required (e.g. aws)".to_string(),
        Some(CloudProvider::Aws) => return None,
        Some(cloud) => format!(
            "{:?} is not supported: kops6 runs clusters on AWS only (cloudProvider: aws)",
            cloud.as_str()
        ),
    };
    Some(FieldError {
        object: ObjectRef::Document(0),
        path: "spec.cloudProvider".into(),
        message,
    })
}

/// SPEC 1.1 and 4.2: `::/0` is the only IPv6 value, and IPv6 needs the external CCM.
fn validate_mode(c: &mut Collector, spec: &ClusterSpec) {
    if let Some(IpNet::V6(net)) = spec.non_masquerade_cidr {
        if net != Ipv6Net::default() {
            c.push(
                "spec.nonMasqueradeCIDR",
                format!("{net} is not allowed: the only IPv6 value is ::/0 (IPv6 mode)"),
            );
        }
    }
    if !spec.is_ipv6() {
        return;
    }
    match &spec.cloud_controller_manager {
        None => c.push(
            "spec.cloudControllerManager",
            "IPv6 requires the external cloud controller manager (set cloudControllerManager: {})",
        ),
        Some(ccm) => {
            if let Some(p) = ccm.cloud_provider.as_deref().filter(|p| *p != "aws") {
                c.push(
                    "spec.cloudControllerManager.cloudProvider",
                    format!("{p:?} is not the AWS cloud controller manager (aws)"),
                );
            }
        }
    }
    let in_tree = [
        (
            "spec.kubelet.cloudProvider",
            spec.kubelet
                .as_ref()
                .and_then(|k| k.cloud_provider.as_deref()),
        ),
        (
            "spec.masterKubelet.cloudProvider",
            spec.master_kubelet
                .as_ref()
                .and_then(|k| k.cloud_provider.as_deref()),
        ),
        (
            "spec.kubeAPIServer.cloudProvider",
            spec.kube_api_server
                .as_ref()
                .and_then(|k| k.cloud_provider.as_deref()),
        ),
        (
            "spec.kubeControllerManager.cloudProvider",
            spec.kube_controller_manager
                .as_ref()
                .and_then(|k| k.cloud_provider.as_deref()),
        ),
    ];
    for (path, value) in in_tree {
        if let Some(v) = value.filter(|v| *v != "external") {
            c.push(
                path,
                format!("in-tree cloud provider {v:?} cannot run IPv6: use \"external\" (the cloud controller manager)"),
            );
        }
    }
    match spec.service_cluster_ip_range {
        Some(IpNet::V6(_)) | None => {}
        Some(other) => c.push(
            "spec.serviceClusterIPRange",
            format!("{other} is IPv4, but an IPv6 cluster needs an IPv6 service range"),
        ),
    }
}

/// SPEC 4.3: IPv6-only subnets, and a private IPv6 topology, need Kubernetes 1.22 or later.
fn validate_version(c: &mut Collector, spec: &ClusterSpec) {
    let path = "spec.kubernetesVersion";
    let Some(raw) = spec.kubernetes_version.as_deref() else {
        c.push(path, "is required (e.g. v1.35.0)");
        return;
    };
    let version = match raw.parse::<KubernetesVersion>() {
        Ok(v) => v,
        Err(e) => return c.push(path, e),
    };
    if version.at_least(1, 22) {
        return;
    }
    let ipv6_only = spec
        .subnets
        .iter()
        .position(|s| spec.is_ipv6() && s.is_ipv6_only());
    let private_v6 = spec.is_ipv6() && spec.subnets.iter().any(|s| s.subnet_type.is_private());
    if let Some(i) = ipv6_only {
        c.push(
            path,
            format!("{raw} is too old: IPv6-only subnets (spec.subnets[{i}]) need Kubernetes 1.22 or later"),
        );
    } else if private_v6 {
        c.push(
            path,
            format!(
                "{raw} is too old: a private topology in IPv6 mode needs Kubernetes 1.22 or later"
            ),
        );
    }
}

/// SPEC 1.4, 1.5: names, zones, types and IPv4 ranges.
fn validate_subnets(c: &mut Collector, spec: &ClusterSpec) {
    let ipv6 = spec.is_ipv6();
    if spec.subnets.is_empty() {
        c.push("spec.subnets", "at least one subnet is required");
    }
    if spec.network_cidr.is_none() {
        c.push(
            "spec.networkCIDR",
            "is required: the VPC's IPv4 CIDR (a shared VPC's own range)",
        );
    }
    let mut additional = Vec::new();
    for (i, text) in spec.additional_network_cidrs.iter().enumerate() {
        match text.parse::<Ipv4Net>() {
            Ok(net) => additional.push(net),
            Err(_) => c.push(
                format!("spec.additionalNetworkCIDRs[{i}]"),
                format!("{text:?} is not an IPv4 CIDR"),
            ),
        }
    }
    let mut names = BTreeSet::new();
    let mut regions = BTreeSet::new();
    for (i, s) in spec.subnets.iter().enumerate() {
        let at = |field: &str| format!("spec.subnets[{i}].{field}");
        if s.name.is_empty() {
            c.push(at("name"), "is required");
        } else if !names.insert(s.name.as_str()) {
            c.push(
                at("name"),
                format!("{:?} is used by another subnet", s.name),
            );
        }
        match region_of(&s.zone) {
            // kOps looks a shared subnet's zone up in AWS; kops6 does not yet.
            _ if s.zone.is_empty() => c.push(at("zone"), "is required"),
            Ok(r) => {
                regions.insert(r);
            }
            Err(e) => c.push(at("zone"), e),
        }
        if s.subnet_type == SubnetType::DualStack && !ipv6 {
            c.push(
                at("type"),
                "DualStack subnets exist only in IPv6 mode (nonMasqueradeCIDR: ::/0)",
            );
        }
        let shared = s.id.is_some();
        match (s.cidr, s.subnet_type) {
            (None, SubnetType::Private) if !ipv6 && !shared => c.push(
                at("cidr"),
                "is required: only IPv6 clusters have IPv6-only (Private, no cidr) subnets",
            ),
            (None, t) if t != SubnetType::Private && !shared => c.push(
                at("cidr"),
                format!("is required: {t} subnets are dual-stack and need an IPv4 CIDR"),
            ),
            (Some(cidr), _) => {
                // kOps also places subnets in the VPC's additional CIDRs.
                let in_additional = additional.iter().any(|n| n.contains(&cidr));
                if let Some(net) = spec
                    .network_cidr
                    .filter(|n| !n.contains(&cidr) && !in_additional)
                {
                    c.push(
                        at("cidr"),
                        format!("{cidr} is not inside networkCIDR {net}"),
                    );
                }
                if cidr.trunc() != cidr {
                    c.push(
                        at("cidr"),
                        format!("{cidr} has host bits set (did you mean {}?)", cidr.trunc()),
                    );
                }
            }
            _ => {}
        }
    }
    if regions.len() > 1 {
        let list: Vec<_> = regions.into_iter().collect();
        c.push(
            "spec.subnets",
            format!("all zones must be in one region, got {}", list.join(", ")),
        );
    }
    for (i, a) in spec.subnets.iter().enumerate() {
        for (j, b) in spec.subnets.iter().enumerate().skip(i + 1) {
            if let (Some(x), Some(y)) = (a.cidr, b.cidr) {
                if overlaps(&IpNet::V4(x), &IpNet::V4(y)) {
                    c.push(
                        format!("spec.subnets[{j}].cidr"),
                        format!("{y} overlaps {x} of subnet {:?}", a.name),
                    );
                }
            }
        }
    }
}

/// SPEC 4.8: literal and `/LEN#N` IPv6 ranges.
fn validate_ipv6_cidrs(c: &mut Collector, spec: &ClusterSpec, ctx: &ValidationContext) {
    let vpc_len = ctx
        .vpc_ipv6_cidr
        .map_or(AMAZON_VPC_IPV6_PREFIX_LEN, |n| n.prefix_len());
    // Allocations are relative to the VPC block; when the block is unknown, a stand-in block
    // of the right length still tells whether two allocations collide.
    let vpc_or_standin = ctx.vpc_ipv6_cidr.unwrap_or_else(|| {
        Ipv6Net::new(std::net::Ipv6Addr::UNSPECIFIED, vpc_len).expect("length <= 128")
    });
    let services = spec.service_cluster_ip_range;
    let mut resolved: Vec<(usize, Ipv6Net, bool)> = Vec::new();
    for (i, s) in spec.subnets.iter().enumerate() {
        let path = format!("spec.subnets[{i}].ipv6CIDR");
        let Some(cidr) = s.ipv6_cidr else {
            // Outside IPv6 mode a Private subnet without `cidr` is a missing IPv4 range
            // (reported by validate_subnets), not an IPv6-only subnet.
            if spec.is_ipv6() && s.is_ipv6_only() && s.id.is_none() {
                c.push(
                    path,
                    "is required: an IPv6-only subnet needs an IPv6 CIDR (e.g. /64#0)",
                );
            } else if spec.is_ipv6() && s.subnet_type == SubnetType::DualStack && s.id.is_none() {
                c.push(path, "is required for a DualStack subnet (e.g. /64#1)");
            }
            continue;
        };
        match cidr {
            Ipv6CidrSpec::Literal(net) => {
                if net.trunc() != net {
                    c.push(
                        &path,
                        format!("{net} has host bits set (did you mean {}?)", net.trunc()),
                    );
                }
                if let Some(svc) = services.filter(|svc| overlaps(svc, &IpNet::V6(net))) {
                    c.push(&path, format!("{net} overlaps serviceClusterIPRange {svc}"));
                }
                match ctx.vpc_ipv6_cidr {
                    Some(vpc) if !vpc.contains(&net) => c.push(
                        &path,
                        format!("{net} is not inside the VPC's IPv6 block {vpc}"),
                    ),
                    _ => resolved.push((i, net.trunc(), ctx.vpc_ipv6_cidr.is_some())),
                }
            }
            Ipv6CidrSpec::Allocated { .. } => match cidr.resolve(vpc_or_standin) {
                Ok(net) => resolved.push((i, net, ctx.vpc_ipv6_cidr.is_some())),
                Err(e) => c.push(&path, format!("{cidr}: {e}")),
            },
        }
    }
    report_ipv6_overlaps(c, spec, &resolved);
}

/// Two subnets may not share IPv6 addresses. A literal and an allocation are comparable only
/// when the VPC block is known (the bool).
fn report_ipv6_overlaps(
    c: &mut Collector,
    spec: &ClusterSpec,
    resolved: &[(usize, Ipv6Net, bool)],
) {
    let literal = |i: usize| matches!(spec.subnets[i].ipv6_cidr, Some(Ipv6CidrSpec::Literal(_)));
    for (n, (i, a, a_real)) in resolved.iter().enumerate() {
        for (j, b, b_real) in &resolved[n + 1..] {
            let comparable = literal(*i) == literal(*j) || (*a_real && *b_real);
            if comparable && overlaps(&IpNet::V6(*a), &IpNet::V6(*b)) {
                c.push(
                    format!("spec.subnets[{j}].ipv6CIDR"),
                    format!(
                        "{} overlaps {} of subnet {:?}",
                        spec.subnets[*j]
                            .ipv6_cidr
                            .map(|x| x.to_string())
                            .unwrap_or_default(),
                        spec.subnets[*i]
                            .ipv6_cidr
                            .map(|x| x.to_string())
                            .unwrap_or_default(),
                        spec.subnets[*i].name
                    ),
                );
            }
        }
    }
}

/// A subnet whose NATed traffic uses its zone's NAT gateway (or its `egress`), SPEC 6.
pub fn uses_nat(spec: &ClusterSpec, s: &ClusterSubnetSpec) -> bool {
    s.is_managed()
        && (s.subnet_type.is_private()
            || (spec.is_ipv6() && s.subnet_type == SubnetType::Public && s.ipv6_cidr.is_some()))
}

/// SPEC 4.9: what `egress` may name, where, and agreement within a zone.
fn validate_egress(c: &mut Collector, spec: &ClusterSpec) {
    let ipv6 = spec.is_ipv6();
    let mut first_in_zone: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, s) in spec.subnets.iter().enumerate() {
        let path = format!("spec.subnets[{i}].egress");
        if let Some(egress) = &s.egress {
            let allowed_type = match s.subnet_type {
                // `External` only says kops6 does not route the subnet, which kOps allows on
                // any subnet type.
                _ if *egress == Egress::External => true,
                SubnetType::Utility => false,
                SubnetType::Public => ipv6 && s.ipv6_cidr.is_some(),
                SubnetType::Private | SubnetType::DualStack => !ipv6 || s.ipv6_cidr.is_some(),
            };
            if !allowed_type {
                let why = if s.subnet_type == SubnetType::Utility || !ipv6 {
                    format!("{} subnets have no egress", s.subnet_type)
                } else {
                    format!("a {} subnet needs an ipv6CIDR to use egress", s.subnet_type)
                };
                c.push(&path, why);
            }
            if let (Egress::ElasticIp(id), Some(ip)) = (egress, &s.public_ip) {
                c.push(
                    format!("spec.subnets[{i}].publicIP"),
                    format!(
                        "{ip} and egress {id} both name the NAT gateway's address: set only one"
                    ),
                );
            }
            if let (Egress::NatInstance(id), true) = (egress, ipv6) {
                c.push(
                    &path,
                    format!("NAT instance {id} cannot do NAT64 for IPv6: use a NAT gateway (nat-...) or an Elastic IP (eipalloc-...)"),
                );
            }
        }
        if !uses_nat(spec, s) {
            continue;
        }
        match first_in_zone.get(s.zone.as_str()) {
            None => {
                first_in_zone.insert(&s.zone, i);
            }
            Some(&f) => {
                let first = &spec.subnets[f];
                if first.egress != s.egress {
                    c.push(&path, format!(
                        "must match the egress of subnet {:?} ({}) in zone {}: a zone has one NAT route target",
                        first.name,
                        first.egress.as_ref().map_or("unset".to_string(), |e| e.to_string()),
                        s.zone
                    ));
                }
                if first.public_ip != s.public_ip {
                    c.push(format!("spec.subnets[{i}].publicIP"), format!(
                        "must match the publicIP of subnet {:?} in zone {}: a zone has one NAT gateway",
                        first.name, s.zone
                    ));
                }
            }
        }
    }
}

/// SPEC 6: a zone whose NAT-using subnets need a new NAT gateway must have a Utility or a
/// Public subnet to hold it.
fn validate_nat_homes(c: &mut Collector, spec: &ClusterSpec) {
    let mut reported = BTreeSet::new();
    for (i, s) in spec.subnets.iter().enumerate() {
        let needs_gateway =
            uses_nat(spec, s) && matches!(s.egress, None | Some(Egress::ElasticIp(_)));
        if !needs_gateway || reported.contains(s.zone.as_str()) {
            continue;
        }
        let has_home = spec.subnets.iter().any(|o| {
            o.zone == s.zone && matches!(o.subnet_type, SubnetType::Utility | SubnetType::Public)
        });
        if !has_home {
            reported.insert(s.zone.as_str());
            c.push(
                format!("spec.subnets[{i}]"),
                format!(
                    "zone {} needs a NAT gateway but has no Utility or Public subnet to hold it: add one, or set egress",
                    s.zone
                ),
            );
        }
    }
}

/// SPEC 4.5-4.7: which CNIs may run IPv6, and how.
fn validate_networking(c: &mut Collector, spec: &ClusterSpec) {
    let Some(networking) = &spec.networking else {
        c.push(
            "spec.networking",
            "a CNI is required (calico, cilium or cni in IPv6 mode)",
        );
        return;
    };
    let selected = networking.selected();
    if selected.len() > 1 {
        c.push(
            "spec.networking",
            "more than one CNI is configured: choose one",
        );
    }
    if selected.is_empty() {
        c.push(
            "spec.networking",
            "a CNI is required (calico, cilium or cni in IPv6 mode)",
        );
    }
    if !spec.is_ipv6() {
        return;
    }
    for cni in &selected {
        if let Cni::Other(name) = cni {
            c.push(
                format!("spec.networking.{name}"),
                format!("{name} cannot run IPv6: kops6 supports IPv6 on calico, cilium or cni (bring your own)"),
            );
        }
    }
    if let Some(calico) = &networking.calico {
        validate_calico(c, calico);
    }
    if let Some(cilium) = &networking.cilium {
        validate_cilium(c, cilium);
    }
}

fn validate_calico(c: &mut Collector, calico: &CalicoNetworkingSpec) {
    let at = |f: &str| format!("spec.networking.calico.{f}");
    if let Some(m) = calico
        .encapsulation_mode
        .as_deref()
        .filter(|m| *m != "none")
    {
        c.push(
            at("encapsulationMode"),
            format!("{m:?}: IPv6 pod traffic is routed, not encapsulated; use none"),
        );
    }
    for (field, mode) in [
        ("ipipMode", &calico.ipip_mode),
        ("vxlanMode", &calico.vxlan_mode),
    ] {
        if let Some(m) = mode.as_deref().filter(|m| *m != "Never") {
            c.push(
                at(field),
                format!("{m:?}: IPv6 pod traffic is not encapsulated; use Never or leave unset"),
            );
        }
    }
    if let Some(v) = calico
        .aws_src_dst_check
        .as_deref()
        .filter(|v| *v != "DoNothing")
    {
        c.push(
            at("awsSrcDstCheck"),
            format!("{v:?}: IPv6 needs DoNothing (pod addresses are the node's own prefix)"),
        );
    }
    if calico.wireguard_enabled == Some(true) {
        c.push(
            at("wireguardEnabled"),
            "WireGuard is not supported with Calico in IPv6 mode",
        );
    }
}

fn validate_cilium(c: &mut Collector, cilium: &CiliumNetworkingSpec) {
    let at = |f: &str| format!("spec.networking.cilium.{f}");
    if cilium.ipam.as_deref() == Some("eni") {
        c.push(
            at("ipam"),
            "ENI IPAM is IPv4-only: use kubernetes (the /80 prefix of each node)",
        );
    }
    if cilium.enable_encryption == Some(true) {
        c.push(
            at("enableEncryption"),
            "encryption is not supported with Cilium in IPv6 mode",
        );
    }
    if let Some(t) = cilium.tunnel.as_deref().filter(|t| *t != "disabled") {
        c.push(
            at("tunnel"),
            format!("{t:?}: IPv6 pod traffic is routed natively; tunneling must be disabled"),
        );
    }
    if cilium.disable_masquerade == Some(false) {
        c.push(
            at("disableMasquerade"),
            "IPv6 pod addresses must not be masqueraded: set true",
        );
    }
    if cilium.enable_bpf_masquerade == Some(true) {
        c.push(
            at("enableBPFMasquerade"),
            "IPv6 pod addresses must not be masqueraded: BPF masquerade must be off",
        );
    }
}

/// Each etcd member names a control-plane group that exists.
fn validate_etcd(c: &mut Collector, spec: &ClusterSpec, groups: &[InstanceGroup]) {
    let control_plane: BTreeSet<&str> = groups
        .iter()
        .filter(|g| g.spec.role.is_control_plane())
        .map(|g| g.metadata.name.as_str())
        .collect();
    for (i, e) in spec.etcd_clusters.iter().enumerate() {
        if e.etcd_members.is_empty() {
            c.push(
                format!("spec.etcdClusters[{i}].etcdMembers"),
                "at least one member is required",
            );
        }
        for (j, m) in e.etcd_members.iter().enumerate() {
            if !control_plane.contains(m.instance_group.as_str()) {
                c.push(
                    format!("spec.etcdClusters[{i}].etcdMembers[{j}].instanceGroup"),
                    format!(
                        "{:?} is not a control-plane instance group of this cluster",
                        m.instance_group
                    ),
                );
            }
        }
    }
}

/// Rules for one instance group: its subnets, sizes and, in IPv6 mode, its image (SPEC 4.4, 4.6).
fn validate_group(
    cluster: &Cluster,
    g: &InstanceGroup,
    ctx: &ValidationContext,
) -> Vec<FieldError> {
    let mut c = Collector::new(ObjectRef::InstanceGroup(g.metadata.name.clone()));
    let spec = &cluster.spec;
    if let Some(owner) = g.cluster_name().filter(|o| *o != cluster.metadata.name) {
        c.push(
            format!("metadata.labels[\"{CLUSTER_LABEL}\"]"),
            format!("names cluster {owner:?}, not {:?}", cluster.metadata.name),
        );
    }
    if let (Some(min), Some(max)) = (g.spec.min_size, g.spec.max_size) {
        if min > max {
            c.push(
                "spec.minSize",
                format!("{min} is larger than maxSize {max}"),
            );
        }
    }
    if g.spec.subnets.is_empty() {
        c.push("spec.subnets", "at least one subnet is required");
    }
    // `associatePublicIp` on a private subnet is ignored, as kOps does (`support::review`).
    for (k, name) in g.spec.subnets.iter().enumerate() {
        if !spec.subnets.iter().any(|s| &s.name == name) {
            c.push(
                format!("spec.subnets[{k}]"),
                format!("no subnet named {name:?} in the cluster"),
            );
        }
    }
    if spec.is_ipv6() {
        validate_image(&mut c, spec, g, ctx);
    }
    c.into_errors()
}

/// What is known of an instance group's operating system from its image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageOs {
    Debian,
    Ubuntu {
        year: u32,
        month: u32,
    },
    Flatcar,
    Other,
    /// An AMI ID whose name is not known.
    Unknown,
}

/// Reads the OS from an image name (`owner/name`, a name, or an `ami-` ID with its name known).
pub fn image_os(image: &str, ctx: &ValidationContext) -> ImageOs {
    let name = if image.starts_with("ami-") {
        match ctx.image_names.get(image) {
            Some(n) => n.as_str(),
            None => return ImageOs::Unknown,
        }
    } else {
        image
    };
    let lower = name.to_ascii_lowercase();
    if lower.contains("debian") {
        return ImageOs::Debian;
    }
    if lower.contains("flatcar") {
        return ImageOs::Flatcar;
    }
    if let Some(at) = lower.find("ubuntu") {
        if let Some((year, month)) = first_release_number(&lower[at..]) {
            return ImageOs::Ubuntu { year, month };
        }
    }
    ImageOs::Other
}

/// The first `YY.MM` after "ubuntu" (e.g. `ubuntu-noble-24.04-amd64-...` -> (24, 4)).
fn first_release_number(s: &str) -> Option<(u32, u32)> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(4)).find_map(|i| {
        let w = &b[i..i + 5];
        let digits = |r: &[u8]| r.iter().all(u8::is_ascii_digit);
        let boundary = i == 0 || !b[i - 1].is_ascii_digit();
        let after = b.get(i + 5).is_none_or(|c| !c.is_ascii_digit());
        (boundary && after && digits(&w[..2]) && w[2] == b'.' && digits(&w[3..])).then(|| {
            let year = u32::from(w[0] - b'0') * 10 + u32::from(w[1] - b'0');
            let month = u32::from(w[3] - b'0') * 10 + u32::from(w[4] - b'0');
            (year, month)
        })
    })
}

fn validate_image(
    c: &mut Collector,
    spec: &ClusterSpec,
    g: &InstanceGroup,
    ctx: &ValidationContext,
) {
    let Some(image) = g.spec.image.as_deref() else {
        return;
    };
    let os = image_os(image, ctx);
    if os == ImageOs::Debian {
        c.push("spec.image", format!("{image:?} is Debian, which cannot run IPv6-only instances: use Ubuntu 22.04+ or Flatcar"));
        return;
    }
    let calico = spec.networking.as_ref().is_some_and(|n| n.calico.is_some());
    let calico_ok = match os {
        ImageOs::Flatcar | ImageOs::Unknown => true,
        ImageOs::Ubuntu { year, .. } => year >= 22,
        _ => false,
    };
    if calico && !calico_ok {
        c.push(
            "spec.image",
            format!("{image:?}: Calico with IPv6 needs Ubuntu 22.04 or later, or Flatcar"),
        );
    }
}
