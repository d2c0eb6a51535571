//! `create_all`: against no existing state, every resource of the graph is one create, in
//! dependency order, carrying its reason and the attributes a user checks first.

use kops6_api::new_cluster::{new_cluster, NewClusterOptions};
use kops6_api::validate::ValidationContext;
use kops6_api::ClusterSpecSet;
use kops6_model::{build_network, create_all, Action, ResourceGraph};

const C: &str = "ipv6.example.com";

fn graph(vpc: Option<&str>) -> ResourceGraph {
    let new = new_cluster(&NewClusterOptions {
        name: C.into(),
        zones: vec!["us-east-1a".into()],
        ipv6: true,
        networking: Some("calico".into()),
        kubernetes_version: Some("v1.35.0".into()),
        vpc: vpc.map(str::to_string),
        network_cidr: vpc.map(|_| "10.1.0.0/16".parse().unwrap()),
        ..Default::default()
    })
    .expect("valid options");
    let set = ClusterSpecSet::new(new.cluster, new.instance_groups).expect("valid set");
    let completed = set
        .check(&ValidationContext::default())
        .expect("valid spec");
    build_network(&completed.cluster).expect("the network builds")
}

fn attributes<'a>(plan: &'a kops6_model::Plan, kind: &str, name: &str) -> Vec<(&'a str, &'a str)> {
    plan.changes
        .iter()
        .find(|c| c.kind == kind && c.name == name)
        .unwrap_or_else(|| panic!("no {kind}/{name}"))
        .attributes
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

#[test]
fn every_resource_is_one_create_in_graph_order_with_its_why() {
    let g = graph(None);
    let plan = create_all(&g);
    assert_eq!(plan.changes.len(), g.resources.len());
    for (change, r) in plan.changes.iter().zip(&g.resources) {
        assert_eq!(change.action, Action::Create);
        assert_eq!(change.kind, r.key.kind.to_string());
        assert_eq!(change.name, r.key.name);
        assert_eq!(change.why, format!("{}: {}", r.why.field, r.why.rule));
    }
}

#[test]
fn plan_shows_ipv6_only_subnets_and_their_routes() {
    let plan = create_all(&graph(None));
    assert_eq!(
        attributes(&plan, "Subnet", &format!("us-east-1a.{C}")),
        vec![
            ("zone", "us-east-1a"),
            ("ipv6", "/64#0"),
            ("ipv6Native", "true"),
            ("dns64", "true"),
            ("type", "Private"),
        ]
    );
    assert_eq!(
        attributes(
            &plan,
            "Route",
            &format!("private-us-east-1a.{C}/64:ff9b::/96")
        ),
        vec![
            ("destination", "64:ff9b::/96"),
            ("target", &*format!("NatGateway/us-east-1a.{C}")),
        ]
    );
    assert_eq!(
        attributes(&plan, "Vpc", C),
        vec![("cidr", "172.20.0.0/16"), ("ipv6", "Amazon-provided /56")]
    );
}

#[test]
fn plan_names_shared_and_looked_up_resources_by_what_they_are() {
    let plan = create_all(&graph(Some("vpc-0123456789abcdef0")));
    assert_eq!(
        attributes(&plan, "RouteTable", C),
        vec![("vpc", "vpc-0123456789abcdef0")]
    );
    assert_eq!(
        attributes(&plan, "Route", &format!("{C}/::/0")),
        vec![
            ("destination", "::/0"),
            ("target", "(the shared VPC's internet gateway)"),
        ]
    );
    assert_eq!(
        attributes(&plan, "Route", &format!("private-us-east-1a.{C}/::/0")),
        vec![
            ("destination", "::/0"),
            ("target", "(the shared VPC's egress-only internet gateway)"),
        ]
    );
}
