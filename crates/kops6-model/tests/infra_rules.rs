//! One test per SPEC 7 rule: security groups, IAM, key pair, launch templates, autoscaling
//! groups, etcd volumes, the API load balancer and DNS.
//!
//! Every spec starts as `create cluster` writes it, is edited the way a user would, completed
//! and validated (`ClusterSpecSet::check`), and built with `build_cluster`.

use std::collections::{BTreeMap, BTreeSet};

use ipnet::IpNet;
use kops6_api::new_cluster::{new_cluster, NewClusterOptions};
use kops6_api::types::*;
use kops6_api::validate::ValidationContext;
use kops6_api::ClusterSpecSet;
use kops6_model::specs::*;
use kops6_model::{
    build_cluster, ClusterInputs, Key, Kind, Lookup, ModelError, Resource, ResourceGraph, Spec,
    SshPublicKey, StateStoreAccess, Value,
};

const C: &str = "ipv6.example.com";
const KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIQwK1dGq1bieOaTQjNMCz/eFc1FnKZ9QnNO+j70v8Ld test@kops6";

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

fn private_ipv6() -> ClusterSpecSet {
    set_from(&options(&["us-east-1a", "us-east-1b"]))
}

#[track_caller]
fn try_build_with(
    set: &ClusterSpecSet,
    inputs: &ClusterInputs,
) -> Result<ResourceGraph, ModelError> {
    let completed = set
        .check(&ValidationContext::default())
        .unwrap_or_else(|e| panic!("expected a valid spec, got:\n{e}"));
    build_cluster(&completed.cluster, &completed.instance_groups, inputs)
}

#[track_caller]
fn build_with(set: &ClusterSpecSet, inputs: &ClusterInputs) -> ResourceGraph {
    try_build_with(set, inputs).unwrap_or_else(|e| panic!("build_cluster failed: {e}"))
}

#[track_caller]
fn build(set: &ClusterSpecSet) -> ResourceGraph {
    build_with(set, &ClusterInputs::default())
}

#[track_caller]
fn get<'a>(g: &'a ResourceGraph, kind: Kind, name: &str) -> &'a Resource {
    g.get(&Key::new(kind, name))
        .unwrap_or_else(|| panic!("no {kind}/{name}; have {:?}", names(g, kind)))
}

fn names(g: &ResourceGraph, kind: Kind) -> Vec<String> {
    g.of_kind(kind).map(|r| r.key.name.clone()).collect()
}

fn sg(name: &str) -> Value {
    Value::Ref(Key::new(Kind::SecurityGroup, format!("{name}.{C}")))
}

fn rule<'a>(g: &'a ResourceGraph, name: &str) -> &'a SecurityGroupRuleSpec {
    match &get(g, Kind::SecurityGroupRule, name).spec {
        Spec::SecurityGroupRule(r) => r,
        other => panic!("{other:?}"),
    }
}

fn launch_template<'a>(g: &'a ResourceGraph, name: &str) -> &'a LaunchTemplateSpec {
    match &get(g, Kind::LaunchTemplate, name).spec {
        Spec::LaunchTemplate(lt) => lt,
        other => panic!("{other:?}"),
    }
}

fn asg<'a>(g: &'a ResourceGraph, name: &str) -> &'a AutoscalingGroupSpec {
    match &get(g, Kind::AutoscalingGroup, name).spec {
        Spec::AutoscalingGroup(a) => a,
        other => panic!("{other:?}"),
    }
}

fn policy(g: &ResourceGraph, role: &str) -> serde_json::Value {
    match &get(g, Kind::IamRolePolicy, &format!("{role}.{C}")).spec {
        Spec::IamRolePolicy { policy, .. } => serde_json::from_str(policy).unwrap(),
        other => panic!("{other:?}"),
    }
}

/// Every action a policy grants, with its statement's resource.
fn actions(policy: &serde_json::Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for s in policy["Statement"].as_array().unwrap() {
        match &s["Action"] {
            serde_json::Value::String(a) => {
                out.insert(a.clone());
            }
            serde_json::Value::Array(list) => {
                out.extend(list.iter().map(|a| a.as_str().unwrap().to_string()))
            }
            other => panic!("{other}"),
        }
    }
    out
}

fn net(s: &str) -> IpNet {
    s.parse().unwrap()
}

// ---------------------------------------------------------------------------------------------
// The graph

#[test]
fn every_reference_names_an_earlier_resource() {
    for set in [private_ipv6(), public_cilium(), ha_dns()] {
        let g = build_with(&set, &full_inputs());
        let mut seen = BTreeSet::new();
        for r in &g.resources {
            for dep in r.dependencies() {
                assert!(
                    seen.contains(dep),
                    "{} refers to {dep} before it exists",
                    r.key
                );
            }
            assert!(seen.insert(r.key.clone()), "{} twice", r.key);
        }
    }
}

#[test]
fn every_tagged_resource_carries_the_cluster_tags() {
    let g = build_with(&private_ipv6(), &full_inputs());
    for r in &g.resources {
        if r.tags.is_empty() {
            assert!(
                matches!(
                    r.key.kind,
                    Kind::Route
                        | Kind::RouteTableAssociation
                        | Kind::VpcDhcpOptionsAssociation
                        | Kind::SecurityGroupRule
                        | Kind::IamRolePolicy
                        | Kind::Listener
                        | Kind::DnsRecord
                ),
                "{} has no tags",
                r.key
            );
            continue;
        }
        assert_eq!(r.tags["KubernetesCluster"], C, "{}", r.key);
        assert_eq!(
            r.tags[&format!("kubernetes.io/cluster/{C}")],
            "owned",
            "{}",
            r.key
        );
        assert!(!r.why.rule.is_empty(), "{}", r.key);
    }
}

#[test]
fn the_same_spec_gives_the_same_graph() {
    let set = ha_dns();
    assert_eq!(
        build_with(&set, &full_inputs()),
        build_with(&set, &full_inputs())
    );
}

// ---------------------------------------------------------------------------------------------
// Security groups

#[test]
fn security_groups_are_api_elb_masters_and_nodes() {
    let g = build(&private_ipv6());
    assert_eq!(
        names(&g, Kind::SecurityGroup),
        vec![
            format!("api-elb.{C}"),
            format!("masters.{C}"),
            format!("nodes.{C}")
        ]
    );
    let Spec::SecurityGroup { vpc, description } =
        &get(&g, Kind::SecurityGroup, &format!("masters.{C}")).spec
    else {
        panic!()
    };
    assert_eq!(vpc, &Value::Ref(Key::new(Kind::Vpc, C)));
    assert_eq!(description, "Security group for masters");
}

#[test]
fn every_group_egresses_to_ipv4_and_ipv6_everywhere() {
    let g = build(&private_ipv6());
    for group in ["api-elb", "masters", "nodes"] {
        let v4 = rule(&g, &format!("from-{group}.{C}-egress-all-0to0-0.0.0.0/0"));
        assert_eq!(
            (v4.direction, v4.protocol, v4.from_port, v4.to_port),
            (Direction::Egress, Protocol::All, 0, 0)
        );
        assert_eq!(v4.source, RuleSource::Ipv4("0.0.0.0/0".parse().unwrap()));
        assert_eq!(v4.group, sg(group));
        let v6 = rule(&g, &format!("from-{group}.{C}-egress-all-0to0-::/0"));
        assert_eq!(v6.source, RuleSource::Ipv6("::/0".parse().unwrap()));
    }
}

#[test]
fn ssh_access_opens_22_on_masters_and_nodes_with_ipv6_cidrs_in_the_ipv6_field() {
    let mut set = private_ipv6();
    set.cluster.spec.ssh_access = vec![net("198.51.100.0/24").into(), net("2001:db8::/32").into()];
    let g = build(&set);
    for group in ["masters", "nodes"] {
        let v4 = rule(
            &g,
            &format!("from-198.51.100.0/24-ingress-tcp-22to22-{group}.{C}"),
        );
        assert_eq!(
            (v4.protocol, v4.from_port, v4.to_port),
            (Protocol::Tcp, 22, 22)
        );
        assert_eq!(
            v4.source,
            RuleSource::Ipv4("198.51.100.0/24".parse().unwrap())
        );
        let v6 = rule(
            &g,
            &format!("from-2001:db8::/32-ingress-tcp-22to22-{group}.{C}"),
        );
        assert_eq!(
            v6.source,
            RuleSource::Ipv6("2001:db8::/32".parse().unwrap())
        );
        assert_eq!(v6.group, sg(group));
    }
    assert!(!names(&g, Kind::SecurityGroupRule)
        .iter()
        .any(|n| n.contains("0.0.0.0/0-ingress-tcp-22")));
}

#[test]
fn a_prefix_list_in_api_access_is_the_rule_source_with_the_ipv4_pmtu_rule_as_kops() {
    let mut set = private_ipv6();
    set.cluster.spec.kubernetes_api_access = vec!["pl-0123abcd".parse().unwrap()];
    let g = build(&set);
    let https = rule(
        &g,
        &format!("from-pl-0123abcd-ingress-tcp-443to443-api-elb.{C}"),
    );
    assert_eq!(https.source, RuleSource::PrefixList("pl-0123abcd".into()));
    assert_eq!((https.from_port, https.to_port), (443, 443));
    let pmtu = rule(&g, "icmp-pmtu-api-elb-pl-0123abcd");
    assert_eq!(
        (pmtu.protocol, pmtu.from_port, pmtu.to_port),
        (Protocol::Icmp, 3, 4)
    );
    assert_eq!(pmtu.source, RuleSource::PrefixList("pl-0123abcd".into()));
}

#[test]
fn api_access_opens_443_on_the_api_elb_with_icmp_pmtu_for_ipv4_and_icmpv6_for_ipv6() {
    let g = build(&private_ipv6());
    let https = rule(
        &g,
        &format!("from-0.0.0.0/0-ingress-tcp-443to443-api-elb.{C}"),
    );
    assert_eq!(
        (https.protocol, https.from_port, https.to_port),
        (Protocol::Tcp, 443, 443)
    );
    assert_eq!(https.group, sg("api-elb"));
    let https6 = rule(&g, &format!("from-::/0-ingress-tcp-443to443-api-elb.{C}"));
    assert_eq!(https6.source, RuleSource::Ipv6("::/0".parse().unwrap()));
    let icmp = rule(&g, "icmp-pmtu-api-elb-0.0.0.0/0");
    assert_eq!(
        (icmp.protocol, icmp.from_port, icmp.to_port),
        (Protocol::Icmp, 3, 4)
    );
    assert_eq!(icmp.source, RuleSource::Ipv4("0.0.0.0/0".parse().unwrap()));
    let icmp6 = rule(&g, "icmpv6-pmtu-api-elb-::/0");
    assert_eq!(
        (icmp6.protocol, icmp6.from_port, icmp6.to_port),
        (Protocol::Icmpv6, -1, -1)
    );
    assert_eq!(icmp6.source, RuleSource::Ipv6("::/0".parse().unwrap()));
}

#[test]
fn without_a_load_balancer_api_access_goes_to_the_control_plane() {
    let mut set = private_ipv6();
    set.cluster.spec.api = Some(ApiSpec {
        dns: Some(Default::default()),
        ..Default::default()
    });
    let g = build(&set);
    assert!(names(&g, Kind::LoadBalancer).is_empty());
    assert!(!names(&g, Kind::SecurityGroup).contains(&format!("api-elb.{C}")));
    let https = rule(&g, &format!("from-::/0-ingress-tcp-443to443-masters.{C}"));
    assert_eq!(https.group, sg("masters"));
    assert!(names(&g, Kind::AutoscalingGroup)
        .iter()
        .all(|n| asg(&g, n).target_groups.is_empty()));
}

#[test]
fn group_to_group_rules_are_kops_rules() {
    let g = build(&private_ipv6());
    let all = |name: &str, group: &str, source: &str| {
        let r = rule(&g, name);
        assert_eq!(
            (r.protocol, r.from_port, r.to_port),
            (Protocol::All, 0, 0),
            "{name}"
        );
        assert_eq!(
            (&r.group, &r.source),
            (&sg(group), &RuleSource::Group(sg(source))),
            "{name}"
        );
    };
    all(
        &format!("from-masters.{C}-ingress-all-0to0-masters.{C}"),
        "masters",
        "masters",
    );
    all(
        &format!("from-masters.{C}-ingress-all-0to0-nodes.{C}"),
        "nodes",
        "masters",
    );
    all(
        &format!("from-nodes.{C}-ingress-all-0to0-nodes.{C}"),
        "nodes",
        "nodes",
    );
    for (proto, from, to) in [
        ("tcp", 1, 2379),
        ("tcp", 2382, 4000),
        ("tcp", 4003, 65535),
        ("udp", 1, 65535),
    ] {
        let r = rule(
            &g,
            &format!("from-nodes.{C}-ingress-{proto}-{from}to{to}-masters.{C}"),
        );
        assert_eq!(
            (r.protocol.as_aws(), r.from_port, r.to_port),
            (proto, from, to)
        );
        assert_eq!(
            (&r.group, &r.source),
            (&sg("masters"), &RuleSource::Group(sg("nodes")))
        );
    }
    let https = rule(&g, "https-elb-to-master");
    assert_eq!(
        (&https.group, &https.source),
        (&sg("masters"), &RuleSource::Group(sg("api-elb")))
    );
    assert_eq!(
        (https.protocol, https.from_port, https.to_port),
        (Protocol::Tcp, 443, 443)
    );
    let to_cp = rule(&g, "icmp-pmtu-elb-to-cp");
    assert_eq!(
        (&to_cp.group, to_cp.protocol, to_cp.from_port, to_cp.to_port),
        (&sg("masters"), Protocol::Icmp, 3, 4)
    );
    let to_elb = rule(&g, "icmp-pmtu-cp-to-elb");
    assert_eq!(
        (&to_elb.group, &to_elb.source),
        (&sg("api-elb"), &RuleSource::Group(sg("masters")))
    );
}

#[test]
fn calico_gets_kops_ip_in_ip_rule_and_cilium_does_not() {
    let g = build(&private_ipv6());
    let r = rule(&g, &format!("from-nodes.{C}-ingress-4-0to0-masters.{C}"));
    assert_eq!(
        (r.protocol.as_aws(), r.from_port, r.to_port),
        ("4", 0, 65535)
    );
    let g = build(&public_cilium());
    assert!(!names(&g, Kind::SecurityGroupRule)
        .iter()
        .any(|n| n.contains("ingress-4-")));
}

#[test]
fn node_port_access_opens_tcp_and_udp_30000_to_32767_on_nodes() {
    let mut set = private_ipv6();
    set.cluster.spec.node_port_access = vec![net("2001:db8::/48").into()];
    let g = build(&set);
    for (proto, text) in [(Protocol::Tcp, "tcp"), (Protocol::Udp, "udp")] {
        let r = rule(
            &g,
            &format!("nodeport-{text}-external-to-node-2001:db8::/48"),
        );
        assert_eq!((r.protocol, r.from_port, r.to_port), (proto, 30000, 32767));
        assert_eq!(
            (&r.group, &r.source),
            (
                &sg("nodes"),
                &RuleSource::Ipv6("2001:db8::/48".parse().unwrap())
            )
        );
    }
}

fn with_bastion(zones: &[&str]) -> ClusterSpecSet {
    set_from(&NewClusterOptions {
        bastion: true,
        ..options(zones)
    })
}

/// The IPv4 ranges of the cluster's Utility subnets, as the spec has them.
fn utility_cidrs(set: &ClusterSpecSet) -> Vec<IpNet> {
    set.cluster
        .spec
        .subnets
        .iter()
        .filter(|s| s.subnet_type == SubnetType::Utility)
        .filter_map(|s| s.cidr.map(IpNet::V4))
        .collect()
}

#[test]
fn with_a_bastion_ssh_reaches_its_load_balancer_and_the_bastion_reaches_the_cluster() {
    let set = with_bastion(&["us-east-1a"]);
    let g = build(&set);
    let groups = names(&g, Kind::SecurityGroup);
    assert!(groups.contains(&format!("bastion.{C}")), "{groups:?}");
    assert!(groups.contains(&format!("bastion-elb.{C}")), "{groups:?}");
    let Spec::SecurityGroup { description, .. } =
        &get(&g, Kind::SecurityGroup, &format!("bastion-elb.{C}")).spec
    else {
        panic!()
    };
    assert_eq!(description, "Security group for bastion ELB");
    // sshAccess (both families, each in its own field) reaches the load balancer only.
    let v6 = rule(&g, &format!("from-::/0-ingress-tcp-22to22-bastion-elb.{C}"));
    assert_eq!(
        (&v6.group, &v6.source, v6.protocol, v6.from_port, v6.to_port),
        (
            &sg("bastion-elb"),
            &RuleSource::Ipv6("::/0".parse().unwrap()),
            Protocol::Tcp,
            22,
            22
        )
    );
    let v4 = rule(
        &g,
        &format!("from-0.0.0.0/0-ingress-tcp-22to22-bastion-elb.{C}"),
    );
    assert_eq!(v4.source, RuleSource::Ipv4("0.0.0.0/0".parse().unwrap()));
    for target in ["bastion", "masters", "nodes"] {
        let direct: Vec<String> = g
            .of_kind(Kind::SecurityGroupRule)
            .filter(|r| match &r.spec {
                Spec::SecurityGroupRule(s) => {
                    s.group == sg(target)
                        && matches!(s.source, RuleSource::Ipv4(_) | RuleSource::Ipv6(_))
                        && s.from_port == 22
                }
                _ => false,
            })
            .map(|r| r.key.name.clone())
            .collect();
        assert!(
            direct.is_empty(),
            "no CIDR reaches {target} on 22: {direct:?}"
        );
    }
    // The bastion takes SSH (and path MTU) from its load balancer only, and reaches the cluster.
    for (name, group, source, proto, ports) in [
        (
            format!("from-bastion-elb.{C}-ingress-tcp-22to22-bastion.{C}"),
            "bastion",
            "bastion-elb",
            Protocol::Tcp,
            (22, 22),
        ),
        (
            format!("from-bastion-elb.{C}-ingress-icmp-3to4-bastion.{C}"),
            "bastion",
            "bastion-elb",
            Protocol::Icmp,
            (3, 4),
        ),
        (
            format!("from-bastion.{C}-ingress-icmp-3to4-bastion-elb.{C}"),
            "bastion-elb",
            "bastion",
            Protocol::Icmp,
            (3, 4),
        ),
        (
            format!("from-bastion.{C}-ingress-tcp-22to22-masters.{C}"),
            "masters",
            "bastion",
            Protocol::Tcp,
            (22, 22),
        ),
        (
            format!("from-bastion.{C}-ingress-tcp-22to22-nodes.{C}"),
            "nodes",
            "bastion",
            Protocol::Tcp,
            (22, 22),
        ),
    ] {
        let r = rule(&g, &name);
        assert_eq!(
            (&r.group, &r.source, r.protocol, (r.from_port, r.to_port)),
            (&sg(group), &RuleSource::Group(sg(source)), proto, ports),
            "{name}"
        );
    }
    for g_name in ["bastion", "bastion-elb"] {
        rule(&g, &format!("from-{g_name}.{C}-egress-all-0to0-::/0"));
        rule(&g, &format!("from-{g_name}.{C}-egress-all-0to0-0.0.0.0/0"));
    }
    assert!(names(&g, Kind::IamRole).contains(&format!("bastions.{C}")));
    // Bastions do not bootstrap: no policy.
    assert!(!names(&g, Kind::IamRolePolicy).contains(&format!("bastions.{C}")));
}

/// kOps' `sshAllowedCIDRs`: the load balancer's own subnets' IPv4 ranges, then `sshAccess`,
/// each with tcp 22 and the path MTU rule of its family (`icmp-pmtu-ssh-nlb-<cidr>`,
/// `icmpv6-pmtu-ssh-nlb-<cidr>`).
#[test]
fn the_bastion_load_balancer_takes_ssh_from_its_subnets_and_ssh_access_with_path_mtu() {
    let mut set = with_bastion(&["us-east-1a", "us-east-1b"]);
    set.cluster.spec.ssh_access = vec![
        AccessSource::Cidr(net("203.0.113.0/24")),
        AccessSource::Cidr(net("2001:db8::/32")),
    ];
    let g = build(&set);
    let utility = utility_cidrs(&set);
    assert_eq!(utility.len(), 2, "one Utility subnet per zone");
    for cidr in utility.iter().chain([&net("203.0.113.0/24")]) {
        let ssh = rule(
            &g,
            &format!("from-{cidr}-ingress-tcp-22to22-bastion-elb.{C}"),
        );
        assert_eq!(
            ssh.source,
            RuleSource::Ipv4(cidr.to_string().parse().unwrap())
        );
        let pmtu = rule(&g, &format!("icmp-pmtu-ssh-nlb-{cidr}"));
        assert_eq!(
            (pmtu.protocol, pmtu.from_port, pmtu.to_port, &pmtu.group),
            (Protocol::Icmp, 3, 4, &sg("bastion-elb"))
        );
        assert!(g
            .get(&Key::new(
                Kind::SecurityGroupRule,
                format!("icmpv6-pmtu-ssh-nlb-{cidr}")
            ))
            .is_none());
    }
    let v6 = rule(&g, "icmpv6-pmtu-ssh-nlb-2001:db8::/32");
    assert_eq!(
        (v6.protocol, v6.from_port, v6.to_port, &v6.source),
        (
            Protocol::Icmpv6,
            -1,
            -1,
            &RuleSource::Ipv6("2001:db8::/32".parse().unwrap())
        )
    );
    rule(
        &g,
        &format!("from-2001:db8::/32-ingress-tcp-22to22-bastion-elb.{C}"),
    );
    assert!(g
        .get(&Key::new(
            Kind::SecurityGroupRule,
            "icmp-pmtu-ssh-nlb-2001:db8::/32"
        ))
        .is_none());
    // A prefix list's family is unknown: kOps gives it both path MTU rules.
    set.cluster.spec.ssh_access = vec![AccessSource::PrefixList("pl-0123456789abcdef0".into())];
    let g = build(&set);
    rule(&g, "icmp-pmtu-ssh-nlb-pl-0123456789abcdef0");
    rule(&g, "icmpv6-pmtu-ssh-nlb-pl-0123456789abcdef0");
}

fn load_balancer<'a>(g: &'a ResourceGraph, name: &str) -> &'a kops6_model::specs::LoadBalancerSpec {
    match &get(g, Kind::LoadBalancer, name).spec {
        Spec::LoadBalancer(lb) => lb,
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_bastion_gets_a_dualstack_nlb_on_utility_subnets_listening_on_22() {
    let mut set = with_bastion(&["us-east-1a", "us-east-1b"]);
    set.cluster.spec.cloud_labels = BTreeMap::from([("team".to_string(), "infra".to_string())]);
    let g = build(&set);
    let tg_name = "bastion-ipv6-example-com-lmnn7t";
    let lb_res = get(&g, Kind::LoadBalancer, &format!("bastion.{C}"));
    let lb = load_balancer(&g, &format!("bastion.{C}"));
    assert_eq!(lb.aws_name, tg_name, "kOps' GetResourceName32(\"bastion\")");
    assert!(!lb.internal && lb.dualstack && !lb.cross_zone);
    assert_eq!(
        lb.subnets,
        ["utility-us-east-1a", "utility-us-east-1b"]
            .iter()
            .map(|s| Value::Ref(Key::new(Kind::Subnet, format!("{s}.{C}"))))
            .collect::<Vec<_>>()
    );
    assert_eq!(lb.security_groups, vec![sg("bastion-elb")]);
    assert_eq!(lb_res.tags["Name"], format!("bastion.{C}"));
    assert_eq!(lb_res.tags["KubernetesCluster"], C);
    assert_eq!(lb_res.tags[&format!("kubernetes.io/cluster/{C}")], "owned");
    assert_eq!(lb_res.tags["team"], "infra", "kOps adds cloudLabels");

    let tg_res = get(&g, Kind::TargetGroup, tg_name);
    let Spec::TargetGroup(tg) = &tg_res.spec else {
        panic!()
    };
    assert_eq!((tg.port, tg.aws_name.as_str()), (22, tg_name));
    assert_eq!(
        (
            tg.healthy_threshold,
            tg.unhealthy_threshold,
            tg.interval_seconds
        ),
        (2, 2, 10)
    );
    assert_eq!(tg.deregistration_delay_seconds, 30);
    assert_eq!(tg_res.tags["Name"], tg_name);
    let Spec::Listener {
        load_balancer,
        port,
        target_group,
    } = &get(&g, Kind::Listener, &format!("bastion.{C}-22")).spec
    else {
        panic!()
    };
    assert_eq!(
        (load_balancer, *port, target_group),
        (
            &Value::Ref(Key::new(Kind::LoadBalancer, format!("bastion.{C}"))),
            22,
            &Value::Ref(Key::new(Kind::TargetGroup, tg_name))
        )
    );
    // The bastions register in it; nodes in nothing; the control plane in the API's only.
    assert_eq!(
        asg(&g, &format!("bastions.{C}")).target_groups,
        vec![Value::Ref(Key::new(Kind::TargetGroup, tg_name))]
    );
    assert!(asg(&g, &format!("nodes-us-east-1a.{C}"))
        .target_groups
        .is_empty());
    assert_eq!(
        asg(&g, &format!("control-plane-us-east-1a.masters.{C}"))
            .target_groups
            .len(),
        1
    );
    // Without a bastion there is none of it.
    let plain = build(&private_ipv6());
    assert!(names(&plain, Kind::LoadBalancer) == vec![format!("api.{C}")]);
    assert!(!names(&plain, Kind::SecurityGroup).contains(&format!("bastion-elb.{C}")));
}

#[test]
fn an_internal_bastion_load_balancer_uses_the_dualstack_subnets() {
    let mut set = with_bastion(&["us-east-1a"]);
    let topology = set
        .cluster
        .spec
        .topology
        .get_or_insert_with(Default::default);
    topology.bastion = Some(BastionSpec {
        load_balancer: Some(BastionLoadBalancerSpec {
            lb_type: Some(LoadBalancerType::Internal),
            additional_security_groups: vec!["sg-0123456789abcdef0".into()],
        }),
        ..Default::default()
    });
    let g = build(&set);
    let lb = load_balancer(&g, &format!("bastion.{C}"));
    assert!(lb.internal);
    assert_eq!(
        lb.subnets,
        vec![Value::Ref(Key::new(
            Kind::Subnet,
            format!("dualstack-us-east-1a.{C}")
        ))]
    );
    assert_eq!(
        lb.security_groups,
        vec![
            sg("bastion-elb"),
            Value::Shared("sg-0123456789abcdef0".into())
        ]
    );
    // SSH comes from the DualStack subnet's IPv4 range now, not the Utility one's.
    let dualstack = set
        .cluster
        .spec
        .subnets
        .iter()
        .find(|s| s.subnet_type == SubnetType::DualStack)
        .and_then(|s| s.cidr)
        .expect("DualStack subnets have an IPv4 range");
    rule(
        &g,
        &format!("from-{dualstack}-ingress-tcp-22to22-bastion-elb.{C}"),
    );
    for u in utility_cidrs(&set) {
        assert!(g
            .get(&Key::new(
                Kind::SecurityGroupRule,
                format!("from-{u}-ingress-tcp-22to22-bastion-elb.{C}")
            ))
            .is_none());
    }
}

#[test]
fn the_bastion_public_name_aliases_the_bastion_load_balancer() {
    let set = set_from(&NewClusterOptions {
        bastion: true,
        dns: Some(DnsType::Public),
        dns_zone: Some("example.com".into()),
        ..options(&["us-east-1a"])
    });
    let g = build(&set);
    let want = format!("bastion.{C}");
    for (key, record_type) in [
        (want.clone(), RecordType::A),
        (format!("{want}-AAAA"), RecordType::Aaaa),
    ] {
        let Spec::DnsRecord(r) = &get(&g, Kind::DnsRecord, &key).spec else {
            panic!()
        };
        assert_eq!(
            (r.name.as_str(), r.record_type, &r.alias_to),
            (
                want.as_str(),
                record_type,
                &Value::Ref(Key::new(Kind::LoadBalancer, want.clone()))
            )
        );
    }
    // No DNS zone: no records, the load balancer still.
    let g = build(&with_bastion(&["us-east-1a"]));
    assert!(names(&g, Kind::DnsRecord).is_empty());
    assert!(names(&g, Kind::LoadBalancer).contains(&want));
}

// ---------------------------------------------------------------------------------------------
// IAM

/// AWS limits IAM role, instance profile and role policy names to 64 characters: with a
/// 60-character cluster name `masters.<C>` is 68, so it is cut with kOps' hash (the expected
/// names are what kOps' `IAMName` gives, computed outside kops6), and the load balancer and
/// target group names keep to 32.
#[test]
fn a_sixty_character_cluster_name_gives_iam_names_of_at_most_64() {
    let long = "a-cluster-name-of-sixty-characters-for-the-limit.example.com";
    assert_eq!(long.len(), 60);
    let set = set_from(&NewClusterOptions {
        name: long.into(),
        bastion: true,
        ..options(&["us-east-1a"])
    });
    let g = build_with(&set, &full_inputs());
    let want = [
        "masters.a-cluster-name-of-sixty-characters-for-the-limit.-hlvanc",
        "nodes.a-cluster-name-of-sixty-characters-for-the-limit.ex-891bgf",
        "bastions.a-cluster-name-of-sixty-characters-for-the-limit-0cejf7",
    ];
    for kind in [Kind::IamRole, Kind::IamInstanceProfile] {
        assert_eq!(names(&g, kind), want.to_vec(), "{kind}");
    }
    // The bastion role has no policy (bastions do not bootstrap).
    assert_eq!(names(&g, Kind::IamRolePolicy), want[..2].to_vec());
    for n in want {
        assert_eq!(n.len(), 64, "{n}");
    }
    // The launch templates and profiles refer to the cut names.
    let lt = launch_template(&g, &format!("control-plane-us-east-1a.masters.{long}"));
    assert_eq!(
        lt.instance_profile,
        Value::Ref(Key::new(Kind::IamInstanceProfile, want[0]))
    );
    let Spec::IamInstanceProfile { role } = &get(&g, Kind::IamInstanceProfile, want[1]).spec else {
        panic!()
    };
    assert_eq!(role, &Value::Ref(Key::new(Kind::IamRole, want[1])));
    assert_eq!(kops6_model::iam_name(long, Role::Bastion), want[2]);
    // A name that fits is kept as it is.
    assert_eq!(
        kops6_model::iam_name(C, Role::ControlPlane),
        format!("masters.{C}")
    );
    let lb = load_balancer(&g, &format!("bastion.{long}"));
    assert_eq!(lb.aws_name, "bastion-a-cluster-name-of-tp2gab");
    for r in g.of_kind(Kind::TargetGroup) {
        assert!(r.key.name.len() <= 32, "{}", r.key.name);
    }
    for r in g.of_kind(Kind::LoadBalancer) {
        let Spec::LoadBalancer(lb) = &r.spec else {
            panic!()
        };
        assert!(lb.aws_name.len() <= 32, "{}", lb.aws_name);
    }
}

#[test]
fn each_role_gets_a_role_and_an_instance_profile() {
    let g = build(&private_ipv6());
    assert_eq!(
        names(&g, Kind::IamRole),
        vec![format!("masters.{C}"), format!("nodes.{C}")]
    );
    assert_eq!(
        names(&g, Kind::IamInstanceProfile),
        vec![format!("masters.{C}"), format!("nodes.{C}")]
    );
    let Spec::IamInstanceProfile { role } =
        &get(&g, Kind::IamInstanceProfile, &format!("nodes.{C}")).spec
    else {
        panic!()
    };
    assert_eq!(
        role,
        &Value::Ref(Key::new(Kind::IamRole, format!("nodes.{C}")))
    );
    let Spec::IamRole { assume_role_policy } = &get(&g, Kind::IamRole, &format!("nodes.{C}")).spec
    else {
        panic!()
    };
    let trust: serde_json::Value = serde_json::from_str(assume_role_policy).unwrap();
    assert_eq!(
        trust["Statement"][0]["Principal"]["Service"],
        "ec2.amazonaws.com"
    );
    assert_eq!(trust["Statement"][0]["Action"], "sts:AssumeRole");
}

#[test]
fn ipv6_mode_lets_bootstrapping_roles_assign_ipv6_and_the_control_plane_read_interfaces() {
    let mut set = private_ipv6();
    set.cluster.spec.iam = None;
    let g = build(&set);
    let masters = actions(&policy(&g, "masters"));
    assert!(masters.contains("ec2:AssignIpv6Addresses"));
    assert!(masters.contains("ec2:DescribeNetworkInterfaces"));
    assert_eq!(
        actions(&policy(&g, "nodes")),
        BTreeSet::from(["ec2:AssignIpv6Addresses".to_string()])
    );
}

#[test]
fn ipv4_clusters_get_no_ipv6_permissions() {
    let mut set = set_from(&NewClusterOptions {
        ipv6: false,
        topology: Some(Topology::Private),
        ..options(&["us-east-1a"])
    });
    set.cluster.spec.iam = None;
    let g = build(&set);
    assert!(!actions(&policy(&g, "masters")).contains("ec2:AssignIpv6Addresses"));
    assert!(
        !names(&g, Kind::IamRolePolicy).contains(&format!("nodes.{C}")),
        "nothing to grant nodes"
    );
}

#[test]
fn no_policy_grants_a_wildcard_service() {
    let g = build_with(&private_ipv6(), &full_inputs());
    for r in g.of_kind(Kind::IamRolePolicy) {
        let Spec::IamRolePolicy { policy, .. } = &r.spec else {
            panic!()
        };
        let doc: serde_json::Value = serde_json::from_str(policy).unwrap();
        for a in actions(&doc) {
            assert!(!a.ends_with(":*") && a != "*", "{}: {a}", r.key);
        }
    }
}

#[test]
fn state_store_reads_are_scoped_to_each_roles_prefixes() {
    let g = build_with(&private_ipv6(), &full_inputs());
    let objects = |role: &str| -> Vec<String> {
        let p = policy(&g, role);
        p["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["Action"] == serde_json::json!(["s3:GetObject"]))
            .flat_map(|s| {
                s["Resource"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r.as_str().unwrap().to_string())
            })
            .collect()
    };
    assert_eq!(
        objects("masters"),
        vec![format!("arn:aws:s3:::state-bucket/{C}/pki/*")]
    );
    assert_eq!(
        objects("nodes"),
        vec![format!("arn:aws:s3:::state-bucket/{C}/pki/join/nodes/*")]
    );
    let nodes = policy(&g, "nodes");
    let list = nodes["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["Action"] == serde_json::json!(["s3:GetBucketLocation", "s3:ListBucket"]))
        .unwrap();
    assert_eq!(
        list["Condition"]["StringLike"]["s3:prefix"],
        serde_json::json!([format!("{C}/pki/join/nodes/*")])
    );
}

#[test]
fn a_state_store_key_without_a_trailing_slash_grants_that_object_only() {
    let mut inputs = full_inputs();
    if let Some(store) = inputs.state_store.as_mut() {
        store.node_read = vec![format!("{C}/pki/private/node-bootstrap/kubeconfig")];
    }
    let g = build_with(&private_ipv6(), &inputs);
    let nodes = policy(&g, "nodes");
    let statements = nodes["Statement"].as_array().unwrap();
    let get = statements
        .iter()
        .find(|s| s["Action"] == serde_json::json!(["s3:GetObject"]))
        .unwrap();
    assert_eq!(
        get["Resource"],
        serde_json::json!([format!(
            "arn:aws:s3:::state-bucket/{C}/pki/private/node-bootstrap/kubeconfig"
        )])
    );
    let list = statements
        .iter()
        .find(|s| s["Action"] == serde_json::json!(["s3:GetBucketLocation", "s3:ListBucket"]))
        .unwrap();
    assert_eq!(
        list["Condition"]["StringLike"]["s3:prefix"],
        serde_json::json!([format!("{C}/pki/private/node-bootstrap/kubeconfig")])
    );
}

#[test]
fn allow_container_registry_grants_ecr_reads() {
    let g = build(&private_ipv6());
    assert!(actions(&policy(&g, "nodes")).contains("ecr:GetAuthorizationToken"));
    assert!(actions(&policy(&g, "masters")).contains("ecr:BatchGetImage"));
}

// ---------------------------------------------------------------------------------------------
// Key pair

#[test]
fn a_given_ssh_key_becomes_key_pair_kubernetes_cluster_fingerprint() {
    let g = build_with(&private_ipv6(), &full_inputs());
    let name = format!("kubernetes.{C}-26:b0:a5:54:51:d8:78:25:d7:9f:f4:8c:6f:e1:af:63");
    let r = get(&g, Kind::KeyPair, &name);
    assert_eq!(
        r.spec,
        Spec::KeyPair {
            public_key: KEY.rsplit_once(' ').unwrap().0.to_string()
        }
    );
    let key = Value::Ref(r.key.clone());
    for n in names(&g, Kind::LaunchTemplate) {
        assert_eq!(launch_template(&g, &n).key_pair.as_ref(), Some(&key));
    }
}

#[test]
fn no_key_pair_without_a_key() {
    let g = build(&private_ipv6());
    assert!(names(&g, Kind::KeyPair).is_empty());
    for n in names(&g, Kind::LaunchTemplate) {
        assert_eq!(launch_template(&g, &n).key_pair, None);
    }
}

#[test]
fn ssh_key_name_uses_the_existing_key_pair() {
    let mut set = private_ipv6();
    set.cluster.spec.ssh_key_name = Some("mine".into());
    let g = build_with(&set, &full_inputs());
    assert!(names(&g, Kind::KeyPair).is_empty());
    assert_eq!(
        launch_template(&g, &format!("nodes-us-east-1a.{C}")).key_pair,
        Some(Value::Shared("mine".into()))
    );
}

// ---------------------------------------------------------------------------------------------
// Launch templates and autoscaling groups

#[test]
fn launch_templates_on_ipv6_subnets_get_an_ipv6_address_and_the_ipv6_metadata_endpoint() {
    let g = build(&private_ipv6());
    for name in [
        format!("control-plane-us-east-1a.masters.{C}"),
        format!("nodes-us-east-1b.{C}"),
    ] {
        let lt = launch_template(&g, &name);
        assert_eq!(lt.ipv6_address_count, 1, "{name}");
        assert_eq!(
            lt.metadata,
            MetadataOptions {
                http_tokens: "required".into(),
                hop_limit: 1,
                ipv6_endpoint: true
            }
        );
        assert!(
            !lt.associate_public_ip,
            "{name}: private subnets get no public IPv4"
        );
    }
}

#[test]
fn ipv4_subnets_get_no_ipv6_address() {
    let set = set_from(&NewClusterOptions {
        ipv6: false,
        topology: Some(Topology::Private),
        ..options(&["us-east-1a"])
    });
    let g = build(&set);
    let lt = launch_template(&g, &format!("nodes-us-east-1a.{C}"));
    assert_eq!(
        (lt.ipv6_address_count, lt.metadata.ipv6_endpoint),
        (0, false)
    );
}

#[test]
fn public_subnets_get_a_public_ipv4_unless_the_group_says_no() {
    let mut set = public_cilium();
    let g = build(&set);
    assert!(launch_template(&g, &format!("nodes-us-east-1a.{C}")).associate_public_ip);
    set.instance_groups
        .iter_mut()
        .for_each(|ig| ig.spec.associate_public_ip = Some(false));
    let g = build(&set);
    assert!(!launch_template(&g, &format!("nodes-us-east-1a.{C}")).associate_public_ip);
}

#[test]
fn launch_template_carries_machine_type_root_volume_groups_and_profile() {
    let g = build(&private_ipv6());
    let lt = launch_template(&g, &format!("control-plane-us-east-1a.masters.{C}"));
    assert_eq!(lt.instance_type, "t3.medium");
    assert_eq!(
        lt.root_volume,
        RootVolume {
            size_gib: 64,
            volume_type: "gp3".into(),
            iops: Some(3000),
            throughput: Some(125),
            encrypted: true
        }
    );
    assert_eq!(lt.security_groups, vec![sg("masters")]);
    assert_eq!(
        lt.instance_profile,
        Value::Ref(Key::new(Kind::IamInstanceProfile, format!("masters.{C}")))
    );
    let node = launch_template(&g, &format!("nodes-us-east-1a.{C}"));
    assert_eq!(node.root_volume.size_gib, 128);
    assert_eq!(node.security_groups, vec![sg("nodes")]);
}

#[test]
fn owner_slash_name_images_are_looked_up_and_ami_ids_are_literal() {
    let mut set = private_ipv6();
    let g = build(&set);
    assert_eq!(
        launch_template(&g, &format!("nodes-us-east-1a.{C}")).image,
        Value::Lookup(Lookup::Image {
            owner: "099720109477".into(),
            name: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250305".into()
        })
    );
    for ig in set.instance_groups.iter_mut() {
        ig.spec.image = Some(if ig.spec.role == InstanceGroupRole::Node {
            "ami-0123456789abcdef0".into()
        } else {
            "ubuntu/ubuntu-*-24.04-amd64-server-*".into()
        });
    }
    let g = build(&set);
    assert_eq!(
        launch_template(&g, &format!("nodes-us-east-1a.{C}")).image,
        Value::Shared("ami-0123456789abcdef0".into())
    );
    assert_eq!(
        launch_template(&g, &format!("control-plane-us-east-1a.masters.{C}")).image,
        Value::Lookup(Lookup::Image {
            owner: "099720109477".into(),
            name: "ubuntu-*-24.04-amd64-server-*".into()
        })
    );
}

#[test]
fn an_image_that_is_neither_ami_nor_owner_name_names_the_group_and_field() {
    let mut set = private_ipv6();
    set.instance_groups[1].spec.image = Some("ubuntu-noble-24.04".into());
    let err = try_build_with(&set, &ClusterInputs::default()).unwrap_err();
    let ModelError::Field { field, message } = err;
    assert_eq!(field, "instancegroup/nodes-us-east-1a: spec.image");
    assert!(message.contains("\"ubuntu-noble-24.04\""), "{message}");
}

#[test]
fn ipv6_mode_judges_the_resolved_image_by_the_debian_and_calico_rules() {
    let g = build(&private_ipv6());
    assert_eq!(
        launch_template(&g, &format!("nodes-us-east-1a.{C}")).image_rules,
        vec![ImageRule::NotDebian, ImageRule::CalicoIpv6Os]
    );
    let g = build(&public_cilium());
    assert_eq!(
        launch_template(&g, &format!("nodes-us-east-1a.{C}")).image_rules,
        vec![ImageRule::NotDebian]
    );
    assert!(!ImageRule::NotDebian.allows("debian-12-amd64-20250101"));
    assert!(ImageRule::NotDebian
        .allows("ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250305"));
    assert!(ImageRule::CalicoIpv6Os
        .allows("ubuntu/images/hvm-ssd-gp3/ubuntu-jammy-22.04-amd64-server-20250305"));
    assert!(!ImageRule::CalicoIpv6Os
        .allows("ubuntu/images/hvm-ssd/ubuntu-focal-20.04-amd64-server-20230101"));
    assert!(ImageRule::CalicoIpv6Os.allows("Flatcar-stable-4081.2.0-hvm"));
    assert!(!ImageRule::CalicoIpv6Os.allows("al2023-ami-2023.6.20250101.0-kernel-6.1-x86_64"));
}

#[test]
fn user_data_comes_from_the_bootstrap_input_and_is_absent_without_it() {
    let g = build_with(&private_ipv6(), &full_inputs());
    assert_eq!(
        launch_template(&g, &format!("nodes-us-east-1a.{C}"))
            .user_data
            .as_deref(),
        Some("#cloud-config nodes-us-east-1a\n")
    );
    let g = build(&private_ipv6());
    assert_eq!(
        launch_template(&g, &format!("nodes-us-east-1a.{C}")).user_data,
        None
    );
}

#[test]
fn autoscaling_groups_have_kops_tags_sizes_subnets_and_the_latest_template() {
    let mut set = private_ipv6();
    let nodes = set
        .instance_groups
        .iter_mut()
        .find(|g| g.metadata.name == "nodes-us-east-1a")
        .unwrap();
    nodes.spec.min_size = Some(2);
    nodes.spec.max_size = Some(5);
    nodes.spec.cloud_labels = BTreeMap::from([("team".to_string(), "net".to_string())]);
    let g = build(&set);
    let name = format!("nodes-us-east-1a.{C}");
    let a = asg(&g, &name);
    assert_eq!((a.min_size, a.max_size), (2, 5));
    assert_eq!(
        a.subnets,
        vec![Value::Ref(Key::new(
            Kind::Subnet,
            format!("us-east-1a.{C}")
        ))]
    );
    assert_eq!(
        a.launch_template,
        Value::Ref(Key::new(Kind::LaunchTemplate, name.clone()))
    );
    assert!(a.target_groups.is_empty());
    let tags = &get(&g, Kind::AutoscalingGroup, &name).tags;
    assert_eq!(tags["kops.k8s.io/instancegroup"], "nodes-us-east-1a");
    assert_eq!(tags["k8s.io/role/node"], "1");
    assert_eq!(tags["team"], "net");
    assert_eq!(tags["Name"], name);
    let cp = format!("control-plane-us-east-1a.masters.{C}");
    let tags = &get(&g, Kind::AutoscalingGroup, &cp).tags;
    assert_eq!(
        (
            tags["k8s.io/role/control-plane"].as_str(),
            tags["k8s.io/role/master"].as_str()
        ),
        ("1", "1")
    );
}

#[test]
fn control_plane_groups_register_in_the_api_target_group() {
    let g = build(&private_ipv6());
    let tg = names(&g, Kind::TargetGroup);
    assert_eq!(tg, vec!["tcp-ipv6-example-com".to_string()]);
    let a = asg(&g, &format!("control-plane-us-east-1a.masters.{C}"));
    assert_eq!(
        a.target_groups,
        vec![Value::Ref(Key::new(
            Kind::TargetGroup,
            "tcp-ipv6-example-com"
        ))]
    );
    assert_eq!(
        a.subnets,
        vec![Value::Ref(Key::new(
            Kind::Subnet,
            format!("dualstack-us-east-1a.{C}")
        ))]
    );
}

// ---------------------------------------------------------------------------------------------
// etcd volumes

#[test]
fn each_control_plane_zone_gets_an_encrypted_gp3_etcd_volume_tagged_for_its_instance() {
    let g = build(&ha_dns());
    let hc = "ha.example.com";
    assert_eq!(
        names(&g, Kind::EbsVolume),
        ["us-east-1a", "us-east-1b", "us-east-1c"]
            .map(|z| format!("{z}.etcd-main.{hc}"))
            .to_vec()
    );
    let r = get(&g, Kind::EbsVolume, &format!("us-east-1b.etcd-main.{hc}"));
    assert_eq!(
        r.spec,
        Spec::EbsVolume(EbsVolumeSpec {
            zone: "us-east-1b".into(),
            size_gib: 20,
            volume_type: "gp3".into(),
            iops: 3000,
            throughput: 125,
            encrypted: true
        })
    );
    assert_eq!(r.tags["k8s.io/etcd/main"], "b/a,b,c");
    assert_eq!(r.tags["k8s.io/role/control-plane"], "1");
}

#[test]
fn several_control_plane_members_in_one_zone_get_numbered_volumes() {
    let set = set_from(&NewClusterOptions {
        control_plane_count: Some(3),
        ..options(&["us-east-1a"])
    });
    let g = build(&set);
    assert_eq!(
        names(&g, Kind::EbsVolume),
        ["1", "2", "3"]
            .map(|n| format!("us-east-1a-{n}.etcd-main.{C}"))
            .to_vec()
    );
    let r = get(&g, Kind::EbsVolume, &format!("us-east-1a-2.etcd-main.{C}"));
    // create cluster names several members of one zone as kOps does: etcd-1, etcd-2, ...
    assert_eq!(r.tags["k8s.io/etcd/main"], "etcd-2/etcd-1,etcd-2,etcd-3");
}

// ---------------------------------------------------------------------------------------------
// API load balancer and DNS

#[test]
fn the_api_load_balancer_is_a_dualstack_nlb_in_one_utility_subnet_per_zone() {
    let g = build(&private_ipv6());
    let r = get(&g, Kind::LoadBalancer, &format!("api.{C}"));
    let Spec::LoadBalancer(lb) = &r.spec else {
        panic!()
    };
    assert_eq!(lb.aws_name, "api-ipv6-example-com");
    assert!(lb.dualstack && !lb.internal && !lb.cross_zone);
    assert_eq!(
        lb.subnets,
        ["utility-us-east-1a", "utility-us-east-1b"]
            .map(|s| Value::Ref(Key::new(Kind::Subnet, format!("{s}.{C}"))))
            .to_vec()
    );
    assert_eq!(lb.security_groups, vec![sg("api-elb")]);
    let Spec::Listener {
        port,
        target_group,
        load_balancer,
    } = &get(&g, Kind::Listener, &format!("api.{C}-443")).spec
    else {
        panic!()
    };
    assert_eq!(
        (*port, target_group, load_balancer),
        (
            443,
            &Value::Ref(Key::new(Kind::TargetGroup, "tcp-ipv6-example-com")),
            &Value::Ref(r.key.clone())
        )
    );
    let Spec::TargetGroup(tg) = &get(&g, Kind::TargetGroup, "tcp-ipv6-example-com").spec else {
        panic!()
    };
    assert_eq!(
        (
            tg.port,
            tg.healthy_threshold,
            tg.unhealthy_threshold,
            tg.interval_seconds
        ),
        (443, 2, 2, 10)
    );
}

#[test]
fn a_load_balancer_subnet_without_ipv6_makes_it_ipv4() {
    let mut set = private_ipv6();
    set.cluster
        .spec
        .subnets
        .iter_mut()
        .filter(|s| s.subnet_type == SubnetType::Utility)
        .take(1)
        .for_each(|s| s.ipv6_cidr = None);
    let g = build(&set);
    let Spec::LoadBalancer(lb) = &get(&g, Kind::LoadBalancer, &format!("api.{C}")).spec else {
        panic!()
    };
    assert!(!lb.dualstack);
}

#[test]
fn an_internal_load_balancer_uses_the_dualstack_subnets() {
    let mut set = private_ipv6();
    set.cluster
        .spec
        .api
        .as_mut()
        .unwrap()
        .load_balancer
        .as_mut()
        .unwrap()
        .lb_type = LoadBalancerType::Internal;
    let g = build(&set);
    let Spec::LoadBalancer(lb) = &get(&g, Kind::LoadBalancer, &format!("api.{C}")).spec else {
        panic!()
    };
    assert!(lb.internal);
    assert_eq!(
        lb.subnets,
        ["dualstack-us-east-1a", "dualstack-us-east-1b"]
            .map(|s| Value::Ref(Key::new(Kind::Subnet, format!("{s}.{C}"))))
            .to_vec()
    );
}

#[test]
fn classic_load_balancers_are_an_error_naming_the_field() {
    let mut set = private_ipv6();
    set.cluster
        .spec
        .api
        .as_mut()
        .unwrap()
        .load_balancer
        .as_mut()
        .unwrap()
        .class = Some(LoadBalancerClass::Classic);
    let ModelError::Field { field, .. } =
        try_build_with(&set, &ClusterInputs::default()).unwrap_err();
    assert_eq!(field, "spec.api.loadBalancer.class");
}

#[test]
fn long_cluster_names_give_32_character_load_balancer_names() {
    let set = set_from(&NewClusterOptions {
        name: "a-rather-long-cluster-name.k8s.example.com".into(),
        ..options(&["us-east-1a"])
    });
    let g = build(&set);
    let Spec::LoadBalancer(lb) = &g.of_kind(Kind::LoadBalancer).next().unwrap().spec else {
        panic!()
    };
    assert_eq!(lb.aws_name.len(), 32);
    let Spec::TargetGroup(tg) = &g.of_kind(Kind::TargetGroup).next().unwrap().spec else {
        panic!()
    };
    assert_eq!(tg.aws_name.len(), 32);
}

#[test]
fn a_dns_zone_gives_api_a_and_aaaa_aliases_to_the_load_balancer() {
    let g = build(&ha_dns());
    let hc = "ha.example.com";
    assert_eq!(
        names(&g, Kind::DnsRecord),
        vec![format!("api.{hc}"), format!("api.{hc}-AAAA")]
    );
    for (key, t) in [
        (format!("api.{hc}"), RecordType::A),
        (format!("api.{hc}-AAAA"), RecordType::Aaaa),
    ] {
        let Spec::DnsRecord(r) = &get(&g, Kind::DnsRecord, &key).spec else {
            panic!()
        };
        assert_eq!(r.record_type, t);
        assert_eq!(r.name, format!("api.{hc}"));
        assert_eq!(
            r.zone,
            Value::Lookup(Lookup::HostedZone {
                name: "example.com".into(),
                private: false
            })
        );
        assert_eq!(
            r.alias_to,
            Value::Ref(Key::new(Kind::LoadBalancer, format!("api.{hc}")))
        );
    }
}

#[test]
fn dns_type_none_or_no_zone_gives_no_records() {
    let mut set = ha_dns();
    set.cluster.spec.topology.as_mut().unwrap().dns = Some(DnsSpec {
        dns_type: DnsType::None,
    });
    assert!(names(&build(&set), Kind::DnsRecord).is_empty());
    assert!(names(&build(&private_ipv6()), Kind::DnsRecord).is_empty());
}

// ---------------------------------------------------------------------------------------------
// Specs used above

fn public_cilium() -> ClusterSpecSet {
    set_from(&NewClusterOptions {
        topology: Some(Topology::Public),
        networking: Some("cilium".into()),
        ..options(&["us-east-1a"])
    })
}

fn ha_dns() -> ClusterSpecSet {
    set_from(&NewClusterOptions {
        name: "ha.example.com".into(),
        control_plane_count: Some(3),
        dns: Some(DnsType::Public),
        dns_zone: Some("example.com".into()),
        ..options(&["us-east-1a", "us-east-1b", "us-east-1c"])
    })
}

fn full_inputs() -> ClusterInputs {
    let groups = [
        "control-plane-us-east-1a",
        "control-plane-us-east-1b",
        "control-plane-us-east-1c",
        "nodes-us-east-1a",
        "nodes-us-east-1b",
        "nodes-us-east-1c",
    ];
    ClusterInputs {
        ssh_public_key: Some(SshPublicKey::parse(KEY).unwrap()),
        user_data: groups
            .iter()
            .map(|g| (g.to_string(), format!("#cloud-config {g}\n")))
            .collect(),
        state_store: Some(StateStoreAccess {
            bucket: "state-bucket".into(),
            control_plane_read: vec![format!("{C}/pki/")],
            node_read: vec![format!("{C}/pki/join/nodes/")],
        }),
        user_data_needs_api_load_balancer: false,
    }
}

// ---------------------------------------------------------------------------------------------
// Any cluster `create cluster` can make

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Whatever `create cluster` makes builds into a well-formed graph: unique keys, every
    /// reference to an earlier resource, one launch template and autoscaling group per instance
    /// group, one etcd volume per control-plane member, the same graph twice.
    #[test]
    fn every_created_cluster_builds_a_well_formed_graph(
        zones in 1usize..=3,
        public in proptest::bool::ANY,
        calico in proptest::bool::ANY,
        bastion in proptest::bool::ANY,
        control_plane in 1u32..=3,
        dns in proptest::bool::ANY,
        key in proptest::bool::ANY,
    ) {
        let all = ["us-east-1a", "us-east-1b", "us-east-1c"];
        let set = set_from(&NewClusterOptions {
            topology: Some(if public { Topology::Public } else { Topology::Private }),
            networking: Some(if calico { "calico" } else { "cilium" }.into()),
            bastion: bastion && !public,
            control_plane_count: Some(control_plane),
            dns: dns.then_some(DnsType::Public),
            dns_zone: dns.then(|| "example.com".to_string()),
            ..options(&all[..zones])
        });
        let inputs = if key { full_inputs() } else { ClusterInputs::default() };
        let g = build_with(&set, &inputs);
        let mut seen = BTreeSet::new();
        for r in &g.resources {
            for dep in r.dependencies() {
                proptest::prop_assert!(seen.contains(dep), "{} refers to {dep} first", r.key);
            }
            proptest::prop_assert!(seen.insert(r.key.clone()), "{} twice", r.key);
        }
        proptest::prop_assert_eq!(names(&g, Kind::LaunchTemplate).len(), set.instance_groups.len());
        proptest::prop_assert_eq!(names(&g, Kind::AutoscalingGroup).len(), set.instance_groups.len());
        proptest::prop_assert_eq!(names(&g, Kind::EbsVolume).len(), control_plane as usize);
        // Records alias the API load balancer; `create cluster` gives a public topology with a
        // DNS zone `api.dns` instead, which has none.
        let lbs = names(&g, Kind::LoadBalancer);
        let lb = lbs.contains(&format!("api.{C}"));
        let with_bastion = bastion && !public;
        proptest::prop_assert_eq!(lb, !(public && dns));
        proptest::prop_assert_eq!(lbs.len(), usize::from(lb) + usize::from(with_bastion));
        // The bastion's public name too, with a DNS zone.
        let records = 2 * (usize::from(dns && lb) + usize::from(dns && with_bastion));
        proptest::prop_assert_eq!(names(&g, Kind::DnsRecord).len(), records);
        proptest::prop_assert_eq!(names(&g, Kind::KeyPair).len(), usize::from(key));
        proptest::prop_assert_eq!(&g, &build_with(&set, &inputs));
    }
}

#[test]
fn user_data_templates_refer_to_the_api_load_balancer_so_they_come_after_it() {
    let inputs = ClusterInputs {
        user_data_needs_api_load_balancer: true,
        ..full_inputs()
    };
    let g = build_with(&private_ipv6(), &inputs);
    let lb = Key::new(Kind::LoadBalancer, names(&g, Kind::LoadBalancer)[0].clone());
    for name in names(&g, Kind::LaunchTemplate) {
        let lt = launch_template(&g, &name);
        assert_eq!(
            lt.user_data_api_load_balancer,
            Some(Value::Ref(lb.clone())),
            "{name}"
        );
        assert!(get(&g, Kind::LaunchTemplate, &name)
            .dependencies()
            .contains(&&lb));
    }
    let plain = build_with(&private_ipv6(), &full_inputs());
    for name in names(&plain, Kind::LaunchTemplate) {
        assert_eq!(
            launch_template(&plain, &name).user_data_api_load_balancer,
            None
        );
    }
}

#[test]
fn user_data_templates_without_an_api_load_balancer_are_an_error() {
    let mut set = private_ipv6();
    set.cluster.spec.api = Some(ApiSpec {
        dns: Some(Default::default()),
        ..Default::default()
    });
    let inputs = ClusterInputs {
        user_data_needs_api_load_balancer: true,
        ..full_inputs()
    };
    let err = try_build_with(&set, &inputs).unwrap_err().to_string();
    assert!(err.starts_with("spec.api.loadBalancer: "), "{err}");
}
