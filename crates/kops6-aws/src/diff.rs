//! The diff: desired resources against what discovery found. Pure, so every rule is tested
//! without AWS. Each comparison is written out per kind: a field that is not compared here is
//! a field kops6 does not manage, never one that silently fails to diff.

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

use ipnet::IpNet;
use kops6_api::Ipv6CidrSpec;
use kops6_model::graph::{SubnetSpec, Tags};
use kops6_model::{Change, Key, Kind, Lookup, Plan, ResourceGraph, RouteTarget, Spec, Value};

use crate::actual::{Actual, Found, Observed, SharedVpc};

/// Facts the diff needs besides the graph and the discovered resources.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub shared_vpc: Option<SharedVpc>,
    /// Allocation IDs of existing Elastic IPs named by address (`publicIP`).
    pub elastic_ips: BTreeMap<Ipv4Addr, String>,
}

/// One attribute that differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: &'static str,
    pub from: String,
    pub to: String,
}

/// What to do to one resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Create {
        key: Key,
    },
    Update {
        key: Key,
        id: String,
        fields: Vec<FieldChange>,
    },
    Replace {
        key: Key,
        id: String,
        reason: String,
    },
    Delete {
        key: Key,
        found: Found,
        reason: String,
    },
}

impl Step {
    pub fn key(&self) -> &Key {
        match self {
            Step::Create { key }
            | Step::Update { key, .. }
            | Step::Replace { key, .. }
            | Step::Delete { key, .. } => key,
        }
    }
}

/// An ID as far as it is known before applying: resources still to be created have none.
fn resolve(v: &Value, actual: &Actual, facts: &Facts) -> Option<String> {
    match v {
        Value::Ref(key) => actual.get(key).map(|f| f.id.clone()),
        Value::Shared(id) => Some(id.clone()),
        Value::Lookup(Lookup::VpcInternetGateway) => {
            facts.shared_vpc.as_ref()?.internet_gateway.clone()
        }
        Value::Lookup(Lookup::VpcEgressOnlyInternetGateway) => {
            facts.shared_vpc.as_ref()?.egress_only_gateway.clone()
        }
        Value::Lookup(Lookup::ElasticIpByAddress(ip)) => facts.elastic_ips.get(ip).cloned(),
    }
}

fn target_value(t: &RouteTarget) -> Result<&Value, &str> {
    match t {
        RouteTarget::InternetGateway(v)
        | RouteTarget::EgressOnlyInternetGateway(v)
        | RouteTarget::NatGateway(v) => Ok(v),
        RouteTarget::TransitGateway(id)
        | RouteTarget::Instance(id)
        | RouteTarget::VpcPeeringConnection(id)
        | RouteTarget::VpcEndpoint(id)
        | RouteTarget::VpnGateway(id) => Err(id),
    }
}

/// The ID a route target resolves to, if known.
pub fn resolve_target(t: &RouteTarget, actual: &Actual, facts: &Facts) -> Option<String> {
    match target_value(t) {
        Ok(v) => resolve(v, actual, facts),
        Err(id) => Some(id.to_string()),
    }
}

/// The VPC's IPv6 block as far as it is known.
fn vpc_ipv6_block(graph: &ResourceGraph, actual: &Actual, facts: &Facts) -> Option<ipnet::Ipv6Net> {
    match &graph.vpc {
        kops6_model::VpcSource::Managed(key) => match &actual.get(key)?.observed {
            Observed::Vpc { ipv6_block, .. } => *ipv6_block,
            _ => None,
        },
        kops6_model::VpcSource::Shared(_) => facts.shared_vpc.as_ref()?.ipv6_block,
    }
}

/// A subnet's concrete IPv6 range, given the VPC block.
pub fn subnet_ipv6(s: &SubnetSpec, vpc_block: Option<ipnet::Ipv6Net>) -> Option<String> {
    match s.ipv6_cidr? {
        Ipv6CidrSpec::Literal(net) => Some(net.to_string()),
        spec @ Ipv6CidrSpec::Allocated { .. } => {
            spec.resolve(vpc_block?).ok().map(|n| n.to_string())
        }
    }
}

struct Compare<'a> {
    fields: Vec<FieldChange>,
    replace: Vec<String>,
    unknown: &'a str,
}

impl Compare<'_> {
    fn mutable(&mut self, field: &'static str, actual: impl ToString, desired: impl ToString) {
        let (from, to) = (actual.to_string(), desired.to_string());
        if from != to {
            self.fields.push(FieldChange { field, from, to });
        }
    }

    fn immutable(&mut self, field: &str, actual: impl ToString, desired: impl ToString) {
        let (from, to) = (actual.to_string(), desired.to_string());
        if from != to {
            self.replace.push(format!(
                "{field} is {from} but the spec wants {to}, and AWS cannot change it"
            ));
        }
    }

    fn id(&mut self, field: &str, actual: &str, desired: Option<String>) {
        let desired = desired.unwrap_or_else(|| self.unknown.to_string());
        self.immutable(field, actual, desired);
    }

    fn tags(&mut self, actual: &Tags, desired: &Tags) {
        let differing: Vec<String> = desired
            .iter()
            .filter(|(k, v)| actual.get(*k) != Some(*v))
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        if !differing.is_empty() {
            self.fields.push(FieldChange {
                field: "tags",
                from: "(missing or different)".into(),
                to: differing.join(","),
            });
        }
    }
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "(none)".into())
}

/// Compares one desired resource with what was found.
fn compare(
    graph: &ResourceGraph,
    spec: &Spec,
    tags: &Tags,
    found: &Found,
    actual: &Actual,
    facts: &Facts,
) -> Compare<'static> {
    let mut c = Compare {
        fields: Vec::new(),
        replace: Vec::new(),
        unknown: "(a resource not yet created)",
    };
    let r = |v: &Value| resolve(v, actual, facts);
    match (spec, &found.observed) {
        (
            Spec::Vpc {
                cidr,
                amazon_ipv6_block,
                dns_hostnames,
                dns_support,
            },
            Observed::Vpc {
                cidr: a_cidr,
                ipv6_block,
                ipv6_pending,
                dns_hostnames: a_host,
                dns_support: a_sup,
                ..
            },
        ) => {
            c.immutable("cidr", a_cidr, cidr);
            if *amazon_ipv6_block && ipv6_block.is_none() && !ipv6_pending {
                c.mutable("ipv6Block", "(none)", "Amazon-provided /56");
            }
            c.mutable("enableDnsHostnames", a_host, dns_hostnames);
            c.mutable("enableDnsSupport", a_sup, dns_support);
        }
        (
            Spec::DhcpOptions {
                domain_name,
                domain_name_servers,
            },
            Observed::DhcpOptions {
                domain_name: a_name,
                domain_name_servers: a_servers,
            },
        ) => {
            c.immutable("domainName", opt(a_name), domain_name);
            c.immutable(
                "domainNameServers",
                a_servers.join(","),
                domain_name_servers.join(","),
            );
        }
        (
            Spec::VpcDhcpOptionsAssociation { dhcp_options, .. },
            Observed::VpcDhcpOptionsAssociation {
                dhcp_options_id, ..
            },
        ) => {
            let desired = r(dhcp_options).unwrap_or_else(|| c.unknown.to_string());
            c.mutable("dhcpOptions", opt(dhcp_options_id), desired);
        }
        (Spec::InternetGateway { vpc }, Observed::InternetGateway { attached_vpcs }) => {
            let vpc = r(vpc).unwrap_or_else(|| c.unknown.to_string());
            if !attached_vpcs.contains(&vpc) {
                c.mutable("attachment", attached_vpcs.join(","), vpc);
            }
        }
        (
            Spec::EgressOnlyInternetGateway { vpc },
            Observed::EgressOnlyInternetGateway { attached_vpcs },
        ) => {
            c.id("vpc", &attached_vpcs.join(","), r(vpc));
        }
        (Spec::Subnet(s), observed @ Observed::Subnet { .. }) => {
            compare_subnet(&mut c, graph, s, observed, actual, facts)
        }
        (Spec::ElasticIp, Observed::ElasticIp { .. }) => {}
        (
            Spec::NatGateway { subnet, allocation },
            Observed::NatGateway {
                subnet_id,
                allocation_id,
                ..
            },
        ) => {
            c.id("subnet", subnet_id, r(subnet));
            c.id("allocation", &opt(allocation_id), r(allocation));
        }
        (Spec::RouteTable { vpc }, Observed::RouteTable { vpc_id }) => c.id("vpc", vpc_id, r(vpc)),
        (
            Spec::Route { target, .. },
            Observed::Route {
                target: a_target, ..
            },
        ) => {
            let desired =
                resolve_target(target, actual, facts).unwrap_or_else(|| c.unknown.to_string());
            c.mutable("target", a_target, desired);
        }
        (
            Spec::RouteTableAssociation { subnet, table },
            Observed::RouteTableAssociation {
                subnet_id,
                table_id,
            },
        ) => {
            c.id("subnet", subnet_id, r(subnet));
            let desired = r(table).unwrap_or_else(|| c.unknown.to_string());
            c.mutable("routeTable", table_id, desired);
        }
        (_, other) => c.replace.push(format!(
            "found a {other:?}, which is not what the spec describes"
        )),
    }
    c.tags(&found.tags, tags);
    c
}

fn compare_subnet(
    c: &mut Compare,
    graph: &ResourceGraph,
    s: &SubnetSpec,
    observed: &Observed,
    actual: &Actual,
    facts: &Facts,
) {
    let Observed::Subnet {
        vpc_id,
        zone,
        cidr,
        ipv6_cidr,
        ipv6_native,
        assign_ipv6_on_creation,
        dns64,
        hostname_type,
        a_records,
        aaaa_records,
    } = observed
    else {
        return;
    };
    c.id("vpc", vpc_id, resolve(&s.vpc, actual, facts));
    c.immutable("zone", zone, &s.zone);
    c.immutable("cidr", opt(cidr), opt(&s.cidr.map(|n| n.to_string())));
    let desired_v6 = subnet_ipv6(s, vpc_ipv6_block(graph, actual, facts));
    c.immutable("ipv6Cidr", opt(ipv6_cidr), opt(&desired_v6));
    c.immutable("ipv6Native", ipv6_native, s.ipv6_native);
    c.mutable(
        "assignIpv6AddressOnCreation",
        assign_ipv6_on_creation,
        s.assign_ipv6_on_creation,
    );
    c.mutable("enableDns64", dns64, s.enable_dns64);
    if s.ipv6_cidr.is_some() {
        let desired = if s.resource_name_hostnames {
            "resource-name"
        } else {
            "ip-name"
        };
        c.mutable("hostnameType", opt(hostname_type), desired);
        c.mutable("enableResourceNameDnsARecord", a_records, s.dns_a_records);
        c.mutable(
            "enableResourceNameDnsAAAARecord",
            aaaa_records,
            s.dns_aaaa_records,
        );
    }
}

/// The steps that make AWS match the graph: creates, updates and replacements in graph order,
/// then removals of owned resources the spec no longer has (and of duplicates).
pub fn diff(graph: &ResourceGraph, actual: &Actual, facts: &Facts) -> Vec<Step> {
    let mut steps = Vec::new();
    for res in &graph.resources {
        let Some(found) = actual.get(&res.key) else {
            steps.push(Step::Create {
                key: res.key.clone(),
            });
            continue;
        };
        let c = compare(graph, &res.spec, &res.tags, found, actual, facts);
        if !c.replace.is_empty() {
            steps.push(Step::Replace {
                key: res.key.clone(),
                id: found.id.clone(),
                reason: c.replace.join("; "),
            });
        } else if !c.fields.is_empty() {
            steps.push(Step::Update {
                key: res.key.clone(),
                id: found.id.clone(),
                fields: c.fields,
            });
        }
    }
    steps.extend(removals(graph, actual));
    steps
}

/// Owned resources that are not desired, or that duplicate a desired one, most dependent first.
fn removals(graph: &ResourceGraph, actual: &Actual) -> Vec<Step> {
    let desired: BTreeSet<&Key> = graph.resources.iter().map(|r| &r.key).collect();
    let mut out = Vec::new();
    for (key, founds) in &actual.resources {
        if key.kind == Kind::VpcDhcpOptionsAssociation {
            continue;
        }
        for (i, found) in founds.iter().enumerate() {
            let reason = if !desired.contains(key) {
                "owned by the cluster but no longer in its spec".to_string()
            } else if i > 0 {
                format!(
                    "a duplicate of {} (left by an interrupted run)",
                    founds[0].id
                )
            } else {
                continue;
            };
            out.push(Step::Delete {
                key: key.clone(),
                found: found.clone(),
                reason,
            });
        }
    }
    out.sort_by_key(|s| std::cmp::Reverse(kind_rank(s.key().kind)));
    out
}

/// Creation order of kinds; deletion goes the other way.
pub fn kind_rank(kind: Kind) -> u8 {
    match kind {
        Kind::Vpc => 0,
        Kind::DhcpOptions => 1,
        Kind::VpcDhcpOptionsAssociation => 2,
        Kind::InternetGateway => 3,
        Kind::EgressOnlyInternetGateway => 4,
        Kind::Subnet => 5,
        Kind::ElasticIp => 6,
        Kind::NatGateway => 7,
        Kind::RouteTable => 8,
        Kind::Route => 9,
        Kind::RouteTableAssociation => 10,
    }
}

/// The steps as a plan a person reads.
pub fn plan_of(graph: &ResourceGraph, steps: &[Step]) -> Plan {
    let why = |key: &Key| {
        graph
            .get(key)
            .map(|r| r.why.to_string())
            .unwrap_or_default()
    };
    let attributes = |key: &Key| {
        graph
            .get(key)
            .map(kops6_model::plan::attributes)
            .unwrap_or_default()
    };
    let changes = steps
        .iter()
        .map(|s| {
            let key = s.key();
            let (action, why, attributes) = match s {
                Step::Create { .. } => (kops6_model::Action::Create, why(key), attributes(key)),
                Step::Update { fields, .. } => (
                    kops6_model::Action::Update,
                    why(key),
                    fields
                        .iter()
                        .map(|f| (f.field.to_string(), format!("{} -> {}", f.from, f.to)))
                        .collect(),
                ),
                Step::Replace { reason, .. } => (
                    kops6_model::Action::Replace,
                    reason.clone(),
                    attributes(key),
                ),
                Step::Delete { found, reason, .. } => (
                    kops6_model::Action::Delete,
                    reason.clone(),
                    vec![("id".to_string(), found.id.clone())],
                ),
            };
            Change {
                action,
                kind: key.kind.to_string(),
                name: key.name.clone(),
                why,
                attributes,
            }
        })
        .collect();
    Plan { changes }
}

/// Destination of a route key (`<table>/<destination>`), for removals.
pub fn route_destination(key: &Key) -> Option<IpNet> {
    let (_, rest) = key.name.split_once('/')?;
    rest.parse().ok()
}
