//! One test per network rule (SPEC 6, with its routing table).
//!
//! Every spec starts as `create cluster` writes it and is then edited the way a user would;
//! `ClusterSpecSet::check` completes and validates it, and `build_network` turns the completed
//! cluster into the graph under test. Each test asserts the exact resources, names, routes and
//! targets the rule asks for.

use std::collections::{BTreeMap, BTreeSet};

use ipnet::{IpNet, Ipv4Net};
use kops6_api::complete::complete;
use kops6_api::new_cluster::{new_cluster, NewClusterOptions};
use kops6_api::types::*;
use kops6_api::validate::ValidationContext;
use kops6_api::{ClusterSpecSet, Ipv6CidrSpec};
use kops6_model::graph::SubnetSpec;
use kops6_model::{
    build_network, Key, Kind, Lookup, ModelError, Resource, ResourceGraph, RouteTarget, Spec,
    Value, VpcSource,
};
use proptest::prelude::*;

const C: &str = "ipv6.example.com";
const A: &str = "us-east-1a";
const B: &str = "us-east-1b";
const SHARED_VPC: &str = "vpc-0123456789abcdef0";

// ---------------------------------------------------------------------------------------------
// Building specs

fn options(zones: &[&str]) -> NewClusterOptions {
    NewClusterOptions {
        name: C.into(),
        zones: zones.iter().map(|z| z.to_string()).collect(),
        ipv6: true,
        networking: Some("calico".into()),
        kubernetes_version: Some("v1.35.0".into()),
        ..Default::default()
    }
}

fn set_from(opts: &NewClusterOptions) -> ClusterSpecSet {
    let new = new_cluster(opts).expect("create cluster options are valid");
    ClusterSpecSet::new(new.cluster, new.instance_groups).expect("new cluster is a valid set")
}

/// `create cluster --ipv6`: per zone `<Z>` (Private, IPv6-only), then `dualstack-<Z>`, then
/// `utility-<Z>`.
fn private_ipv6(zones: &[&str]) -> ClusterSpecSet {
    set_from(&options(zones))
}

/// `create cluster --ipv6 --topology public`: one Public subnet `<Z>` per zone.
fn public_ipv6(zones: &[&str]) -> ClusterSpecSet {
    set_from(&NewClusterOptions {
        topology: Some(Topology::Public),
        ..options(zones)
    })
}

/// `create cluster --topology private` without `--ipv6`: `<Z>` (Private, IPv4), `utility-<Z>`.
fn private_ipv4(zones: &[&str]) -> ClusterSpecSet {
    set_from(&NewClusterOptions {
        ipv6: false,
        topology: Some(Topology::Private),
        ..options(zones)
    })
}

fn subnet<'a>(set: &'a mut ClusterSpecSet, name: &str) -> &'a mut ClusterSubnetSpec {
    set.cluster
        .spec
        .subnets
        .iter_mut()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no subnet {name}"))
}

fn new_subnet(name: &str, zone: &str, subnet_type: SubnetType) -> ClusterSubnetSpec {
    ClusterSubnetSpec {
        additional_routes: Vec::new(),
        cidr: None,
        egress: None,
        id: None,
        ipv6_cidr: None,
        name: name.into(),
        public_ip: None,
        subnet_type,
        zone: zone.into(),
        ..Default::default()
    }
}

fn egress(s: &str) -> Egress {
    s.parse().expect("egress parses")
}

fn v4(s: &str) -> Ipv4Net {
    s.parse().unwrap()
}

fn v6(s: &str) -> Ipv6CidrSpec {
    s.parse().unwrap()
}

fn net(s: &str) -> IpNet {
    s.parse().unwrap()
}

fn route(cidr: &str, target: &str) -> RouteSpec {
    RouteSpec {
        cidr: net(cidr),
        target: target.into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Building graphs

#[track_caller]
fn try_build(set: &ClusterSpecSet) -> Result<ResourceGraph, ModelError> {
    let completed = set
        .check(&ValidationContext::default())
        .unwrap_or_else(|e| panic!("expected a valid spec, got:\n{e}"));
    build_network(&completed.cluster)
}

#[track_caller]
fn build(set: &ClusterSpecSet) -> ResourceGraph {
    try_build(set).unwrap_or_else(|e| panic!("build_network failed: {e}"))
}

#[track_caller]
fn build_error(set: &ClusterSpecSet) -> (String, String) {
    match try_build(set) {
        Ok(g) => panic!("expected a model error, got a graph of {:?}", keys(&g)),
        Err(ModelError::Field { field, message }) => (field, message),
    }
}

fn key(kind: Kind, name: &str) -> Key {
    Key::new(kind, name)
}

fn ours(kind: Kind, name: &str) -> Value {
    Value::Ref(key(kind, name))
}

fn keys(g: &ResourceGraph) -> Vec<String> {
    g.resources.iter().map(|r| r.key.to_string()).collect()
}

#[track_caller]
fn get<'a>(g: &'a ResourceGraph, kind: Kind, name: &str) -> &'a Resource {
    g.get(&key(kind, name))
        .unwrap_or_else(|| panic!("no {kind}/{name} in {:#?}", keys(g)))
}

fn has(g: &ResourceGraph, kind: Kind, name: &str) -> bool {
    g.get(&key(kind, name)).is_some()
}

fn names(g: &ResourceGraph, kind: Kind) -> Vec<&str> {
    g.of_kind(kind).map(|r| r.key.name.as_str()).collect()
}

/// `<name>.<C>`.
fn n(name: &str) -> String {
    format!("{name}.{C}")
}

#[track_caller]
fn subnet_spec<'a>(g: &'a ResourceGraph, spec_name: &str) -> &'a SubnetSpec {
    match &get(g, Kind::Subnet, &n(spec_name)).spec {
        Spec::Subnet(s) => s,
        other => panic!("not a subnet: {other:?}"),
    }
}

/// The routes of one route table, in graph order, as (destination, target).
fn routes(g: &ResourceGraph, table: &str) -> Vec<(IpNet, RouteTarget)> {
    let table = ours(Kind::RouteTable, table);
    g.of_kind(Kind::Route)
        .filter_map(|r| match &r.spec {
            Spec::Route {
                table: t,
                destination,
                target,
            } if *t == table => Some((*destination, target.clone())),
            _ => None,
        })
        .collect()
}

/// The route table a subnet (by spec name) is associated with, if any.
fn table_of(g: &ResourceGraph, spec_name: &str) -> Option<String> {
    let a = g.get(&key(Kind::RouteTableAssociation, &n(spec_name)))?;
    match &a.spec {
        Spec::RouteTableAssociation {
            table: Value::Ref(k),
            ..
        } => Some(k.name.clone()),
        other => panic!("association to a table not in the graph: {other:?}"),
    }
}

/// The NAT gateway of a zone: (subnet, allocation).
#[track_caller]
fn nat_gateway(g: &ResourceGraph, zone: &str) -> (Value, Value) {
    match &get(g, Kind::NatGateway, &n(zone)).spec {
        Spec::NatGateway { subnet, allocation } => (subnet.clone(), allocation.clone()),
        other => panic!("not a NAT gateway: {other:?}"),
    }
}

fn igw() -> RouteTarget {
    RouteTarget::InternetGateway(ours(Kind::InternetGateway, C))
}

fn eigw() -> RouteTarget {
    RouteTarget::EgressOnlyInternetGateway(ours(Kind::EgressOnlyInternetGateway, C))
}

fn nat_gw(zone: &str) -> RouteTarget {
    RouteTarget::NatGateway(ours(Kind::NatGateway, &n(zone)))
}

fn any4() -> IpNet {
    net("0.0.0.0/0")
}

fn any6() -> IpNet {
    net("::/0")
}

fn nat64() -> IpNet {
    net("64:ff9b::/96")
}

fn tags(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The tags every resource kops6 creates carries, plus `extra`.
fn owned_tags(name: &str, extra: &[(&str, &str)]) -> BTreeMap<String, String> {
    let owned = format!("kubernetes.io/cluster/{C}");
    let mut t = tags(&[("KubernetesCluster", C), ("Name", name), (&owned, "owned")]);
    t.extend(tags(extra));
    t
}

// ---------------------------------------------------------------------------------------------
// VPC and DHCP options

#[test]
fn managed_vpc_has_the_network_cidr_dns_on_and_an_amazon_ipv6_block() {
    let g = build(&private_ipv6(&[A]));
    assert_eq!(g.vpc, VpcSource::Managed(key(Kind::Vpc, C)));
    let vpc = get(&g, Kind::Vpc, C);
    assert_eq!(
        vpc.spec,
        Spec::Vpc {
            cidr: v4("172.20.0.0/16"),
            amazon_ipv6_block: true,
            dns_hostnames: true,
            dns_support: true,
        }
    );
    assert_eq!(vpc.tags, owned_tags(C, &[]));
    assert_eq!(g.resources[0].key, key(Kind::Vpc, C), "the VPC comes first");
    assert_eq!(g.region, "us-east-1");
    assert_eq!(g.cluster, C);
}

#[test]
fn ipv4_cluster_vpc_has_no_ipv6_block_egress_only_gateway_or_ipv6_routes() {
    let g = build(&private_ipv4(&[A]));
    assert_eq!(
        get(&g, Kind::Vpc, C).spec,
        Spec::Vpc {
            cidr: v4("172.20.0.0/16"),
            amazon_ipv6_block: false,
            dns_hostnames: true,
            dns_support: true,
        }
    );
    assert_eq!(
        names(&g, Kind::EgressOnlyInternetGateway),
        Vec::<&str>::new()
    );
    assert_eq!(routes(&g, C), vec![(any4(), igw())]);
    assert_eq!(
        routes(&g, &n("private-us-east-1a")),
        vec![(any4(), nat_gw(A))]
    );
    assert!(!subnet_spec(&g, A).assign_ipv6_on_creation);
}

#[test]
fn managed_vpc_gets_dhcp_options_with_the_region_domain_and_the_aws_resolver() {
    let g = build(&private_ipv6(&[A]));
    assert_eq!(
        get(&g, Kind::DhcpOptions, C).spec,
        Spec::DhcpOptions {
            domain_name: "ec2.internal".into(),
            domain_name_servers: vec!["AmazonProvidedDNS".into()],
        }
    );
    assert_eq!(
        get(&g, Kind::VpcDhcpOptionsAssociation, C).spec,
        Spec::VpcDhcpOptionsAssociation {
            vpc: ours(Kind::Vpc, C),
            dhcp_options: ours(Kind::DhcpOptions, C),
        }
    );

    let g = build(&private_ipv6(&["eu-west-2a"]));
    assert_eq!(
        get(&g, Kind::DhcpOptions, C).spec,
        Spec::DhcpOptions {
            domain_name: "eu-west-2.compute.internal".into(),
            domain_name_servers: vec!["AmazonProvidedDNS".into()],
        }
    );
}

// ---------------------------------------------------------------------------------------------
// Subnets

#[test]
fn ipv6_only_subnet_is_ipv6_native_with_dns64() {
    let g = build(&private_ipv6(&[A]));
    assert_eq!(
        *subnet_spec(&g, A),
        SubnetSpec {
            spec_name: A.into(),
            zone: A.into(),
            vpc: ours(Kind::Vpc, C),
            cidr: None,
            ipv6_cidr: Some(v6("/64#0")),
            ipv6_native: true,
            assign_ipv6_on_creation: true,
            enable_dns64: true,
            resource_name_hostnames: true,
            dns_a_records: false,
            dns_aaaa_records: true,
        }
    );
}

#[test]
fn dual_stack_subnets_assign_ipv6_with_resource_name_hostnames_and_a_and_aaaa_records() {
    let g = build(&private_ipv6(&[A]));
    assert_eq!(
        *subnet_spec(&g, "dualstack-us-east-1a"),
        SubnetSpec {
            spec_name: "dualstack-us-east-1a".into(),
            zone: A.into(),
            vpc: ours(Kind::Vpc, C),
            cidr: Some(v4("172.20.64.0/18")),
            ipv6_cidr: Some(v6("/64#1")),
            ipv6_native: false,
            assign_ipv6_on_creation: true,
            enable_dns64: false,
            resource_name_hostnames: true,
            dns_a_records: true,
            dns_aaaa_records: true,
        }
    );
    let utility = subnet_spec(&g, "utility-us-east-1a");
    assert_eq!(utility.cidr, Some(v4("172.20.0.0/21")));
    assert_eq!(utility.ipv6_cidr, Some(v6("/64#2")));
    assert!(utility.assign_ipv6_on_creation && utility.dns_a_records && utility.dns_aaaa_records);
    assert!(!utility.ipv6_native && !utility.enable_dns64);
}

#[test]
fn subnet_without_ipv6_cidr_gets_no_ipv6_attributes() {
    let g = build(&private_ipv4(&[A]));
    assert_eq!(
        *subnet_spec(&g, A),
        SubnetSpec {
            spec_name: A.into(),
            zone: A.into(),
            vpc: ours(Kind::Vpc, C),
            cidr: Some(v4("172.20.128.0/17")),
            ipv6_cidr: None,
            ipv6_native: false,
            assign_ipv6_on_creation: false,
            enable_dns64: false,
            resource_name_hostnames: false,
            dns_a_records: false,
            dns_aaaa_records: false,
        }
    );
}

#[test]
fn subnet_tags_carry_cluster_owned_name_and_subnet_type() {
    let g = build(&private_ipv6(&[A]));
    assert_eq!(
        get(&g, Kind::Subnet, &n(A)).tags,
        owned_tags(
            &n(A),
            &[
                ("SubnetType", "Private"),
                // No internal-elb: the zone has a DualStack subnet.
            ]
        )
    );
}

#[test]
fn subnet_tags_elb_role_on_public_and_utility() {
    let g = build(&private_ipv6(&[A]));
    assert_eq!(
        get(&g, Kind::Subnet, &n("utility-us-east-1a")).tags,
        owned_tags(
            &n("utility-us-east-1a"),
            &[("SubnetType", "Utility"), ("kubernetes.io/role/elb", "1")]
        )
    );
    let g = build(&public_ipv6(&[A]));
    assert_eq!(
        get(&g, Kind::Subnet, &n(A)).tags,
        owned_tags(
            &n(A),
            &[("SubnetType", "Public"), ("kubernetes.io/role/elb", "1")]
        )
    );
}

#[test]
fn subnet_tags_internal_elb_role_on_dualstack() {
    let g = build(&private_ipv6(&[A]));
    assert_eq!(
        get(&g, Kind::Subnet, &n("dualstack-us-east-1a")).tags,
        owned_tags(
            &n("dualstack-us-east-1a"),
            &[
                ("SubnetType", "DualStack"),
                ("kubernetes.io/role/internal-elb", "1")
            ]
        )
    );
}

#[test]
fn subnet_tags_internal_elb_on_private_only_where_its_zone_has_no_dualstack() {
    // Zone a keeps its DualStack subnet; zone b loses it (the control plane stays in zone a).
    let mut set = private_ipv6(&[A, B]);
    set.cluster
        .spec
        .subnets
        .retain(|s| s.name != "dualstack-us-east-1b");
    let g = build(&set);
    let internal_elb = |name: &str| {
        get(&g, Kind::Subnet, &n(name))
            .tags
            .get("kubernetes.io/role/internal-elb")
            .cloned()
    };
    assert_eq!(internal_elb(A), None);
    assert_eq!(internal_elb(B), Some("1".into()));
    assert_eq!(
        get(&g, Kind::Subnet, &n(B)).tags,
        owned_tags(
            &n(B),
            &[
                ("SubnetType", "Private"),
                ("kubernetes.io/role/internal-elb", "1")
            ]
        )
    );
    // The IPv4 private topology has no DualStack at all: its Private subnets take the role.
    let g = build(&private_ipv4(&[A]));
    assert_eq!(
        get(&g, Kind::Subnet, &n(A)).tags,
        owned_tags(
            &n(A),
            &[
                ("SubnetType", "Private"),
                ("kubernetes.io/role/internal-elb", "1")
            ]
        )
    );
}

#[test]
fn no_subnet_carries_both_elb_roles() {
    let g = build(&private_ipv6(&[A, B, "us-east-1c"]));
    for s in g.of_kind(Kind::Subnet) {
        let elb = s.tags.contains_key("kubernetes.io/role/elb");
        let internal = s.tags.contains_key("kubernetes.io/role/internal-elb");
        assert!(!(elb && internal), "{} has both roles", s.key);
    }
}

// ---------------------------------------------------------------------------------------------
// Gateways

#[test]
fn internet_gateway_and_egress_only_gateway_attach_to_the_managed_vpc() {
    let g = build(&private_ipv6(&[A]));
    let igw = get(&g, Kind::InternetGateway, C);
    assert_eq!(
        igw.spec,
        Spec::InternetGateway {
            vpc: ours(Kind::Vpc, C)
        }
    );
    assert_eq!(igw.tags, owned_tags(C, &[]));
    let eigw = get(&g, Kind::EgressOnlyInternetGateway, C);
    assert_eq!(
        eigw.spec,
        Spec::EgressOnlyInternetGateway {
            vpc: ours(Kind::Vpc, C)
        }
    );
    assert_eq!(eigw.tags, owned_tags(C, &[]));
}

#[test]
fn egress_only_gateway_only_when_managed_private_subnets_exist() {
    // Private topology: Private and DualStack subnets need it.
    assert!(has(
        &build(&private_ipv6(&[A])),
        Kind::EgressOnlyInternetGateway,
        C
    ));
    // Public topology: no private subnet, no egress-only gateway.
    let g = build(&public_ipv6(&[A]));
    assert_eq!(
        names(&g, Kind::EgressOnlyInternetGateway),
        Vec::<&str>::new()
    );
    assert!(routes(&g, &n("public-us-east-1a"))
        .iter()
        .all(|(_, t)| !matches!(t, RouteTarget::EgressOnlyInternetGateway(_))));
    // Private subnets that kops6 does not route (External) do not count.
    let mut set = private_ipv6(&[A]);
    for name in [A, "dualstack-us-east-1a"] {
        subnet(&mut set, name).egress = Some(Egress::External);
    }
    let g = build(&set);
    assert_eq!(
        names(&g, Kind::EgressOnlyInternetGateway),
        Vec::<&str>::new()
    );
    // Nor do shared ones.
    let mut set = private_ipv6(&[A]);
    subnet(&mut set, A).id = Some("subnet-0aaa".into());
    subnet(&mut set, "dualstack-us-east-1a").id = Some("subnet-0bbb".into());
    let g = build(&set);
    assert_eq!(
        names(&g, Kind::EgressOnlyInternetGateway),
        Vec::<&str>::new()
    );
}

#[test]
fn no_internet_gateway_when_every_subnet_is_external() {
    // A public IPv6 cluster whose only subnet is routed outside kops6.
    let mut set = public_ipv6(&[A]);
    subnet(&mut set, A).egress = Some(Egress::External);
    let g = build(&set);
    assert_eq!(names(&g, Kind::InternetGateway), Vec::<&str>::new());
    assert_eq!(
        names(&g, Kind::EgressOnlyInternetGateway),
        Vec::<&str>::new()
    );
    assert_eq!(names(&g, Kind::NatGateway), Vec::<&str>::new());
    assert_eq!(names(&g, Kind::ElasticIp), Vec::<&str>::new());
    assert_eq!(names(&g, Kind::RouteTable), Vec::<&str>::new());
    assert_eq!(names(&g, Kind::Route), Vec::<&str>::new());
    assert_eq!(names(&g, Kind::RouteTableAssociation), Vec::<&str>::new());
    // The VPC and the subnet are still created.
    assert_eq!(names(&g, Kind::Vpc), vec![C]);
    assert_eq!(names(&g, Kind::Subnet), vec![n(A).as_str()]);
}

#[test]
fn internet_gateway_exists_when_any_subnet_is_managed() {
    let mut set = private_ipv6(&[A]);
    for name in [A, "dualstack-us-east-1a"] {
        subnet(&mut set, name).egress = Some(Egress::External);
    }
    let g = build(&set);
    assert_eq!(names(&g, Kind::InternetGateway), vec![C]);
    assert_eq!(routes(&g, C), vec![(any4(), igw()), (any6(), igw())]);
}

// ---------------------------------------------------------------------------------------------
// NAT gateways and Elastic IPs

#[test]
fn one_nat_gateway_and_eip_per_zone_that_needs_one() {
    let g = build(&private_ipv6(&[A, B, "us-east-1c"]));
    let zones = [n(A), n(B), n("us-east-1c")];
    assert_eq!(names(&g, Kind::NatGateway), zones);
    assert_eq!(names(&g, Kind::ElasticIp), zones);
    for zone in [A, B, "us-east-1c"] {
        let (subnet, allocation) = nat_gateway(&g, zone);
        assert_eq!(subnet, ours(Kind::Subnet, &n(&format!("utility-{zone}"))));
        assert_eq!(allocation, ours(Kind::ElasticIp, &n(zone)));
        assert_eq!(get(&g, Kind::ElasticIp, &n(zone)).spec, Spec::ElasticIp);
        assert_eq!(
            get(&g, Kind::ElasticIp, &n(zone)).tags,
            owned_tags(&n(zone), &[])
        );
        assert_eq!(
            get(&g, Kind::NatGateway, &n(zone)).tags,
            owned_tags(&n(zone), &[])
        );
    }
}

#[test]
fn zone_with_only_utility_subnets_needs_no_nat_gateway() {
    // Zone b keeps only its utility subnet (its Private and DualStack ones are dropped).
    let mut set = private_ipv6(&[A, B]);
    set.cluster
        .spec
        .subnets
        .retain(|s| s.zone == A || s.subnet_type == SubnetType::Utility);
    for g in &mut set.instance_groups {
        g.spec.subnets.retain(|s| !s.ends_with(B));
    }
    set.instance_groups.retain(|g| !g.spec.subnets.is_empty());
    let g = build(&set);
    assert_eq!(names(&g, Kind::NatGateway), vec![n(A).as_str()]);
    assert_eq!(names(&g, Kind::ElasticIp), vec![n(A).as_str()]);
}

#[test]
fn nat_gateway_goes_in_zone_utility_subnet() {
    // A Public subnet listed before the Utility one does not take the NAT gateway.
    let mut set = private_ipv6(&[A]);
    let mut public = new_subnet("public-us-east-1a", A, SubnetType::Public);
    public.cidr = Some(v4("172.20.128.0/18"));
    set.cluster.spec.subnets.insert(0, public);
    let g = build(&set);
    let (home, _) = nat_gateway(&g, A);
    assert_eq!(home, ours(Kind::Subnet, &n("utility-us-east-1a")));
}

#[test]
fn nat_gateway_falls_back_to_first_listed_public_subnet() {
    // Public topology with a second Public subnet in the zone, listed first.
    let mut set = public_ipv6(&[A]);
    subnet(&mut set, A).cidr = Some(v4("172.20.0.0/17"));
    let mut first = new_subnet("first-us-east-1a", A, SubnetType::Public);
    first.cidr = Some(v4("172.20.128.0/17"));
    first.ipv6_cidr = Some(v6("/64#1"));
    set.cluster.spec.subnets.insert(0, first);
    let g = build(&set);
    let (home, allocation) = nat_gateway(&g, A);
    assert_eq!(home, ours(Kind::Subnet, &n("first-us-east-1a")));
    assert_eq!(allocation, ours(Kind::ElasticIp, &n(A)));
    assert_eq!(names(&g, Kind::NatGateway), vec![n(A).as_str()]);
}

#[test]
fn nat_gateway_in_a_shared_utility_subnet_refers_to_its_id() {
    let mut set = private_ipv6(&[A]);
    subnet(&mut set, "utility-us-east-1a").id = Some("subnet-0utility".into());
    let g = build(&set);
    let (home, _) = nat_gateway(&g, A);
    assert_eq!(home, Value::Shared("subnet-0utility".into()));
}

/// Validation rejects this spec first; the model still refuses it rather than place the NAT
/// gateway somewhere arbitrary, should it be handed a spec that was only completed.
#[test]
fn zone_without_utility_or_public_subnet_cannot_hold_its_nat_gateway() {
    let mut set = private_ipv6(&[A]);
    set.cluster
        .spec
        .subnets
        .retain(|s| s.subnet_type != SubnetType::Utility);
    let errors = set
        .check(&ValidationContext::default())
        .expect_err("validation names the zone without a NAT home");
    assert_eq!(errors.paths(), vec!["spec.subnets[0]"]);
    let completed = complete(&set.cluster, &set.instance_groups);
    let Err(ModelError::Field { field, message }) = build_network(&completed.cluster) else {
        panic!("expected a model error");
    };
    assert_eq!(field, "spec.subnets[0]");
    assert!(
        message.contains("us-east-1a") && message.contains("Utility or Public"),
        "{message}"
    );
}

#[test]
fn public_subnet_with_ipv6_cidr_needs_a_nat_gateway_in_ipv6_mode() {
    let g = build(&public_ipv6(&[A, B]));
    assert_eq!(names(&g, Kind::NatGateway), vec![n(A), n(B)]);
    for zone in [A, B] {
        assert_eq!(
            nat_gateway(&g, zone),
            (
                ours(Kind::Subnet, &n(zone)),
                ours(Kind::ElasticIp, &n(zone))
            )
        );
    }
}

#[test]
fn public_subnets_outside_ipv6_mode_need_no_nat_and_share_the_cluster_public_table() {
    let g = build(&set_from(&NewClusterOptions {
        ipv6: false,
        ..options(&[A, B])
    }));
    assert_eq!(names(&g, Kind::NatGateway), Vec::<&str>::new());
    assert_eq!(names(&g, Kind::ElasticIp), Vec::<&str>::new());
    assert_eq!(names(&g, Kind::RouteTable), vec![C]);
    assert_eq!(routes(&g, C), vec![(any4(), igw())]);
    assert_eq!(table_of(&g, A).as_deref(), Some(C));
    assert_eq!(table_of(&g, B).as_deref(), Some(C));
}

#[test]
fn egress_nat_id_reuses_existing_nat_gateway_and_creates_no_eip() {
    let mut set = private_ipv6(&[A]);
    for name in [A, "dualstack-us-east-1a"] {
        subnet(&mut set, name).egress = Some(egress("nat-0123456789abcdef0"));
    }
    let g = build(&set);
    assert_eq!(names(&g, Kind::NatGateway), Vec::<&str>::new());
    assert_eq!(names(&g, Kind::ElasticIp), Vec::<&str>::new());
    let existing = RouteTarget::NatGateway(Value::Shared("nat-0123456789abcdef0".into()));
    assert_eq!(
        routes(&g, &n("private-us-east-1a")),
        vec![
            (any4(), existing.clone()),
            (any6(), eigw()),
            (nat64(), existing)
        ]
    );
}

#[test]
fn egress_eipalloc_creates_nat_gateway_on_that_eip() {
    let mut set = private_ipv6(&[A]);
    for name in [A, "dualstack-us-east-1a"] {
        subnet(&mut set, name).egress = Some(egress("eipalloc-0123456789abcdef0"));
    }
    let g = build(&set);
    assert_eq!(names(&g, Kind::ElasticIp), Vec::<&str>::new());
    assert_eq!(
        nat_gateway(&g, A),
        (
            ours(Kind::Subnet, &n("utility-us-east-1a")),
            Value::Shared("eipalloc-0123456789abcdef0".into())
        )
    );
    assert_eq!(
        routes(&g, &n("private-us-east-1a")),
        vec![(any4(), nat_gw(A)), (any6(), eigw()), (nat64(), nat_gw(A))]
    );
}

#[test]
fn public_ip_looks_up_existing_elastic_ip() {
    let mut set = private_ipv6(&[A]);
    for name in [A, "dualstack-us-east-1a"] {
        subnet(&mut set, name).public_ip = Some("203.0.113.10".into());
    }
    let g = build(&set);
    let lookup = Lookup::ElasticIpByAddress("203.0.113.10".parse().unwrap());
    assert_eq!(names(&g, Kind::ElasticIp), Vec::<&str>::new());
    assert_eq!(
        nat_gateway(&g, A),
        (
            ours(Kind::Subnet, &n("utility-us-east-1a")),
            Value::Lookup(lookup.clone())
        )
    );
    assert_eq!(g.lookups(), vec![&lookup]);
}

#[test]
fn public_ip_that_is_not_an_ipv4_address_is_an_error_at_its_field() {
    let mut set = private_ipv6(&[A]);
    for name in [A, "dualstack-us-east-1a"] {
        subnet(&mut set, name).public_ip = Some("2001:db8::1".into());
    }
    let (field, message) = build_error(&set);
    assert_eq!(field, "spec.subnets[0].publicIP");
    assert!(message.contains("2001:db8::1"), "{message}");
}

// ---------------------------------------------------------------------------------------------
// Route tables and routes (SPEC 6's routing table)

#[test]
fn utility_subnets_share_the_cluster_public_route_table_with_igw_for_both_families() {
    let g = build(&private_ipv6(&[A, B]));
    assert_eq!(table_of(&g, "utility-us-east-1a").as_deref(), Some(C));
    assert_eq!(table_of(&g, "utility-us-east-1b").as_deref(), Some(C));
    assert_eq!(routes(&g, C), vec![(any4(), igw()), (any6(), igw())]);
    assert_eq!(
        get(&g, Kind::RouteTable, C).spec,
        Spec::RouteTable {
            vpc: ours(Kind::Vpc, C)
        }
    );
    assert_eq!(get(&g, Kind::RouteTable, C).tags, owned_tags(C, &[]));
}

#[test]
fn public_subnet_with_ipv6_cidr_gets_zone_public_table_with_nat64() {
    let g = build(&public_ipv6(&[A]));
    let table = n("public-us-east-1a");
    assert_eq!(names(&g, Kind::RouteTable), vec![table.as_str()]);
    assert_eq!(table_of(&g, A), Some(table.clone()));
    assert_eq!(
        routes(&g, &table),
        vec![(any4(), igw()), (any6(), igw()), (nat64(), nat_gw(A))]
    );
}

#[test]
fn public_subnet_with_ipv6_cidr_and_tgw_egress_sends_nat64_to_the_transit_gateway() {
    let mut set = public_ipv6(&[A]);
    subnet(&mut set, A).egress = Some(egress("tgw-0123456789abcdef0"));
    let g = build(&set);
    let tgw = RouteTarget::TransitGateway("tgw-0123456789abcdef0".into());
    assert_eq!(names(&g, Kind::NatGateway), Vec::<&str>::new());
    assert_eq!(
        routes(&g, &n("public-us-east-1a")),
        vec![(any4(), igw()), (any6(), igw()), (nat64(), tgw)]
    );
}

#[test]
fn private_subnet_routes_nat64_to_zone_nat_gateway() {
    let g = build(&private_ipv6(&[A, B]));
    for zone in [A, B] {
        let table = n(&format!("private-{zone}"));
        assert_eq!(
            routes(&g, &table),
            vec![
                (any4(), nat_gw(zone)),
                (any6(), eigw()),
                (nat64(), nat_gw(zone))
            ],
            "{table}"
        );
    }
}

#[test]
fn private_and_dualstack_subnets_of_a_zone_share_the_zone_private_table() {
    let g = build(&private_ipv6(&[A, B]));
    for zone in [A, B] {
        let table = n(&format!("private-{zone}"));
        assert_eq!(table_of(&g, zone), Some(table.clone()));
        assert_eq!(table_of(&g, &format!("dualstack-{zone}")), Some(table));
    }
    assert_eq!(
        names(&g, Kind::RouteTable),
        vec![
            C.to_string(),
            n("private-us-east-1a"),
            n("private-us-east-1b")
        ]
    );
}

#[test]
fn transit_gateway_egress_takes_ipv4_default_and_nat64_but_not_ipv6_default() {
    let mut set = private_ipv6(&[A, B]);
    for name in [A, "dualstack-us-east-1a"] {
        subnet(&mut set, name).egress = Some(egress("tgw-0123456789abcdef0"));
    }
    let g = build(&set);
    let tgw = RouteTarget::TransitGateway("tgw-0123456789abcdef0".into());
    assert_eq!(
        routes(&g, &n("private-us-east-1a")),
        vec![(any4(), tgw.clone()), (any6(), eigw()), (nat64(), tgw)]
    );
    // Only zone b still needs a NAT gateway of its own.
    assert_eq!(names(&g, Kind::NatGateway), vec![n(B).as_str()]);
    assert_eq!(names(&g, Kind::ElasticIp), vec![n(B).as_str()]);
    assert_eq!(
        routes(&g, &n("private-us-east-1b")),
        vec![(any4(), nat_gw(B)), (any6(), eigw()), (nat64(), nat_gw(B))]
    );
}

#[test]
fn nat_instance_egress_outside_ipv6_mode_takes_the_ipv4_default_route() {
    let mut set = private_ipv4(&[A]);
    subnet(&mut set, A).egress = Some(egress("i-0123456789abcdef0"));
    let g = build(&set);
    assert_eq!(names(&g, Kind::NatGateway), Vec::<&str>::new());
    assert_eq!(
        routes(&g, &n("private-us-east-1a")),
        vec![(any4(), RouteTarget::Instance("i-0123456789abcdef0".into()))]
    );
}

#[test]
fn external_subnet_gets_no_route_table_association_or_nat() {
    // Zone a is routed outside kops6 entirely; zone b is managed as usual.
    let mut set = private_ipv6(&[A, B]);
    for name in [A, "dualstack-us-east-1a"] {
        subnet(&mut set, name).egress = Some(Egress::External);
    }
    let g = build(&set);
    // Still created (and tagged): External is about routing, not ownership.
    assert!(has(&g, Kind::Subnet, &n(A)));
    assert!(has(&g, Kind::Subnet, &n("dualstack-us-east-1a")));
    assert_eq!(table_of(&g, A), None);
    assert_eq!(table_of(&g, "dualstack-us-east-1a"), None);
    assert!(!has(&g, Kind::RouteTable, &n("private-us-east-1a")));
    assert_eq!(routes(&g, &n("private-us-east-1a")), vec![]);
    assert_eq!(names(&g, Kind::NatGateway), vec![n(B).as_str()]);
    assert_eq!(names(&g, Kind::ElasticIp), vec![n(B).as_str()]);
    // The utility subnet of zone a is managed and keeps the shared public table.
    assert_eq!(table_of(&g, "utility-us-east-1a").as_deref(), Some(C));
}

#[test]
fn external_private_subnet_next_to_a_managed_dualstack_keeps_the_zone_nat() {
    let mut set = private_ipv6(&[A]);
    subnet(&mut set, A).egress = Some(Egress::External);
    let g = build(&set);
    assert_eq!(table_of(&g, A), None);
    assert_eq!(
        table_of(&g, "dualstack-us-east-1a"),
        Some(n("private-us-east-1a"))
    );
    assert_eq!(names(&g, Kind::NatGateway), vec![n(A).as_str()]);
    // Nothing but the subnet itself mentions the External subnet.
    let external = ours(Kind::Subnet, &n(A));
    assert!(g
        .resources
        .iter()
        .flat_map(|r| r.spec.values())
        .all(|v| *v != external));
}

#[test]
fn shared_subnet_is_referenced_never_created() {
    let mut set = private_ipv6(&[A]);
    subnet(&mut set, "dualstack-us-east-1a").id = Some("subnet-0123456789abcdef0".into());
    subnet(&mut set, "utility-us-east-1a").id = Some("subnet-0fedcba987654321f".into());
    let g = build(&set);
    assert_eq!(names(&g, Kind::Subnet), vec![n(A).as_str()]);
    // The NAT gateway sits in the shared utility subnet, by its ID.
    assert_eq!(
        nat_gateway(&g, A).0,
        Value::Shared("subnet-0fedcba987654321f".into())
    );
    // Shared subnets get no association; the managed one does.
    assert_eq!(table_of(&g, "dualstack-us-east-1a"), None);
    assert_eq!(table_of(&g, "utility-us-east-1a"), None);
    assert_eq!(table_of(&g, A), Some(n("private-us-east-1a")));
    // No shared subnet's ID is the subject of any association.
    for r in g.of_kind(Kind::RouteTableAssociation) {
        if let Spec::RouteTableAssociation { subnet, .. } = &r.spec {
            assert!(matches!(subnet, Value::Ref(_)), "{r:?}");
        }
    }
    // No utility subnet is managed, so no shared public table.
    assert!(!has(&g, Kind::RouteTable, C));
}

#[test]
fn shared_vpc_creates_no_vpc_igw_eigw_or_dhcp_and_looks_up_gateways() {
    let set = set_from(&NewClusterOptions {
        vpc: Some(SHARED_VPC.into()),
        network_cidr: Some(v4("10.1.0.0/16")),
        ..options(&[A])
    });
    let g = build(&set);
    assert_eq!(g.vpc, VpcSource::Shared(SHARED_VPC.into()));
    for kind in [
        Kind::Vpc,
        Kind::DhcpOptions,
        Kind::VpcDhcpOptionsAssociation,
        Kind::InternetGateway,
        Kind::EgressOnlyInternetGateway,
    ] {
        assert_eq!(names(&g, kind), Vec::<&str>::new(), "{kind}");
    }
    let vpc = Value::Shared(SHARED_VPC.into());
    for s in g.of_kind(Kind::Subnet) {
        let Spec::Subnet(s) = &s.spec else {
            unreachable!()
        };
        assert_eq!(s.vpc, vpc);
    }
    for t in g.of_kind(Kind::RouteTable) {
        assert_eq!(t.spec, Spec::RouteTable { vpc: vpc.clone() });
    }
    let shared_igw = RouteTarget::InternetGateway(Value::Lookup(Lookup::VpcInternetGateway));
    let shared_eigw =
        RouteTarget::EgressOnlyInternetGateway(Value::Lookup(Lookup::VpcEgressOnlyInternetGateway));
    assert_eq!(
        routes(&g, C),
        vec![(any4(), shared_igw.clone()), (any6(), shared_igw)]
    );
    assert_eq!(
        routes(&g, &n("private-us-east-1a")),
        vec![
            (any4(), nat_gw(A)),
            (any6(), shared_eigw),
            (nat64(), nat_gw(A))
        ]
    );
    assert_eq!(
        g.lookups(),
        vec![
            &Lookup::VpcInternetGateway,
            &Lookup::VpcEgressOnlyInternetGateway
        ]
    );
    // The subnets are carved from the shared VPC's range.
    assert_eq!(
        subnet_spec(&g, "utility-us-east-1a").cidr,
        Some(v4("10.1.0.0/21"))
    );
}

#[test]
fn shared_vpc_without_managed_private_subnets_needs_no_egress_only_gateway() {
    let set = set_from(&NewClusterOptions {
        vpc: Some(SHARED_VPC.into()),
        network_cidr: Some(v4("10.1.0.0/16")),
        topology: Some(Topology::Public),
        ..options(&[A])
    });
    let g = build(&set);
    assert_eq!(g.lookups(), vec![&Lookup::VpcInternetGateway]);
}

// ---------------------------------------------------------------------------------------------
// Additional routes

#[test]
fn additional_routes_are_added_to_the_subnet_route_table() {
    let mut set = private_ipv6(&[A]);
    subnet(&mut set, A).additional_routes = vec![
        route("10.10.0.0/16", "tgw-0aaa"),
        route("10.20.0.0/16", "pcx-0bbb"),
        route("10.30.0.0/16", "i-0ccc"),
        route("10.40.0.0/16", "vpce-0ddd"),
        route("10.50.0.0/16", "vgw-0eee"),
        route("10.60.0.0/16", "nat-0fff"),
        route("2001:db8:1::/48", "eigw-0999"),
    ];
    subnet(&mut set, "utility-us-east-1a").additional_routes =
        vec![route("192.168.0.0/16", "pcx-0bbb")];
    let g = build(&set);
    let private = routes(&g, &n("private-us-east-1a"));
    assert_eq!(
        private,
        vec![
            (any4(), nat_gw(A)),
            (any6(), eigw()),
            (nat64(), nat_gw(A)),
            (
                net("10.10.0.0/16"),
                RouteTarget::TransitGateway("tgw-0aaa".into())
            ),
            (
                net("10.20.0.0/16"),
                RouteTarget::VpcPeeringConnection("pcx-0bbb".into())
            ),
            (net("10.30.0.0/16"), RouteTarget::Instance("i-0ccc".into())),
            (
                net("10.40.0.0/16"),
                RouteTarget::VpcEndpoint("vpce-0ddd".into())
            ),
            (
                net("10.50.0.0/16"),
                RouteTarget::VpnGateway("vgw-0eee".into())
            ),
            (
                net("10.60.0.0/16"),
                RouteTarget::NatGateway(Value::Shared("nat-0fff".into()))
            ),
            (
                net("2001:db8:1::/48"),
                RouteTarget::EgressOnlyInternetGateway(Value::Shared("eigw-0999".into()))
            ),
        ]
    );
    assert_eq!(
        routes(&g, C),
        vec![
            (any4(), igw()),
            (any6(), igw()),
            (
                net("192.168.0.0/16"),
                RouteTarget::VpcPeeringConnection("pcx-0bbb".into())
            )
        ]
    );
    let r = get(
        &g,
        Kind::Route,
        &format!("{}/10.10.0.0/16", n("private-us-east-1a")),
    );
    assert_eq!(r.why.field, "spec.subnets[0].additionalRoutes[0]");
    assert!(r.tags.is_empty());
}

#[test]
fn identical_additional_routes_of_subnets_sharing_a_table_are_added_once() {
    let mut set = private_ipv6(&[A]);
    for name in [A, "dualstack-us-east-1a"] {
        subnet(&mut set, name).additional_routes = vec![route("10.10.0.0/16", "tgw-0aaa")];
    }
    let g = build(&set);
    let table = n("private-us-east-1a");
    assert_eq!(
        routes(&g, &table)
            .iter()
            .filter(|(d, _)| *d == net("10.10.0.0/16"))
            .count(),
        1
    );
    assert_eq!(
        get(&g, Kind::Route, &format!("{table}/10.10.0.0/16"))
            .why
            .field,
        "spec.subnets[0].additionalRoutes[0]"
    );
}

#[test]
fn conflicting_additional_routes_error_with_the_field_path() {
    let mut set = private_ipv6(&[A]);
    subnet(&mut set, A).additional_routes = vec![route("10.10.0.0/16", "tgw-0aaa")];
    subnet(&mut set, "dualstack-us-east-1a").additional_routes =
        vec![route("10.10.0.0/16", "pcx-0bbb")];
    let (field, message) = build_error(&set);
    assert_eq!(field, "spec.subnets[1].additionalRoutes[0]");
    assert!(
        message.contains("10.10.0.0/16")
            && message.contains(&n("private-us-east-1a"))
            && message.contains("spec.subnets[0].additionalRoutes[0]"),
        "{message}"
    );
}

#[test]
fn additional_route_that_overrides_a_default_route_errors_with_the_field_path() {
    let mut set = private_ipv6(&[A]);
    subnet(&mut set, "dualstack-us-east-1a").additional_routes =
        vec![route("64:ff9b::/96", "tgw-0aaa")];
    let (field, message) = build_error(&set);
    assert_eq!(field, "spec.subnets[1].additionalRoutes[0]");
    assert!(message.contains("64:ff9b::/96"), "{message}");
    assert!(message.contains("spec.subnets[0]"), "{message}");
}

#[test]
fn additional_route_with_an_unknown_target_errors_at_its_target() {
    let mut set = private_ipv6(&[A]);
    subnet(&mut set, "dualstack-us-east-1a").additional_routes = vec![
        route("10.10.0.0/16", "tgw-0aaa"),
        route("10.20.0.0/16", "igw-0bbb"),
    ];
    let (field, message) = build_error(&set);
    assert_eq!(field, "spec.subnets[1].additionalRoutes[1].target");
    assert!(message.contains("igw-0bbb"), "{message}");
}

#[test]
fn additional_routes_of_external_subnets_are_not_added() {
    let mut set = private_ipv6(&[A]);
    let s = subnet(&mut set, A);
    s.egress = Some(Egress::External);
    s.additional_routes = vec![route("10.10.0.0/16", "tgw-0aaa")];
    let g = build(&set);
    assert!(g
        .of_kind(Kind::Route)
        .all(|r| !r.key.name.ends_with("/10.10.0.0/16")));
}

// ---------------------------------------------------------------------------------------------
// Names

#[test]
fn names_of_every_resource_kind_follow_kops() {
    let mut set = private_ipv6(&[A]);
    // A Public subnet with NAT64 brings the zone's public table.
    let mut public = new_subnet("public-us-east-1a", A, SubnetType::Public);
    public.cidr = Some(v4("172.20.128.0/18"));
    public.ipv6_cidr = Some(v6("/64#3"));
    set.cluster.spec.subnets.push(public);
    let g = build(&set);
    let by_kind = |kind| names(&g, kind);
    assert_eq!(by_kind(Kind::Vpc), vec![C]);
    assert_eq!(by_kind(Kind::DhcpOptions), vec![C]);
    assert_eq!(by_kind(Kind::VpcDhcpOptionsAssociation), vec![C]);
    assert_eq!(by_kind(Kind::InternetGateway), vec![C]);
    assert_eq!(by_kind(Kind::EgressOnlyInternetGateway), vec![C]);
    assert_eq!(
        by_kind(Kind::Subnet),
        vec![
            n(A),
            n("dualstack-us-east-1a"),
            n("utility-us-east-1a"),
            n("public-us-east-1a")
        ]
    );
    assert_eq!(by_kind(Kind::NatGateway), vec![n(A)]);
    assert_eq!(by_kind(Kind::ElasticIp), vec![n(A)]);
    assert_eq!(
        by_kind(Kind::RouteTable),
        vec![
            C.to_string(),
            n("public-us-east-1a"),
            n("private-us-east-1a")
        ]
    );
    assert_eq!(
        by_kind(Kind::RouteTableAssociation),
        vec![
            n(A),
            n("dualstack-us-east-1a"),
            n("utility-us-east-1a"),
            n("public-us-east-1a")
        ]
    );
    let mut route_names = by_kind(Kind::Route);
    route_names.sort();
    let mut want = vec![
        format!("{C}/0.0.0.0/0"),
        format!("{C}/::/0"),
        format!("{}/0.0.0.0/0", n("public-us-east-1a")),
        format!("{}/::/0", n("public-us-east-1a")),
        format!("{}/64:ff9b::/96", n("public-us-east-1a")),
        format!("{}/0.0.0.0/0", n("private-us-east-1a")),
        format!("{}/::/0", n("private-us-east-1a")),
        format!("{}/64:ff9b::/96", n("private-us-east-1a")),
    ];
    want.sort();
    assert_eq!(route_names, want);
}

#[test]
fn name_tag_of_every_tagged_resource_is_its_key_name_and_routes_and_associations_are_untagged() {
    let g = build(&private_ipv6(&[A, B]));
    for r in &g.resources {
        match r.key.kind {
            Kind::Route | Kind::RouteTableAssociation | Kind::VpcDhcpOptionsAssociation => {
                assert!(r.tags.is_empty(), "{} is tagged: {:?}", r.key, r.tags)
            }
            _ => {
                assert_eq!(r.tags.get("Name"), Some(&r.key.name), "{}", r.key);
                assert_eq!(r.tags.get("KubernetesCluster").map(String::as_str), Some(C));
                assert_eq!(
                    r.tags
                        .get(&format!("kubernetes.io/cluster/{C}"))
                        .map(String::as_str),
                    Some("owned")
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Whole-graph properties, over many specs

/// Checks every structural promise of a graph; returns the problems.
fn graph_problems(g: &ResourceGraph) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen: BTreeSet<&Key> = BTreeSet::new();
    for (i, r) in g.resources.iter().enumerate() {
        if !seen.insert(&r.key) {
            problems.push(format!("[{i}] {} appears twice", r.key));
        }
        for dep in r.dependencies() {
            if !g.resources[..i].iter().any(|e| &e.key == dep) {
                problems.push(format!(
                    "[{i}] {} refers to {dep}, which is not earlier in the graph",
                    r.key
                ));
            }
        }
        if !r.why.field.starts_with("spec.") || r.why.rule.is_empty() {
            problems.push(format!("[{i}] {} has why {:?}", r.key, r.why));
        }
    }
    // Every route table is used by some subnet and has a route.
    for t in g.of_kind(Kind::RouteTable) {
        let me = Value::Ref(t.key.clone());
        let used = g
            .of_kind(Kind::RouteTableAssociation)
            .any(|a| matches!(&a.spec, Spec::RouteTableAssociation { table, .. } if *table == me));
        if !used {
            problems.push(format!("{} has no association", t.key));
        }
    }
    // At most one route per (table, destination).
    let mut dests = BTreeSet::new();
    for r in g.of_kind(Kind::Route) {
        if let Spec::Route {
            table, destination, ..
        } = &r.spec
        {
            if !dests.insert((format!("{table:?}"), *destination)) {
                problems.push(format!("{} is a second route to {destination}", r.key));
            }
        }
    }
    problems
}

#[track_caller]
fn assert_well_formed(g: &ResourceGraph) {
    let problems = graph_problems(g);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn every_ref_points_to_an_earlier_resource_and_every_why_names_a_spec_field() {
    let specs = [
        private_ipv6(&[A]),
        private_ipv6(&[A, B, "us-east-1c"]),
        public_ipv6(&[A, B]),
        private_ipv4(&[A, B]),
        set_from(&NewClusterOptions {
            vpc: Some(SHARED_VPC.into()),
            network_cidr: Some(v4("10.1.0.0/16")),
            ..options(&[A, B])
        }),
    ];
    for set in &specs {
        let g = build(set);
        assert_well_formed(&g);
        assert_eq!(build(set), g, "the same spec gives the same graph");
    }
}

#[derive(Debug, Clone)]
enum ZoneChoice {
    Default,
    NatGateway,
    ElasticIpAllocation,
    TransitGateway,
    PublicIp,
    /// IPv4 mode only.
    NatInstance,
    /// The zone's Private subnet is External.
    ExternalPrivate,
    /// The zone's utility subnet is shared.
    SharedUtility,
    /// An additional route on the zone's first subnet.
    AdditionalRoute,
}

#[derive(Debug, Clone)]
struct Shape {
    zones: usize,
    ipv6: bool,
    public: bool,
    shared_vpc: bool,
    bastion: bool,
    choices: Vec<ZoneChoice>,
}

fn shape() -> impl Strategy<Value = Shape> {
    let choice = prop_oneof![
        Just(ZoneChoice::Default),
        Just(ZoneChoice::NatGateway),
        Just(ZoneChoice::ElasticIpAllocation),
        Just(ZoneChoice::TransitGateway),
        Just(ZoneChoice::PublicIp),
        Just(ZoneChoice::NatInstance),
        Just(ZoneChoice::ExternalPrivate),
        Just(ZoneChoice::SharedUtility),
        Just(ZoneChoice::AdditionalRoute),
    ];
    (
        1usize..=3,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        proptest::collection::vec(choice, 3),
    )
        .prop_map(
            |(zones, ipv6, public, shared_vpc, bastion, choices)| Shape {
                zones,
                ipv6,
                public,
                shared_vpc,
                bastion: bastion && !public,
                choices,
            },
        )
}

/// A valid spec of the given shape: per zone, one edit from `ZoneChoice`, made the way a user
/// would make it (every NAT-using subnet of the zone agrees).
fn spec_of(shape: &Shape) -> ClusterSpecSet {
    let zones = ["us-east-1a", "us-east-1b", "us-east-1c"];
    let mut set = set_from(&NewClusterOptions {
        ipv6: shape.ipv6,
        topology: Some(if shape.public {
            Topology::Public
        } else {
            Topology::Private
        }),
        vpc: shape.shared_vpc.then(|| SHARED_VPC.to_string()),
        network_cidr: shape.shared_vpc.then(|| v4("10.1.0.0/16")),
        bastion: shape.bastion,
        ..options(&zones[..shape.zones])
    });
    let ipv6 = shape.ipv6;
    for (z, zone) in zones[..shape.zones].iter().enumerate() {
        let subnets = &mut set.cluster.spec.subnets;
        let nat_users = |s: &ClusterSubnetSpec| {
            s.zone == *zone
                && (s.subnet_type.is_private()
                    || (ipv6 && s.subnet_type == SubnetType::Public && s.ipv6_cidr.is_some()))
        };
        let set_egress = |subnets: &mut Vec<ClusterSubnetSpec>, e: &str| {
            for s in subnets.iter_mut().filter(|s| nat_users(s)) {
                s.egress = Some(egress(e));
            }
        };
        match shape.choices[z] {
            ZoneChoice::Default => {}
            ZoneChoice::NatGateway => set_egress(subnets, &format!("nat-0{z}")),
            ZoneChoice::ElasticIpAllocation => set_egress(subnets, &format!("eipalloc-0{z}")),
            ZoneChoice::TransitGateway => set_egress(subnets, "tgw-0shared"),
            ZoneChoice::NatInstance if !ipv6 => set_egress(subnets, &format!("i-0{z}")),
            ZoneChoice::NatInstance => {}
            ZoneChoice::PublicIp => {
                for s in subnets.iter_mut().filter(|s| nat_users(s)) {
                    s.public_ip = Some(format!("203.0.113.{}", z + 1));
                }
            }
            ZoneChoice::ExternalPrivate => {
                for s in subnets
                    .iter_mut()
                    .filter(|s| s.zone == *zone && s.subnet_type == SubnetType::Private)
                {
                    s.egress = Some(Egress::External);
                }
            }
            ZoneChoice::SharedUtility => {
                for s in subnets
                    .iter_mut()
                    .filter(|s| s.zone == *zone && s.subnet_type == SubnetType::Utility)
                {
                    s.id = Some(format!("subnet-0utility{z}"));
                }
            }
            ZoneChoice::AdditionalRoute => {
                if let Some(s) = subnets.iter_mut().find(|s| s.zone == *zone) {
                    s.additional_routes = vec![route(&format!("10.2{z}.0.0/16"), "pcx-0peer")];
                }
            }
        }
    }
    set
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn generated_specs_build_well_formed_graphs(shape in shape()) {
        let set = spec_of(&shape);
        let g = build(&set);
        let problems = graph_problems(&g);
        prop_assert!(problems.is_empty(), "{problems:#?}");
        prop_assert_eq!(&build(&set), &g);
        // One NAT gateway per zone at most, named for its zone.
        let nat_names: BTreeSet<_> = names(&g, Kind::NatGateway).into_iter().collect();
        prop_assert_eq!(nat_names.len(), g.of_kind(Kind::NatGateway).count());
        for name in &nat_names {
            let zone = name.strip_suffix(&format!(".{C}")).unwrap();
            prop_assert!(zone.starts_with("us-east-1"), "{}", name);
        }
        // Each created Elastic IP belongs to the NAT gateway of the same name.
        for eip in g.of_kind(Kind::ElasticIp) {
            let (_, allocation) = nat_gateway(&g, eip.key.name.strip_suffix(&format!(".{C}")).unwrap());
            prop_assert_eq!(allocation, Value::Ref(eip.key.clone()));
        }
        // NAT64 exists only in IPv6 mode, and never in the shared public table.
        let has_nat64 = g.of_kind(Kind::Route).any(|r| r.key.name.ends_with("/64:ff9b::/96"));
        if !shape.ipv6 {
            prop_assert!(!has_nat64);
        }
        prop_assert!(routes(&g, C).iter().all(|(d, _)| *d != nat64()));
        // The cluster's own subnets are all created, except the shared ones.
        let shared: usize = set.cluster.spec.subnets.iter().filter(|s| s.id.is_some()).count();
        prop_assert_eq!(g.of_kind(Kind::Subnet).count(), set.cluster.spec.subnets.len() - shared);
    }
}

#[test]
fn nat_gateway_waits_for_the_internet_gateway() {
    let g = build(&private_ipv6(&["us-test-1a"]));
    let nat = get(&g, Kind::NatGateway, &n("us-test-1a"));
    assert_eq!(nat.after, vec![key(Kind::InternetGateway, C)]);
    assert!(nat.dependencies().contains(&&key(Kind::InternetGateway, C)));
}

#[test]
fn egress_only_gateway_and_ipv6_default_route_only_in_ipv6_mode() {
    let mut set = private_ipv4(&["us-test-1a"]);
    // A dual-stack private subnet in an IPv4 cluster does not make it an IPv6 cluster.
    subnet(&mut set, "us-test-1a").ipv6_cidr = Some(v6("/64#0"));
    let g = build(&set);
    assert!(!has(&g, Kind::EgressOnlyInternetGateway, C));
    let private = routes(&g, &format!("private-us-test-1a.{C}"));
    assert!(
        private.iter().all(|(dest, _)| dest.to_string() != "::/0"),
        "{private:?}"
    );
}
