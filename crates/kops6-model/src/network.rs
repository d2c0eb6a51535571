//! The network of a cluster (SPEC 6): VPC, DHCP options, subnets, gateways, NAT, route tables,
//! routes and associations.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use kops6_api::new_cluster::region_of;
use kops6_api::types::{Cluster, ClusterSpec, ClusterSubnetSpec, Egress, SubnetType};
use kops6_api::validate::uses_nat;
use thiserror::Error;

use crate::graph::*;

/// A completed, validated spec that still cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ModelError {
    #[error("{field}: {message}")]
    Field { field: String, message: String },
}

fn field_error(field: impl Into<String>, message: impl Into<String>) -> ModelError {
    ModelError::Field {
        field: field.into(),
        message: message.into(),
    }
}

/// The IPv4 default route.
pub fn any_ipv4() -> IpNet {
    IpNet::V4(Ipv4Net::default())
}

/// The IPv6 default route.
pub fn any_ipv6() -> IpNet {
    IpNet::V6(Ipv6Net::default())
}

/// `64:ff9b::/96`, the well-known NAT64 prefix.
pub fn nat64_prefix() -> IpNet {
    let base = Ipv6Addr::new(0x64, 0xff9b, 0, 0, 0, 0, 0, 0);
    IpNet::V6(Ipv6Net::new(base, 96).expect("static prefix"))
}

/// What a zone's NATed traffic goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ZoneEgress {
    /// A NAT gateway of this graph (on a new or an existing Elastic IP).
    NewNatGateway(Key),
    Existing(RouteTarget),
}

impl ZoneEgress {
    fn target(&self) -> RouteTarget {
        match self {
            Self::NewNatGateway(key) => RouteTarget::NatGateway(Value::Ref(key.clone())),
            Self::Existing(t) => t.clone(),
        }
    }

    /// NAT64 needs a NAT gateway or a transit gateway; a NAT instance cannot do it.
    fn nat64_target(&self) -> Option<RouteTarget> {
        match self.target() {
            RouteTarget::Instance(_) => None,
            t => Some(t),
        }
    }
}

struct Builder<'a> {
    name: &'a str,
    spec: &'a ClusterSpec,
    ipv6_block: bool,
    vpc: Value,
    resources: Vec<Resource>,
}

/// Builds the network of a completed, validated cluster.
pub fn build_network(cluster: &Cluster) -> Result<ResourceGraph, ModelError> {
    let spec = &cluster.spec;
    let name = cluster.metadata.name.as_str();
    let region = region(spec)?;
    let ipv6_block = spec.is_ipv6() || spec.subnets.iter().any(|s| s.ipv6_cidr.is_some());
    let (vpc_source, vpc) = match &spec.network_id {
        Some(id) => (VpcSource::Shared(id.clone()), Value::Shared(id.clone())),
        None => {
            let key = Key::new(Kind::Vpc, name);
            (VpcSource::Managed(key.clone()), Value::Ref(key))
        }
    };
    let mut b = Builder {
        name,
        spec,
        ipv6_block,
        vpc,
        resources: Vec::new(),
    };
    if matches!(vpc_source, VpcSource::Managed(_)) {
        b.managed_vpc(&region)?;
    }
    let igw = b.internet_gateway();
    let eigw = b.egress_only_gateway();
    b.subnets();
    let egress = b.nat_gateways()?;
    b.route_tables(igw.as_ref(), eigw.as_ref(), &egress)?;
    Ok(ResourceGraph {
        cluster: name.to_string(),
        region,
        vpc: vpc_source,
        resources: b.resources,
    })
}

fn region(spec: &ClusterSpec) -> Result<String, ModelError> {
    let first = spec
        .subnets
        .first()
        .ok_or_else(|| field_error("spec.subnets", "at least one subnet is required"))?;
    region_of(&first.zone)
        .map(str::to_string)
        .map_err(|e| field_error("spec.subnets[0].zone", e))
}

/// The DHCP domain AWS gives instances of a region.
fn dhcp_domain(region: &str) -> String {
    if region == "us-east-1" {
        "ec2.internal".into()
    } else {
        format!("{region}.compute.internal")
    }
}

impl Builder<'_> {
    fn tags(&self, name: &str) -> Tags {
        Tags::from([
            ("KubernetesCluster".to_string(), self.name.to_string()),
            ("Name".to_string(), name.to_string()),
            (
                format!("kubernetes.io/cluster/{}", self.name),
                "owned".to_string(),
            ),
        ])
    }

    fn add(&mut self, key: Key, spec: Spec, tagged: bool, why: Why) -> Key {
        let tags = if tagged {
            self.tags(&key.name)
        } else {
            Tags::new()
        };
        self.resources.push(Resource {
            key: key.clone(),
            spec,
            tags,
            why,
            after: Vec::new(),
        });
        key
    }

    fn managed_vpc(&mut self, region: &str) -> Result<(), ModelError> {
        let cidr = self
            .spec
            .network_cidr
            .ok_or_else(|| field_error("spec.networkCIDR", "is required for a managed VPC"))?;
        let rule = if self.ipv6_block {
            "a managed VPC, dual-stack with an Amazon-provided IPv6 /56"
        } else {
            "a managed VPC"
        };
        self.add(
            Key::new(Kind::Vpc, self.name),
            Spec::Vpc {
                cidr,
                amazon_ipv6_block: self.ipv6_block,
                dns_hostnames: true,
                dns_support: true,
            },
            true,
            Why::new("spec.networkCIDR", rule),
        );
        let dhcp = self.add(
            Key::new(Kind::DhcpOptions, self.name),
            Spec::DhcpOptions {
                domain_name: dhcp_domain(region),
                domain_name_servers: vec!["AmazonProvidedDNS".into()],
            },
            true,
            Why::new(
                "spec.networkCIDR",
                "a managed VPC gets DHCP options with the AWS resolver",
            ),
        );
        self.add(
            Key::new(Kind::VpcDhcpOptionsAssociation, self.name),
            Spec::VpcDhcpOptionsAssociation {
                vpc: self.vpc.clone(),
                dhcp_options: Value::Ref(dhcp),
            },
            false,
            Why::new("spec.networkCIDR", "the DHCP options apply to the VPC"),
        );
        Ok(())
    }

    fn managed_subnets(&self) -> impl Iterator<Item = (usize, &ClusterSubnetSpec)> {
        self.spec
            .subnets
            .iter()
            .enumerate()
            .filter(|(_, s)| s.is_managed())
    }

    /// The internet gateway, unless no subnet is routed by kops6.
    fn internet_gateway(&mut self) -> Option<Value> {
        self.managed_subnets().next()?;
        if self.spec.network_id.is_some() {
            return Some(Value::Lookup(Lookup::VpcInternetGateway));
        }
        let key = self.add(
            Key::new(Kind::InternetGateway, self.name),
            Spec::InternetGateway {
                vpc: self.vpc.clone(),
            },
            true,
            Why::new(
                "spec.subnets",
                "managed subnets reach the internet through the VPC's internet gateway",
            ),
        );
        Some(Value::Ref(key))
    }

    /// The egress-only internet gateway: IPv6 out of managed Private/DualStack subnets.
    fn egress_only_gateway(&mut self) -> Option<Value> {
        if !self.spec.is_ipv6() {
            return None;
        }
        let (i, _) = self
            .managed_subnets()
            .find(|(_, s)| s.subnet_type.is_private())?;
        if self.spec.network_id.is_some() {
            return Some(Value::Lookup(Lookup::VpcEgressOnlyInternetGateway));
        }
        let key = self.add(
            Key::new(Kind::EgressOnlyInternetGateway, self.name),
            Spec::EgressOnlyInternetGateway {
                vpc: self.vpc.clone(),
            },
            true,
            Why::new(
                format!("spec.subnets[{i}].type"),
                "private subnets send IPv6 out through an egress-only internet gateway",
            ),
        );
        Some(Value::Ref(key))
    }

    fn subnet_key(&self, s: &ClusterSubnetSpec) -> Key {
        Key::new(Kind::Subnet, format!("{}.{}", s.name, self.name))
    }

    /// A subnet's ID: ours, or the shared one named by `id`.
    fn subnet_value(&self, s: &ClusterSubnetSpec) -> Value {
        match &s.id {
            Some(id) => Value::Shared(id.clone()),
            None => Value::Ref(self.subnet_key(s)),
        }
    }

    fn subnets(&mut self) {
        for (i, s) in self.spec.subnets.iter().enumerate() {
            if s.id.is_some() {
                continue;
            }
            let spec = self.subnet_spec(s);
            let mut tags = self.tags(&self.subnet_key(s).name);
            tags.insert("SubnetType".into(), s.subnet_type.to_string());
            if let Some(role) = self.elb_role_tag(s) {
                tags.insert(role.into(), "1".into());
            }
            let rule = match (s.subnet_type, s.is_ipv6_only()) {
                (SubnetType::Private, true) => "an IPv6-only (IPv6-native, DNS64) private subnet",
                (SubnetType::Private, false) => "a private subnet",
                (SubnetType::DualStack, _) => "a private dual-stack subnet",
                (SubnetType::Public, _) => "a public dual-stack subnet",
                (SubnetType::Utility, _) => {
                    "a public utility subnet for load balancers and NAT gateways"
                }
            };
            self.resources.push(Resource {
                key: self.subnet_key(s),
                spec: Spec::Subnet(spec),
                tags,
                why: Why::new(format!("spec.subnets[{i}]"), rule),
                after: Vec::new(),
            });
        }
    }

    fn subnet_spec(&self, s: &ClusterSubnetSpec) -> SubnetSpec {
        let ipv6 = s.ipv6_cidr.is_some();
        let ipv6_only = ipv6 && s.cidr.is_none();
        SubnetSpec {
            spec_name: s.name.clone(),
            zone: s.zone.clone(),
            vpc: self.vpc.clone(),
            cidr: s.cidr,
            ipv6_cidr: s.ipv6_cidr,
            ipv6_native: ipv6_only,
            assign_ipv6_on_creation: ipv6,
            enable_dns64: ipv6_only,
            resource_name_hostnames: ipv6,
            dns_a_records: ipv6 && !ipv6_only,
            dns_aaaa_records: ipv6,
        }
    }

    /// SPEC 6: which load balancers may use the subnet.
    fn elb_role_tag(&self, s: &ClusterSubnetSpec) -> Option<&'static str> {
        match s.subnet_type {
            SubnetType::Public | SubnetType::Utility => Some("kubernetes.io/role/elb"),
            SubnetType::DualStack => Some("kubernetes.io/role/internal-elb"),
            SubnetType::Private => {
                let zone_has_dualstack = self
                    .spec
                    .subnets
                    .iter()
                    .any(|o| o.zone == s.zone && o.subnet_type == SubnetType::DualStack);
                (!zone_has_dualstack).then_some("kubernetes.io/role/internal-elb")
            }
        }
    }

    /// One NAT gateway (and Elastic IP unless one is given) per zone that needs one; returns
    /// each NAT-using zone's egress.
    fn nat_gateways(&mut self) -> Result<BTreeMap<String, ZoneEgress>, ModelError> {
        let mut egress = BTreeMap::new();
        let nat_users: Vec<(usize, ClusterSubnetSpec)> = self
            .spec
            .subnets
            .iter()
            .enumerate()
            .filter(|(_, s)| uses_nat(self.spec, s))
            .map(|(i, s)| (i, s.clone()))
            .collect();
        for (i, s) in nat_users {
            if egress.contains_key(&s.zone) {
                continue;
            }
            let zone_egress = match &s.egress {
                Some(Egress::NatGateway(id)) => {
                    ZoneEgress::Existing(RouteTarget::NatGateway(Value::Shared(id.clone())))
                }
                Some(Egress::TransitGateway(id)) => {
                    ZoneEgress::Existing(RouteTarget::TransitGateway(id.clone()))
                }
                Some(Egress::NatInstance(id)) => {
                    ZoneEgress::Existing(RouteTarget::Instance(id.clone()))
                }
                Some(Egress::ElasticIp(id)) => {
                    ZoneEgress::NewNatGateway(self.nat_gateway(i, &s, Value::Shared(id.clone()))?)
                }
                Some(Egress::External) => continue,
                None => {
                    let allocation = self.elastic_ip(i, &s)?;
                    ZoneEgress::NewNatGateway(self.nat_gateway(i, &s, allocation)?)
                }
            };
            egress.insert(s.zone.clone(), zone_egress);
        }
        Ok(egress)
    }

    fn elastic_ip(&mut self, i: usize, s: &ClusterSubnetSpec) -> Result<Value, ModelError> {
        if let Some(ip) = &s.public_ip {
            let addr: Ipv4Addr = ip.parse().map_err(|_| {
                field_error(
                    format!("spec.subnets[{i}].publicIP"),
                    format!("{ip:?} is not an IPv4 address"),
                )
            })?;
            return Ok(Value::Lookup(Lookup::ElasticIpByAddress(addr)));
        }
        let key = self.add(
            Key::new(Kind::ElasticIp, format!("{}.{}", s.zone, self.name)),
            Spec::ElasticIp,
            true,
            Why::new(
                format!("spec.subnets[{i}]"),
                format!(
                    "the NAT gateway of zone {} needs a public IPv4 address",
                    s.zone
                ),
            ),
        );
        Ok(Value::Ref(key))
    }

    /// SPEC 6: the zone's Utility subnet, else its first-listed Public subnet.
    fn nat_gateway(
        &mut self,
        i: usize,
        s: &ClusterSubnetSpec,
        allocation: Value,
    ) -> Result<Key, ModelError> {
        // An External subnet's routing is not kops6's: a NAT gateway there may have no way out.
        let in_zone = |t: SubnetType| {
            self.spec.subnets.iter().find(|o| {
                o.zone == s.zone && o.subnet_type == t && o.egress != Some(Egress::External)
            })
        };
        let home = in_zone(SubnetType::Utility)
            .or_else(|| in_zone(SubnetType::Public))
            .ok_or_else(|| {
                field_error(
                    format!("spec.subnets[{i}]"),
                    format!(
                        "zone {} needs a NAT gateway but has no Utility or Public subnet to hold it",
                        s.zone
                    ),
                )
            })?;
        let subnet = self.subnet_value(home);
        let rule = format!(
            "NATed IPv4 and NAT64 traffic of zone {} leaves through a NAT gateway in subnet {}",
            s.zone, home.name
        );
        let key = self.add(
            Key::new(Kind::NatGateway, format!("{}.{}", s.zone, self.name)),
            Spec::NatGateway { subnet, allocation },
            true,
            Why::new(format!("spec.subnets[{i}]"), rule),
        );
        // A public NAT gateway fails unless the VPC's internet gateway is attached.
        let igw = Key::new(Kind::InternetGateway, self.name);
        if self.has(&igw) {
            if let Some(nat) = self.resources.last_mut() {
                nat.after.push(igw);
            }
        }
        Ok(key)
    }

    fn has(&self, key: &Key) -> bool {
        self.resources.iter().any(|r| &r.key == key)
    }
}

/// Which route table a managed subnet uses.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum TableChoice {
    /// `<C>`: Utility subnets and Public ones without NAT64.
    SharedPublic,
    /// `public-<Z>.<C>`: Public subnets with NAT64 (IPv6 mode).
    ZonePublic(String),
    /// `private-<Z>.<C>`.
    ZonePrivate(String),
}

impl Builder<'_> {
    fn table_of(&self, s: &ClusterSubnetSpec) -> TableChoice {
        match s.subnet_type {
            SubnetType::Utility => TableChoice::SharedPublic,
            SubnetType::Public if uses_nat(self.spec, s) => TableChoice::ZonePublic(s.zone.clone()),
            SubnetType::Public => TableChoice::SharedPublic,
            SubnetType::Private | SubnetType::DualStack => TableChoice::ZonePrivate(s.zone.clone()),
        }
    }

    fn table_name(&self, t: &TableChoice) -> String {
        match t {
            TableChoice::SharedPublic => self.name.to_string(),
            TableChoice::ZonePublic(z) => format!("public-{z}.{}", self.name),
            TableChoice::ZonePrivate(z) => format!("private-{z}.{}", self.name),
        }
    }

    fn route_tables(
        &mut self,
        igw: Option<&Value>,
        eigw: Option<&Value>,
        egress: &BTreeMap<String, ZoneEgress>,
    ) -> Result<(), ModelError> {
        // Tables in first-use order of the subnets that need them, each with its routes.
        let mut tables: Vec<(TableChoice, usize)> = Vec::new();
        for (i, s) in self.managed_subnets() {
            let t = self.table_of(s);
            if !tables.iter().any(|(o, _)| *o == t) {
                tables.push((t, i));
            }
        }
        tables.sort();
        for (table, first) in &tables {
            let key = self.add(
                Key::new(Kind::RouteTable, self.table_name(table)),
                Spec::RouteTable {
                    vpc: self.vpc.clone(),
                },
                true,
                Why::new(format!("spec.subnets[{first}]"), table_rule(table)),
            );
            let routes = self.routes_for(table, *first, igw, eigw, egress)?;
            self.add_routes(&key, routes)?;
        }
        let associations: Vec<(usize, Value, TableChoice)> = self
            .managed_subnets()
            .map(|(i, s)| (i, self.subnet_value(s), self.table_of(s)))
            .collect();
        for (i, subnet, table) in associations {
            let table_key = Key::new(Kind::RouteTable, self.table_name(&table));
            let subnet_name = self.spec.subnets[i].name.clone();
            self.add(
                Key::new(
                    Kind::RouteTableAssociation,
                    format!("{subnet_name}.{}", self.name),
                ),
                Spec::RouteTableAssociation {
                    subnet,
                    table: Value::Ref(table_key),
                },
                false,
                Why::new(
                    format!("spec.subnets[{i}]"),
                    "the subnet uses its route table",
                ),
            );
        }
        Ok(())
    }

    /// SPEC 6's routing table: (destination, target, why) for one route table.
    fn routes_for(
        &self,
        table: &TableChoice,
        first: usize,
        igw: Option<&Value>,
        eigw: Option<&Value>,
        egress: &BTreeMap<String, ZoneEgress>,
    ) -> Result<Vec<(IpNet, RouteTarget, Why)>, ModelError> {
        let at = |rule: &str| Why::new(format!("spec.subnets[{first}]"), rule);
        let mut routes = Vec::new();
        let igw = igw.map(|v| RouteTarget::InternetGateway(v.clone()));
        match table {
            TableChoice::SharedPublic | TableChoice::ZonePublic(_) => {
                if let Some(igw) = &igw {
                    routes.push((
                        any_ipv4(),
                        igw.clone(),
                        at("public subnets send IPv4 to the internet gateway"),
                    ));
                    if self.ipv6_block {
                        routes.push((
                            any_ipv6(),
                            igw.clone(),
                            at("public subnets send IPv6 to the internet gateway"),
                        ));
                    }
                }
            }
            TableChoice::ZonePrivate(zone) => {
                if let Some(e) = egress.get(zone) {
                    routes.push((
                        any_ipv4(),
                        e.target(),
                        at("private subnets send IPv4 to their egress or the zone's NAT gateway"),
                    ));
                }
                if let (Some(eigw), true) = (eigw, self.spec.is_ipv6()) {
                    routes.push((
                        any_ipv6(),
                        RouteTarget::EgressOnlyInternetGateway(eigw.clone()),
                        at("private subnets send IPv6 to the egress-only internet gateway"),
                    ));
                }
            }
        }
        if let TableChoice::ZonePublic(zone) | TableChoice::ZonePrivate(zone) = table {
            let nat64 = egress.get(zone).and_then(ZoneEgress::nat64_target);
            if let (Some(target), true) = (nat64, self.spec.is_ipv6()) {
                routes.push((nat64_prefix(), target, at("NAT64 (64:ff9b::/96) goes to the subnet's egress or the zone's NAT gateway")));
            }
        }
        routes.extend(self.additional_routes(table)?);
        Ok(routes)
    }

    /// `additionalRoutes` of the managed subnets that use this table.
    fn additional_routes(
        &self,
        table: &TableChoice,
    ) -> Result<Vec<(IpNet, RouteTarget, Why)>, ModelError> {
        let mut out = Vec::new();
        for (i, s) in self.managed_subnets() {
            if &self.table_of(s) != table {
                continue;
            }
            for (j, r) in s.additional_routes.iter().enumerate() {
                let field = format!("spec.subnets[{i}].additionalRoutes[{j}]");
                let target = RouteTarget::from_id(&r.target).ok_or_else(|| {
                    field_error(
                        format!("{field}.target"),
                        format!("{:?} is not a route target kops6 knows (tgw-, pcx-, nat-, i-, vpce-, vgw-, eigw-)", r.target),
                    )
                })?;
                out.push((
                    r.cidr.trunc(),
                    target,
                    Why::new(field, "an additional route of the subnet"),
                ));
            }
        }
        Ok(out)
    }

    fn add_routes(
        &mut self,
        table: &Key,
        routes: Vec<(IpNet, RouteTarget, Why)>,
    ) -> Result<(), ModelError> {
        let mut seen: BTreeMap<IpNet, (RouteTarget, String)> = BTreeMap::new();
        for (destination, target, why) in routes {
            if let Some((other, field)) = seen.get(&destination) {
                if *other == target {
                    continue;
                }
                return Err(field_error(
                    why.field,
                    format!(
                        "route {destination} in {} conflicts with the one from {field}",
                        table.name
                    ),
                ));
            }
            seen.insert(destination, (target.clone(), why.field.clone()));
            self.add(
                Key::new(Kind::Route, format!("{}/{destination}", table.name)),
                Spec::Route {
                    table: Value::Ref(table.clone()),
                    destination,
                    target,
                },
                false,
                why,
            );
        }
        Ok(())
    }
}

fn table_rule(t: &TableChoice) -> &'static str {
    match t {
        TableChoice::SharedPublic => {
            "utility and public subnets share the cluster's public route table"
        }
        TableChoice::ZonePublic(_) => {
            "public subnets with NAT64 route through their zone's NAT gateway"
        }
        TableChoice::ZonePrivate(_) => {
            "private subnets of a zone share a route table to its NAT gateway"
        }
    }
}
