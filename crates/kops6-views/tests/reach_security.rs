//! `reach` with security groups (SPEC 7 rules, SPEC 9): egress at the sending instance's groups,
//! ingress at the receiver's (group to group, CIDR, prefix list, behind the API load balancer),
//! the exact reasons, and a table of every subnet type × egress kind × security-group outcome.

mod common;

use std::net::{Ipv4Addr, Ipv6Addr};

use common::*;
use kops6_api::new_cluster::NewClusterOptions;
use kops6_api::types::{AccessSource, Egress};
use kops6_model::specs::{Direction, Protocol, RuleSource, SecurityGroupRuleSpec};
use kops6_model::{Key, Kind, Spec, Value};
use kops6_views::reach::{From, To};
use kops6_views::{reach, Answer, Query, QueryProtocol, ReachError, Step, Topology};

use Step::*;

struct Ask<'a> {
    from: &'a str,
    to: &'a str,
    a: &'a [&'a str],
    port: Option<u16>,
    protocol: QueryProtocol,
    group: Option<&'a str>,
}

impl<'a> Ask<'a> {
    fn new(from: &'a str, to: &'a str) -> Self {
        Self {
            from,
            to,
            a: &[],
            port: None,
            protocol: QueryProtocol::Tcp,
            group: None,
        }
    }
    fn a(mut self, a: &'a [&'a str]) -> Self {
        self.a = a;
        self
    }
    fn port(mut self, p: u16) -> Self {
        self.port = Some(p);
        self
    }
    fn group(mut self, g: &'a str) -> Self {
        self.group = Some(g);
        self
    }
    fn protocol(mut self, p: QueryProtocol) -> Self {
        self.protocol = p;
        self
    }
    fn try_on(&self, topo: &Topology) -> Result<Answer, ReachError> {
        let a: Vec<Ipv4Addr> = self.a.iter().map(|s| s.parse().unwrap()).collect();
        let query = Query {
            from: From::parse(self.from),
            to: To::parse(self.to, a, Vec::<Ipv6Addr>::new())?,
            port: self.port,
            protocol: self.protocol,
            group: self.group.map(str::to_string),
        };
        reach(topo, &query)
    }
    #[track_caller]
    fn on(&self, topo: &Topology) -> Answer {
        let answer = self
            .try_on(topo)
            .unwrap_or_else(|e| panic!("reach failed: {e}"));
        assert_eq!(answer.reachable, answer.reason.is_none(), "{answer:#?}");
        assert_eq!(answer.reachable, answer.assumption.is_some(), "{answer:#?}");
        answer
    }
}

fn sg(a: &Answer) -> Vec<&Hop> {
    a.hops.iter().filter(|h| h.step == SecurityGroup).collect()
}

use kops6_views::Hop;

fn steps(a: &Answer) -> Vec<Step> {
    a.hops.iter().map(|h| h.step).collect()
}

#[track_caller]
fn blocked(a: &Answer, reason: &str) {
    assert!(!a.reachable, "expected unreachable, got {a:#?}");
    assert_eq!(a.reason.as_deref(), Some(reason));
}

fn sg_key(prefix: &str) -> Key {
    Key::new(Kind::SecurityGroup, format!("{prefix}.{C}"))
}

/// Drops `direction` rules of group `prefix` (all groups when `None`).
fn drop_rules(built: &mut Built, prefix: Option<&str>, direction: Direction) {
    let wanted = prefix.map(|p| Value::Ref(sg_key(p)));
    built.graph.resources.retain(|r| match &r.spec {
        Spec::SecurityGroupRule(rule) => {
            !(rule.direction == direction && wanted.as_ref().is_none_or(|w| &rule.group == w))
        }
        _ => true,
    });
}

fn add_rule(built: &mut Built, name: &str, rule: SecurityGroupRuleSpec) {
    built.graph.resources.push(kops6_model::Resource {
        key: Key::new(Kind::SecurityGroupRule, name),
        spec: Spec::SecurityGroupRule(rule),
        tags: Default::default(),
        why: kops6_model::Why::new("test", "test"),
        after: Vec::new(),
    });
}

fn egress_rule(
    prefix: &str,
    protocol: Protocol,
    ports: (i32, i32),
    to: RuleSource,
) -> SecurityGroupRuleSpec {
    SecurityGroupRuleSpec {
        group: Value::Ref(sg_key(prefix)),
        direction: Direction::Egress,
        protocol,
        from_port: ports.0,
        to_port: ports.1,
        source: to,
    }
}

const DB: &str = "db.example.org";
const CP_A: &str = "control-plane-us-east-1a";
const NODES_A: &str = "nodes-us-east-1a";
/// Where `create cluster --ipv6` puts the control plane: the zone's dual-stack subnet.
const CP_SUBNET: &str = "dualstack-us-east-1a";

// ---------------------------------------------------------------------------------------------
// Egress

#[test]
fn egress_allowed_by_the_everywhere_rule_names_the_group_and_the_rule() {
    let topo = build(&private_ipv6(&[A])).topology();
    let a = Ask::new(NODES_A, DB).a(&["10.0.0.1"]).port(5432).on(&topo);
    assert!(a.reachable);
    assert_eq!(
        steps(&a),
        [
            Source,
            Source,
            Dns64,
            SecurityGroup,
            Route,
            Nat64,
            Source,
            Route,
            Gateway,
            Internet
        ]
    );
    let hop = sg(&a)[0];
    assert_eq!(
        hop.detail,
        "instance group nodes-us-east-1a: security group nodes.ipv6.example.com allows tcp/5432 out to 64:ff9b::a00:1 (stateful: replies come back)"
    );
    assert_eq!(
        hop.resource.as_deref(),
        Some("SecurityGroupRule/from-nodes.ipv6.example.com-egress-all-0to0-::/0")
    );
}

#[test]
fn egress_without_a_matching_rule_stops_at_the_security_group_with_the_exact_reason() {
    let mut built = build(&private_ipv6(&[A]));
    drop_rules(&mut built, Some("nodes"), Direction::Egress);
    add_rule(
        &mut built,
        "nodes-https-out",
        egress_rule(
            "nodes",
            Protocol::Tcp,
            (443, 443),
            RuleSource::Ipv6("::/0".parse().unwrap()),
        ),
    );
    let topo = built.topology();
    let a = Ask::new(NODES_A, DB).a(&["10.0.0.1"]).port(5432).on(&topo);
    blocked(
        &a,
        "security group nodes.ipv6.example.com has no egress rule for tcp/5432 to 64:ff9b::a00:1",
    );
    assert_eq!(steps(&a), [Source, Source, Dns64, SecurityGroup]);
    assert_eq!(
        a.hops[3].resource.as_deref(),
        Some("SecurityGroup/nodes.ipv6.example.com")
    );
    // The port the rule opens gets through.
    let https = Ask::new(NODES_A, DB).a(&["10.0.0.1"]).port(443).on(&topo);
    assert!(https.reachable, "{https:#?}");
    assert_eq!(
        sg(&https)[0].resource.as_deref(),
        Some("SecurityGroupRule/nodes-https-out")
    );
    // Without --port any tcp rule counts, and the answer says so.
    let any = Ask::new(NODES_A, DB).a(&["10.0.0.1"]).on(&topo);
    assert!(
        sg(&any)[0].detail.contains("allows tcp (any port) out"),
        "{any:#?}"
    );
    // udp has no rule.
    let udp = Ask::new(NODES_A, DB)
        .a(&["10.0.0.1"])
        .port(53)
        .protocol(QueryProtocol::Udp)
        .on(&topo);
    blocked(
        &udp,
        "security group nodes.ipv6.example.com has no egress rule for udp/53 to 64:ff9b::a00:1",
    );
}

#[test]
fn egress_cidr_rules_match_by_family_and_prefix() {
    let mut built = build(&private_ipv6(&[A]));
    drop_rules(&mut built, Some("nodes"), Direction::Egress);
    add_rule(
        &mut built,
        "nodes-to-registry",
        egress_rule(
            "nodes",
            Protocol::All,
            (0, 0),
            RuleSource::Ipv6("2001:db8:1::/48".parse().unwrap()),
        ),
    );
    let topo = built.topology();
    let inside = Ask::new(NODES_A, "2001:db8:1::10").port(443).on(&topo);
    assert!(inside.reachable, "{inside:#?}");
    let outside = Ask::new(NODES_A, "2001:db8:2::10").port(443).on(&topo);
    blocked(
        &outside,
        "security group nodes.ipv6.example.com has no egress rule for tcp/443 to 2001:db8:2::10",
    );
    // An IPv6 rule never lets NAT64's IPv4 side decide: the instance sends IPv6 to 64:ff9b::.
    let nat64 = Ask::new(NODES_A, DB).a(&["192.0.2.1"]).port(443).on(&topo);
    blocked(
        &nat64,
        "security group nodes.ipv6.example.com has no egress rule for tcp/443 to 64:ff9b::c000:201",
    );
}

#[test]
fn egress_to_a_prefix_list_is_reachable_only_if_the_list_holds_the_address() {
    let mut built = build(&private_ipv6(&[A]));
    drop_rules(&mut built, Some("nodes"), Direction::Egress);
    add_rule(
        &mut built,
        "nodes-to-pl",
        egress_rule(
            "nodes",
            Protocol::Tcp,
            (443, 443),
            RuleSource::PrefixList("pl-0123456789abcdef0".into()),
        ),
    );
    let a = Ask::new(NODES_A, "2001:db8::1")
        .port(443)
        .on(&built.topology());
    assert!(a.reachable);
    assert_eq!(
        a.assumption.as_deref(),
        Some("only if prefix list pl-0123456789abcdef0 (rule SecurityGroupRule/nodes-to-pl) holds 2001:db8::1: its entries are not known offline; network ACLs allow it (kops6 leaves the VPC's default ACL, which allows all traffic)")
    );
}

#[test]
fn a_security_group_named_by_id_is_not_guessed() {
    let mut built = build(&private_ipv6(&[A]));
    for r in &mut built.graph.resources {
        if let Spec::LaunchTemplate(lt) = &mut r.spec {
            if lt.instance_group == NODES_A {
                lt.security_groups = vec![Value::Shared("sg-0123456789abcdef0".into())];
            }
        }
    }
    let a = Ask::new(NODES_A, "2001:db8::1")
        .port(443)
        .on(&built.topology());
    assert!(a.reachable);
    assert!(
        a.assumption
            .as_deref()
            .unwrap()
            .starts_with("security group sg-0123456789abcdef0 is not kops6's: its rules are not known, so only if it allows tcp/443"),
        "{a:#?}"
    );
}

#[test]
fn a_subnet_without_instance_groups_has_no_security_group_check_and_says_why() {
    let topo = build(&private_ipv6(&[A])).topology();
    let a = Ask::new("utility-us-east-1a", "2001:db8::1").on(&topo);
    assert!(a.reachable);
    assert_eq!(
        sg(&a)[0].detail,
        "no security group check: no instance group runs in this subnet, so kops6 knows no instance there or its groups"
    );
    assert_eq!(sg(&a)[0].resource, None);
    assert!(a.assumption.as_deref().unwrap().starts_with(
        "an instance launched in the subnet outside kops6 has security groups that allow it"
    ));
}

#[test]
fn icmp_asks_about_an_echo_request_and_takes_no_port() {
    let topo = build(&private_ipv6(&[A])).topology();
    let ping = Ask::new(NODES_A, "2001:db8::1")
        .protocol(QueryProtocol::Icmp)
        .on(&topo);
    assert!(ping.reachable);
    assert!(sg(&ping)[0]
        .detail
        .contains("allows icmpv6 echo request out to 2001:db8::1"));
    let err = Ask::new(NODES_A, "2001:db8::1")
        .protocol(QueryProtocol::Icmp)
        .port(1)
        .try_on(&topo)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "--port: icmp has no ports; leave --port out (icmp asks about an echo request)"
    );
}

// ---------------------------------------------------------------------------------------------
// Which group sends

#[test]
fn groups_sharing_a_subnet_are_traced_once_when_their_answers_agree() {
    let topo = build(&public_ipv6(&[A])).topology();
    let a = Ask::new(A, "2001:db8::1").port(443).on(&topo);
    assert!(a.reachable);
    assert_eq!(
        sg(&a)[0].detail,
        "instance group control-plane-us-east-1a: security group masters.ipv6.example.com allows tcp/443 out to 2001:db8::1 (stateful: replies come back) \
         (traced for instance group control-plane-us-east-1a; instance group nodes-us-east-1a in the same subnet gives the same verdict: --group NAME to trace it)"
    );
}

#[test]
fn groups_sharing_a_subnet_whose_answers_differ_need_group() {
    let mut built = build(&public_ipv6(&[A]));
    drop_rules(&mut built, Some("nodes"), Direction::Egress);
    let topo = built.topology();
    let err = Ask::new(A, "2001:db8::1")
        .port(443)
        .try_on(&topo)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "--from: instance groups with different security groups run in subnet us-east-1a, and their answers differ \
         (instance group control-plane-us-east-1a: reachable, instance group nodes-us-east-1a: not reachable): choose one with --group NAME"
    );
    let nodes = Ask::new(A, "2001:db8::1")
        .port(443)
        .group(NODES_A)
        .on(&topo);
    blocked(
        &nodes,
        "security group nodes.ipv6.example.com has no egress rule for tcp/443 to 2001:db8::1",
    );
    assert!(
        Ask::new(A, "2001:db8::1")
            .port(443)
            .group(CP_A)
            .on(&topo)
            .reachable
    );
    assert_eq!(
        Ask::new(A, "2001:db8::1").group("bastions").try_on(&topo).unwrap_err().to_string(),
        "--group: \"bastions\" is not an instance group running in subnet us-east-1a (there: control-plane-us-east-1a, nodes-us-east-1a)"
    );
}

// ---------------------------------------------------------------------------------------------
// Ingress inside the VPC (group to group)

#[test]
fn nodes_reach_the_control_plane_on_the_api_port_but_not_on_etcd() {
    let topo = build(&private_ipv6(&[A])).topology();
    let api = Ask::new(NODES_A, CP_A).port(443).on(&topo);
    assert!(api.reachable, "{api:#?}");
    assert_eq!(
        steps(&api),
        [Source, Source, SecurityGroup, Route, SecurityGroup, Local]
    );
    assert_eq!(
        api.hops[4].detail,
        "instance group control-plane-us-east-1a: security group masters.ipv6.example.com allows tcp/443 in from instance group nodes-us-east-1a (subnet us-east-1a, security group nodes.ipv6.example.com)"
    );
    assert_eq!(
        api.hops[4].resource.as_deref(),
        Some("SecurityGroupRule/from-nodes.ipv6.example.com-ingress-tcp-1to2379-masters.ipv6.example.com")
    );
    let etcd = Ask::new(NODES_A, CP_A).port(2380).on(&topo);
    blocked(
        &etcd,
        "security group masters.ipv6.example.com has no ingress rule for tcp/2380 from instance group nodes-us-east-1a (subnet us-east-1a, security group nodes.ipv6.example.com)",
    );
    // The control plane reaches the nodes on everything, etcd's ports included.
    let back = Ask::new(CP_A, NODES_A).port(2380).on(&topo);
    assert!(back.reachable, "{back:#?}");
    assert_eq!(
        back.hops[4].resource.as_deref(),
        Some("SecurityGroupRule/from-masters.ipv6.example.com-ingress-all-0to0-nodes.ipv6.example.com")
    );
}

#[test]
fn an_address_in_a_subnet_with_several_groups_is_reachable_only_for_the_groups_that_admit_it() {
    let built = build(&private_ipv4(&[A]));
    let topo = built.topology();
    let cp = topo.group(CP_A).unwrap();
    let dest = topo.subnet(&cp.subnets[0]).unwrap();
    let addr = dest.ipv4.unwrap().hosts().nth(9).unwrap().to_string();
    assert!(topo.groups_in(&dest.name).any(|g| g.name == NODES_A));
    let a = Ask::new(NODES_A, &addr).port(2380).on(&topo);
    assert!(a.reachable, "{a:#?}");
    let ingress = sg(&a)[1];
    assert!(
        ingress
            .detail
            .contains("security group masters.ipv6.example.com has no ingress rule for tcp/2380"),
        "{ingress:#?}"
    );
    assert!(
        a.assumption.as_deref().unwrap().starts_with(&format!(
            "the receiving instance in subnet {} belongs to instance group nodes-us-east-1a, not to a group whose security group drops it",
            dest.name
        )),
        "{a:#?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Inbound from the internet

#[test]
fn the_api_load_balancer_path_checks_both_security_groups() {
    let topo = build(&private_ipv6(&[A])).topology();
    let a = Ask::new("internet", CP_SUBNET).port(443).on(&topo);
    assert!(a.reachable, "{a:#?}");
    assert_eq!(
        steps(&a),
        [
            Source,
            Gateway,
            SecurityGroup,
            LoadBalancer,
            SecurityGroup,
            Local
        ]
    );
    assert_eq!(
        a.hops[2].detail,
        "the API load balancer api-ipv6-example-com: security group api-elb.ipv6.example.com allows tcp/443 in from the internet (any host)"
    );
    assert_eq!(
        a.hops[2].resource.as_deref(),
        Some("SecurityGroupRule/from-::/0-ingress-tcp-443to443-api-elb.ipv6.example.com")
    );
    assert_eq!(
        a.hops[4].detail,
        "instance group control-plane-us-east-1a: security group masters.ipv6.example.com allows tcp/443 in from the load balancer's security group api-elb.ipv6.example.com"
    );
    assert_eq!(
        a.hops[4].resource.as_deref(),
        Some("SecurityGroupRule/https-elb-to-master")
    );
}

#[test]
fn kubernetes_api_access_narrows_who_gets_through_the_load_balancer() {
    let mut set = private_ipv6(&[A]);
    set.cluster.spec.kubernetes_api_access =
        vec![AccessSource::Cidr("2001:db8:7::/48".parse().unwrap())];
    let topo = build(&set).topology();
    let any = Ask::new("internet", CP_SUBNET).port(443).on(&topo);
    assert!(any.reachable);
    assert_eq!(
        any.assumption.as_deref(),
        Some("only from hosts in 2001:db8:7::/48 (rule SecurityGroupRule/from-2001:db8:7::/48-ingress-tcp-443to443-api-elb.ipv6.example.com); network ACLs allow it (kops6 leaves the VPC's default ACL, which allows all traffic)")
    );
    let inside = Ask::new("2001:db8:7::9", CP_SUBNET).port(443).on(&topo);
    assert!(inside.reachable, "{inside:#?}");
    assert_eq!(
        inside.hops[0].detail,
        "a host on the internet at 2001:db8:7::9, to subnet dualstack-us-east-1a (DualStack, us-east-1a), port 443"
    );
    let outside = Ask::new("2001:db8:8::9", CP_SUBNET).port(443).on(&topo);
    blocked(
        &outside,
        "security group api-elb.ipv6.example.com has no ingress rule for tcp/443 from 2001:db8:8::9 (kubernetesApiAccess)",
    );
    let v4 = Ask::new("198.51.100.7", CP_SUBNET).port(443).on(&topo);
    blocked(
        &v4,
        "security group api-elb.ipv6.example.com has no ingress rule for tcp/443 from 198.51.100.7 (kubernetesApiAccess)",
    );
}

#[test]
fn a_prefix_list_in_kubernetes_api_access_is_not_guessed() {
    let mut set = private_ipv6(&[A]);
    set.cluster.spec.kubernetes_api_access =
        vec![AccessSource::PrefixList("pl-0123456789abcdef0".into())];
    let topo = build(&set).topology();
    let a = Ask::new("203.0.113.9", CP_SUBNET).port(443).on(&topo);
    assert!(a.reachable);
    assert!(a.assumption.as_deref().unwrap().starts_with(
        "only if prefix list pl-0123456789abcdef0 (rule SecurityGroupRule/from-pl-0123456789abcdef0-ingress-tcp-443to443-api-elb.ipv6.example.com) holds 203.0.113.9: its entries are not known offline"
    ), "{a:#?}");
}

#[test]
fn public_instances_admit_ssh_from_ssh_access_and_nothing_else() {
    let topo = build(&public_ipv6(&[A])).topology();
    let ssh = Ask::new("internet", A).port(22).on(&topo);
    assert!(ssh.reachable, "{ssh:#?}");
    assert_eq!(steps(&ssh), [Source, Gateway, SecurityGroup, Local]);
    let web = Ask::new("internet", A).port(8080).on(&topo);
    blocked(
        &web,
        "security group masters.ipv6.example.com has no ingress rule for tcp/8080 from the internet (any host); \
         security group nodes.ipv6.example.com has no ingress rule for tcp/8080 from the internet (any host)",
    );
}

#[test]
fn ssh_from_the_internet_reaches_the_bastion_only_through_its_load_balancer() {
    let mut set = set_from(&NewClusterOptions {
        bastion: true,
        ..options(&[A])
    });
    set.cluster.spec.ssh_access = vec![AccessSource::Cidr("2001:db8:7::/48".parse().unwrap())];
    let topo = build(&set).topology();
    let lb = topo
        .bastion_load_balancer
        .as_ref()
        .expect("a bastion load balancer");
    assert_eq!(lb.subnets, ["utility-us-east-1a"]);
    assert!(lb.dualstack);
    // The API's load balancer view is the API's, not the bastion's.
    assert_eq!(
        topo.api_load_balancer.as_ref().unwrap().name,
        "api-ipv6-example-com"
    );
    let bastion_subnet = "dualstack-us-east-1a";
    let ssh = Ask::new("2001:db8:7::9", bastion_subnet)
        .port(22)
        .group("bastions")
        .on(&topo);
    assert!(ssh.reachable, "{ssh:#?}");
    assert_eq!(
        steps(&ssh),
        [
            Source,
            Gateway,
            SecurityGroup,
            LoadBalancer,
            SecurityGroup,
            Local
        ]
    );
    assert!(
        ssh.hops[3]
            .detail
            .starts_with("bastion Network load balancer bastion-ipv6-example-com-"),
        "{ssh:#?}"
    );
    assert!(
        ssh.hops[3]
            .detail
            .ends_with("listener TCP 22 -> target group TCP 22"),
        "{ssh:#?}"
    );
    assert_eq!(
        ssh.hops[5].detail,
        "to the bastion (bastions) in subnet dualstack-us-east-1a on TCP 22"
    );
    let outside = Ask::new("2001:db8:8::9", bastion_subnet).port(22).on(&topo);
    blocked(
        &outside,
        "security group bastion-elb.ipv6.example.com has no ingress rule for tcp/22 from 2001:db8:8::9 (sshAccess)",
    );
    // Nothing else in the subnet is reached from the internet, and the answer says where SSH goes.
    let other = Ask::new("internet", bastion_subnet).port(8080).on(&topo);
    assert!(!other.reachable);
    assert!(
        other
            .reason
            .as_deref()
            .unwrap()
            .contains("only the bastion load balancer bastion-ipv6-example-com-"),
        "{other:#?}"
    );
}

// ---------------------------------------------------------------------------------------------
// The table: every subnet type × egress kind × security-group outcome

#[derive(Debug, Clone, Copy, PartialEq)]
enum Outcome {
    /// The model's rules: egress to ::/0 and 0.0.0.0/0 on every group.
    Model,
    /// No egress rule on any group.
    NoEgress,
    /// Egress tcp/443 only.
    HttpsOnly,
    /// Egress only to a prefix list.
    PrefixList,
}

fn apply(built: &mut Built, outcome: Outcome) {
    if outcome == Outcome::Model {
        return;
    }
    drop_rules(built, None, Direction::Egress);
    for prefix in ["masters", "nodes", "api-elb"] {
        for (i, net) in ["::/0", "0.0.0.0/0"].into_iter().enumerate() {
            let source = match outcome {
                Outcome::HttpsOnly if i == 0 => RuleSource::Ipv6(net.parse().unwrap()),
                Outcome::HttpsOnly => RuleSource::Ipv4(net.parse().unwrap()),
                Outcome::PrefixList => RuleSource::PrefixList("pl-0123456789abcdef0".into()),
                _ => continue,
            };
            add_rule(
                built,
                &format!("{prefix}-out-{i}"),
                egress_rule(prefix, Protocol::Tcp, (443, 443), source),
            );
        }
    }
}

#[test]
fn every_subnet_type_egress_kind_and_security_group_outcome() {
    let mut tgw = private_ipv6(&[A]);
    let mut nat = private_ipv6(&[A]);
    for name in [A, "dualstack-us-east-1a"] {
        subnet(&mut tgw, name).egress =
            Some(Egress::TransitGateway("tgw-0123456789abcdef0".into()));
        subnet(&mut nat, name).egress = Some(Egress::NatGateway("nat-0123456789abcdef0".into()));
    }
    let shapes = [
        ("private ipv6", private_ipv6(&[A])),
        ("public ipv6", public_ipv6(&[A])),
        ("private ipv4", private_ipv4(&[A])),
        ("tgw egress", tgw),
        ("nat egress", nat),
    ];
    let destinations: [(&str, &[&str]); 4] = [
        ("2001:db8::1", &[]),
        (DB, &["192.0.2.10"]),
        ("192.0.2.10", &[]),
        ("64:ff9b::c000:20a", &[]),
    ];
    let mut cases = 0;
    for (shape, set) in &shapes {
        let model = build(set);
        let base_topo = model.topology();
        for outcome in [
            Outcome::Model,
            Outcome::NoEgress,
            Outcome::HttpsOnly,
            Outcome::PrefixList,
        ] {
            let mut built = build(set);
            apply(&mut built, outcome);
            let topo = built.topology();
            for s in &topo.subnets {
                let groups: Vec<_> = topo.groups_in(&s.name).map(|g| g.name.clone()).collect();
                let senders: Vec<Option<&str>> = if groups.is_empty() {
                    vec![None]
                } else {
                    groups.iter().map(|g| Some(g.as_str())).collect()
                };
                for group in senders {
                    for (to, a) in destinations {
                        for port in [443, 5432] {
                            let what = format!(
                                "{shape} {outcome:?}: {} ({group:?}) -> {to}:{port}",
                                s.name
                            );
                            let mut ask = Ask::new(&s.name, to).a(a).port(port);
                            ask.group = group;
                            let base = ask.on(&base_topo);
                            let got = ask.on(&topo);
                            cases += 1;
                            // Where the model's answer never got to the security group (no
                            // address, no DNS64), nothing changes.
                            let Some(at) = base.hops.iter().position(|h| h.step == SecurityGroup)
                            else {
                                same(&got, &base, &what);
                                continue;
                            };
                            assert_eq!(got.hops[..at], base.hops[..at], "{what}");
                            let checked = group.is_some();
                            let expect = match outcome {
                                _ if !checked => Expect::Same,
                                Outcome::Model => Expect::Same,
                                Outcome::NoEgress => Expect::Blocked,
                                Outcome::HttpsOnly if port == 443 => Expect::Same,
                                Outcome::HttpsOnly => Expect::Blocked,
                                Outcome::PrefixList if port == 443 => Expect::SameIfPrefixListHolds,
                                Outcome::PrefixList => Expect::Blocked,
                            };
                            match expect {
                                Expect::Same => same(&got, &base, &what),
                                Expect::Blocked => {
                                    assert!(!got.reachable, "{what}: {got:#?}");
                                    assert_eq!(
                                        got.hops.len(),
                                        at + 1,
                                        "{what}: stops at the group"
                                    );
                                    let reason = got.reason.as_deref().unwrap();
                                    let sg = if group.unwrap().starts_with("control-plane") {
                                        "masters"
                                    } else {
                                        "nodes"
                                    };
                                    assert!(
                                        reason.starts_with(&format!("security group {sg}.{C} has no egress rule for tcp/{port} to ")),
                                        "{what}: {reason}"
                                    );
                                }
                                Expect::SameIfPrefixListHolds => {
                                    assert_eq!(got.reachable, base.reachable, "{what}");
                                    assert_eq!(steps(&got), steps(&base), "{what}");
                                    if got.reachable {
                                        assert!(
                                            got.assumption.as_deref().unwrap().starts_with(
                                                "only if prefix list pl-0123456789abcdef0"
                                            ),
                                            "{what}: {got:#?}"
                                        );
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(cases > 400, "{cases} cases");
}

enum Expect {
    Same,
    Blocked,
    SameIfPrefixListHolds,
}

/// The same answer but for which rule of the security group allowed it.
#[track_caller]
fn same(got: &Answer, base: &Answer, what: &str) {
    assert_eq!(got.reachable, base.reachable, "{what}: {got:#?}");
    assert_eq!(got.reason, base.reason, "{what}");
    assert_eq!(got.assumption, base.assumption, "{what}");
    assert_eq!(steps(got), steps(base), "{what}");
    for (g, b) in got.hops.iter().zip(&base.hops) {
        if g.step != SecurityGroup {
            assert_eq!(g, b, "{what}");
        }
    }
}

/// Inbound, every subnet of every shape on 22, 443 and 8080: without ingress rules, whatever the
/// model's rules let in stops at a security group, except where no instance group runs (no check
/// applies) and where routing already stopped it.
#[test]
fn every_inbound_answer_with_and_without_ingress_rules() {
    let shapes = [
        ("private ipv6", private_ipv6(&[A, B])),
        ("public ipv6", public_ipv6(&[A, B])),
        ("private ipv4", private_ipv4(&[A, B])),
    ];
    let mut stopped = 0;
    for (shape, set) in &shapes {
        let base_topo = build(set).topology();
        let mut closed = build(set);
        drop_rules(&mut closed, None, Direction::Ingress);
        let topo = closed.topology();
        for s in &topo.subnets {
            for port in [22, 443, 8080] {
                let what = format!("{shape}: internet -> {}:{port}", s.name);
                let ask = Ask::new("internet", &s.name).port(port);
                let base = ask.on(&base_topo);
                let got = ask.on(&topo);
                let checked = base
                    .hops
                    .iter()
                    .any(|h| h.step == SecurityGroup && h.resource.is_some());
                if !base.reachable || !checked {
                    same(&got, &base, &what);
                    continue;
                }
                assert!(!got.reachable, "{what}: {got:#?}");
                assert!(
                    got.reason
                        .as_deref()
                        .unwrap()
                        .starts_with("security group "),
                    "{what}: {got:#?}"
                );
                assert_eq!(got.hops.last().unwrap().step, SecurityGroup, "{what}");
                stopped += 1;
            }
        }
    }
    assert!(
        stopped >= 5,
        "{stopped} answers stopped at a security group"
    );
}
