//! The desired AWS resources of a cluster, as plain data.

use std::collections::BTreeMap;
use std::fmt;
use std::net::Ipv4Addr;

use ipnet::{IpNet, Ipv4Net};
use kops6_api::Ipv6CidrSpec;
use serde::Serialize;

pub use crate::specs::*;

/// AWS resource kinds kops6 manages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Kind {
    Vpc,
    DhcpOptions,
    VpcDhcpOptionsAssociation,
    InternetGateway,
    EgressOnlyInternetGateway,
    Subnet,
    ElasticIp,
    NatGateway,
    RouteTable,
    Route,
    RouteTableAssociation,
    SecurityGroup,
    SecurityGroupRule,
    IamRole,
    IamRolePolicy,
    IamInstanceProfile,
    KeyPair,
    LoadBalancer,
    TargetGroup,
    Listener,
    EbsVolume,
    LaunchTemplate,
    AutoscalingGroup,
    DnsRecord,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// A resource's stable logical key: its kind and its name (the `Name` tag where AWS has tags).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Key {
    pub kind: Kind,
    pub name: String,
}

impl Key {
    pub fn new(kind: Kind, name: impl Into<String>) -> Self {
        Self {
            kind,
            name: name.into(),
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.kind, self.name)
    }
}

/// Where an ID comes from: a resource of this graph, an existing resource named in the spec,
/// or an existing resource found at apply time.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum Value {
    /// The ID of a resource in this graph.
    Ref(Key),
    /// An existing resource's ID, given in the spec (`networkID`, subnet `id`, `egress`).
    Shared(String),
    /// An existing resource kops6 finds (shared VPC gateways, an Elastic IP by address).
    Lookup(Lookup),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum Lookup {
    /// The internet gateway attached to the shared VPC.
    VpcInternetGateway,
    /// The egress-only internet gateway of the shared VPC.
    VpcEgressOnlyInternetGateway,
    /// The allocation of an existing Elastic IP, by its address (`publicIP`).
    ElasticIpByAddress(Ipv4Addr),
    /// The newest AMI owned by `owner` whose name matches `name` (`spec.image: OWNER/NAME`).
    Image { owner: String, name: String },
    /// The Route53 hosted zone named `dnsZone` (private for `topology.dns.type: Private`).
    HostedZone { name: String, private: bool },
}

/// Why a resource exists: the spec field that asked for it and the rule that made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Why {
    pub field: String,
    pub rule: String,
}

impl Why {
    pub fn new(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            rule: rule.into(),
        }
    }
}

impl fmt::Display for Why {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.rule)
    }
}

pub type Tags = BTreeMap<String, String>;

/// A subnet's desired attributes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubnetSpec {
    /// The subnet's name in the cluster spec.
    pub spec_name: String,
    pub zone: String,
    pub vpc: Value,
    pub cidr: Option<Ipv4Net>,
    #[serde(serialize_with = "display")]
    pub ipv6_cidr: Option<Ipv6CidrSpec>,
    /// IPv6-only: no IPv4 range at all.
    pub ipv6_native: bool,
    pub assign_ipv6_on_creation: bool,
    pub enable_dns64: bool,
    /// Hostnames from the instance ID (`resource-name`) rather than the IPv4 address.
    pub resource_name_hostnames: bool,
    pub dns_a_records: bool,
    pub dns_aaaa_records: bool,
}

fn display<S: serde::Serializer, T: fmt::Display>(v: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.collect_str(v),
        None => s.serialize_none(),
    }
}

/// Where a route sends traffic.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum RouteTarget {
    InternetGateway(Value),
    EgressOnlyInternetGateway(Value),
    NatGateway(Value),
    TransitGateway(String),
    Instance(String),
    VpcPeeringConnection(String),
    VpcEndpoint(String),
    /// A virtual private gateway (`vgw-`).
    VpnGateway(String),
}

impl RouteTarget {
    /// The target of an `additionalRoutes` entry, from its ID prefix.
    pub fn from_id(id: &str) -> Option<Self> {
        type Make = fn(String) -> RouteTarget;
        let kinds: [(&str, Make); 7] = [
            ("tgw-", RouteTarget::TransitGateway),
            ("i-", RouteTarget::Instance),
            ("pcx-", RouteTarget::VpcPeeringConnection),
            ("vpce-", RouteTarget::VpcEndpoint),
            ("vgw-", RouteTarget::VpnGateway),
            ("nat-", |id| RouteTarget::NatGateway(Value::Shared(id))),
            ("eigw-", |id| {
                RouteTarget::EgressOnlyInternetGateway(Value::Shared(id))
            }),
        ];
        kinds
            .into_iter()
            .find(|(prefix, _)| id.len() > prefix.len() && id.starts_with(prefix))
            .map(|(_, make)| make(id.to_string()))
    }
}

/// The desired state of one resource, by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Spec {
    Vpc {
        cidr: Ipv4Net,
        amazon_ipv6_block: bool,
        dns_hostnames: bool,
        dns_support: bool,
    },
    DhcpOptions {
        domain_name: String,
        domain_name_servers: Vec<String>,
    },
    VpcDhcpOptionsAssociation {
        vpc: Value,
        dhcp_options: Value,
    },
    InternetGateway {
        vpc: Value,
    },
    EgressOnlyInternetGateway {
        vpc: Value,
    },
    Subnet(SubnetSpec),
    ElasticIp,
    NatGateway {
        subnet: Value,
        allocation: Value,
    },
    RouteTable {
        vpc: Value,
    },
    Route {
        table: Value,
        destination: IpNet,
        target: RouteTarget,
    },
    RouteTableAssociation {
        subnet: Value,
        table: Value,
    },
    SecurityGroup {
        vpc: Value,
        description: String,
    },
    SecurityGroupRule(SecurityGroupRuleSpec),
    IamRole {
        /// The trust policy, JSON.
        assume_role_policy: String,
    },
    IamRolePolicy {
        role: Value,
        /// The inline policy document, JSON.
        policy: String,
    },
    IamInstanceProfile {
        role: Value,
    },
    /// The key's name is the key pair's name.
    KeyPair {
        /// The OpenSSH public key line.
        public_key: String,
    },
    LoadBalancer(LoadBalancerSpec),
    TargetGroup(TargetGroupSpec),
    Listener {
        load_balancer: Value,
        port: u16,
        target_group: Value,
    },
    EbsVolume(EbsVolumeSpec),
    LaunchTemplate(Box<LaunchTemplateSpec>),
    AutoscalingGroup(AutoscalingGroupSpec),
    DnsRecord(DnsRecordSpec),
}

impl Spec {
    /// The values this resource refers to, in field order.
    pub fn values(&self) -> Vec<&Value> {
        match self {
            Spec::Vpc { .. } | Spec::DhcpOptions { .. } | Spec::ElasticIp => vec![],
            Spec::VpcDhcpOptionsAssociation { vpc, dhcp_options } => vec![vpc, dhcp_options],
            Spec::InternetGateway { vpc }
            | Spec::EgressOnlyInternetGateway { vpc }
            | Spec::RouteTable { vpc } => vec![vpc],
            Spec::Subnet(s) => vec![&s.vpc],
            Spec::NatGateway { subnet, allocation } => vec![subnet, allocation],
            Spec::Route { table, target, .. } => {
                let mut v = vec![table];
                match target {
                    RouteTarget::InternetGateway(t)
                    | RouteTarget::EgressOnlyInternetGateway(t)
                    | RouteTarget::NatGateway(t) => v.push(t),
                    _ => {}
                }
                v
            }
            Spec::RouteTableAssociation { subnet, table } => vec![subnet, table],
            Spec::SecurityGroup { vpc, .. } => vec![vpc],
            Spec::SecurityGroupRule(r) => match &r.source {
                RuleSource::Group(g) => vec![&r.group, g],
                _ => vec![&r.group],
            },
            Spec::IamRole { .. } | Spec::KeyPair { .. } | Spec::EbsVolume(_) => vec![],
            Spec::IamRolePolicy { role, .. } | Spec::IamInstanceProfile { role } => vec![role],
            Spec::LoadBalancer(lb) => lb.subnets.iter().chain(&lb.security_groups).collect(),
            Spec::TargetGroup(tg) => vec![&tg.vpc],
            Spec::Listener {
                load_balancer,
                target_group,
                ..
            } => vec![load_balancer, target_group],
            Spec::LaunchTemplate(lt) => {
                let mut v = vec![&lt.image];
                v.extend(&lt.security_groups);
                v.push(&lt.instance_profile);
                v.extend(&lt.key_pair);
                v.extend(&lt.user_data_api_load_balancer);
                v
            }
            Spec::AutoscalingGroup(asg) => std::iter::once(&asg.launch_template)
                .chain(&asg.subnets)
                .chain(&asg.target_groups)
                .collect(),
            Spec::DnsRecord(r) => vec![&r.zone, &r.alias_to],
        }
    }

    /// The graph resources this one must wait for.
    pub fn dependencies(&self) -> Vec<&Key> {
        self.values()
            .into_iter()
            .filter_map(|v| match v {
                Value::Ref(k) => Some(k),
                _ => None,
            })
            .collect()
    }
}

/// One desired resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resource {
    pub key: Key,
    pub spec: Spec,
    /// Tags set at creation. Empty for kinds AWS does not tag (routes, associations).
    pub tags: Tags,
    pub why: Why,
    /// Resources that must exist first though no field names them (a NAT gateway needs the
    /// VPC's internet gateway attached, or AWS fails it).
    pub after: Vec<Key>,
}

impl Resource {
    /// Everything this resource waits for: what its fields refer to, then `after`.
    pub fn dependencies(&self) -> Vec<&Key> {
        let mut deps = self.spec.dependencies();
        for k in &self.after {
            if !deps.contains(&k) {
                deps.push(k);
            }
        }
        deps
    }
}

/// How the VPC is reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum VpcSource {
    Managed(Key),
    Shared(String),
}

/// Every resource a cluster's network needs, in an order where each resource comes after
/// everything it refers to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResourceGraph {
    pub cluster: String,
    pub region: String,
    pub vpc: VpcSource,
    pub resources: Vec<Resource>,
}

impl ResourceGraph {
    pub fn get(&self, key: &Key) -> Option<&Resource> {
        self.resources.iter().find(|r| &r.key == key)
    }

    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Resource> {
        self.resources.iter().filter(move |r| r.key.kind == kind)
    }

    /// The lookups the graph needs answered (shared gateways, Elastic IPs by address).
    pub fn lookups(&self) -> Vec<&Lookup> {
        let mut out: Vec<&Lookup> = Vec::new();
        for r in &self.resources {
            for v in r.spec.values() {
                if let Value::Lookup(l) = v {
                    if !out.contains(&l) {
                        out.push(l);
                    }
                }
            }
        }
        out
    }
}
