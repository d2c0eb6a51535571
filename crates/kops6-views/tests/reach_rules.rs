//! `reach` (SPEC 9) as a table of cases: every subnet type and egress kind, DNS64 synthesis,
//! longest-prefix match, each target (IGW, egress-only IGW, NAT gateway with NAT64, transit
//! gateway, local), the exact reasons, and inbound from the internet.

mod common;

use std::net::{Ipv4Addr, Ipv6Addr};

use common::*;
use kops6_api::types::{Egress, RouteSpec};
use kops6_views::reach::{From, To};
use kops6_views::{reach, Answer, Query, ReachError, Step, Topology};

use Step::*;

fn ask(topo: &Topology, from: &str, to: &str, a: &[&str], aaaa: &[&str]) -> Answer {
    try_ask(topo, from, to, a, aaaa, None).unwrap_or_else(|e| panic!("reach failed: {e}"))
}

fn try_ask(
    topo: &Topology,
    from: &str,
    to: &str,
    a: &[&str],
    aaaa: &[&str],
    port: Option<u16>,
) -> Result<Answer, ReachError> {
    let a: Vec<Ipv4Addr> = a.iter().map(|s| s.parse().unwrap()).collect();
    let aaaa: Vec<Ipv6Addr> = aaaa.iter().map(|s| s.parse().unwrap()).collect();
    let query = Query {
        from: From::parse(from),
        to: To::parse(to, a, aaaa)?,
        port,
        protocol: Default::default(),
        group: None,
    };
    reach(topo, &query)
}

fn steps(a: &Answer) -> Vec<Step> {
    a.hops.iter().map(|h| h.step).collect()
}

fn resources(a: &Answer) -> Vec<Option<&str>> {
    a.hops.iter().map(|h| h.resource.as_deref()).collect()
}

#[track_caller]
fn reachable(a: &Answer) {
    assert!(a.reachable, "expected reachable, got {a:#?}");
    assert_eq!(a.reason, None);
}

#[track_caller]
fn unreachable(a: &Answer, reason: &str) {
    assert!(!a.reachable, "expected unreachable, got {a:#?}");
    assert_eq!(a.reason.as_deref(), Some(reason));
}

fn one_zone() -> Topology {
    build(&private_ipv6(&[A])).topology()
}

const NAME: &str = "registry.example.org";

// ---------------------------------------------------------------------------------------------
// Private (IPv6-only) subnets

#[test]
fn ipv6_only_subnet_reaches_an_ipv4_only_name_through_dns64_and_nat64() {
    let a = ask(&one_zone(), A, NAME, &["192.0.2.10"], &[]);
    reachable(&a);
    assert_eq!(
        steps(&a),
        [
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
    assert_eq!(
        resources(&a),
        [
            Some("Subnet/us-east-1a.ipv6.example.com"),
            Some("Subnet/us-east-1a.ipv6.example.com"),
            Some("SecurityGroupRule/from-nodes.ipv6.example.com-egress-all-0to0-::/0"),
            Some("Route/private-us-east-1a.ipv6.example.com/64:ff9b::/96"),
            Some("NatGateway/us-east-1a.ipv6.example.com"),
            Some("Subnet/utility-us-east-1a.ipv6.example.com"),
            Some("Route/ipv6.example.com/0.0.0.0/0"),
            Some("InternetGateway/ipv6.example.com"),
            None,
        ]
    );
    assert_eq!(
        a.hops[1].detail,
        "registry.example.org has only A 192.0.2.10; the subnet's resolver (DNS64) answers AAAA 64:ff9b::c000:20a (64:ff9b::/96 + IPv4)"
    );
    assert_eq!(
        a.hops[3].detail,
        "table private-us-east-1a.ipv6.example.com: 64:ff9b::/96 -> NatGateway/us-east-1a.ipv6.example.com (longest match for 64:ff9b::c000:20a; also matching: ::/0)"
    );
    assert_eq!(
        a.hops[4].detail,
        "NAT gateway translates 64:ff9b::c000:20a to IPv4 192.0.2.10, from its Elastic IP"
    );
}

#[test]
fn ipv6_only_subnet_prefers_aaaa_and_leaves_through_the_egress_only_gateway() {
    let a = ask(&one_zone(), A, NAME, &["192.0.2.10"], &["2001:db8:1::10"]);
    reachable(&a);
    assert_eq!(
        steps(&a),
        [Source, Dns, SecurityGroup, Route, Gateway, Internet]
    );
    assert_eq!(
        a.hops[3].resource.as_deref(),
        Some("Route/private-us-east-1a.ipv6.example.com/::/0")
    );
    assert_eq!(
        a.hops[4].resource.as_deref(),
        Some("EgressOnlyInternetGateway/ipv6.example.com")
    );
}

#[test]
fn ipv6_only_subnet_reaches_an_ipv6_literal_through_the_egress_only_gateway() {
    let a = ask(&one_zone(), A, "2001:db8:1::10", &[], &[]);
    reachable(&a);
    assert_eq!(steps(&a), [Source, SecurityGroup, Route, Gateway, Internet]);
    assert_eq!(
        a.hops[0].detail,
        "an instance in subnet us-east-1a (Private, us-east-1a): IPv6 only (IPv6 in /64#0, no IPv4)"
    );
}

#[test]
fn ipv6_only_subnet_reaches_a_nat64_literal() {
    let a = ask(&one_zone(), A, "64:ff9b::808:808", &[], &[]);
    reachable(&a);
    assert_eq!(
        steps(&a),
        [
            Source,
            SecurityGroup,
            Route,
            Nat64,
            Source,
            Route,
            Gateway,
            Internet
        ]
    );
    assert_eq!(
        a.hops[3].detail,
        "NAT gateway translates 64:ff9b::808:808 to IPv4 8.8.8.8, from its Elastic IP"
    );
}

#[test]
fn ipv6_only_subnet_cannot_send_to_an_ipv4_literal() {
    let a = ask(&one_zone(), A, "192.0.2.10", &[], &[]);
    unreachable(
        &a,
        "no IPv4 address: subnet us-east-1a is IPv6-only, so the instance cannot send to the IPv4 literal 192.0.2.10 \
         (DNS64 only helps names: use the host name, or 64:ff9b::192.0.2.10 through NAT64)",
    );
    assert_eq!(steps(&a), [Source]);
}

#[test]
fn ipv6_only_subnet_without_dns64_cannot_reach_an_ipv4_only_name() {
    let mut topo = one_zone();
    topo.subnets.iter_mut().find(|s| s.name == A).unwrap().dns64 = Some(false);
    let a = ask(&topo, A, NAME, &["192.0.2.10"], &[]);
    unreachable(
        &a,
        "no DNS64: registry.example.org has only A records, subnet us-east-1a is IPv6-only and its resolver does not synthesise AAAA records",
    );
}

#[test]
fn a_name_without_records_is_reached_by_nobody() {
    for subnet in [A, "dualstack-us-east-1a", "utility-us-east-1a"] {
        let a = ask(&one_zone(), subnet, NAME, &[], &[]);
        unreachable(
            &a,
            "registry.example.org has no A or AAAA records (give them with --a/--aaaa)",
        );
    }
}

// ---------------------------------------------------------------------------------------------
// DualStack and Utility subnets

#[test]
fn dualstack_subnet_sends_ipv4_through_the_zone_nat_gateway_then_the_internet_gateway() {
    let a = ask(
        &one_zone(),
        "dualstack-us-east-1a",
        NAME,
        &["192.0.2.10"],
        &[],
    );
    reachable(&a);
    assert_eq!(
        steps(&a),
        [
            Source,
            Dns,
            SecurityGroup,
            Route,
            Nat,
            Source,
            Route,
            Gateway,
            Internet
        ]
    );
    assert_eq!(
        a.hops[1].detail,
        "registry.example.org has A 192.0.2.10 (no AAAA record): the instance uses IPv4"
    );
    assert_eq!(
        a.hops[3].resource.as_deref(),
        Some("Route/private-us-east-1a.ipv6.example.com/0.0.0.0/0")
    );
}

#[test]
fn dualstack_subnet_uses_ipv6_when_the_name_has_aaaa() {
    let a = ask(
        &one_zone(),
        "dualstack-us-east-1a",
        NAME,
        &["192.0.2.10"],
        &["2001:db8::1"],
    );
    reachable(&a);
    assert_eq!(
        steps(&a),
        [Source, Dns, SecurityGroup, Route, Gateway, Internet]
    );
    assert_eq!(
        a.hops[4].resource.as_deref(),
        Some("EgressOnlyInternetGateway/ipv6.example.com")
    );
}

#[test]
fn utility_subnet_sends_ipv4_straight_to_the_internet_gateway() {
    let a = ask(&one_zone(), "utility-us-east-1a", "192.0.2.10", &[], &[]);
    reachable(&a);
    assert_eq!(steps(&a), [Source, SecurityGroup, Route, Gateway, Internet]);
    assert_eq!(
        a.hops[2].resource.as_deref(),
        Some("Route/ipv6.example.com/0.0.0.0/0")
    );
}

#[test]
fn utility_subnet_has_no_nat64_route_so_a_nat64_address_dies_at_the_internet_gateway() {
    let a = ask(
        &one_zone(),
        "utility-us-east-1a",
        "64:ff9b::c000:20a",
        &[],
        &[],
    );
    unreachable(
        &a,
        "64:ff9b::c000:20a is in the NAT64 prefix 64:ff9b::/96, which the internet does not route: \
         the table has no 64:ff9b::/96 route to a NAT gateway, so it went to InternetGateway/ipv6.example.com",
    );
    assert_eq!(steps(&a), [Source, SecurityGroup, Route]);
}

// ---------------------------------------------------------------------------------------------
// Public subnets (public topology, IPv6 mode)

#[test]
fn public_subnet_sends_ipv4_to_the_internet_gateway_and_nat64_to_its_zone_nat_gateway() {
    let topo = build(&public_ipv6(&[A])).topology();
    let v4 = ask(&topo, A, NAME, &["192.0.2.10"], &[]);
    reachable(&v4);
    assert_eq!(
        steps(&v4),
        [Source, Dns, SecurityGroup, Route, Gateway, Internet]
    );
    assert_eq!(
        v4.hops[3].resource.as_deref(),
        Some("Route/public-us-east-1a.ipv6.example.com/0.0.0.0/0")
    );
    let nat64 = ask(&topo, A, "64:ff9b::c000:20a", &[], &[]);
    reachable(&nat64);
    assert_eq!(
        steps(&nat64),
        [
            Source,
            SecurityGroup,
            Route,
            Nat64,
            Source,
            Route,
            Gateway,
            Internet
        ]
    );
    assert_eq!(
        nat64.hops[4].detail,
        "from the NAT gateway in subnet us-east-1a (Public)"
    );
}

// ---------------------------------------------------------------------------------------------
// Egress kinds

#[test]
fn transit_gateway_egress_hands_ipv4_and_nat64_to_the_transit_gateway() {
    let mut set = private_ipv6(&[A]);
    for name in [A, "dualstack-us-east-1a"] {
        subnet(&mut set, name).egress =
            Some(Egress::TransitGateway("tgw-0123456789abcdef0".into()));
    }
    let topo = build(&set).topology();
    let a = ask(&topo, A, NAME, &["192.0.2.10"], &[]);
    reachable(&a);
    assert_eq!(steps(&a), [Source, Dns64, SecurityGroup, Route, Beyond]);
    assert_eq!(
        a.hops[4].detail,
        "transit gateway tgw-0123456789abcdef0: the network behind it must do NAT64 for 64:ff9b::c000:20a"
    );
    assert_eq!(
        a.assumption.as_deref(),
        Some("tgw-0123456789abcdef0 is outside the model: reachable only if the network behind it routes the traffic; network ACLs allow it (kops6 leaves the VPC's default ACL, which allows all traffic)")
    );
    let v6 = ask(&topo, A, "2001:db8::1", &[], &[]);
    assert_eq!(
        v6.hops[2].resource.as_deref(),
        Some("Route/private-us-east-1a.ipv6.example.com/::/0"),
        "::/0 stays on the egress-only gateway with a transit gateway egress"
    );
}

#[test]
fn existing_nat_gateway_egress_is_followed_to_the_gateway_and_no_further() {
    let mut set = private_ipv6(&[A]);
    for name in [A, "dualstack-us-east-1a"] {
        subnet(&mut set, name).egress = Some(Egress::NatGateway("nat-0123456789abcdef0".into()));
    }
    let topo = build(&set).topology();
    let a = ask(&topo, "dualstack-us-east-1a", "192.0.2.10", &[], &[]);
    reachable(&a);
    assert_eq!(steps(&a), [Source, SecurityGroup, Route, Nat, Beyond]);
    assert_eq!(
        a.hops[4].detail,
        "existing NAT gateway nat-0123456789abcdef0: its own subnet and routes are not kops6's"
    );
}

#[test]
fn nat64_to_a_native_ipv6_destination_fails_at_the_nat_gateway() {
    let mut set = private_ipv6(&[A]);
    subnet(&mut set, A).additional_routes.push(RouteSpec {
        cidr: "2001:db8:f00::/48".parse().unwrap(),
        target: "nat-0123456789abcdef0".into(),
    });
    let topo = build(&set).topology();
    let a = ask(&topo, A, "2001:db8:f00::1", &[], &[]);
    unreachable(
        &a,
        "NAT64 to an IPv6 destination: NAT gateway nat-0123456789abcdef0 translates only 64:ff9b::/96 to IPv4, and 2001:db8:f00::1 is a native IPv6 address",
    );
    assert_eq!(
        a.hops[2].detail,
        "table private-us-east-1a.ipv6.example.com: 2001:db8:f00::/48 -> nat-0123456789abcdef0 (longest match for 2001:db8:f00::1; also matching: ::/0)",
        "the /48 wins over ::/0 by prefix length"
    );
}

#[test]
fn longest_prefix_wins_over_the_default_route() {
    let mut set = private_ipv6(&[A]);
    subnet(&mut set, "dualstack-us-east-1a")
        .additional_routes
        .push(RouteSpec {
            cidr: "10.1.0.0/16".parse().unwrap(),
            target: "pcx-0123456789abcdef0".into(),
        });
    let topo = build(&set).topology();
    let a = ask(&topo, "dualstack-us-east-1a", "10.1.2.3", &[], &[]);
    reachable(&a);
    assert_eq!(steps(&a), [Source, SecurityGroup, Route, Beyond]);
    assert_eq!(
        a.hops[2].resource.as_deref(),
        Some("Route/private-us-east-1a.ipv6.example.com/10.1.0.0/16")
    );
    assert_eq!(
        a.hops[3].detail,
        "VPC peering connection pcx-0123456789abcdef0"
    );
    let outside = ask(&topo, "dualstack-us-east-1a", "10.2.0.1", &[], &[]);
    assert_eq!(
        outside.hops[2].resource.as_deref(),
        Some("Route/private-us-east-1a.ipv6.example.com/0.0.0.0/0")
    );
}

#[test]
fn external_egress_subnet_is_not_followed() {
    let mut set = private_ipv6(&[A]);
    subnet(&mut set, A).egress = Some(Egress::External);
    let topo = build(&set).topology();
    let a = ask(&topo, A, "2001:db8::1", &[], &[]);
    unreachable(
        &a,
        "subnet us-east-1a has egress External: its routing is managed outside kops6, so the path cannot be followed",
    );
}

#[test]
fn ipv6_destination_without_a_route_in_an_ipv4_cluster_has_no_matching_route() {
    let mut set = private_ipv4(&[A]);
    subnet(&mut set, A).ipv6_cidr = Some("/64#0".parse().unwrap());
    let topo = build(&set).topology();
    let a = ask(&topo, A, "2001:db8::1", &[], &[]);
    unreachable(
        &a,
        "no matching route: no route in table private-us-east-1a.ipv6.example.com covers 2001:db8::1 \
         (its routes: the VPC's IPv6 block local (not known offline), 0.0.0.0/0)",
    );
}

#[test]
fn ipv4_only_subnet_cannot_send_to_an_ipv6_literal() {
    let topo = build(&private_ipv4(&[A])).topology();
    let a = ask(&topo, A, "2001:db8::1", &[], &[]);
    unreachable(
        &a,
        "no IPv6 address: subnet us-east-1a has no ipv6CIDR, so the instance cannot send to 2001:db8::1",
    );
    let only_aaaa = ask(&topo, A, NAME, &[], &["2001:db8::1"]);
    unreachable(
        &only_aaaa,
        "registry.example.org has only AAAA records, but subnet us-east-1a has no ipv6CIDR, so the instance has no IPv6 address",
    );
}

// ---------------------------------------------------------------------------------------------
// Local

#[test]
fn vpc_addresses_are_delivered_locally_to_their_subnet() {
    let built = build(&private_ipv6(&[A]));
    let topo = built.topology_in("2600:1f18:aa:bb00::/56");
    let v4 = ask(&topo, "dualstack-us-east-1a", "172.20.0.5", &[], &[]);
    reachable(&v4);
    assert_eq!(
        steps(&v4),
        [Source, SecurityGroup, Route, SecurityGroup, Local]
    );
    assert_eq!(
        v4.hops[2].detail,
        "table private-us-east-1a.ipv6.example.com: 172.20.0.0/16 -> local (longest match for 172.20.0.5)"
    );
    assert_eq!(
        v4.hops[4].detail,
        "delivered inside the VPC to subnet utility-us-east-1a (Utility)"
    );
    // /64#1 of the /56 is dualstack-us-east-1a.
    let v6 = ask(&topo, A, "2600:1f18:aa:bb01::9", &[], &[]);
    reachable(&v6);
    assert_eq!(
        v6.hops[4].resource.as_deref(),
        Some("Subnet/dualstack-us-east-1a.ipv6.example.com")
    );
    assert_eq!(
        v6.hops[0].detail,
        "an instance in subnet us-east-1a (Private, us-east-1a): IPv6 only (IPv6 in 2600:1f18:aa:bb00::/64, no IPv4)"
    );
}

#[test]
fn vpc_address_in_no_subnet_is_not_reachable() {
    let a = ask(
        &one_zone(),
        "dualstack-us-east-1a",
        "172.20.200.1",
        &[],
        &[],
    );
    unreachable(
        &a,
        "172.20.200.1 is inside the VPC but in none of the cluster's subnets",
    );
}

// ---------------------------------------------------------------------------------------------
// Inbound from the internet

#[test]
fn internet_to_an_ipv6_only_subnet_is_blocked_by_the_egress_only_gateway() {
    let a = try_ask(&one_zone(), "internet", A, &[], &[], None).unwrap();
    unreachable(
        &a,
        "blocked by the egress-only internet gateway: subnet us-east-1a is Private, and its IPv6 leaves through \
         EgressOnlyInternetGateway/ipv6.example.com, which carries connections started inside the VPC (and their replies), \
         never one started from the internet",
    );
    assert_eq!(steps(&a), [Source, Route]);
}

#[test]
fn internet_to_the_control_plane_subnet_is_blocked_except_through_the_api_load_balancer_on_443() {
    let topo = one_zone();
    let blocked = try_ask(
        &topo,
        "internet",
        "dualstack-us-east-1a",
        &[],
        &[],
        Some(22),
    )
    .unwrap();
    unreachable(
        &blocked,
        "blocked by the egress-only internet gateway: subnet dualstack-us-east-1a is DualStack, and its IPv6 leaves through \
         EgressOnlyInternetGateway/ipv6.example.com, which carries connections started inside the VPC (and their replies), \
         never one started from the internet; only the API load balancer api-ipv6-example-com reaches the control plane \
         (control-plane-us-east-1a) here, on port 443",
    );
    let api = try_ask(
        &topo,
        "internet",
        "dualstack-us-east-1a",
        &[],
        &[],
        Some(443),
    )
    .unwrap();
    reachable(&api);
    assert_eq!(
        steps(&api),
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
        api.hops[3].detail,
        "API Network load balancer api-ipv6-example-com (dualstack) in subnets utility-us-east-1a: listener TCP 443 -> target group TCP 443"
    );
}

#[test]
fn an_internal_api_load_balancer_does_not_let_the_internet_in() {
    let mut set = private_ipv6(&[A]);
    let lb = set
        .cluster
        .spec
        .api
        .as_mut()
        .unwrap()
        .load_balancer
        .as_mut()
        .unwrap();
    lb.lb_type = kops6_api::types::LoadBalancerType::Internal;
    let topo = build(&set).topology();
    let lb = topo.api_load_balancer.as_ref().unwrap();
    assert!(lb.internal);
    assert_eq!(
        lb.subnets,
        ["dualstack-us-east-1a"],
        "SPEC 7: DualStack, else Private"
    );
    let a = try_ask(
        &topo,
        "internet",
        "dualstack-us-east-1a",
        &[],
        &[],
        Some(443),
    )
    .unwrap();
    unreachable(
        &a,
        "blocked by the egress-only internet gateway: subnet dualstack-us-east-1a is DualStack, and its IPv6 leaves through \
         EgressOnlyInternetGateway/ipv6.example.com, which carries connections started inside the VPC (and their replies), \
         never one started from the internet",
    );
}

#[test]
fn internet_reaches_public_and_utility_subnets_through_the_internet_gateway() {
    for (set, name) in [
        (private_ipv6(&[A]), "utility-us-east-1a"),
        (public_ipv6(&[A]), A),
    ] {
        let topo = build(&set).topology();
        let a = try_ask(&topo, "internet", name, &[], &[], None).unwrap();
        reachable(&a);
        assert_eq!(steps(&a), [Source, Gateway, SecurityGroup, Local]);
        assert_eq!(
            a.hops[1].resource.as_deref(),
            Some("InternetGateway/ipv6.example.com")
        );
    }
}

#[test]
fn internet_to_a_private_ipv4_subnet_has_no_route_in() {
    let topo = build(&private_ipv4(&[A])).topology();
    let a = try_ask(&topo, "internet", A, &[], &[], None).unwrap();
    unreachable(
        &a,
        "subnet us-east-1a is Private: it has no route from the internet (a NAT gateway carries only connections started inside); \
         only the API load balancer api-ipv6-example-com reaches the control plane (control-plane-us-east-1a) here, on port 443",
    );
}

#[test]
fn internet_to_an_address_finds_its_subnet() {
    let topo = one_zone();
    let a = try_ask(&topo, "internet", "172.20.0.9", &[], &[], None).unwrap();
    reachable(&a);
    assert_eq!(
        a.hops[3].resource.as_deref(),
        Some("Subnet/utility-us-east-1a.ipv6.example.com")
    );
}

// ---------------------------------------------------------------------------------------------
// Sources and errors

#[test]
fn an_instance_group_stands_for_its_first_subnet() {
    let a = ask(&one_zone(), "nodes-us-east-1a", "2001:db8::1", &[], &[]);
    reachable(&a);
    assert_eq!(
        a.hops[0].detail,
        "instance group nodes-us-east-1a runs in subnet us-east-1a"
    );
    assert_eq!(
        steps(&a),
        [Source, Source, SecurityGroup, Route, Gateway, Internet]
    );
}

#[test]
fn an_address_stands_for_the_subnet_that_holds_it() {
    let a = ask(&one_zone(), "172.20.64.9", "192.0.2.10", &[], &[]);
    assert_eq!(
        a.hops[0].detail,
        "172.20.64.9 is in subnet dualstack-us-east-1a"
    );
    assert_eq!(
        a.hops[1].resource.as_deref(),
        Some("Subnet/dualstack-us-east-1a.ipv6.example.com")
    );
    reachable(&a);
}

#[test]
fn unknown_names_and_bad_destinations_are_errors_naming_the_flag() {
    let topo = one_zone();
    assert_eq!(
        try_ask(&topo, "nope", "2001:db8::1", &[], &[], None).unwrap_err().to_string(),
        "--from: \"nope\" is neither a subnet, an instance group nor an address in a subnet of the cluster (subnets: us-east-1a, dualstack-us-east-1a, utility-us-east-1a)"
    );
    assert_eq!(
        try_ask(&topo, "internet", "nope", &[], &[], None).unwrap_err().to_string(),
        "--to: \"nope\" is not a subnet of the cluster (subnets: us-east-1a, dualstack-us-east-1a, utility-us-east-1a)"
    );
    assert_eq!(
        try_ask(&topo, A, "bad_name!", &[], &[], None)
            .unwrap_err()
            .to_string(),
        "--to: \"bad_name!\" is neither an IP address nor a host name"
    );
    assert_eq!(
        try_ask(&topo, A, "192.0.2.1", &["192.0.2.1"], &[], None)
            .unwrap_err()
            .to_string(),
        "--a/--aaaa: 192.0.2.1 is an address literal; records are only for host names"
    );
}

#[test]
fn every_subnet_of_the_ha_cluster_answers_every_kind_of_destination() {
    let topo = build(&ha_three_zones()).topology();
    for s in &topo.subnets {
        for (to, a, aaaa) in [
            (NAME, vec!["192.0.2.10"], vec![]),
            (NAME, vec!["192.0.2.10"], vec!["2001:db8::10"]),
            ("2001:db8::1", vec![], vec![]),
            ("64:ff9b::c000:20a", vec![], vec![]),
        ] {
            let answer = ask(&topo, &s.name, to, &a, &aaaa);
            let expected =
                !(s.subnet_type == kops6_api::types::SubnetType::Utility && to.starts_with("64:"));
            assert_eq!(
                answer.reachable, expected,
                "{} -> {to}: {answer:#?}",
                s.name
            );
        }
    }
}

#[test]
fn text_answer_numbers_the_hops_and_ends_with_the_verdict() {
    let a = ask(&one_zone(), A, NAME, &["192.0.2.10"], &[]);
    insta::assert_snapshot!(a.to_text());
    let blocked = try_ask(&one_zone(), "internet", A, &[], &[], None).unwrap();
    insta::assert_snapshot!(blocked.to_text());
}

#[test]
fn json_answer_has_reachable_hops_and_reason() {
    let a = ask(&one_zone(), A, "192.0.2.10", &[], &[]);
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["reachable"], false);
    assert_eq!(json["hops"][0]["step"], "source");
    assert_eq!(
        json["hops"][0]["resource"],
        "Subnet/us-east-1a.ipv6.example.com"
    );
    assert!(json["hops"][0]["detail"]
        .as_str()
        .unwrap()
        .starts_with("an instance in subnet us-east-1a"));
    assert!(json["reason"]
        .as_str()
        .unwrap()
        .starts_with("no IPv4 address"));
}

/// Every subnet of every cluster shape against every kind of destination and from the internet:
/// each answer is well-formed (a reason exactly when unreachable, an assumption when reachable,
/// the first hop the source) and none panics.
#[test]
fn every_shape_answers_every_question_well_formed() {
    let mut tgw = private_ipv6(&[A, B]);
    let mut nat = private_ipv6(&[A, B]);
    let mut external = private_ipv6(&[A]);
    for name in [A, "dualstack-us-east-1a"] {
        subnet(&mut tgw, name).egress =
            Some(Egress::TransitGateway("tgw-0123456789abcdef0".into()));
        subnet(&mut nat, name).egress = Some(Egress::NatGateway("nat-0123456789abcdef0".into()));
    }
    subnet(&mut external, A).egress = Some(Egress::External);
    let shapes = [
        ("private ipv6", private_ipv6(&[A, B])),
        ("ha", ha_three_zones()),
        ("public ipv6", public_ipv6(&[A, B])),
        ("private ipv4", private_ipv4(&[A, B])),
        ("tgw egress", tgw),
        ("nat egress", nat),
        ("external", external),
    ];
    let destinations: [(&str, &[&str], &[&str]); 7] = [
        (NAME, &["192.0.2.10"], &[]),
        (NAME, &[], &["2001:db8::10"]),
        (NAME, &["192.0.2.10"], &["2001:db8::10"]),
        (NAME, &[], &[]),
        ("192.0.2.10", &[], &[]),
        ("64:ff9b::c000:20a", &[], &[]),
        ("172.20.0.1", &[], &[]),
    ];
    for (shape, set) in &shapes {
        for vpc in [None, Some("2600:1f18:aa:bb00::/56")] {
            let built = build(set);
            let topo = match vpc {
                Some(v) => built.topology_in(v),
                None => built.topology(),
            };
            for s in &topo.subnets {
                for (to, a, aaaa) in destinations {
                    let answer = ask(&topo, &s.name, to, a, aaaa);
                    well_formed(&answer, &format!("{shape}: {} -> {to}", s.name));
                    assert_eq!(answer.hops[0].step, Source);
                }
                for port in [None, Some(443), Some(22)] {
                    let answer = try_ask(&topo, "internet", &s.name, &[], &[], port).unwrap();
                    well_formed(
                        &answer,
                        &format!("{shape}: internet -> {} {port:?}", s.name),
                    );
                }
            }
        }
    }
}

#[track_caller]
fn well_formed(a: &Answer, what: &str) {
    assert!(!a.hops.is_empty(), "{what}: no hops");
    assert_eq!(a.reachable, a.reason.is_none(), "{what}: {a:#?}");
    assert_eq!(a.reachable, a.assumption.is_some(), "{what}: {a:#?}");
}
