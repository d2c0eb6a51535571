//! Terraform resource names from logical keys.

use kops6_model::{Key, Kind};

/// `<name>-<cluster with dots as dashes>`: a key's name with `.` as `-`; route names encode
/// their destination as kOps does (`:` as `_`, `/` as `--`). Terraform names may hold letters,
/// digits, `_` and `-`, and start with a letter or `_`.
pub fn terraform_name(key: &Key) -> String {
    let raw = match key.kind {
        Kind::Route => format!("route-{}", key.name),
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
    fn names_replace_dots_and_encode_route_destinations() {
        let subnet = Key::new(Kind::Subnet, "us-test-1a.ipv6.example.com");
        assert_eq!(terraform_name(&subnet), "us-test-1a-ipv6-example-com");
        let route = Key::new(
            Kind::Route,
            "private-us-test-1a.ipv6.example.com/64:ff9b::/96",
        );
        assert_eq!(
            terraform_name(&route),
            "route-private-us-test-1a-ipv6-example-com--64_ff9b__--96"
        );
        let any = Key::new(Kind::Route, "ipv6.example.com/0.0.0.0/0");
        assert_eq!(terraform_name(&any), "route-ipv6-example-com--0-0-0-0--0");
    }

    #[test]
    fn names_start_with_a_letter_or_underscore() {
        assert_eq!(
            terraform_name(&Key::new(Kind::Subnet, "1a.x.com")),
            "_1a-x-com"
        );
    }
}
