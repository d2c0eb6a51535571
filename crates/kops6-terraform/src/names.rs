//! Terraform resource names: kOps' names where kOps renders the same resource, so a kOps
//! Terraform user's state keeps matching (`terraform plan` after switching shows no destroy and
//! create of the network).

use std::collections::{BTreeMap, BTreeSet};

use kops6_model::{Key, Kind, Resource, ResourceGraph, Spec, Value};

/// Every resource's Terraform name, by key. Errors if two resources of one type would share a
/// name (Terraform would refuse the file).
pub fn terraform_names(graph: &ResourceGraph) -> Result<BTreeMap<Key, String>, String> {
    let mut names = BTreeMap::new();
    let mut taken = BTreeSet::new();
    for r in &graph.resources {
        let name = kops_name(r, graph);
        if !taken.insert((resource_type(r.key.kind), name.clone())) {
            return Err(format!(
                "two {} resources would both be named {name:?}",
                resource_type(r.key.kind)
            ));
        }
        names.insert(r.key.clone(), name);
    }
    Ok(names)
}

/// kOps' Terraform name for a resource. Most kinds are named after their key
/// ([`terraform_name`]). Routes and route-table associations follow kOps' task names instead:
/// a route is `route-<table prefix>-<destination>` with no cluster suffix (`route-0-0-0-0--0`
/// in the shared public table, `route-private-us-test-1a-__--0`), an additional route is
/// `route-<subnet>-<destination>`, and an association carries its table's prefix
/// (`private-dualstack-us-test-1a-<cluster>`, `public-us-test-1a-<cluster>`, or none for the
/// shared public table).
fn kops_name(r: &Resource, graph: &ResourceGraph) -> String {
    let cluster = graph.cluster.as_str();
    match (&r.key.kind, &r.spec) {
        (Kind::Route, _) => {
            let (table, destination) = r.key.name.split_once('/').unwrap_or(("", &r.key.name));
            let owner = additional_route_subnet(r, graph, cluster).unwrap_or_else(|| {
                table
                    .strip_suffix(&format!(".{cluster}"))
                    .map(|prefix| format!("{prefix}-"))
                    .unwrap_or_default()
            });
            sanitize(&format!("route-{owner}{destination}"))
        }
        (Kind::RouteTableAssociation, Spec::RouteTableAssociation { table, .. }) => {
            let prefix = match table {
                Value::Ref(t) => t
                    .name
                    .strip_suffix(&format!(".{cluster}"))
                    .and_then(|p| p.split_once('-'))
                    .map(|(kind, _)| format!("{kind}-"))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            sanitize(&format!("{prefix}{}", r.key.name))
        }
        _ => terraform_name(&r.key),
    }
}

/// `<subnet>.` for a route that comes from `spec.subnets[i].additionalRoutes`: kOps names those
/// after the subnet, not the table.
fn additional_route_subnet(r: &Resource, graph: &ResourceGraph, cluster: &str) -> Option<String> {
    let (subnet_field, _) = r.why.field.split_once(".additionalRoutes[")?;
    let subnet = graph
        .of_kind(Kind::Subnet)
        .find(|s| s.why.field == subnet_field)?;
    let name = subnet.key.name.strip_suffix(&format!(".{cluster}"))?;
    Some(format!("{name}."))
}

/// `<name>-<cluster with dots as dashes>`: a key's name with `.` as `-`; `:` as `_` and `/` as
/// `--`, as kOps encodes route destinations. Terraform names may hold letters, digits, `_` and
/// `-`, and start with a letter or `_`.
pub fn terraform_name(key: &Key) -> String {
    let raw = match key.kind {
        // kOps writes the fingerprint's hex digits without colons.
        Kind::KeyPair => key.name.replace(':', ""),
        _ => key.name.clone(),
    };
    sanitize(&raw)
}

/// A Terraform identifier from any text: `.` as `-`, `:` as `_`, `/` as `--`, anything else
/// not allowed as `_`, and a leading `_` unless it starts with a letter.
pub fn sanitize(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '.' => out.push('-'),
            ':' => out.push('_'),
            '/' => out.push_str("--"),
            c if c.is_ascii_alphanumeric() || c == '-' || c == '_' => out.push(c),
            _ => out.push('_'),
        }
    }
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}

/// The provider's resource type for a kind.
pub fn resource_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Vpc => "aws_vpc",
        Kind::DhcpOptions => "aws_vpc_dhcp_options",
        Kind::VpcDhcpOptionsAssociation => "aws_vpc_dhcp_options_association",
        Kind::InternetGateway => "aws_internet_gateway",
        Kind::EgressOnlyInternetGateway => "aws_egress_only_internet_gateway",
        Kind::Subnet => "aws_subnet",
        Kind::ElasticIp => "aws_eip",
        Kind::NatGateway => "aws_nat_gateway",
        Kind::RouteTable => "aws_route_table",
        Kind::Route => "aws_route",
        Kind::RouteTableAssociation => "aws_route_table_association",
        Kind::SecurityGroup => "aws_security_group",
        Kind::SecurityGroupRule => "aws_security_group_rule",
        Kind::IamRole => "aws_iam_role",
        Kind::IamRolePolicy => "aws_iam_role_policy",
        Kind::IamInstanceProfile => "aws_iam_instance_profile",
        Kind::KeyPair => "aws_key_pair",
        Kind::LoadBalancer => "aws_lb",
        Kind::TargetGroup => "aws_lb_target_group",
        Kind::Listener => "aws_lb_listener",
        Kind::EbsVolume => "aws_ebs_volume",
        Kind::LaunchTemplate => "aws_launch_template",
        Kind::AutoscalingGroup => "aws_autoscaling_group",
        Kind::DnsRecord => "aws_route53_record",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_replace_dots_and_encode_colons_and_slashes() {
        let subnet = Key::new(Kind::Subnet, "us-test-1a.ipv6.example.com");
        assert_eq!(terraform_name(&subnet), "us-test-1a-ipv6-example-com");
        assert_eq!(
            sanitize("route-private-us-test-1a-64:ff9b::/96"),
            "route-private-us-test-1a-64_ff9b__--96"
        );
    }

    #[test]
    fn names_start_with_a_letter_or_underscore() {
        assert_eq!(
            terraform_name(&Key::new(Kind::Subnet, "1a.x.com")),
            "_1a-x-com"
        );
    }
}
