//! `explain` (SPEC 9): every resource with the spec field and rule that made it, what it needs
//! and what needs it.

mod common;

use common::*;
use kops6_views::explain::ExplainError;
use kops6_views::{explain, overview};

#[test]
fn overview_lists_every_resource_once_grouped_by_kind() {
    let built = build(&private_ipv6(&[A]));
    let o = overview(&built.graph);
    let total: usize = o.kinds.iter().map(|k| k.resources.len()).sum();
    assert_eq!(total, built.graph.resources.len());
    let kinds: Vec<&str> = o.kinds.iter().map(|k| k.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "Vpc",
            "DhcpOptions",
            "VpcDhcpOptionsAssociation",
            "InternetGateway",
            "EgressOnlyInternetGateway",
            "Subnet",
            "ElasticIp",
            "NatGateway",
            "RouteTable",
            "Route",
            "RouteTableAssociation",
            "SecurityGroup",
            "SecurityGroupRule",
            "IamRole",
            "IamRolePolicy",
            "IamInstanceProfile",
            "TargetGroup",
            "LoadBalancer",
            "Listener",
            "EbsVolume",
            "LaunchTemplate",
            "AutoscalingGroup"
        ]
    );
    insta::assert_snapshot!(o.to_text());
}

#[test]
fn explain_a_route_names_its_field_rule_needs_and_dependents() {
    let built = build(&private_ipv6(&[A]));
    let e = explain(
        &built.graph,
        "Route/private-us-east-1a.ipv6.example.com/64:ff9b::/96",
    )
    .unwrap();
    assert_eq!(e.field, "spec.subnets[0]");
    assert_eq!(
        e.rule,
        "NAT64 (64:ff9b::/96) goes to the subnet's egress or the zone's NAT gateway"
    );
    assert_eq!(
        e.depends_on,
        [
            "RouteTable/private-us-east-1a.ipv6.example.com",
            "NatGateway/us-east-1a.ipv6.example.com"
        ]
    );
    assert!(e.used_by.is_empty());
    assert_eq!(e.attributes["destination"], "64:ff9b::/96");
}

#[test]
fn explain_a_subnet_without_the_cluster_suffix_shows_what_needs_it() {
    let built = build(&private_ipv6(&[A]));
    let e = explain(&built.graph, "subnet/utility-us-east-1a").unwrap();
    assert_eq!(e.resource, "Subnet/utility-us-east-1a.ipv6.example.com");
    assert_eq!(
        e.used_by,
        [
            "NatGateway/us-east-1a.ipv6.example.com",
            "RouteTableAssociation/utility-us-east-1a.ipv6.example.com",
            "LoadBalancer/api.ipv6.example.com"
        ]
    );
    insta::assert_snapshot!(e.to_text());
}

#[test]
fn explain_errors_name_what_exists() {
    let built = build(&private_ipv6(&[A]));
    assert_eq!(
        explain(&built.graph, "Subnet").unwrap_err(),
        ExplainError::Syntax("Subnet".into())
    );
    assert_eq!(
        explain(&built.graph, "Widget/x").unwrap_err().to_string(),
        "the cluster has no \"Widget\" resources (kinds: Vpc, DhcpOptions, VpcDhcpOptionsAssociation, InternetGateway, EgressOnlyInternetGateway, Subnet, ElasticIp, NatGateway, RouteTable, Route, RouteTableAssociation, SecurityGroup, SecurityGroupRule, IamRole, IamRolePolicy, IamInstanceProfile, TargetGroup, LoadBalancer, Listener, EbsVolume, LaunchTemplate, AutoscalingGroup)"
    );
    assert_eq!(
        explain(&built.graph, "NatGateway/us-east-1b")
            .unwrap_err()
            .to_string(),
        "no NatGateway named \"us-east-1b\" (there are: us-east-1a.ipv6.example.com)"
    );
}
