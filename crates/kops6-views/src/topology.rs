//! The cluster's network as the views see it: zones, subnets with their route tables, gateways,
//! NAT gateways, instance groups and the API load balancer, gathered once from the model's
//! [`ResourceGraph`] and the completed spec.
//!
//! Only the kinds the views understand are picked out of the graph (with `if let`, never an
//! exhaustive `match`), so kinds added to the model later do not break this crate: they show in
//! `explain` through the generic path and are ignored here until a view learns them.

use std::fmt;
use std::net::Ipv4Addr;

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use kops6_api::types::{
    Cluster, ClusterSubnetSpec, Egress, InstanceGroup, InstanceGroupRole, LoadBalancerType,
    SubnetType,
};
use kops6_api::Ipv6CidrSpec;
use kops6_model::plan::describe_value;
use kops6_model::specs::{Direction, LoadBalancerSpec, Protocol, RuleSource};
use kops6_model::{Key, Kind, ResourceGraph, RouteTarget, Spec, Value};

/// What the views are given: the model's graph and the completed spec it was built from.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    pub graph: &'a ResourceGraph,
    /// The completed cluster (`ClusterSpecSet::check`).
    pub cluster: &'a Cluster,
    /// The completed instance groups.
    pub instance_groups: &'a [InstanceGroup],
    /// The VPC's IPv6 block once known (after apply); `None` offline, where `/LEN#N` stays as is.
    pub vpc_ipv6: Option<Ipv6Net>,
}

/// Who routes a subnet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Routing {
    /// kops6 made its route table.
    Managed,
    /// A shared subnet (`id`): its routing belongs to whoever owns it.
    Shared(String),
    /// `egress: External`: routing is managed outside kops6.
    External,
}

/// One route of a subnet's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteView {
    pub key: Key,
    pub destination: IpNet,
    pub target: RouteTarget,
}

/// One subnet of the spec, with what the model built for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubnetView {
    pub name: String,
    pub zone: String,
    pub subnet_type: SubnetType,
    /// `Subnet/<name>.<C>`, or the shared subnet's ID.
    pub resource: String,
    pub ipv4: Option<Ipv4Net>,
    pub ipv6: Option<Ipv6CidrSpec>,
    /// `ipv6` resolved against the VPC block, when that is known (or it is a literal).
    pub ipv6_resolved: Option<Ipv6Net>,
    /// DNS64 on the subnet's resolver; `None` when kops6 does not manage the subnet.
    pub dns64: Option<bool>,
    pub routing: Routing,
    /// The route table the subnet is associated with.
    pub table: Option<Key>,
    /// The routes of that table, in the model's order.
    pub routes: Vec<RouteView>,
}

impl SubnetView {
    pub fn has_ipv4(&self) -> bool {
        self.ipv4.is_some()
    }

    pub fn has_ipv6(&self) -> bool {
        self.ipv6.is_some()
    }

    /// Public and Utility subnets face the internet.
    pub fn is_public(&self) -> bool {
        matches!(self.subnet_type, SubnetType::Public | SubnetType::Utility)
    }

    /// The IPv6 range as shown: resolved, else `/LEN#N`.
    pub fn ipv6_label(&self) -> Option<String> {
        match (self.ipv6_resolved, self.ipv6) {
            (Some(net), _) => Some(net.to_string()),
            (None, Some(spec)) => Some(spec.to_string()),
            (None, None) => None,
        }
    }

    /// Does the subnet's range hold `addr`?
    pub fn holds(&self, addr: std::net::IpAddr) -> bool {
        match addr {
            std::net::IpAddr::V4(a) => self.ipv4.is_some_and(|n| n.contains(&a)),
            std::net::IpAddr::V6(a) => self.ipv6_resolved.is_some_and(|n| n.contains(&a)),
        }
    }
}

/// A NAT gateway of the graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NatView {
    pub key: Key,
    /// The subnet that holds it (its spec name), when it is one of the cluster's subnets.
    pub subnet: Option<String>,
}

/// A VPC-level gateway: internet or egress-only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayView {
    pub kind: GatewayKind,
    /// `InternetGateway/<C>`, or how the shared VPC's one is found.
    pub resource: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum GatewayKind {
    Internet,
    EgressOnly,
}

impl fmt::Display for GatewayKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Internet => "internet gateway",
            Self::EgressOnly => "egress-only internet gateway",
        })
    }
}

/// An instance group and the subnets it runs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupView {
    pub name: String,
    /// The role as the spec writes it (`Master`, `Node`, `Bastion`, ...).
    pub role: String,
    pub control_plane: bool,
    /// A bastion group: reached from the internet through the bastion's load balancer on 22.
    pub bastion: bool,
    pub subnets: Vec<String>,
    pub min: Option<u32>,
    pub max: Option<u32>,
    /// The security groups of its launch template (`SecurityGroup/<name>` or `sg-` IDs); empty
    /// when the graph has no launch template for it (a network-only graph).
    pub security_groups: Vec<String>,
}

/// A security group of the graph, or one the spec names by ID (its rules unknown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityGroupView {
    /// `SecurityGroup/<name>`, or the `sg-` ID.
    pub resource: String,
    /// What the answers call it: kOps' name (`masters.<C>`) or the ID.
    pub name: String,
    /// False for a group the spec names by ID: kops6 does not know its rules.
    pub modelled: bool,
    pub rules: Vec<SecurityGroupRuleView>,
}

/// One rule of a security group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityGroupRuleView {
    pub resource: String,
    pub direction: Direction,
    pub protocol: Protocol,
    pub from_port: i32,
    pub to_port: i32,
    pub peer: Peer,
}

/// The other end of a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Peer {
    Cidr(IpNet),
    PrefixList(String),
    /// Another security group (its `resource`).
    Group(String),
}

/// The API's Network load balancer (SPEC 7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadBalancerView {
    pub name: String,
    pub internal: bool,
    pub dualstack: bool,
    /// One subnet per zone (spec names).
    pub subnets: Vec<String>,
    /// Its security groups (`resource`s); empty when the graph has no load balancer resource,
    /// in which case the targets see the clients' addresses.
    pub security_groups: Vec<String>,
}

/// Everything the views draw and simulate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topology {
    pub cluster: String,
    pub region: String,
    pub ipv6_mode: bool,
    /// `Vpc/<C>` or the shared VPC's ID.
    pub vpc: String,
    pub vpc_ipv4: Option<Ipv4Net>,
    pub vpc_ipv6: Option<Ipv6Net>,
    pub shared_vpc: bool,
    /// Zones in the order the spec first names them.
    pub zones: Vec<String>,
    pub subnets: Vec<SubnetView>,
    pub gateways: Vec<GatewayView>,
    pub nat_gateways: Vec<NatView>,
    pub instance_groups: Vec<GroupView>,
    pub api_load_balancer: Option<LoadBalancerView>,
    /// The bastion's Network load balancer (`bastion.<C>`, TCP 22), with a bastion group.
    pub bastion_load_balancer: Option<LoadBalancerView>,
    /// Every security group the launch templates and the load balancer use.
    pub security_groups: Vec<SecurityGroupView>,
}

impl Topology {
    /// Gathers the views' picture of the cluster.
    pub fn new(input: &Input<'_>) -> Self {
        let graph = input.graph;
        let spec = &input.cluster.spec;
        let mut zones: Vec<String> = Vec::new();
        for s in &spec.subnets {
            if !zones.contains(&s.zone) {
                zones.push(s.zone.clone());
            }
        }
        let subnets: Vec<SubnetView> = spec.subnets.iter().map(|s| subnet_view(input, s)).collect();
        let shared_vpc = spec.network_id.is_some();
        let vpc_ipv4 = spec.network_cidr.or_else(|| {
            graph.resources.iter().find_map(|r| match &r.spec {
                Spec::Vpc { cidr, .. } => Some(*cidr),
                _ => None,
            })
        });
        Topology {
            cluster: graph.cluster.clone(),
            region: graph.region.clone(),
            ipv6_mode: spec.is_ipv6(),
            vpc: match &spec.network_id {
                Some(id) => id.clone(),
                None => Key::new(Kind::Vpc, &graph.cluster).to_string(),
            },
            vpc_ipv4,
            vpc_ipv6: input.vpc_ipv6,
            shared_vpc,
            zones,
            gateways: gateways(graph, &subnets),
            nat_gateways: nat_gateways(graph, &subnets),
            instance_groups: input
                .instance_groups
                .iter()
                .map(|g| group_view(graph, g))
                .collect(),
            api_load_balancer: api_load_balancer(input, &subnets),
            bastion_load_balancer: bastion_load_balancer(input, &subnets),
            security_groups: security_groups(graph),
            subnets,
        }
    }

    pub fn subnet(&self, name: &str) -> Option<&SubnetView> {
        self.subnets.iter().find(|s| s.name == name)
    }

    pub fn group(&self, name: &str) -> Option<&GroupView> {
        self.instance_groups.iter().find(|g| g.name == name)
    }

    pub fn security_group(&self, resource: &str) -> Option<&SecurityGroupView> {
        self.security_groups.iter().find(|g| g.resource == resource)
    }

    pub fn nat(&self, key: &Key) -> Option<&NatView> {
        self.nat_gateways.iter().find(|n| &n.key == key)
    }

    /// The subnets of one zone, in spec order.
    pub fn subnets_in<'a>(&'a self, zone: &'a str) -> impl Iterator<Item = &'a SubnetView> + 'a {
        self.subnets.iter().filter(move |s| s.zone == zone)
    }

    /// The NAT gateways a subnet holds.
    pub fn nats_in<'a>(&'a self, subnet: &'a str) -> impl Iterator<Item = &'a NatView> + 'a {
        self.nat_gateways
            .iter()
            .filter(move |n| n.subnet.as_deref() == Some(subnet))
    }

    /// The instance groups that run (at least partly) in a subnet.
    pub fn groups_in<'a>(&'a self, subnet: &'a str) -> impl Iterator<Item = &'a GroupView> + 'a {
        self.instance_groups
            .iter()
            .filter(move |g| g.subnets.iter().any(|s| s == subnet))
    }

    /// The gateway a route target names, when it is a VPC-level one.
    pub fn gateway(&self, kind: GatewayKind) -> Option<&GatewayView> {
        self.gateways.iter().find(|g| g.kind == kind)
    }
}

fn subnet_view(input: &Input<'_>, s: &ClusterSubnetSpec) -> SubnetView {
    let graph = input.graph;
    let key = Key::new(Kind::Subnet, format!("{}.{}", s.name, graph.cluster));
    let value = match &s.id {
        Some(id) => Value::Shared(id.clone()),
        None => Value::Ref(key.clone()),
    };
    let modelled = graph.get(&key).and_then(|r| match &r.spec {
        Spec::Subnet(spec) => Some(spec),
        _ => None,
    });
    let table = graph.resources.iter().find_map(|r| match &r.spec {
        Spec::RouteTableAssociation {
            subnet,
            table: Value::Ref(table),
        } if *subnet == value => Some(table.clone()),
        _ => None,
    });
    let routes = table
        .as_ref()
        .map(|t| routes_of(graph, t))
        .unwrap_or_default();
    let ipv6_resolved = match (s.ipv6_cidr, input.vpc_ipv6) {
        (Some(Ipv6CidrSpec::Literal(net)), _) => Some(net),
        (Some(spec), Some(vpc)) => spec.resolve(vpc).ok(),
        _ => None,
    };
    SubnetView {
        name: s.name.clone(),
        zone: s.zone.clone(),
        subnet_type: s.subnet_type,
        resource: match &s.id {
            Some(id) => id.clone(),
            None => key.to_string(),
        },
        ipv4: s.cidr,
        ipv6: s.ipv6_cidr,
        ipv6_resolved,
        dns64: modelled.map(|m| m.enable_dns64),
        routing: match (&s.id, &s.egress) {
            (Some(id), _) => Routing::Shared(id.clone()),
            (None, Some(Egress::External)) => Routing::External,
            (None, _) => Routing::Managed,
        },
        table,
        routes,
    }
}

fn routes_of(graph: &ResourceGraph, table: &Key) -> Vec<RouteView> {
    graph
        .resources
        .iter()
        .filter_map(|r| match &r.spec {
            Spec::Route {
                table: Value::Ref(t),
                destination,
                target,
            } if t == table => Some(RouteView {
                key: r.key.clone(),
                destination: *destination,
                target: target.clone(),
            }),
            _ => None,
        })
        .collect()
}

/// The VPC-level gateways the subnets' routes use (ours, or the shared VPC's).
fn gateways(graph: &ResourceGraph, subnets: &[SubnetView]) -> Vec<GatewayView> {
    let mut out: Vec<GatewayView> = Vec::new();
    let mut add = |kind: GatewayKind, v: &Value| {
        if !out.iter().any(|g| g.kind == kind) {
            out.push(GatewayView {
                kind,
                resource: describe_value(v),
            });
        }
    };
    for r in &graph.resources {
        match r.key.kind {
            Kind::InternetGateway => add(GatewayKind::Internet, &Value::Ref(r.key.clone())),
            Kind::EgressOnlyInternetGateway => {
                add(GatewayKind::EgressOnly, &Value::Ref(r.key.clone()))
            }
            _ => {}
        }
    }
    for route in subnets.iter().flat_map(|s| &s.routes) {
        match &route.target {
            RouteTarget::InternetGateway(v) => add(GatewayKind::Internet, v),
            RouteTarget::EgressOnlyInternetGateway(v) => add(GatewayKind::EgressOnly, v),
            _ => {}
        }
    }
    out.sort_by_key(|g| g.kind);
    out
}

fn nat_gateways(graph: &ResourceGraph, subnets: &[SubnetView]) -> Vec<NatView> {
    graph
        .resources
        .iter()
        .filter_map(|r| match &r.spec {
            Spec::NatGateway { subnet, .. } => {
                let home = match subnet {
                    Value::Ref(k) => subnets.iter().find(|s| s.resource == k.to_string()),
                    Value::Shared(id) => subnets.iter().find(|s| &s.resource == id),
                    Value::Lookup(_) => None,
                };
                Some(NatView {
                    key: r.key.clone(),
                    subnet: home.map(|s| s.name.clone()),
                })
            }
            _ => None,
        })
        .collect()
}

fn group_view(graph: &ResourceGraph, g: &InstanceGroup) -> GroupView {
    let security_groups = graph
        .resources
        .iter()
        .find_map(|r| match &r.spec {
            Spec::LaunchTemplate(lt) if lt.instance_group == g.metadata.name => {
                Some(lt.security_groups.iter().map(describe_value).collect())
            }
            _ => None,
        })
        .unwrap_or_default();
    GroupView {
        security_groups,
        name: g.metadata.name.clone(),
        role: format!("{:?}", g.spec.role),
        control_plane: g.spec.role.is_control_plane(),
        bastion: g.spec.role == InstanceGroupRole::Bastion,
        subnets: g.spec.subnets.clone(),
        min: g.spec.min_size,
        max: g.spec.max_size,
    }
}

/// SPEC 7: a Network LB in one Utility (else Public) subnet per zone, or for `type: Internal` one
/// DualStack (else Private) subnet per zone; dual-stack when all of them have an `ipv6CIDR`.
fn api_load_balancer(input: &Input<'_>, subnets: &[SubnetView]) -> Option<LoadBalancerView> {
    let lb = input.cluster.spec.api.as_ref()?.load_balancer.as_ref()?;
    let internal = lb.lb_type == LoadBalancerType::Internal;
    let order: [SubnetType; 2] = if internal {
        [SubnetType::DualStack, SubnetType::Private]
    } else {
        [SubnetType::Utility, SubnetType::Public]
    };
    let mut zones: Vec<&str> = Vec::new();
    for s in subnets {
        if !zones.contains(&s.zone.as_str()) {
            zones.push(&s.zone);
        }
    }
    let chosen: Vec<&SubnetView> = zones
        .iter()
        .filter_map(|z| {
            order
                .iter()
                .find_map(|t| subnets.iter().find(|s| s.zone == *z && s.subnet_type == *t))
        })
        .collect();
    if chosen.is_empty() {
        return None;
    }
    // The model's resource gives the AWS name and the security groups; a network-only graph
    // has none, so kOps' name stands in.
    let modelled = modelled_load_balancer(input.graph, "api");
    let name = modelled
        .map(|lb| lb.aws_name.clone())
        .unwrap_or_else(|| format!("api-{}", input.graph.cluster.replace('.', "-")));
    Some(LoadBalancerView {
        name,
        internal,
        dualstack: chosen.iter().all(|s| s.has_ipv6()),
        subnets: chosen.iter().map(|s| s.name.clone()).collect(),
        security_groups: modelled
            .map(|lb| lb.security_groups.iter().map(describe_value).collect())
            .unwrap_or_default(),
    })
}

/// The model's load balancer `<prefix>.<C>` (the API's and the bastion's are both Network LBs).
fn modelled_load_balancer<'g>(
    graph: &'g ResourceGraph,
    prefix: &str,
) -> Option<&'g LoadBalancerSpec> {
    let key = Key::new(Kind::LoadBalancer, format!("{prefix}.{}", graph.cluster));
    graph.resources.iter().find_map(|r| match &r.spec {
        Spec::LoadBalancer(lb) if r.key == key => Some(lb),
        _ => None,
    })
}

/// The bastion's NLB as the model built it (SPEC 7: `bastion.<C>`, sshAccess on `bastion-elb`);
/// a network-only graph has none.
fn bastion_load_balancer(input: &Input<'_>, subnets: &[SubnetView]) -> Option<LoadBalancerView> {
    let lb = modelled_load_balancer(input.graph, "bastion")?;
    let names: Vec<String> = lb
        .subnets
        .iter()
        .map(describe_value)
        .filter_map(|v| subnets.iter().find(|s| s.resource == v))
        .map(|s| s.name.clone())
        .collect();
    Some(LoadBalancerView {
        name: lb.aws_name.clone(),
        internal: lb.internal,
        dualstack: lb.dualstack,
        subnets: names,
        security_groups: lb.security_groups.iter().map(describe_value).collect(),
    })
}

/// The graph's security groups with their rules, then the groups launch templates and the load
/// balancer name by ID (rules unknown).
fn security_groups(graph: &ResourceGraph) -> Vec<SecurityGroupView> {
    let mut out: Vec<SecurityGroupView> = graph
        .resources
        .iter()
        .filter(|r| matches!(r.spec, Spec::SecurityGroup { .. }))
        .map(|r| SecurityGroupView {
            resource: r.key.to_string(),
            name: r.key.name.clone(),
            modelled: true,
            rules: Vec::new(),
        })
        .collect();
    for r in &graph.resources {
        let Spec::SecurityGroupRule(rule) = &r.spec else {
            continue;
        };
        let owner = describe_value(&rule.group);
        let Some(group) = out.iter_mut().find(|g| g.resource == owner) else {
            continue;
        };
        group.rules.push(SecurityGroupRuleView {
            resource: r.key.to_string(),
            direction: rule.direction,
            protocol: rule.protocol,
            from_port: rule.from_port,
            to_port: rule.to_port,
            peer: match &rule.source {
                RuleSource::Ipv4(n) => Peer::Cidr(IpNet::V4(*n)),
                RuleSource::Ipv6(n) => Peer::Cidr(IpNet::V6(*n)),
                RuleSource::PrefixList(id) => Peer::PrefixList(id.clone()),
                RuleSource::Group(v) => Peer::Group(describe_value(v)),
            },
        });
    }
    let named = graph.resources.iter().flat_map(|r| match &r.spec {
        Spec::LaunchTemplate(lt) => lt.security_groups.as_slice(),
        Spec::LoadBalancer(lb) => lb.security_groups.as_slice(),
        _ => &[],
    });
    for v in named {
        let resource = describe_value(v);
        if !out.iter().any(|g| g.resource == resource) {
            out.push(SecurityGroupView {
                name: resource.clone(),
                resource,
                modelled: false,
                rules: Vec::new(),
            });
        }
    }
    out
}

/// The IPv4 address a NAT64 address (`64:ff9b::/96`) embeds.
pub fn nat64_embedded(addr: std::net::Ipv6Addr) -> Option<Ipv4Addr> {
    let o = addr.octets();
    let prefix = [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0];
    (o[..12] == prefix).then(|| Ipv4Addr::new(o[12], o[13], o[14], o[15]))
}

/// DNS64's answer for an A record: `64:ff9b::a.b.c.d`.
pub fn nat64_synthesise(v4: Ipv4Addr) -> std::net::Ipv6Addr {
    let [a, b, c, d] = v4.octets();
    std::net::Ipv6Addr::new(
        0x64,
        0xff9b,
        0,
        0,
        0,
        0,
        u16::from_be_bytes([a, b]),
        u16::from_be_bytes([c, d]),
    )
}
