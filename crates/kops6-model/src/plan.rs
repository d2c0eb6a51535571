//! Plans: what would change, and why. Against no existing state every resource is a create;
//! the AWS edge diffs against what it discovers.

use serde::Serialize;

use crate::graph::{Lookup, Resource, ResourceGraph, RouteTarget, RuleSource, Spec, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Create,
    Update,
    Replace,
    Delete,
}

/// One change to one resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub action: Action,
    pub kind: String,
    pub name: String,
    pub why: String,
    /// The resource's key attributes, in display order.
    pub attributes: Vec<(String, String)>,
}

/// Ordered changes: dependencies first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub changes: Vec<Change>,
}

/// Every resource of the graph, created.
pub fn create_all(graph: &ResourceGraph) -> Plan {
    Plan {
        changes: graph
            .resources
            .iter()
            .map(|r| Change {
                action: Action::Create,
                kind: r.key.kind.to_string(),
                name: r.key.name.clone(),
                why: r.why.to_string(),
                attributes: attributes(r),
            })
            .collect(),
    }
}

/// How a value reads in a plan: `Subnet/x` for ours, the ID for shared ones.
pub fn describe_value(v: &Value) -> String {
    match v {
        Value::Ref(k) => k.to_string(),
        Value::Shared(id) => id.clone(),
        Value::Lookup(Lookup::VpcInternetGateway) => "(the shared VPC's internet gateway)".into(),
        Value::Lookup(Lookup::VpcEgressOnlyInternetGateway) => {
            "(the shared VPC's egress-only internet gateway)".into()
        }
        Value::Lookup(Lookup::ElasticIpByAddress(ip)) => format!("(the Elastic IP {ip})"),
        Value::Lookup(Lookup::Image { owner, name }) => {
            format!("(the newest AMI of {owner} named {name})")
        }
        Value::Lookup(Lookup::HostedZone { name, .. }) => format!("(the hosted zone {name})"),
    }
}

pub fn describe_target(t: &RouteTarget) -> String {
    match t {
        RouteTarget::InternetGateway(v)
        | RouteTarget::EgressOnlyInternetGateway(v)
        | RouteTarget::NatGateway(v) => describe_value(v),
        RouteTarget::TransitGateway(id)
        | RouteTarget::Instance(id)
        | RouteTarget::VpcPeeringConnection(id)
        | RouteTarget::VpcEndpoint(id)
        | RouteTarget::VpnGateway(id) => id.clone(),
    }
}

/// The attributes worth showing for a resource.
pub fn attributes(r: &Resource) -> Vec<(String, String)> {
    let kv = |k: &str, v: String| (k.to_string(), v);
    match &r.spec {
        Spec::Vpc {
            cidr,
            amazon_ipv6_block,
            ..
        } => {
            let mut a = vec![kv("cidr", cidr.to_string())];
            if *amazon_ipv6_block {
                a.push(kv("ipv6", "Amazon-provided /56".into()));
            }
            a
        }
        Spec::DhcpOptions { domain_name, .. } => vec![kv("domain", domain_name.clone())],
        Spec::VpcDhcpOptionsAssociation { vpc, dhcp_options } => vec![
            kv("vpc", describe_value(vpc)),
            kv("dhcpOptions", describe_value(dhcp_options)),
        ],
        Spec::InternetGateway { vpc }
        | Spec::EgressOnlyInternetGateway { vpc }
        | Spec::RouteTable { vpc } => vec![kv("vpc", describe_value(vpc))],
        Spec::Subnet(s) => {
            let mut a = vec![kv("zone", s.zone.clone())];
            if let Some(c) = s.cidr {
                a.push(kv("cidr", c.to_string()));
            }
            if let Some(c) = s.ipv6_cidr {
                a.push(kv("ipv6", c.to_string()));
            }
            if s.ipv6_native {
                a.push(kv("ipv6Native", "true".into()));
            }
            if s.enable_dns64 {
                a.push(kv("dns64", "true".into()));
            }
            if let Some(t) = r.tags.get("SubnetType") {
                a.push(kv("type", t.clone()));
            }
            a
        }
        Spec::ElasticIp => vec![kv("domain", "vpc".into())],
        Spec::NatGateway { subnet, allocation } => vec![
            kv("subnet", describe_value(subnet)),
            kv("eip", describe_value(allocation)),
        ],
        Spec::Route {
            destination,
            target,
            ..
        } => vec![
            kv("destination", destination.to_string()),
            kv("target", describe_target(target)),
        ],
        Spec::RouteTableAssociation { subnet, table } => vec![
            kv("subnet", describe_value(subnet)),
            kv("table", describe_value(table)),
        ],
        Spec::SecurityGroup { vpc, .. } => vec![kv("vpc", describe_value(vpc))],
        Spec::SecurityGroupRule(rule) => {
            let source = match &rule.source {
                RuleSource::Ipv4(n) => n.to_string(),
                RuleSource::Ipv6(n) => n.to_string(),
                RuleSource::Group(g) => describe_value(g),
            };
            vec![
                kv("group", describe_value(&rule.group)),
                kv(rule.direction.as_str(), source),
                kv(
                    "ports",
                    format!(
                        "{} {}-{}",
                        rule.protocol.as_aws(),
                        rule.from_port,
                        rule.to_port
                    ),
                ),
            ]
        }
        Spec::IamRole { .. } => vec![kv("trust", "ec2.amazonaws.com".into())],
        Spec::IamRolePolicy { role, .. } | Spec::IamInstanceProfile { role } => {
            vec![kv("role", describe_value(role))]
        }
        Spec::KeyPair { .. } => vec![],
        Spec::LoadBalancer(lb) => vec![
            kv("name", lb.aws_name.clone()),
            kv(
                "ipAddressType",
                if lb.dualstack { "dualstack" } else { "ipv4" }.into(),
            ),
            kv("internal", lb.internal.to_string()),
        ],
        Spec::TargetGroup(tg) => vec![
            kv("name", tg.aws_name.clone()),
            kv("port", format!("TCP {}", tg.port)),
        ],
        Spec::Listener {
            port, target_group, ..
        } => vec![
            kv("port", format!("TCP {port}")),
            kv("forward", describe_value(target_group)),
        ],
        Spec::EbsVolume(v) => vec![
            kv("zone", v.zone.clone()),
            kv("size", format!("{} GiB {}", v.size_gib, v.volume_type)),
            kv("encrypted", v.encrypted.to_string()),
        ],
        Spec::LaunchTemplate(lt) => vec![
            kv("image", describe_value(&lt.image)),
            kv("machineType", lt.instance_type.clone()),
            kv("ipv6Addresses", lt.ipv6_address_count.to_string()),
        ],
        Spec::AutoscalingGroup(asg) => vec![
            kv("size", format!("{}-{}", asg.min_size, asg.max_size)),
            kv(
                "subnets",
                asg.subnets
                    .iter()
                    .map(describe_value)
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        ],
        Spec::DnsRecord(rec) => vec![
            kv("type", rec.record_type.as_str().into()),
            kv("alias", describe_value(&rec.alias_to)),
        ],
    }
}
