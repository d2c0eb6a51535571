//! Terraform addresses as kOps writes them: for specs shaped like kOps' IPv6 examples
//! (`minimal-ipv6`, `-calico`, `-cilium`, `-dns-none`, `-no-subnet-prefix`,
//! `shared_vpc_ipv6`), every network resource kops6 renders has the type and name it has in
//! kOps' `kubernetes.tf`, so a kOps Terraform user's state keeps its addresses.
//!
//! The fixtures are kops6's own (`kops6-api/tests/fixtures/api/aws-*.yaml`); the expected
//! addresses are the ones kOps' `kubernetes.tf` has for the same network. The ignored test
//! checks kOps' own files, read from outside the repository: `KOPS6_KOPS_TF=<dir of NAME.yaml +
//! NAME.tf> cargo test -p kops6-terraform --test kops_examples -- --ignored --nocapture`.

use std::collections::BTreeSet;

use kops6_api::validate::ValidationContext;
use kops6_api::{parse_documents, ClusterSpecSet};
use kops6_model::build_network;

const NETWORK_TYPES: [&str; 11] = [
    "aws_vpc",
    "aws_vpc_dhcp_options",
    "aws_vpc_dhcp_options_association",
    "aws_internet_gateway",
    "aws_egress_only_internet_gateway",
    "aws_subnet",
    "aws_eip",
    "aws_nat_gateway",
    "aws_route_table",
    "aws_route",
    "aws_route_table_association",
];

fn network_resources(tf: &str) -> BTreeSet<(String, String)> {
    tf.lines()
        .filter_map(|l| l.strip_prefix("resource \""))
        .filter_map(|l| {
            let (ty, rest) = l.split_once("\" \"")?;
            let name = rest.split_once('"')?.0;
            NETWORK_TYPES
                .contains(&ty)
                .then(|| (ty.to_string(), name.to_string()))
        })
        .collect()
}

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../kops6-api/tests/fixtures/api"
);

/// The network of kOps' `minimal-ipv6` example (two zones: Private, DualStack and Utility
/// subnets in each), as kOps' `kubernetes.tf` names it.
const KOPS_MINIMAL_IPV6: [(&str, &str); 32] = [
    (
        "aws_egress_only_internet_gateway",
        "minimal-ipv6-example-com",
    ),
    ("aws_eip", "us-test-1a-minimal-ipv6-example-com"),
    ("aws_eip", "us-test-1b-minimal-ipv6-example-com"),
    ("aws_internet_gateway", "minimal-ipv6-example-com"),
    ("aws_nat_gateway", "us-test-1a-minimal-ipv6-example-com"),
    ("aws_nat_gateway", "us-test-1b-minimal-ipv6-example-com"),
    ("aws_route", "route-0-0-0-0--0"),
    ("aws_route", "route-__--0"),
    ("aws_route", "route-private-us-test-1a-0-0-0-0--0"),
    ("aws_route", "route-private-us-test-1a-64_ff9b__--96"),
    ("aws_route", "route-private-us-test-1a-__--0"),
    ("aws_route", "route-private-us-test-1b-0-0-0-0--0"),
    ("aws_route", "route-private-us-test-1b-64_ff9b__--96"),
    ("aws_route", "route-private-us-test-1b-__--0"),
    ("aws_route_table", "minimal-ipv6-example-com"),
    (
        "aws_route_table",
        "private-us-test-1a-minimal-ipv6-example-com",
    ),
    (
        "aws_route_table",
        "private-us-test-1b-minimal-ipv6-example-com",
    ),
    (
        "aws_route_table_association",
        "private-dualstack-us-test-1a-minimal-ipv6-example-com",
    ),
    (
        "aws_route_table_association",
        "private-dualstack-us-test-1b-minimal-ipv6-example-com",
    ),
    (
        "aws_route_table_association",
        "private-us-test-1a-minimal-ipv6-example-com",
    ),
    (
        "aws_route_table_association",
        "private-us-test-1b-minimal-ipv6-example-com",
    ),
    (
        "aws_route_table_association",
        "utility-us-test-1a-minimal-ipv6-example-com",
    ),
    (
        "aws_route_table_association",
        "utility-us-test-1b-minimal-ipv6-example-com",
    ),
    (
        "aws_subnet",
        "dualstack-us-test-1a-minimal-ipv6-example-com",
    ),
    (
        "aws_subnet",
        "dualstack-us-test-1b-minimal-ipv6-example-com",
    ),
    ("aws_subnet", "us-test-1a-minimal-ipv6-example-com"),
    ("aws_subnet", "us-test-1b-minimal-ipv6-example-com"),
    ("aws_subnet", "utility-us-test-1a-minimal-ipv6-example-com"),
    ("aws_subnet", "utility-us-test-1b-minimal-ipv6-example-com"),
    ("aws_vpc", "minimal-ipv6-example-com"),
    ("aws_vpc_dhcp_options", "minimal-ipv6-example-com"),
    (
        "aws_vpc_dhcp_options_association",
        "minimal-ipv6-example-com",
    ),
];

/// In a shared VPC (kOps' `shared_vpc_ipv6`), kOps renders neither the VPC, its DHCP options
/// nor its gateways.
const NOT_IN_A_SHARED_VPC: [(&str, &str); 5] = [
    (
        "aws_egress_only_internet_gateway",
        "minimal-ipv6-example-com",
    ),
    ("aws_internet_gateway", "minimal-ipv6-example-com"),
    ("aws_vpc", "minimal-ipv6-example-com"),
    ("aws_vpc_dhcp_options", "minimal-ipv6-example-com"),
    (
        "aws_vpc_dhcp_options_association",
        "minimal-ipv6-example-com",
    ),
];

fn render_fixture(file: &str) -> BTreeSet<(String, String)> {
    let text = std::fs::read_to_string(format!("{FIXTURES}/{file}")).expect("fixture");
    let set = ClusterSpecSet::from_documents(parse_documents(&text).expect("parses"))
        .expect("one cluster");
    let completed = set
        .check(&ValidationContext::default())
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    let graph = build_network(&completed.cluster).expect("network");
    network_resources(&kops6_terraform::render(&graph).expect("renders"))
}

fn owned(list: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    list.iter()
        .map(|(t, n)| (t.to_string(), n.to_string()))
        .collect()
}

#[test]
fn minimal_ipv6_network_has_kops_terraform_addresses() {
    assert_eq!(
        render_fixture("aws-ipv6-two-zones.yaml"),
        owned(&KOPS_MINIMAL_IPV6)
    );
}

#[test]
fn allocated_ipv6_cilium_without_dns_has_kops_terraform_addresses() {
    assert_eq!(
        render_fixture("aws-ipv6-allocated-cilium.yaml"),
        owned(&KOPS_MINIMAL_IPV6)
    );
}

#[test]
fn shared_vpc_ipv6_network_has_kops_terraform_addresses() {
    let expected: BTreeSet<_> = owned(&KOPS_MINIMAL_IPV6)
        .difference(&owned(&NOT_IN_A_SHARED_VPC))
        .cloned()
        .collect();
    assert_eq!(render_fixture("aws-ipv6-shared-vpc.yaml"), expected);
}

#[test]
#[ignore = "needs KOPS6_KOPS_TF: kOps' IPv6 example inputs and kubernetes.tf files"]
fn kops_ipv6_examples_render_kops_network_addresses() {
    let dir = std::env::var("KOPS6_KOPS_TF").expect("KOPS6_KOPS_TF");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| {
            let p = e.ok()?.path();
            let stem = p.file_stem()?.to_string_lossy().to_string();
            (p.extension()? == "yaml").then_some(stem)
        })
        .collect();
    names.sort();
    let mut equal = 0;
    for name in &names {
        let spec = std::fs::read_to_string(format!("{dir}/{name}.yaml")).expect("yaml");
        let kops_tf = std::fs::read_to_string(format!("{dir}/{name}.tf")).expect("tf");
        let set = ClusterSpecSet::from_documents(parse_documents(&spec).expect("parses"))
            .expect("one cluster");
        let completed = match set.check(&ValidationContext::default()) {
            Ok(c) => c,
            Err(e) => {
                println!(
                    "{name}: not valid for kops6: {}",
                    e.to_string().replace('\n', " ")
                );
                continue;
            }
        };
        let graph = build_network(&completed.cluster).expect("network");
        let ours = network_resources(&kops6_terraform::render(&graph).expect("renders"));
        let theirs = network_resources(&kops_tf);
        if ours == theirs {
            equal += 1;
            println!("{name}: {} network resources, all equal", ours.len());
        } else {
            println!(
                "{name}: only kops6: {:?}",
                ours.difference(&theirs).collect::<Vec<_>>()
            );
            println!(
                "{name}: only kOps: {:?}",
                theirs.difference(&ours).collect::<Vec<_>>()
            );
        }
    }
    println!("{equal} of {} examples equal", names.len());
}

/// What kOps' `privatecalico/kubernetes.tf` names for the bastion (one zone: a Private and a
/// Utility subnet `172.20.4.0/22`, `sshAccess` `0.0.0.0/0` and `::/0`): the NLB, its listener
/// and target group (the name from `GetResourceName32`, hash included), both security
/// groups, every rule that involves them, and the bastion's IAM role and profile.
const KOPS_PRIVATECALICO_BASTION: [(&str, &str); 24] = [
    ("aws_iam_instance_profile", "bastions-privatecalico-example-com"),
    ("aws_iam_role", "bastions-privatecalico-example-com"),
    ("aws_lb", "bastion-privatecalico-example-com"),
    ("aws_lb_listener", "bastion-privatecalico-example-com-22"),
    ("aws_lb_target_group", "bastion-privatecalico-exa-hocohm"),
    ("aws_security_group", "bastion-elb-privatecalico-example-com"),
    ("aws_security_group", "bastion-privatecalico-example-com"),
    (
        "aws_security_group_rule",
        "from-0-0-0-0--0-ingress-tcp-22to22-bastion-elb-privatecalico-example-com",
    ),
    (
        "aws_security_group_rule",
        "from-172-20-4-0--22-ingress-tcp-22to22-bastion-elb-privatecalico-example-com",
    ),
    (
        "aws_security_group_rule",
        "from-__--0-ingress-tcp-22to22-bastion-elb-privatecalico-example-com",
    ),
    (
        "aws_security_group_rule",
        "from-bastion-elb-privatecalico-example-com-egress-all-0to0-0-0-0-0--0",
    ),
    (
        "aws_security_group_rule",
        "from-bastion-elb-privatecalico-example-com-egress-all-0to0-__--0",
    ),
    (
        "aws_security_group_rule",
        "from-bastion-elb-privatecalico-example-com-ingress-icmp-3to4-bastion-privatecalico-example-com",
    ),
    (
        "aws_security_group_rule",
        "from-bastion-elb-privatecalico-example-com-ingress-tcp-22to22-bastion-privatecalico-example-com",
    ),
    (
        "aws_security_group_rule",
        "from-bastion-privatecalico-example-com-egress-all-0to0-0-0-0-0--0",
    ),
    (
        "aws_security_group_rule",
        "from-bastion-privatecalico-example-com-egress-all-0to0-__--0",
    ),
    (
        "aws_security_group_rule",
        "from-bastion-privatecalico-example-com-ingress-icmp-3to4-bastion-elb-privatecalico-example-com",
    ),
    (
        "aws_security_group_rule",
        "from-bastion-privatecalico-example-com-ingress-tcp-22to22-masters-privatecalico-example-com",
    ),
    (
        "aws_security_group_rule",
        "from-bastion-privatecalico-example-com-ingress-tcp-22to22-nodes-privatecalico-example-com",
    ),
    ("aws_security_group_rule", "icmp-pmtu-ssh-nlb-0-0-0-0--0"),
    ("aws_security_group_rule", "icmp-pmtu-ssh-nlb-172-20-4-0--22"),
    ("aws_security_group_rule", "icmpv6-pmtu-ssh-nlb-__--0"),
    // kOps' `autoscalinggroup.go` registers the bastions in the bastion target group; the
    // instance group is `bastion` there, `bastions` as `create cluster` names it.
    ("aws_autoscaling_group", "bastions-privatecalico-example-com"),
    ("aws_launch_template", "bastions-privatecalico-example-com"),
];

/// Every resource whose address names the bastion or its load balancer's rules.
fn bastion_resources(tf: &str) -> BTreeSet<(String, String)> {
    tf.lines()
        .filter_map(|l| l.strip_prefix("resource \""))
        .filter_map(|l| {
            let (ty, rest) = l.split_once("\" \"")?;
            let name = rest.split_once('"')?.0;
            (name.contains("bastion") || name.contains("ssh-nlb"))
                .then(|| (ty.to_string(), name.to_string()))
        })
        .collect()
}

#[test]
fn private_calico_bastion_has_kops_terraform_addresses() {
    use kops6_api::new_cluster::{new_cluster, NewClusterOptions};
    let new = new_cluster(&NewClusterOptions {
        name: "privatecalico.example.com".into(),
        zones: vec!["us-test-1a".into()],
        networking: Some("calico".into()),
        kubernetes_version: Some("v1.35.0".into()),
        topology: Some(kops6_api::types::Topology::Private),
        bastion: true,
        admin_access: vec!["0.0.0.0/0".parse().unwrap(), "::/0".parse().unwrap()],
        ..Default::default()
    })
    .expect("create cluster options are valid");
    let mut set = ClusterSpecSet::new(new.cluster, new.instance_groups).expect("a valid set");
    // kOps' input gives the Utility subnet this range.
    for s in &mut set.cluster.spec.subnets {
        if s.name == "utility-us-test-1a" {
            s.cidr = Some("172.20.4.0/22".parse().unwrap());
        }
    }
    let completed = set
        .check(&ValidationContext::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let graph = kops6_model::build_cluster(
        &completed.cluster,
        &completed.instance_groups,
        &Default::default(),
    )
    .expect("builds");
    assert_eq!(
        bastion_resources(&kops6_terraform::render(&graph).expect("renders")),
        owned(&KOPS_PRIVATECALICO_BASTION)
    );
}
