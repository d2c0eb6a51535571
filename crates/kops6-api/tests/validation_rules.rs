//! One test per validation rule (SPEC 4 and the structural rules of `validate.rs`).
//!
//! Every spec starts as `create cluster --ipv6` writes it and is then changed the way a user
//! would edit it; `ClusterSpecSet::check` completes and validates it, so defaults are in place
//! exactly as a user sees them. Each test asserts the exact objects and field paths reported.

use std::collections::BTreeMap;

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use kops6_api::new_cluster::{new_cluster, NewClusterOptions};
use kops6_api::types::*;
use kops6_api::validate::{validate, ValidationContext};
use kops6_api::{ClusterSpecSet, FieldError, Ipv6CidrSpec, ObjectRef};

const NAME: &str = "ipv6.example.com";
const CONTROL_PLANE: &str = "control-plane-us-test-1a";
const NODES: &str = "nodes-us-test-1a";

const UBUNTU_20_04: &str =
    "099720109477/ubuntu/images/hvm-ssd/ubuntu-focal-20.04-amd64-server-20240731";
const UBUNTU_22_04: &str =
    "099720109477/ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20250305";
const FLATCAR: &str = "075585003325/Flatcar-stable-4081.2.1-hvm";
const DEBIAN: &str = "136693071363/debian-12-amd64-20250316-2053";

// ---------------------------------------------------------------------------------------------
// Building specs

fn options(zones: &[&str]) -> NewClusterOptions {
    NewClusterOptions {
        name: NAME.into(),
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

/// `create cluster --ipv6 --zones us-test-1a --networking calico`: subnets
/// `[0] us-test-1a` (Private, /64#0), `[1] dualstack-us-test-1a` (DualStack, /64#1),
/// `[2] utility-us-test-1a` (Utility, /64#2).
fn ipv6_cluster() -> ClusterSpecSet {
    set_from(&options(&["us-test-1a"]))
}

fn ipv6_cluster_with(networking: &str) -> ClusterSpecSet {
    set_from(&NewClusterOptions {
        networking: Some(networking.into()),
        ..options(&["us-test-1a"])
    })
}

/// `--topology public`: one Public subnet `us-test-1a` with /64#0.
fn ipv6_public_cluster() -> ClusterSpecSet {
    set_from(&NewClusterOptions {
        topology: Some(Topology::Public),
        ..options(&["us-test-1a"])
    })
}

/// The same cluster without `--ipv6` (private topology): `[0] us-test-1a` Private with an IPv4
/// CIDR, `[1] utility-us-test-1a`.
fn ipv4_private_cluster() -> ClusterSpecSet {
    set_from(&NewClusterOptions {
        ipv6: false,
        topology: Some(Topology::Private),
        ..options(&["us-test-1a"])
    })
}

fn spec(set: &mut ClusterSpecSet) -> &mut ClusterSpec {
    &mut set.cluster.spec
}

fn subnet(set: &mut ClusterSpecSet, i: usize) -> &mut ClusterSubnetSpec {
    &mut set.cluster.spec.subnets[i]
}

fn group<'a>(set: &'a mut ClusterSpecSet, name: &str) -> &'a mut InstanceGroup {
    set.instance_groups
        .iter_mut()
        .find(|g| g.metadata.name == name)
        .unwrap_or_else(|| panic!("no instance group {name}"))
}

fn calico(set: &mut ClusterSpecSet) -> &mut CalicoNetworkingSpec {
    spec(set)
        .networking
        .as_mut()
        .and_then(|n| n.calico.as_mut())
        .expect("calico networking")
}

fn cilium(set: &mut ClusterSpecSet) -> &mut CiliumNetworkingSpec {
    spec(set)
        .networking
        .as_mut()
        .and_then(|n| n.cilium.as_mut())
        .expect("cilium networking")
}

fn v6(s: &str) -> Ipv6CidrSpec {
    s.parse().unwrap()
}

fn v4(s: &str) -> Ipv4Net {
    s.parse().unwrap()
}

fn net(s: &str) -> IpNet {
    s.parse().unwrap()
}

fn nat(id: &str) -> Egress {
    id.parse().unwrap()
}

fn cluster() -> ObjectRef {
    ObjectRef::Cluster(NAME.into())
}

fn ig(name: &str) -> ObjectRef {
    ObjectRef::InstanceGroup(name.into())
}

// ---------------------------------------------------------------------------------------------
// Checking

fn errors_with(set: &ClusterSpecSet, ctx: &ValidationContext) -> Vec<FieldError> {
    match set.check(ctx) {
        Ok(_) => Vec::new(),
        Err(e) => {
            assert!(!e.0.is_empty(), "Err(ValidationErrors) must never be empty");
            e.0
        }
    }
}

/// The (object, path) pairs of `errors`, in report order.
fn located(errors: &[FieldError]) -> Vec<(ObjectRef, String)> {
    errors
        .iter()
        .map(|e| (e.object.clone(), e.path.clone()))
        .collect()
}

/// Exactly these errors (as a multiset of object and path), nothing more, nothing less.
#[track_caller]
fn assert_errors_with(
    set: &ClusterSpecSet,
    ctx: &ValidationContext,
    expected: &[(ObjectRef, &str)],
) -> Vec<FieldError> {
    let errs = errors_with(set, ctx);
    let mut got = located(&errs);
    got.sort();
    let mut want: Vec<(ObjectRef, String)> = expected
        .iter()
        .map(|(o, p)| (o.clone(), p.to_string()))
        .collect();
    want.sort();
    assert_eq!(got, want, "errors were:\n{errs:#?}");
    errs
}

#[track_caller]
fn assert_errors(set: &ClusterSpecSet, expected: &[(ObjectRef, &str)]) -> Vec<FieldError> {
    assert_errors_with(set, &ValidationContext::default(), expected)
}

#[track_caller]
fn assert_valid_with(set: &ClusterSpecSet, ctx: &ValidationContext) {
    if let Err(e) = set.check(ctx) {
        panic!("expected a valid spec, got:\n{e}");
    }
}

#[track_caller]
fn assert_valid(set: &ClusterSpecSet) {
    assert_valid_with(set, &ValidationContext::default());
}

#[track_caller]
fn assert_message_contains(errors: &[FieldError], path: &str, needle: &str) {
    let e = errors
        .iter()
        .find(|e| e.path == path)
        .unwrap_or_else(|| panic!("no error at {path}: {errors:#?}"));
    assert!(
        e.message.contains(needle),
        "message at {path} should mention {needle:?}: {:?}",
        e.message
    );
}

// ---------------------------------------------------------------------------------------------
// The untouched `create cluster` output is valid

#[test]
fn new_ipv6_cluster_in_one_zone_is_valid() {
    assert_valid(&ipv6_cluster());
}

#[test]
fn new_ipv6_cluster_in_two_zones_is_valid() {
    assert_valid(&set_from(&options(&["us-test-1a", "us-test-1b"])));
}

#[test]
fn new_ipv6_cluster_in_three_zones_is_valid() {
    assert_valid(&set_from(&options(&[
        "us-test-1a",
        "us-test-1b",
        "us-test-1c",
    ])));
}

#[test]
fn new_ipv6_cluster_with_three_control_plane_nodes_is_valid() {
    assert_valid(&set_from(&NewClusterOptions {
        control_plane_count: Some(3),
        ..options(&["us-test-1a", "us-test-1b", "us-test-1c"])
    }));
}

#[test]
fn new_ipv6_cluster_with_public_topology_is_valid() {
    for zones in [
        &["us-test-1a"][..],
        &["us-test-1a", "us-test-1b"],
        &["us-test-1a", "us-test-1b", "us-test-1c"],
    ] {
        assert_valid(&set_from(&NewClusterOptions {
            topology: Some(Topology::Public),
            ..options(zones)
        }));
    }
}

#[test]
fn new_ipv6_cluster_with_bastion_is_valid() {
    assert_valid(&set_from(&NewClusterOptions {
        bastion: true,
        ..options(&["us-test-1a", "us-test-1b"])
    }));
}

#[test]
fn new_ipv6_cluster_with_cilium_is_valid() {
    assert_valid(&ipv6_cluster_with("cilium"));
}

#[test]
fn new_ipv6_cluster_with_bring_your_own_cni_is_valid() {
    assert_valid(&ipv6_cluster_with("cni"));
}

#[test]
fn completed_spec_is_returned_and_valid_again() {
    let set = ipv6_cluster();
    let completed = set.check(&ValidationContext::default()).unwrap();
    let again = ClusterSpecSet::new(completed.cluster, completed.instance_groups).unwrap();
    assert_valid(&again);
}

// ---------------------------------------------------------------------------------------------
// All problems at once

#[test]
fn all_errors_are_reported_at_once() {
    let mut set = ipv6_cluster();
    group(&mut set, NODES).spec.min_size = Some(3);
    group(&mut set, NODES).spec.max_size = Some(2);
    spec(&mut set)
        .kubelet
        .get_or_insert_with(Default::default)
        .cloud_provider = Some("aws".into());
    subnet(&mut set, 2).egress = Some(nat("nat-0123456789abcdef0"));
    let errs = assert_errors(
        &set,
        &[
            (ig(NODES), "spec.minSize"),
            (cluster(), "spec.kubelet.cloudProvider"),
            (cluster(), "spec.subnets[2].egress"),
        ],
    );
    assert_eq!(errs.len(), 3);
}

#[test]
fn errors_from_several_objects_are_reported_together() {
    let mut set = ipv6_cluster();
    group(&mut set, CONTROL_PLANE).spec.image = Some(DEBIAN.into());
    group(&mut set, NODES).spec.subnets = vec!["us-test-1z".into()];
    subnet(&mut set, 0).ipv6_cidr = Some(v6("/64#1"));
    assert_errors(
        &set,
        &[
            (ig(CONTROL_PLANE), "spec.image"),
            (ig(NODES), "spec.subnets[0]"),
            (cluster(), "spec.subnets[1].ipv6CIDR"),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// Cluster metadata and structure

#[test]
fn cluster_name_must_be_a_dns_name() {
    let mut set = ipv6_cluster();
    set.cluster.metadata.name = "nodots".into();
    for g in &mut set.instance_groups {
        g.metadata
            .labels
            .insert(CLUSTER_LABEL.into(), "nodots".into());
    }
    assert_errors(
        &set,
        &[(ObjectRef::Cluster("nodots".into()), "metadata.name")],
    );
}

#[test]
fn instance_group_must_be_labelled_for_the_cluster() {
    let new = new_cluster(&options(&["us-test-1a"])).unwrap();
    let mut groups = new.instance_groups.clone();
    groups[1]
        .metadata
        .labels
        .insert(CLUSTER_LABEL.into(), "other.example.com".into());
    groups[0].metadata.labels.clear();
    let err = ClusterSpecSet::new(new.cluster, groups).unwrap_err();
    assert_eq!(
        located(&err.0),
        vec![
            (
                ig(CONTROL_PLANE),
                "metadata.labels[\"kops.k8s.io/cluster\"]".to_string()
            ),
            (
                ig(NODES),
                "metadata.labels[\"kops.k8s.io/cluster\"]".to_string()
            ),
        ]
    );
}

#[test]
fn instance_group_names_must_be_unique() {
    let new = new_cluster(&options(&["us-test-1a"])).unwrap();
    let mut groups = new.instance_groups.clone();
    groups.push(groups[1].clone());
    let err = ClusterSpecSet::new(new.cluster, groups).unwrap_err();
    assert_eq!(
        located(&err.0),
        vec![(ig(NODES), "metadata.name".to_string())]
    );
}

#[test]
fn cloud_provider_is_required() {
    let mut set = ipv6_cluster();
    spec(&mut set).cloud_provider = None;
    assert_errors(&set, &[(cluster(), "spec.cloudProvider")]);
}

#[test]
fn network_cidr_is_required_for_a_shared_vpc() {
    let mut set = ipv6_cluster();
    spec(&mut set).network_id = Some("vpc-0123456789abcdef0".into());
    spec(&mut set).network_cidr = None;
    assert_errors(&set, &[(cluster(), "spec.networkCIDR")]);
}

#[test]
fn network_cidr_defaults_for_a_managed_vpc() {
    let mut set = ipv6_cluster();
    spec(&mut set).network_cidr = None;
    let completed = set.check(&ValidationContext::default()).unwrap();
    assert_eq!(
        completed.cluster.spec.network_cidr,
        Some(v4("172.20.0.0/16"))
    );
}

#[test]
fn at_least_one_subnet_is_required() {
    let mut set = ipv6_cluster();
    spec(&mut set).subnets.clear();
    assert_errors(
        &set,
        &[
            (cluster(), "spec.subnets"),
            (ig(CONTROL_PLANE), "spec.subnets[0]"),
            (ig(NODES), "spec.subnets[0]"),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// Subnets: names, zones, types, IPv4 ranges

#[test]
fn subnet_names_must_be_unique() {
    let mut set = ipv6_cluster();
    subnet(&mut set, 2).name = "us-test-1a".into();
    let errs = assert_errors(&set, &[(cluster(), "spec.subnets[2].name")]);
    assert_message_contains(&errs, "spec.subnets[2].name", "\"us-test-1a\"");
}

#[test]
fn subnet_name_is_required() {
    let mut set = ipv6_cluster();
    subnet(&mut set, 2).name = String::new();
    assert_errors(&set, &[(cluster(), "spec.subnets[2].name")]);
}

#[test]
fn subnet_zone_must_be_an_availability_zone_name() {
    for bad in ["us-test-1", "US-TEST-1A", "", "a1b", "us_test_1a"] {
        let mut set = ipv6_cluster();
        subnet(&mut set, 2).zone = bad.into();
        // Moving the utility subnet away also leaves us-test-1a without a NAT gateway home.
        assert_errors(
            &set,
            &[
                (cluster(), "spec.subnets[0]"),
                (cluster(), "spec.subnets[2].zone"),
            ],
        );
    }
}

#[test]
fn subnet_zones_must_be_in_one_region() {
    let mut set = ipv6_cluster();
    subnet(&mut set, 2).zone = "eu-test-1a".into();
    let errs = assert_errors(
        &set,
        &[(cluster(), "spec.subnets"), (cluster(), "spec.subnets[0]")],
    );
    assert_message_contains(&errs, "spec.subnets", "eu-test-1, us-test-1");
}

#[test]
fn dualstack_subnets_are_only_allowed_in_ipv6_mode() {
    let mut set = ipv4_private_cluster();
    assert_valid(&set);
    subnet(&mut set, 0).subnet_type = SubnetType::DualStack;
    assert_errors(&set, &[(cluster(), "spec.subnets[0].type")]);
}

#[test]
fn dual_stack_subnet_types_need_an_ipv4_cidr() {
    for i in [1, 2] {
        let mut set = ipv6_cluster();
        subnet(&mut set, i).cidr = None;
        let path = format!("spec.subnets[{i}].cidr");
        assert_errors(&set, &[(cluster(), &path)]);
    }
    let mut set = ipv6_public_cluster();
    subnet(&mut set, 0).cidr = None;
    assert_errors(&set, &[(cluster(), "spec.subnets[0].cidr")]);
}

#[test]
fn private_subnets_need_an_ipv4_cidr_outside_ipv6_mode() {
    let mut set = ipv4_private_cluster();
    subnet(&mut set, 0).cidr = None;
    assert_errors(&set, &[(cluster(), "spec.subnets[0].cidr")]);
}

#[test]
fn shared_subnets_need_no_cidr() {
    let mut set = ipv6_cluster();
    spec(&mut set).network_id = Some("vpc-0123456789abcdef0".into());
    for (i, s) in spec(&mut set).subnets.iter_mut().enumerate() {
        s.id = Some(format!("subnet-000000000000000{i}"));
        s.cidr = None;
        s.ipv6_cidr = None;
    }
    assert_valid(&set);
}

#[test]
fn subnet_cidr_must_be_inside_network_cidr() {
    let mut set = ipv6_cluster();
    subnet(&mut set, 1).cidr = Some(v4("10.0.0.0/18"));
    let errs = assert_errors(&set, &[(cluster(), "spec.subnets[1].cidr")]);
    assert_message_contains(&errs, "spec.subnets[1].cidr", "172.20.0.0/16");
}

#[test]
fn subnet_cidr_must_have_no_host_bits() {
    let mut set = ipv6_cluster();
    subnet(&mut set, 1).cidr = Some(v4("172.20.64.1/18"));
    let errs = assert_errors(&set, &[(cluster(), "spec.subnets[1].cidr")]);
    assert_message_contains(&errs, "spec.subnets[1].cidr", "172.20.64.0/18");
}

#[test]
fn subnet_cidrs_must_not_overlap() {
    let mut set = ipv6_cluster();
    subnet(&mut set, 2).cidr = Some(v4("172.20.64.0/21"));
    let errs = assert_errors(&set, &[(cluster(), "spec.subnets[2].cidr")]);
    assert_message_contains(&errs, "spec.subnets[2].cidr", "dualstack-us-test-1a");
}

// ---------------------------------------------------------------------------------------------
// SPEC 4.8: ipv6CIDR

#[test]
fn ipv6_only_subnet_needs_an_ipv6_cidr() {
    let mut set = ipv6_cluster();
    subnet(&mut set, 0).ipv6_cidr = None;
    assert_errors(&set, &[(cluster(), "spec.subnets[0].ipv6CIDR")]);
}

#[test]
fn dualstack_subnet_needs_an_ipv6_cidr() {
    let mut set = ipv6_cluster();
    subnet(&mut set, 1).ipv6_cidr = None;
    assert_errors(&set, &[(cluster(), "spec.subnets[1].ipv6CIDR")]);
}

#[test]
fn ipv6_cidr_literal_must_have_no_host_bits() {
    let mut set = ipv6_cluster();
    subnet(&mut set, 0).ipv6_cidr = Some(v6("2001:db8:0:1::1/64"));
    let errs = assert_errors(&set, &[(cluster(), "spec.subnets[0].ipv6CIDR")]);
    assert_message_contains(&errs, "spec.subnets[0].ipv6CIDR", "2001:db8:0:1::/64");
}

#[test]
fn ipv6_cidr_literal_must_not_overlap_service_cluster_ip_range() {
    let mut set = ipv6_cluster();
    subnet(&mut set, 0).ipv6_cidr = Some(v6("fd00:5e4f:ce::/64"));
    let errs = assert_errors(&set, &[(cluster(), "spec.subnets[0].ipv6CIDR")]);
    assert_message_contains(&errs, "spec.subnets[0].ipv6CIDR", "fd00:5e4f:ce::/108");
}

#[test]
fn ipv6_cidr_literal_must_not_overlap_a_user_set_service_range() {
    let mut set = ipv6_cluster();
    spec(&mut set).service_cluster_ip_range = Some(net("2001:db8:0:7::/108"));
    subnet(&mut set, 0).ipv6_cidr = Some(v6("2001:db8:0:7::/64"));
    assert_errors(&set, &[(cluster(), "spec.subnets[0].ipv6CIDR")]);
}

#[test]
fn ipv6_cidr_literals_must_not_overlap_each_other() {
    let mut set = ipv6_cluster();
    subnet(&mut set, 0).ipv6_cidr = Some(v6("2001:db8:0:1::/64"));
    subnet(&mut set, 1).ipv6_cidr = Some(v6("2001:db8::/56"));
    let errs = assert_errors(&set, &[(cluster(), "spec.subnets[1].ipv6CIDR")]);
    assert_message_contains(&errs, "spec.subnets[1].ipv6CIDR", "\"us-test-1a\"");
}

#[test]
fn ipv6_cidr_allocations_must_not_overlap_each_other() {
    let mut set = ipv6_cluster();
    subnet(&mut set, 2).ipv6_cidr = Some(v6("/64#0"));
    assert_errors(&set, &[(cluster(), "spec.subnets[2].ipv6CIDR")]);
}

#[test]
fn ipv6_cidr_allocations_of_different_lengths_must_not_overlap() {
    // /60#0 is the first sixteen /64s, so it covers /64#0 and /64#1.
    let mut set = ipv6_cluster();
    subnet(&mut set, 2).ipv6_cidr = Some(v6("/60#0"));
    let errs = assert_errors(
        &set,
        &[
            (cluster(), "spec.subnets[2].ipv6CIDR"),
            (cluster(), "spec.subnets[2].ipv6CIDR"),
        ],
    );
    assert_message_contains(&errs, "spec.subnets[2].ipv6CIDR", "/60#0");
    // /60#1 starts after the sixteenth /64: no overlap with /64#0 and /64#1.
    subnet(&mut set, 2).ipv6_cidr = Some(v6("/60#1"));
    assert_valid(&set);
}

#[test]
fn ipv6_cidr_literal_and_allocation_must_not_overlap_when_the_vpc_block_is_known() {
    let mut set = ipv6_cluster();
    // /64#1 of 2001:db8::/56 is 2001:db8:0:1::/64.
    subnet(&mut set, 0).ipv6_cidr = Some(v6("2001:db8:0:1::/64"));
    let ctx = ValidationContext {
        vpc_ipv6_cidr: Some("2001:db8::/56".parse().unwrap()),
        ..Default::default()
    };
    let errs = assert_errors_with(&set, &ctx, &[(cluster(), "spec.subnets[1].ipv6CIDR")]);
    assert_message_contains(&errs, "spec.subnets[1].ipv6CIDR", "2001:db8:0:1::/64");
    // Without the VPC block the literal cannot be compared with the allocations.
    assert_valid(&set);
}

#[test]
fn ipv6_cidr_literal_must_be_inside_the_known_vpc_block() {
    let mut set = ipv6_cluster();
    subnet(&mut set, 0).ipv6_cidr = Some(v6("2001:db9::/64"));
    let ctx = ValidationContext {
        vpc_ipv6_cidr: Some("2001:db8::/56".parse().unwrap()),
        ..Default::default()
    };
    assert_errors_with(&set, &ctx, &[(cluster(), "spec.subnets[0].ipv6CIDR")]);
    subnet(&mut set, 0).ipv6_cidr = Some(v6("2001:db8:0:10::/64"));
    assert_valid_with(&set, &ctx);
}

#[test]
fn ipv6_allocation_length_must_not_be_shorter_than_56() {
    let mut set = ipv6_cluster();
    subnet(&mut set, 0).ipv6_cidr = Some(v6("/48#0"));
    let errs = assert_errors(&set, &[(cluster(), "spec.subnets[0].ipv6CIDR")]);
    assert_message_contains(&errs, "spec.subnets[0].ipv6CIDR", "/56");
    subnet(&mut set, 0).ipv6_cidr = Some(v6("/56#0"));
    // A /56 allocation is the whole VPC block: it overlaps every other subnet.
    assert_errors(
        &set,
        &[
            (cluster(), "spec.subnets[1].ipv6CIDR"),
            (cluster(), "spec.subnets[2].ipv6CIDR"),
        ],
    );
}

#[test]
fn ipv6_allocation_length_must_not_be_shorter_than_a_known_vpc_block() {
    let mut set = ipv6_cluster();
    subnet(&mut set, 0).ipv6_cidr = Some(v6("/56#f"));
    let ctx = ValidationContext {
        vpc_ipv6_cidr: Some("2001:db8::/60".parse().unwrap()),
        ..Default::default()
    };
    let errs = assert_errors_with(&set, &ctx, &[(cluster(), "spec.subnets[0].ipv6CIDR")]);
    assert_message_contains(&errs, "spec.subnets[0].ipv6CIDR", "/60");
    // A /52 VPC block holds a /56.
    let ctx = ValidationContext {
        vpc_ipv6_cidr: Some("2001:db8::/52".parse().unwrap()),
        ..Default::default()
    };
    assert_valid_with(&set, &ctx);
}

#[test]
fn ipv6_allocation_index_must_fit_in_the_vpc_block() {
    let mut set = ipv6_cluster();
    // A /56 holds 256 /64s: #ff is the last one, #100 is one too many.
    subnet(&mut set, 0).ipv6_cidr = Some(v6("/64#ff"));
    assert_valid(&set);
    subnet(&mut set, 0).ipv6_cidr = Some(v6("/64#100"));
    let errs = assert_errors(&set, &[(cluster(), "spec.subnets[0].ipv6CIDR")]);
    assert_message_contains(&errs, "spec.subnets[0].ipv6CIDR", "256");
    subnet(&mut set, 0).ipv6_cidr = Some(v6("/64#ffffffffffffffffffffffffffffffff"));
    assert_errors(&set, &[(cluster(), "spec.subnets[0].ipv6CIDR")]);
}

#[test]
fn ipv6_allocation_index_must_fit_in_a_known_vpc_block() {
    let mut set = ipv6_cluster();
    subnet(&mut set, 2).ipv6_cidr = Some(v6("/64#10"));
    let ctx = ValidationContext {
        vpc_ipv6_cidr: Some("2001:db8::/60".parse().unwrap()),
        ..Default::default()
    };
    assert_errors_with(&set, &ctx, &[(cluster(), "spec.subnets[2].ipv6CIDR")]);
    subnet(&mut set, 2).ipv6_cidr = Some(v6("/64#f"));
    assert_valid_with(&set, &ctx);
}

// ---------------------------------------------------------------------------------------------
// SPEC 4.9: egress

#[test]
fn egress_is_not_allowed_on_utility_subnets() {
    let mut set = ipv6_cluster();
    subnet(&mut set, 2).egress = Some(nat("nat-0123456789abcdef0"));
    let errs = assert_errors(&set, &[(cluster(), "spec.subnets[2].egress")]);
    assert_message_contains(&errs, "spec.subnets[2].egress", "Utility");
}

#[test]
fn external_egress_is_allowed_on_any_subnet_type_as_kops_does() {
    // kOps' unmanaged example: every subnet, Utility ones too, says `egress: External`.
    for mut set in [ipv6_cluster(), ipv4_private_cluster()] {
        for s in &mut spec(&mut set).subnets {
            s.egress = Some(Egress::External);
        }
        assert_valid(&set);
    }
}

#[test]
fn egress_on_a_public_subnet_needs_an_ipv6_cidr_in_ipv6_mode() {
    let mut set = ipv6_public_cluster();
    subnet(&mut set, 0).egress = Some(nat("nat-0123456789abcdef0"));
    assert_valid(&set);
    subnet(&mut set, 0).ipv6_cidr = None;
    let errs = assert_errors(&set, &[(cluster(), "spec.subnets[0].egress")]);
    assert_message_contains(&errs, "spec.subnets[0].egress", "ipv6CIDR");
}

#[test]
fn egress_on_a_dualstack_subnet_needs_an_ipv6_cidr_in_ipv6_mode() {
    let mut set = ipv6_cluster();
    subnet(&mut set, 0).egress = Some(nat("nat-0123456789abcdef0"));
    subnet(&mut set, 1).egress = Some(nat("nat-0123456789abcdef0"));
    assert_valid(&set);
    subnet(&mut set, 1).ipv6_cidr = None;
    assert_errors(
        &set,
        &[
            (cluster(), "spec.subnets[1].ipv6CIDR"),
            (cluster(), "spec.subnets[1].egress"),
        ],
    );
}

#[test]
fn egress_is_not_allowed_on_public_subnets_outside_ipv6_mode() {
    let mut set = set_from(&NewClusterOptions {
        ipv6: false,
        ..options(&["us-test-1a"])
    });
    subnet(&mut set, 0).egress = Some(nat("nat-0123456789abcdef0"));
    assert_errors(&set, &[(cluster(), "spec.subnets[0].egress")]);
}

#[test]
fn nat_instance_egress_is_rejected_in_ipv6_mode() {
    let mut set = ipv6_cluster();
    subnet(&mut set, 0).egress = Some(nat("i-0123456789abcdef0"));
    subnet(&mut set, 1).egress = Some(nat("i-0123456789abcdef0"));
    let errs = assert_errors(
        &set,
        &[
            (cluster(), "spec.subnets[0].egress"),
            (cluster(), "spec.subnets[1].egress"),
        ],
    );
    assert_message_contains(&errs, "spec.subnets[0].egress", "NAT64");
}

#[test]
fn nat_instance_egress_is_allowed_outside_ipv6_mode() {
    let mut set = ipv4_private_cluster();
    subnet(&mut set, 0).egress = Some(nat("i-0123456789abcdef0"));
    assert_valid(&set);
}

#[test]
fn other_egress_kinds_are_allowed_on_nat_using_subnets() {
    for egress in [
        "nat-0123456789abcdef0",
        "eipalloc-0123456789abcdef0",
        "tgw-0123456789abcdef0",
        "External",
    ] {
        let mut set = ipv6_cluster();
        subnet(&mut set, 0).egress = Some(nat(egress));
        subnet(&mut set, 1).egress = Some(nat(egress));
        assert_valid(&set);
    }
}

#[test]
fn egress_must_agree_within_a_zone() {
    let mut set = ipv6_cluster();
    subnet(&mut set, 0).egress = Some(nat("nat-0123456789abcdef0"));
    let errs = assert_errors(&set, &[(cluster(), "spec.subnets[1].egress")]);
    assert_message_contains(&errs, "spec.subnets[1].egress", "nat-0123456789abcdef0");
}

#[test]
fn egress_may_differ_between_zones() {
    let mut set = set_from(&options(&["us-test-1a", "us-test-1b"]));
    // [0] us-test-1a, [1] us-test-1b, [2] dualstack-us-test-1a, [3] dualstack-us-test-1b
    subnet(&mut set, 0).egress = Some(nat("nat-0123456789abcdef0"));
    subnet(&mut set, 2).egress = Some(nat("nat-0123456789abcdef0"));
    assert_valid(&set);
}

#[test]
fn public_ip_must_agree_within_a_zone() {
    let mut set = ipv6_cluster();
    subnet(&mut set, 1).public_ip = Some("203.0.113.10".into());
    let errs = assert_errors(&set, &[(cluster(), "spec.subnets[1].publicIP")]);
    assert_message_contains(&errs, "spec.subnets[1].publicIP", "us-test-1a");
    subnet(&mut set, 0).public_ip = Some("203.0.113.10".into());
    assert_valid(&set);
}

// ---------------------------------------------------------------------------------------------
// SPEC 4.5: which CNIs may run IPv6

/// One test per CNI option that cannot run IPv6, named after the option.
macro_rules! cni_is_rejected_in_ipv6_mode {
    ($($test:ident: $flag:literal => $field:literal;)*) => {$(
        #[test]
        fn $test() {
            let set = ipv6_cluster_with($flag);
            let path = concat!("spec.networking.", $field);
            let errs = assert_errors(&set, &[(cluster(), path)]);
            assert_message_contains(&errs, path, $field);
        }
    )*};
}

cni_is_rejected_in_ipv6_mode! {
    amazonvpc_is_rejected_in_ipv6_mode: "amazonvpc" => "amazonvpc";
    canal_is_rejected_in_ipv6_mode: "canal" => "canal";
    classic_is_rejected_in_ipv6_mode: "classic" => "classic";
    external_networking_is_rejected_in_ipv6_mode: "external" => "external";
    flannel_is_rejected_in_ipv6_mode: "flannel" => "flannel";
    gce_networking_is_rejected_in_ipv6_mode: "gce" => "gce";
    lyftvpc_is_rejected_in_ipv6_mode: "lyftvpc" => "lyftvpc";
    romana_is_rejected_in_ipv6_mode: "romana" => "romana";
    kindnet_is_rejected_in_ipv6_mode: "kindnet" => "kindnet";
    kopeio_is_rejected_in_ipv6_mode: "kopeio-vxlan" => "kopeio";
    kubenet_is_rejected_in_ipv6_mode: "kubenet" => "kubenet";
    kuberouter_is_rejected_in_ipv6_mode: "kube-router" => "kuberouter";
    weave_is_rejected_in_ipv6_mode: "weave" => "weave";
}

#[test]
fn non_ipv6_cnis_are_accepted_outside_ipv6_mode() {
    let set = set_from(&NewClusterOptions {
        ipv6: false,
        networking: Some("kubenet".into()),
        ..options(&["us-test-1a"])
    });
    assert_valid(&set);
}

#[test]
fn more_than_one_cni_is_rejected() {
    let mut set = ipv6_cluster();
    spec(&mut set).networking.as_mut().unwrap().cilium = Some(Default::default());
    assert_errors(&set, &[(cluster(), "spec.networking")]);
}

#[test]
fn more_than_one_cni_names_every_one_that_cannot_run_ipv6() {
    let mut set = ipv6_cluster();
    let networking = spec(&mut set).networking.as_mut().unwrap();
    networking.kubenet = Some(Default::default());
    networking.weave = Some(Default::default());
    assert_errors(
        &set,
        &[
            (cluster(), "spec.networking"),
            (cluster(), "spec.networking.kubenet"),
            (cluster(), "spec.networking.weave"),
        ],
    );
}

#[test]
fn a_cni_is_required() {
    let mut set = ipv6_cluster();
    spec(&mut set).networking = None;
    assert_errors(&set, &[(cluster(), "spec.networking")]);
    spec(&mut set).networking = Some(NetworkingSpec::default());
    assert_errors(&set, &[(cluster(), "spec.networking")]);
}

// ---------------------------------------------------------------------------------------------
// SPEC 4.6: Calico

#[test]
fn calico_is_completed_for_ipv6() {
    let set = ipv6_cluster();
    let completed = set.check(&ValidationContext::default()).unwrap();
    let calico = completed.cluster.spec.networking.unwrap().calico.unwrap();
    assert_eq!(calico.encapsulation_mode.as_deref(), Some("none"));
    assert_eq!(calico.aws_src_dst_check.as_deref(), Some("DoNothing"));
}

#[test]
fn calico_encapsulation_mode_must_be_none_in_ipv6_mode() {
    for mode in ["ipip", "vxlan"] {
        let mut set = ipv6_cluster();
        calico(&mut set).encapsulation_mode = Some(mode.into());
        assert_errors(
            &set,
            &[(cluster(), "spec.networking.calico.encapsulationMode")],
        );
    }
}

#[test]
fn calico_ipip_mode_must_be_never_in_ipv6_mode() {
    let mut set = ipv6_cluster();
    calico(&mut set).ipip_mode = Some("Always".into());
    assert_errors(&set, &[(cluster(), "spec.networking.calico.ipipMode")]);
    calico(&mut set).ipip_mode = Some("Never".into());
    assert_valid(&set);
}

#[test]
fn calico_vxlan_mode_must_be_never_in_ipv6_mode() {
    let mut set = ipv6_cluster();
    calico(&mut set).vxlan_mode = Some("CrossSubnet".into());
    assert_errors(&set, &[(cluster(), "spec.networking.calico.vxlanMode")]);
    calico(&mut set).vxlan_mode = Some("Never".into());
    assert_valid(&set);
}

#[test]
fn calico_aws_src_dst_check_must_be_do_nothing_in_ipv6_mode() {
    let mut set = ipv6_cluster();
    calico(&mut set).aws_src_dst_check = Some("Disable".into());
    assert_errors(
        &set,
        &[(cluster(), "spec.networking.calico.awsSrcDstCheck")],
    );
}

#[test]
fn calico_wireguard_is_rejected_in_ipv6_mode() {
    let mut set = ipv6_cluster();
    calico(&mut set).wireguard_enabled = Some(true);
    assert_errors(
        &set,
        &[(cluster(), "spec.networking.calico.wireguardEnabled")],
    );
    calico(&mut set).wireguard_enabled = Some(false);
    assert_valid(&set);
}

#[test]
fn calico_settings_are_not_checked_outside_ipv6_mode() {
    let mut set = set_from(&NewClusterOptions {
        ipv6: false,
        ..options(&["us-test-1a"])
    });
    let c = calico(&mut set);
    c.encapsulation_mode = Some("ipip".into());
    c.aws_src_dst_check = Some("Disable".into());
    c.wireguard_enabled = Some(true);
    group(&mut set, NODES).spec.image = Some(UBUNTU_20_04.into());
    assert_valid(&set);
}

#[test]
fn calico_with_ubuntu_20_04_is_rejected_in_ipv6_mode() {
    let mut set = ipv6_cluster();
    group(&mut set, NODES).spec.image = Some(UBUNTU_20_04.into());
    let errs = assert_errors(&set, &[(ig(NODES), "spec.image")]);
    assert_message_contains(&errs, "spec.image", "22.04");
}

#[test]
fn calico_with_ubuntu_22_04_is_accepted_in_ipv6_mode() {
    let mut set = ipv6_cluster();
    group(&mut set, NODES).spec.image = Some(UBUNTU_22_04.into());
    group(&mut set, CONTROL_PLANE).spec.image = Some(UBUNTU_22_04.into());
    assert_valid(&set);
}

#[test]
fn calico_with_flatcar_is_accepted_in_ipv6_mode() {
    let mut set = ipv6_cluster();
    group(&mut set, NODES).spec.image = Some(FLATCAR.into());
    assert_valid(&set);
}

#[test]
fn calico_with_another_os_is_rejected_in_ipv6_mode() {
    let mut set = ipv6_cluster();
    group(&mut set, CONTROL_PLANE).spec.image =
        Some("137112412989/al2023-ami-2023.6.20250303.0-kernel-6.1-x86_64".into());
    assert_errors(&set, &[(ig(CONTROL_PLANE), "spec.image")]);
}

#[test]
fn calico_image_check_resolves_ami_ids_through_the_context() {
    let mut set = ipv6_cluster();
    group(&mut set, NODES).spec.image = Some("ami-0123456789abcdef0".into());
    // Unknown AMI: nothing to judge.
    assert_valid(&set);
    let ctx = |name: &str| ValidationContext {
        image_names: BTreeMap::from([("ami-0123456789abcdef0".into(), name.into())]),
        ..Default::default()
    };
    assert_errors_with(&set, &ctx(UBUNTU_20_04), &[(ig(NODES), "spec.image")]);
    assert_valid_with(&set, &ctx(UBUNTU_22_04));
}

#[test]
fn calico_image_check_applies_to_every_instance_group() {
    let mut set = set_from(&NewClusterOptions {
        bastion: true,
        ..options(&["us-test-1a"])
    });
    for g in &mut set.instance_groups {
        g.spec.image = Some(UBUNTU_20_04.into());
    }
    assert_errors(
        &set,
        &[
            (ig("bastions"), "spec.image"),
            (ig(CONTROL_PLANE), "spec.image"),
            (ig(NODES), "spec.image"),
        ],
    );
}

#[test]
fn cilium_with_ubuntu_20_04_is_accepted_in_ipv6_mode() {
    let mut set = ipv6_cluster_with("cilium");
    group(&mut set, NODES).spec.image = Some(UBUNTU_20_04.into());
    assert_valid(&set);
}

// ---------------------------------------------------------------------------------------------
// SPEC 4.5, 4.7: Cilium

#[test]
fn cilium_is_completed_for_ipv6() {
    let completed = ipv6_cluster_with("cilium")
        .check(&ValidationContext::default())
        .unwrap();
    let cilium = completed.cluster.spec.networking.unwrap().cilium.unwrap();
    assert_eq!(cilium.disable_masquerade, Some(true));
    assert_eq!(cilium.tunnel.as_deref(), Some("disabled"));
    assert_eq!(cilium.ipam.as_deref(), Some("kubernetes"));
}

#[test]
fn cilium_eni_ipam_is_rejected_in_ipv6_mode() {
    let mut set = ipv6_cluster_with("cilium");
    cilium(&mut set).ipam = Some("eni".into());
    assert_errors(&set, &[(cluster(), "spec.networking.cilium.ipam")]);
}

#[test]
fn cilium_encryption_is_rejected_in_ipv6_mode() {
    let mut set = ipv6_cluster_with("cilium");
    cilium(&mut set).enable_encryption = Some(true);
    assert_errors(
        &set,
        &[(cluster(), "spec.networking.cilium.enableEncryption")],
    );
}

#[test]
fn cilium_masquerade_is_rejected_in_ipv6_mode() {
    let mut set = ipv6_cluster_with("cilium");
    cilium(&mut set).disable_masquerade = Some(false);
    assert_errors(
        &set,
        &[(cluster(), "spec.networking.cilium.disableMasquerade")],
    );
}

#[test]
fn cilium_bpf_masquerade_is_rejected_in_ipv6_mode() {
    let mut set = ipv6_cluster_with("cilium");
    cilium(&mut set).enable_bpf_masquerade = Some(true);
    assert_errors(
        &set,
        &[(cluster(), "spec.networking.cilium.enableBPFMasquerade")],
    );
}

// ---------------------------------------------------------------------------------------------
// SPEC 4.3: Kubernetes version

#[test]
fn kubernetes_version_is_required() {
    let mut set = ipv6_cluster();
    spec(&mut set).kubernetes_version = None;
    assert_errors(&set, &[(cluster(), "spec.kubernetesVersion")]);
    spec(&mut set).kubernetes_version = Some("latest".into());
    assert_errors(&set, &[(cluster(), "spec.kubernetesVersion")]);
}

#[test]
fn kubernetes_older_than_1_22_is_rejected_for_ipv6_only_subnets() {
    let mut set = ipv6_cluster();
    spec(&mut set).kubernetes_version = Some("v1.21.14".into());
    let errs = assert_errors(&set, &[(cluster(), "spec.kubernetesVersion")]);
    assert_message_contains(&errs, "spec.kubernetesVersion", "spec.subnets[0]");
}

#[test]
fn kubernetes_older_than_1_22_is_rejected_for_a_private_ipv6_topology() {
    let mut set = ipv6_cluster();
    spec(&mut set).kubernetes_version = Some("1.21.0".into());
    // No IPv6-only subnet left, but the topology is still private.
    subnet(&mut set, 0).cidr = Some(v4("172.20.128.0/18"));
    let errs = assert_errors(&set, &[(cluster(), "spec.kubernetesVersion")]);
    assert_message_contains(&errs, "spec.kubernetesVersion", "private topology");
}

#[test]
fn kubernetes_1_22_0_is_accepted_for_a_private_ipv6_topology() {
    let mut set = ipv6_cluster();
    spec(&mut set).kubernetes_version = Some("v1.22.0".into());
    assert_valid(&set);
}

#[test]
fn kubernetes_older_than_1_22_is_accepted_for_a_public_ipv6_topology() {
    let mut set = ipv6_public_cluster();
    spec(&mut set).kubernetes_version = Some("v1.21.14".into());
    assert_valid(&set);
}

// ---------------------------------------------------------------------------------------------
// SPEC 4.4: Debian

#[test]
fn debian_images_are_rejected_in_ipv6_mode() {
    let mut set = ipv6_cluster();
    group(&mut set, NODES).spec.image = Some(DEBIAN.into());
    let errs = assert_errors(&set, &[(ig(NODES), "spec.image")]);
    assert_message_contains(&errs, "spec.image", "Debian");
}

#[test]
fn debian_images_are_rejected_in_ipv6_mode_with_any_cni() {
    let mut set = ipv6_cluster_with("cilium");
    group(&mut set, CONTROL_PLANE).spec.image = Some(DEBIAN.into());
    assert_errors(&set, &[(ig(CONTROL_PLANE), "spec.image")]);
}

#[test]
fn debian_ami_ids_are_rejected_once_resolved() {
    let mut set = ipv6_cluster_with("cilium");
    group(&mut set, NODES).spec.image = Some("ami-0fedcba9876543210".into());
    let ctx = ValidationContext {
        image_names: BTreeMap::from([(
            "ami-0fedcba9876543210".into(),
            "debian-12-amd64-20250316-2053".into(),
        )]),
        ..Default::default()
    };
    assert_errors_with(&set, &ctx, &[(ig(NODES), "spec.image")]);
}

#[test]
fn debian_images_are_accepted_outside_ipv6_mode() {
    let mut set = set_from(&NewClusterOptions {
        ipv6: false,
        ..options(&["us-test-1a"])
    });
    group(&mut set, NODES).spec.image = Some(DEBIAN.into());
    assert_valid(&set);
}

// ---------------------------------------------------------------------------------------------
// SPEC 4.2: external cloud controller manager

#[test]
fn external_cloud_controller_manager_is_added_on_aws_when_missing() {
    let mut set = ipv6_cluster();
    spec(&mut set).cloud_controller_manager = None;
    let completed = set.check(&ValidationContext::default()).unwrap();
    let ccm = completed.cluster.spec.cloud_controller_manager.unwrap();
    assert_eq!(ccm.cloud_provider.as_deref(), Some("aws"));
    assert_eq!(ccm.cluster_name.as_deref(), Some(NAME));
}

#[test]
fn external_cloud_controller_manager_is_required_in_ipv6_mode() {
    // Completion adds it on AWS, so the rule is only reachable by validating directly.
    let set = ipv6_cluster();
    let mut completed = set.check(&ValidationContext::default()).unwrap();
    completed.cluster.spec.cloud_controller_manager = None;
    let err = validate(
        &completed.cluster,
        &completed.instance_groups,
        &ValidationContext::default(),
    )
    .unwrap_err();
    assert_eq!(
        located(&err.0),
        vec![(cluster(), "spec.cloudControllerManager".to_string())]
    );
}

#[test]
fn cloud_controller_manager_must_be_the_aws_one() {
    let mut set = ipv6_cluster();
    spec(&mut set).cloud_controller_manager = Some(CloudControllerManagerConfig {
        cloud_provider: Some("gce".into()),
        ..Default::default()
    });
    assert_errors(
        &set,
        &[(cluster(), "spec.cloudControllerManager.cloudProvider")],
    );
}

#[test]
fn in_tree_cloud_provider_on_kubelet_is_rejected_in_ipv6_mode() {
    let mut set = ipv6_cluster();
    spec(&mut set)
        .kubelet
        .get_or_insert_with(Default::default)
        .cloud_provider = Some("aws".into());
    assert_errors(&set, &[(cluster(), "spec.kubelet.cloudProvider")]);
}

#[test]
fn in_tree_cloud_provider_on_master_kubelet_is_rejected_in_ipv6_mode() {
    let mut set = ipv6_cluster();
    spec(&mut set).master_kubelet = Some(KubeletConfig {
        cloud_provider: Some("aws".into()),
        ..Default::default()
    });
    assert_errors(&set, &[(cluster(), "spec.masterKubelet.cloudProvider")]);
}

#[test]
fn in_tree_cloud_provider_on_kube_api_server_is_rejected_in_ipv6_mode() {
    let mut set = ipv6_cluster();
    spec(&mut set).kube_api_server = Some(KubeApiServerConfig {
        cloud_provider: Some("aws".into()),
        ..Default::default()
    });
    assert_errors(&set, &[(cluster(), "spec.kubeAPIServer.cloudProvider")]);
}

#[test]
fn in_tree_cloud_provider_on_kube_controller_manager_is_rejected_in_ipv6_mode() {
    let mut set = ipv6_cluster();
    spec(&mut set).kube_controller_manager = Some(KubeControllerManagerConfig {
        cloud_provider: Some("aws".into()),
        ..Default::default()
    });
    assert_errors(
        &set,
        &[(cluster(), "spec.kubeControllerManager.cloudProvider")],
    );
}

#[test]
fn external_cloud_provider_on_components_is_accepted_in_ipv6_mode() {
    let mut set = ipv6_cluster();
    spec(&mut set).kube_controller_manager = Some(KubeControllerManagerConfig {
        cloud_provider: Some("external".into()),
        ..Default::default()
    });
    spec(&mut set)
        .kubelet
        .get_or_insert_with(Default::default)
        .cloud_provider = Some("external".into());
    assert_valid(&set);
}

// ---------------------------------------------------------------------------------------------
// SPEC 1.1, 4.1: IPv6 mode and clouds

#[test]
fn non_masquerade_cidr_ipv6_must_be_the_default_route() {
    let mut set = ipv6_cluster();
    spec(&mut set).non_masquerade_cidr = Some(net("fd00::/8"));
    let errs = assert_errors(&set, &[(cluster(), "spec.nonMasqueradeCIDR")]);
    assert_message_contains(&errs, "spec.nonMasqueradeCIDR", "::/0");
}

#[test]
fn service_cluster_ip_range_must_be_ipv6_in_ipv6_mode() {
    let mut set = ipv6_cluster();
    spec(&mut set).service_cluster_ip_range = Some(net("100.64.0.0/13"));
    assert_errors(&set, &[(cluster(), "spec.serviceClusterIPRange")]);
}

#[test]
fn another_cloud_is_refused_with_one_error_naming_cloud_provider() {
    for cloud in CloudProvider::ALL
        .into_iter()
        .filter(|c| *c != CloudProvider::Aws)
    {
        for mut set in [ipv6_cluster(), ipv4_private_cluster()] {
            spec(&mut set).cloud_provider = Some(cloud);
            // Problems that would be reported on AWS are not listed on top.
            spec(&mut set).cloud_controller_manager = None;
            let errs = assert_errors(&set, &[(cluster(), "spec.cloudProvider")]);
            assert_message_contains(&errs, "spec.cloudProvider", cloud.as_str());
            assert_message_contains(&errs, "spec.cloudProvider", "AWS only");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// etcd and instance groups

#[test]
fn etcd_member_must_name_an_existing_control_plane_group() {
    let mut set = ipv6_cluster();
    spec(&mut set).etcd_clusters[1].etcd_members[0].instance_group =
        "control-plane-us-test-1b".into();
    let errs = assert_errors(
        &set,
        &[(
            cluster(),
            "spec.etcdClusters[1].etcdMembers[0].instanceGroup",
        )],
    );
    assert_message_contains(
        &errs,
        "spec.etcdClusters[1].etcdMembers[0].instanceGroup",
        "control-plane-us-test-1b",
    );
}

#[test]
fn etcd_member_must_not_name_a_node_group() {
    let mut set = ipv6_cluster();
    spec(&mut set).etcd_clusters[0].etcd_members[0].instance_group = NODES.into();
    assert_errors(
        &set,
        &[(
            cluster(),
            "spec.etcdClusters[0].etcdMembers[0].instanceGroup",
        )],
    );
}

#[test]
fn etcd_cluster_needs_a_member() {
    let mut set = ipv6_cluster();
    spec(&mut set).etcd_clusters[0].etcd_members.clear();
    assert_errors(&set, &[(cluster(), "spec.etcdClusters[0].etcdMembers")]);
}

#[test]
fn instance_group_must_name_existing_subnets() {
    let mut set = ipv6_cluster();
    group(&mut set, NODES).spec.subnets = vec!["us-test-1a".into(), "us-test-1b".into()];
    let errs = assert_errors(&set, &[(ig(NODES), "spec.subnets[1]")]);
    assert_message_contains(&errs, "spec.subnets[1]", "us-test-1b");
}

#[test]
fn instance_group_needs_a_subnet() {
    let mut set = ipv6_cluster();
    group(&mut set, NODES).spec.subnets.clear();
    assert_errors(&set, &[(ig(NODES), "spec.subnets")]);
}

#[test]
fn associate_public_ip_on_private_subnets_is_ignored_as_kops_does() {
    let mut set = ipv6_cluster();
    group(&mut set, NODES).spec.associate_public_ip = Some(true);
    group(&mut set, CONTROL_PLANE).spec.associate_public_ip = Some(true);
    assert_valid(&set);
    let review = kops6_api::support::review(&set.cluster, &set.instance_groups);
    let ignored: Vec<_> = review
        .ignored
        .iter()
        .map(|e| (e.object.clone(), e.path.as_str()))
        .collect();
    assert_eq!(
        ignored,
        [
            (ig(CONTROL_PLANE), "spec.associatePublicIp"),
            (ig(NODES), "spec.associatePublicIp"),
        ]
    );
    assert!(review.ignored[0].message.contains("no public IPv4 address"));
}

#[test]
fn associate_public_ip_is_accepted_on_public_subnets() {
    let mut set = ipv6_public_cluster();
    group(&mut set, NODES).spec.associate_public_ip = Some(true);
    assert_valid(&set);
}

#[test]
fn min_size_must_not_exceed_max_size() {
    let mut set = ipv6_cluster();
    group(&mut set, NODES).spec.min_size = Some(3);
    group(&mut set, NODES).spec.max_size = Some(2);
    let errs = assert_errors(&set, &[(ig(NODES), "spec.minSize")]);
    assert_message_contains(&errs, "spec.minSize", "maxSize 2");
    group(&mut set, NODES).spec.max_size = Some(3);
    assert_valid(&set);
}

#[test]
fn a_control_plane_group_is_required() {
    let mut set = ipv6_cluster();
    set.instance_groups
        .retain(|g| g.metadata.name != CONTROL_PLANE);
    // The etcd members now name a group that is gone, too.
    assert_errors(
        &set,
        &[
            (cluster(), "(instance groups)"),
            (
                cluster(),
                "spec.etcdClusters[0].etcdMembers[0].instanceGroup",
            ),
            (
                cluster(),
                "spec.etcdClusters[1].etcdMembers[0].instanceGroup",
            ),
        ],
    );
}

#[test]
fn ipv6_and_ipv4_networks_parse_as_expected() {
    // Guards the helpers above: a typo in a CIDR literal would make other tests meaningless.
    assert_eq!(net("::/0"), IpNet::V6(Ipv6Net::default()));
    assert_eq!(v6("/64#a"), Ipv6CidrSpec::Allocated { len: 64, index: 10 });
}

#[test]
fn cilium_tunnel_other_than_disabled_is_rejected_in_ipv6_mode() {
    let mut set = ipv6_cluster_with("cilium");
    cilium(&mut set).tunnel = Some("vxlan".into());
    assert_errors(&set, &[(cluster(), "spec.networking.cilium.tunnel")]);
}

#[test]
fn zone_needing_a_nat_gateway_without_utility_or_public_subnet_is_rejected() {
    let mut set = ipv6_cluster();
    // Drop the utility subnet: the zone's private subnets have nowhere for their NAT gateway.
    spec(&mut set)
        .subnets
        .retain(|s| s.subnet_type != SubnetType::Utility);
    assert_errors(&set, &[(cluster(), "spec.subnets[0]")]);
}

#[test]
fn zone_with_egress_to_an_existing_nat_gateway_needs_no_utility_subnet() {
    let mut set = ipv6_cluster();
    spec(&mut set)
        .subnets
        .retain(|s| s.subnet_type != SubnetType::Utility);
    subnet(&mut set, 0).egress = Some(nat("nat-0123456789abcdef0"));
    subnet(&mut set, 1).egress = Some(nat("nat-0123456789abcdef0"));
    assert_valid(&set);
}

#[test]
fn ipv4_private_subnet_without_cidr_reports_only_the_missing_cidr() {
    let mut set = ipv4_private_cluster();
    spec(&mut set).kubernetes_version = Some("v1.21.0".into());
    subnet(&mut set, 0).cidr = None;
    assert_errors(&set, &[(cluster(), "spec.subnets[0].cidr")]);
}

#[test]
fn public_ip_and_eipalloc_egress_together_are_rejected() {
    let mut set = ipv6_cluster();
    for i in [0, 1] {
        subnet(&mut set, i).egress = Some("eipalloc-0123456789abcdef0".parse().unwrap());
        subnet(&mut set, i).public_ip = Some("198.51.100.7".into());
    }
    assert_errors(
        &set,
        &[
            (cluster(), "spec.subnets[0].publicIP"),
            (cluster(), "spec.subnets[1].publicIP"),
        ],
    );
}

#[test]
fn subnet_inside_an_additional_network_cidr_is_accepted_as_kops_does() {
    let mut set = ipv4_private_cluster();
    subnet(&mut set, 0).cidr = Some(v4("10.1.0.0/19"));
    assert_errors(&set, &[(cluster(), "spec.subnets[0].cidr")]);
    spec(&mut set).additional_network_cidrs = vec!["10.1.0.0/16".into()];
    assert_valid(&set);
    // kops6 does not build the extra VPC range, so the field itself is refused.
    let review = kops6_api::support::review(&set.cluster, &set.instance_groups);
    let refused: Vec<&str> = review.refused.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(refused, ["spec.additionalNetworkCIDRs"]);
}

#[test]
fn additional_network_cidr_must_be_an_ipv4_cidr() {
    let mut set = ipv4_private_cluster();
    spec(&mut set).additional_network_cidrs = vec!["not-a-cidr".into()];
    assert_errors(&set, &[(cluster(), "spec.additionalNetworkCIDRs[0]")]);
}
