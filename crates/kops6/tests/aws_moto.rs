//! `update cluster --yes` and `delete cluster --yes` against moto on loopback, through a
//! counting proxy: the network read back through the AWS API is what SPEC 6 says (the same
//! checks as the Terraform tests), a second apply makes no mutating call, and delete removes
//! exactly what the cluster owns.

mod common;

use common::{create_ipv6, Bed, LEAVE_OUT};
use kops6_testsupport::cluster::{expect_cluster, expect_instances, Group, Shape, DEFAULT_AMI};
use kops6_testsupport::network::*;

/// SPEC 7 read back through the AWS API after `update cluster --yes`: the same expectations as
/// the Terraform tests, plus the instances the autoscaling groups launched.
fn expect_infrastructure(bed: &Bed, net: &serde_json::Value, shape: &Shape) {
    let got = bed.aws(&["cluster", "--cluster", C]);
    expect_cluster(&got, net, shape);
    expect_instances(&got, net, shape);
}

#[test]
fn two_zone_private_cluster_applies_directly_as_spec_6_says_and_deletes_cleanly() {
    let bed = Bed::new();
    create_ipv6(&bed, "us-east-1a,us-east-1b", &[]);
    let net = bed.apply(None);
    expect_two_zone_private(&net);
    bed.assert_second_apply_is_a_no_op();

    let listing = bed.kops6(&["delete", "cluster", C]);
    assert!(listing.contains(&format!("Vpc/{C}")), "{listing}");
    let done = bed.kops6(&["delete", "cluster", C, "--yes"]);
    assert!(done.contains("Deleted cluster"), "{done}");
    bed.assert_nothing_owned();
    let again = bed.kops6(&["delete", "cluster", C, "--yes"]);
    assert!(again.contains("already deleted"), "{again}");
}

#[test]
fn public_topology_cluster_applies_directly_as_spec_6_says() {
    let bed = Bed::new();
    create_ipv6(&bed, "us-east-1a,us-east-1b", &["--topology", "public"]);
    let net = bed.apply(None);
    expect_two_zone_public(&net);
    expect_infrastructure(
        &bed,
        &net,
        &Shape {
            groups: &[
                Group::new("control-plane-us-east-1a", true, &["us-east-1a"], true),
                Group::new("nodes-us-east-1a", false, &["us-east-1a"], true),
                Group::new("nodes-us-east-1b", false, &["us-east-1b"], true),
            ],
            load_balancer_subnets: &["us-east-1a", "us-east-1b"],
            etcd_zones: &["us-east-1a"],
            calico: true,
            dns_zone: None,
            image_id: DEFAULT_AMI,
            key_pair: "",
        },
    );
    bed.assert_second_apply_is_a_no_op();
}

#[test]
fn shared_vpc_cluster_applies_directly_and_delete_keeps_the_shared_resources() {
    let bed = Bed::new();
    let shared = bed.aws(&["shared-vpc", "--cidr", "10.1.0.0/16"]);
    let vpc = shared["vpcId"].as_str().expect("vpc");
    let igw = shared["internetGatewayId"].as_str().expect("igw");
    let eigw = shared["egressOnlyInternetGatewayId"]
        .as_str()
        .expect("eigw");
    create_ipv6(
        &bed,
        "us-east-1a",
        &["--vpc", vpc, "--network-cidr", "10.1.0.0/16"],
    );
    let net = bed.apply(Some(vpc));
    expect_shared_vpc(&net, vpc, igw, eigw);
    expect_infrastructure(
        &bed,
        &net,
        &Shape {
            groups: &[
                Group::new(
                    "control-plane-us-east-1a",
                    true,
                    &["dualstack-us-east-1a"],
                    false,
                ),
                Group::new("nodes-us-east-1a", false, &["us-east-1a"], false),
            ],
            load_balancer_subnets: &["utility-us-east-1a"],
            etcd_zones: &["us-east-1a"],
            calico: true,
            dns_zone: None,
            image_id: DEFAULT_AMI,
            key_pair: "",
        },
    );
    bed.assert_second_apply_is_a_no_op();

    bed.kops6(&["delete", "cluster", C, "--yes"]);
    bed.assert_nothing_owned();
    let after = bed.aws(&["network", "--vpc-id", vpc]);
    assert_eq!(after["vpc"]["id"], vpc, "the shared VPC is still there");
    assert_eq!(id(&after["internetGateways"][0]), igw);
    assert_eq!(id(&after["egressOnlyInternetGateways"][0]), eigw);
    assert_eq!(
        count(&after, "subnets"),
        0,
        "the cluster's subnets are gone"
    );
}

#[test]
fn shared_vpc_without_egress_only_gateway_fails_before_anything_is_created() {
    let bed = Bed::new();
    let shared = bed.aws(&[
        "shared-vpc",
        "--cidr",
        "10.2.0.0/16",
        "--no-egress-only-gateway",
    ]);
    let vpc = shared["vpcId"].as_str().expect("vpc");
    create_ipv6(
        &bed,
        "us-east-1a",
        &["--vpc", vpc, "--network-cidr", "10.2.0.0/16"],
    );
    bed.proxy.reset();
    let err = bed.kops6_fails(&["update", "cluster", C, "--yes", LEAVE_OUT]);
    assert!(
        err.contains(&format!("the shared VPC {vpc} is not ready")),
        "{err}"
    );
    assert!(err.contains("no egress-only internet gateway"), "{err}");
    assert!(
        err.contains(&format!(
            "create-egress-only-internet-gateway --vpc-id {vpc}"
        )),
        "{err}"
    );
    assert_eq!(
        bed.proxy.mutating_calls(),
        Vec::<String>::new(),
        "nothing may be created"
    );
    bed.assert_nothing_owned();
}

#[test]
fn shared_vpc_without_ipv6_block_fails_and_says_how_to_add_one() {
    let bed = Bed::new();
    let shared = bed.aws(&[
        "shared-vpc",
        "--cidr",
        "10.3.0.0/16",
        "--no-ipv6",
        "--no-egress-only-gateway",
    ]);
    let vpc = shared["vpcId"].as_str().expect("vpc");
    create_ipv6(
        &bed,
        "us-east-1a",
        &["--vpc", vpc, "--network-cidr", "10.3.0.0/16"],
    );
    bed.proxy.reset();
    let err = bed.kops6_fails(&["update", "cluster", C, "--yes", LEAVE_OUT]);
    assert!(err.contains("no IPv6 CIDR block"), "{err}");
    assert!(err.contains("--amazon-provided-ipv6-cidr-block"), "{err}");
    assert_eq!(bed.proxy.mutating_calls(), Vec::<String>::new());
}

#[test]
fn transit_gateway_egress_and_external_subnet_apply_directly_as_spec_6_says() {
    let bed = Bed::new();
    let tgw = bed.aws(&["transit-gateway"]);
    let tgw = tgw["transitGatewayId"].as_str().expect("tgw");
    let path = bed.dir.path().join("spec.yaml");
    std::fs::write(&path, tgw_and_external_spec(tgw)).expect("spec");
    bed.kops6(&["create", "-f", path.to_str().expect("utf-8")]);
    let net = bed.apply(None);
    expect_tgw_and_external(&net, tgw);
    bed.assert_second_apply_is_a_no_op();
}

#[test]
fn delete_keeps_a_reused_nat_gateway_and_elastic_ip() {
    let bed = Bed::new();
    let shared = bed.aws(&["shared-vpc", "--cidr", "10.4.0.0/16"]);
    let vpc = shared["vpcId"].as_str().expect("vpc");
    let existing = bed.aws(&[
        "nat-gateway",
        "--vpc-id",
        vpc,
        "--cidr",
        "10.4.250.0/24",
        "--zone",
        "us-east-1a",
    ]);
    let nat = existing["natGatewayId"].as_str().expect("nat");
    let eip = bed.aws(&["elastic-ip"]);
    let eip = eip["allocationId"].as_str().expect("eip");
    create_ipv6(
        &bed,
        "us-east-1a,us-east-1b",
        &[
            "--vpc",
            vpc,
            "--network-cidr",
            "10.4.0.0/16",
            "--dry-run",
            "-o",
            "yaml",
        ],
    );
    // The same cluster, with zone a reusing the NAT gateway and zone b a NAT gateway on the EIP.
    let yaml = bed.kops6(&[
        "create",
        "cluster",
        "--name",
        C,
        "--zones",
        "us-east-1a,us-east-1b",
        "--ipv6",
        "--networking",
        "calico",
        "--kubernetes-version",
        "v1.35.0",
        "--vpc",
        vpc,
        "--network-cidr",
        "10.4.0.0/16",
        "--dry-run",
        "-o",
        "yaml",
    ]);
    let yaml = yaml
        .replace(
            "    name: us-east-1a\n",
            &format!("    name: us-east-1a\n    egress: {nat}\n"),
        )
        .replace(
            "    name: dualstack-us-east-1a\n",
            &format!("    name: dualstack-us-east-1a\n    egress: {nat}\n"),
        )
        .replace(
            "    name: us-east-1b\n",
            &format!("    name: us-east-1b\n    egress: {eip}\n"),
        )
        .replace(
            "    name: dualstack-us-east-1b\n",
            &format!("    name: dualstack-us-east-1b\n    egress: {eip}\n"),
        );
    let path = bed.dir.path().join("spec.yaml");
    std::fs::write(&path, yaml).expect("spec");
    bed.kops6(&["create", "-f", path.to_str().expect("utf-8")]);
    let net = bed.apply(Some(vpc));
    let zone_a = routes(&net, &format!("private-us-east-1a.{C}"));
    assert_eq!(zone_a.get("0.0.0.0/0").map(String::as_str), Some(nat));
    assert_eq!(zone_a.get("64:ff9b::/96").map(String::as_str), Some(nat));
    let ours = nat_in_zone(&net, "us-east-1b");
    assert_eq!(
        ours["allocations"][0], eip,
        "zone b's NAT gateway uses the given Elastic IP"
    );
    assert_eq!(count(&net, "elasticIps"), 2, "no Elastic IP was allocated");
    bed.assert_second_apply_is_a_no_op();

    bed.kops6(&["delete", "cluster", C, "--yes"]);
    bed.assert_nothing_owned();
    let all = bed.aws(&["everything"]);
    let nats: Vec<&str> = all["natGateways"]
        .as_array()
        .expect("nats")
        .iter()
        .filter_map(|n| n["NatGatewayId"].as_str())
        .collect();
    assert_eq!(
        nats,
        vec![nat],
        "the reused NAT gateway is still there, ours is gone"
    );
    let eips: Vec<&str> = all["elasticIps"]
        .as_array()
        .expect("eips")
        .iter()
        .filter_map(|a| a["AllocationId"].as_str())
        .collect();
    assert!(
        eips.contains(&eip),
        "the given Elastic IP is kept: {eips:?}"
    );
}

#[test]
fn s3_state_store_keeps_cluster_specs() {
    let bed = Bed::new();
    let state = common::S3_STATE;
    let run = |args: &[&str]| bed.kops6(args);
    run(&[
        "create",
        "cluster",
        "--name",
        C,
        "--zones",
        "us-east-1a",
        "--ipv6",
        "--networking",
        "calico",
    ]);
    assert!(run(&["get", "clusters"]).contains(C));
    let yaml = run(&["get", "cluster", C, "-o", "yaml"]);
    assert!(yaml.contains("nonMasqueradeCIDR: \"::/0\""), "{yaml}");
    assert!(yaml.contains(&format!("configBase: {state}/{C}")), "{yaml}");
    let groups = run(&["get", "instancegroups", "--name", C]);
    assert!(
        groups.contains("control-plane-us-east-1a") && groups.contains("nodes-us-east-1a"),
        "{groups}"
    );
    run(&["delete", "cluster", C, "--yes", "--offline"]);
    assert!(run(&["get", "clusters"]).contains("No clusters"));
}

/// How many calls of each of `actions` (an action, or a prefix ending in `*`) the proxy saw.
fn count_calls(bed: &Bed, actions: &[&str]) -> Vec<(String, usize)> {
    let calls = bed.proxy.calls();
    actions
        .iter()
        .map(|a| {
            let matches = |action: &str| match a.strip_suffix('*') {
                Some(prefix) => action.starts_with(prefix),
                None => action == *a,
            };
            let n = calls
                .iter()
                .filter(|c| c["action"].as_str().is_some_and(matches))
                .count();
            (a.to_string(), n)
        })
        .collect()
}

/// The first `--yes` applies in two parts around the load balancer's DNS name, yet looks the
/// hosted zone up once (preflight runs once, on the whole cluster), and reads load balancers
/// only in its two discoveries (the DNS name comes from what they read, the alias records
/// from what CreateLoadBalancer answered). A second `--yes` discovers once and looks the
/// zone up once.
#[test]
fn hosted_zone_and_load_balancers_are_read_once_per_discovery_and_run() {
    let bed = Bed::new();
    bed.aws(&["hosted-zone", "--name", "example.com"]);
    create_ipv6(
        &bed,
        "us-east-1a,us-east-1b",
        &["--dns-zone", "example.com"],
    );
    let watched = [
        "ListHostedZonesByName",
        "ListHostedZones",
        "DescribeLoadBalancers",
    ];
    let counted = |pairs: &[(&str, usize)]| -> Vec<(String, usize)> {
        pairs.iter().map(|(a, n)| (a.to_string(), *n)).collect()
    };
    bed.proxy.reset();
    bed.kops6(&["update", "cluster", C, "--yes", LEAVE_OUT]);
    assert_eq!(
        count_calls(&bed, &watched),
        counted(&[
            ("ListHostedZonesByName", 1),
            ("ListHostedZones", 2),
            ("DescribeLoadBalancers", 2),
        ]),
        "first --yes: one zone lookup, and two discoveries"
    );
    let records = bed.aws(&["cluster", "--cluster", C])["records"].clone();
    assert_eq!(records.as_array().map(Vec::len), Some(2), "{records}");

    bed.proxy.reset();
    let out = bed.kops6(&["update", "cluster", C, "--yes", LEAVE_OUT]);
    assert!(out.contains("No changes"), "{out}");
    assert_eq!(
        count_calls(&bed, &watched),
        counted(&[
            ("ListHostedZonesByName", 1),
            ("ListHostedZones", 1),
            ("DescribeLoadBalancers", 1),
        ]),
        "second --yes: one zone lookup, one discovery"
    );
    assert_eq!(bed.proxy.mutating_calls(), Vec::<String>::new());
    // Reads per AWS action on the no-op (the state store's S3 reads aside): one per kind,
    // except where the API has no batch or list form (docs/applying.md, "Reads per kind").
    let mut reads: std::collections::BTreeMap<String, usize> = Default::default();
    for c in bed.proxy.calls() {
        let action = c["action"].as_str().unwrap_or_default();
        if !action.starts_with("s3:") {
            *reads.entry(action.to_string()).or_default() += 1;
        }
    }
    let twice = [
        // enableDnsSupport and enableDnsHostnames: one attribute per call.
        "DescribeVpcAttribute",
        // One per instance profile (control plane, nodes): no list returns their tags.
        "GetInstanceProfile",
    ];
    let once = [
        "DescribeAddresses",
        "DescribeAutoScalingGroups",
        "DescribeDhcpOptions",
        "DescribeEgressOnlyInternetGateways",
        "DescribeImages",
        "DescribeInstanceTypeOfferings",
        "DescribeInternetGateways",
        "DescribeKeyPairs",
        "DescribeLaunchTemplateVersions",
        "DescribeLaunchTemplates",
        "DescribeListeners",
        "DescribeLoadBalancerAttributes",
        "DescribeLoadBalancers",
        "DescribeNatGateways",
        "DescribeRouteTables",
        "DescribeSecurityGroups",
        "DescribeSubnets",
        "DescribeTags",
        "DescribeTargetGroupAttributes",
        "DescribeTargetGroups",
        "DescribeVolumes",
        "DescribeVpcs",
        "GetAccountAuthorizationDetails",
        "ListHostedZones",
        "ListHostedZonesByName",
        "ListInstanceProfiles",
        "ListResourceRecordSets",
    ];
    let expected: std::collections::BTreeMap<String, usize> = once
        .iter()
        .map(|a| (a.to_string(), 1))
        .chain(twice.iter().map(|a| (a.to_string(), 2)))
        .collect();
    assert_eq!(reads, expected, "the no-op's reads per action");
    assert_eq!(reads.values().sum::<usize>(), 31);
}
