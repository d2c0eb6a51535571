//! Rules of the Terraform target that the snapshots show only in passing: how `/LEN#N` and
//! literal IPv6 ranges, shared IDs and `additionalRoutes` targets are written.

use kops6_api::new_cluster::{new_cluster, NewClusterOptions};
use kops6_api::types::{ClusterSubnetSpec, RouteSpec};
use kops6_api::validate::ValidationContext;
use kops6_api::ClusterSpecSet;
use kops6_model::build_network;

const NAME: &str = "ipv6.example.com";

/// `create cluster --ipv6 --zones us-east-1a`: `[0] us-east-1a` (Private, /64#0),
/// `[1] dualstack-us-east-1a` (/64#1), `[2] utility-us-east-1a` (/64#2).
fn one_zone() -> ClusterSpecSet {
    let new = new_cluster(&NewClusterOptions {
        name: NAME.into(),
        zones: vec!["us-east-1a".into()],
        ipv6: true,
        networking: Some("calico".into()),
        kubernetes_version: Some("v1.35.0".into()),
        ..Default::default()
    })
    .expect("valid options");
    ClusterSpecSet::new(new.cluster, new.instance_groups).expect("valid set")
}

fn subnet<'a>(set: &'a mut ClusterSpecSet, name: &str) -> &'a mut ClusterSubnetSpec {
    set.cluster
        .spec
        .subnets
        .iter_mut()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no subnet {name}"))
}

#[track_caller]
fn render(set: &ClusterSpecSet) -> String {
    let completed = set
        .check(&ValidationContext::default())
        .unwrap_or_else(|e| panic!("expected a valid spec, got:\n{e}"));
    let graph = build_network(&completed.cluster).expect("the network builds");
    kops6_terraform::render(&graph).expect("the graph renders")
}

/// The body of one block, from its header line to its closing brace.
#[track_caller]
fn block<'a>(text: &'a str, header: &str) -> &'a str {
    let start = text
        .find(&format!("{header} {{\n"))
        .unwrap_or_else(|| panic!("no block {header} in\n{text}"));
    let end = text[start..].find("\n}\n").expect("block ends") + start;
    &text[start..end]
}

#[test]
fn allocated_ipv6_cidr_renders_cidrsubnet_with_its_block_number_in_decimal() {
    let mut set = one_zone();
    subnet(&mut set, "us-east-1a").ipv6_cidr = Some("/64#ff".parse().unwrap());
    subnet(&mut set, "dualstack-us-east-1a").ipv6_cidr = Some("/60#a".parse().unwrap());
    let text = render(&set);
    assert!(block(&text, r#"resource "aws_subnet" "us-east-1a-ipv6-example-com""#).contains(
        "ipv6_cidr_block = cidrsubnet(local.vpc_ipv6_cidr_block, 64 - local.vpc_ipv6_cidr_length, 255)"
    ));
    assert!(block(
        &text,
        r#"resource "aws_subnet" "dualstack-us-east-1a-ipv6-example-com""#
    )
    .contains(
        "ipv6_cidr_block = cidrsubnet(local.vpc_ipv6_cidr_block, 60 - local.vpc_ipv6_cidr_length, 10)"
    ));
}

#[test]
fn literal_ipv6_cidr_renders_as_a_string() {
    let mut set = one_zone();
    subnet(&mut set, "us-east-1a").ipv6_cidr = Some("2001:db8:0:10::/64".parse().unwrap());
    let text = render(&set);
    assert!(block(
        &text,
        r#"resource "aws_subnet" "us-east-1a-ipv6-example-com""#
    )
    .contains(r#"ipv6_cidr_block = "2001:db8:0:10::/64""#));
}

#[test]
fn shared_subnet_is_not_declared_and_its_id_is_used_verbatim() {
    let mut set = one_zone();
    subnet(&mut set, "utility-us-east-1a").id = Some("subnet-0123456789abcdef0".into());
    let text = render(&set);
    assert!(!text.contains(r#"resource "aws_subnet" "utility-us-east-1a-ipv6-example-com""#));
    assert!(block(
        &text,
        r#"resource "aws_nat_gateway" "us-east-1a-ipv6-example-com""#
    )
    .contains(r#"subnet_id = "subnet-0123456789abcdef0""#));
    assert!(!text.contains("utility-us-east-1a.ipv6.example.com"));
}

#[test]
fn additional_route_targets_render_as_the_provider_attribute_for_their_kind_named_as_kops_does() {
    let mut set = one_zone();
    let route = |cidr: &str, target: &str| RouteSpec {
        cidr: cidr.parse().unwrap(),
        target: target.into(),
    };
    subnet(&mut set, "us-east-1a").additional_routes = vec![
        route("10.10.0.0/16", "tgw-0aaa"),
        route("10.20.0.0/16", "pcx-0bbb"),
        route("10.30.0.0/16", "i-0ccc"),
        route("10.40.0.0/16", "vpce-0ddd"),
        route("10.50.0.0/16", "vgw-0eee"),
        route("10.60.0.0/16", "nat-0fff"),
        route("2001:db8:1::/48", "eigw-0999"),
    ];
    let text = render(&set);
    let table = "private-us-east-1a-ipv6-example-com";
    let expect = [
        (
            "10-10-0-0--16",
            r#"destination_cidr_block = "10.10.0.0/16""#,
            r#"transit_gateway_id = "tgw-0aaa""#,
        ),
        (
            "10-20-0-0--16",
            r#"destination_cidr_block = "10.20.0.0/16""#,
            r#"vpc_peering_connection_id = "pcx-0bbb""#,
        ),
        (
            "10-30-0-0--16",
            r#"destination_cidr_block = "10.30.0.0/16""#,
            r#"instance_id = "i-0ccc""#,
        ),
        (
            "10-40-0-0--16",
            r#"destination_cidr_block = "10.40.0.0/16""#,
            r#"vpc_endpoint_id = "vpce-0ddd""#,
        ),
        (
            "10-50-0-0--16",
            r#"destination_cidr_block = "10.50.0.0/16""#,
            r#"gateway_id = "vgw-0eee""#,
        ),
        (
            "10-60-0-0--16",
            r#"destination_cidr_block = "10.60.0.0/16""#,
            r#"nat_gateway_id = "nat-0fff""#,
        ),
        (
            "2001_db8_1__--48",
            r#"destination_ipv6_cidr_block = "2001:db8:1::/48""#,
            r#"egress_only_gateway_id = "eigw-0999""#,
        ),
    ];
    for (suffix, destination, target) in expect {
        let body = block(
            &text,
            // kOps names an additional route after its subnet: `<subnet>.<cidr>`.
            &format!(r#"resource "aws_route" "route-us-east-1a-{suffix}""#),
        );
        assert!(body.contains(destination), "{body}");
        assert!(body.contains(target), "{body}");
        assert!(
            body.contains(&format!("route_table_id = aws_route_table.{table}.id")),
            "{body}"
        );
    }
}

#[test]
fn ipv4_cluster_renders_no_ipv6_locals_or_outputs() {
    let new = new_cluster(&NewClusterOptions {
        name: "ipv4.example.com".into(),
        zones: vec!["us-east-1a".into()],
        networking: Some("calico".into()),
        kubernetes_version: Some("v1.35.0".into()),
        ..Default::default()
    })
    .expect("valid options");
    let text = render(&ClusterSpecSet::new(new.cluster, new.instance_groups).unwrap());
    assert!(!text.contains("vpc_ipv6_cidr"));
    assert!(!text.contains("\n  ipv6_cidr_block ="));
    assert!(text.contains("assign_generated_ipv6_cidr_block = false"));
    assert!(!text.contains("destination_ipv6_cidr_block"));
}

#[test]
fn write_puts_kubernetes_tf_in_the_directory() {
    let set = one_zone();
    let completed = set.check(&ValidationContext::default()).unwrap();
    let graph = build_network(&completed.cluster).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("nested/out");
    let path = kops6_terraform::write(&graph, &out).expect("writes");
    assert_eq!(path, out.join(kops6_terraform::FILE_NAME));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        kops6_terraform::render(&graph).unwrap()
    );
    // Only the one file: the temporary file was renamed into place.
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1);
}
