//! `reach`: does traffic from an instance in a subnet get to a destination? (SPEC 9)
//!
//! A simulation over the model, without AWS and without DNS: the instance's address families,
//! DNS64 synthesis, the longest-prefix route of the subnet's table (plus the VPC's implicit local
//! routes), the gateway it names, NAT and NAT64 translation at a NAT gateway (then that gateway's
//! own subnet's table), and where it fails, the exact reason. Inbound from the internet answers
//! whether anything started outside can reach a subnet at all.
//!
//! Security groups are checked hop by hop as AWS does ([`crate::security`]): the sending
//! instance's egress rules (the groups of the instance group in the `--from` subnet), and the
//! receiving instance's ingress rules where the traffic arrives (inside the VPC, from the
//! internet, behind the API load balancer). They are stateful: replies need no rule.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::IpNet;
use kops6_model::plan::describe_value;
use kops6_model::{Key, RouteTarget, Value};
use serde::Serialize;
use thiserror::Error;

use kops6_model::specs::Direction;

use crate::security::{self, QueryProtocol, Remote, Traffic, Verdict};
use crate::topology::{
    nat64_embedded, nat64_synthesise, GatewayKind, GroupView, LoadBalancerView, Routing,
    SubnetView, Topology,
};

/// Where the traffic starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum From {
    /// An instance in this subnet (spec name), in the first subnet of this instance group, or
    /// at this address of one of the cluster's subnets.
    Subnet(String),
    /// A host on the internet.
    Internet,
}

impl From {
    /// `internet`, else a subnet or instance group name.
    pub fn parse(s: &str) -> Self {
        if s == "internet" {
            Self::Internet
        } else {
            Self::Subnet(s.to_string())
        }
    }
}

/// Where it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum To {
    Address(IpAddr),
    /// A host name with the records it has (none given: it has none).
    Name {
        name: String,
        a: Vec<Ipv4Addr>,
        aaaa: Vec<Ipv6Addr>,
    },
}

impl To {
    /// An IP literal, else a host name with these records.
    pub fn parse(s: &str, a: Vec<Ipv4Addr>, aaaa: Vec<Ipv6Addr>) -> Result<Self, ReachError> {
        if let Ok(ip) = s.parse::<IpAddr>() {
            if !a.is_empty() || !aaaa.is_empty() {
                return Err(ReachError::RecordsForLiteral(s.to_string()));
            }
            return Ok(Self::Address(ip));
        }
        let valid = !s.is_empty()
            && s.len() <= 253
            && s.split('.').all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            });
        if !valid {
            return Err(ReachError::BadDestination(s.to_string()));
        }
        Ok(Self::Name {
            name: s.to_string(),
            a,
            aaaa,
        })
    }
}

impl fmt::Display for To {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Address(ip) => write!(f, "{ip}"),
            Self::Name { name, .. } => f.write_str(name),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub from: From,
    pub to: To,
    /// None: any port of the protocol.
    pub port: Option<u16>,
    pub protocol: QueryProtocol,
    /// The instance group whose instance sends, when several share the `--from` subnet.
    pub group: Option<String>,
}

/// A question `reach` cannot ask of this cluster.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReachError {
    #[error("--from: {name:?} is neither a subnet, an instance group nor an address in a subnet of the cluster (subnets: {known})")]
    UnknownSource { name: String, known: String },
    #[error("--to: {name:?} is not a subnet of the cluster (subnets: {known})")]
    UnknownSubnet { name: String, known: String },
    #[error("--from: instance group {0:?} names no subnet")]
    GroupWithoutSubnet(String),
    #[error("--to: {0:?} is neither an IP address nor a host name")]
    BadDestination(String),
    #[error("--a/--aaaa: {0} is an address literal; records are only for host names")]
    RecordsForLiteral(String),
    #[error(
        "--from internet: --to must be a subnet of the cluster or an address in one, not {0:?}"
    )]
    InboundNeedsSubnet(String),
    #[error(
        "--group: {group:?} is not an instance group running in subnet {subnet} (there: {known})"
    )]
    GroupNotInSubnet {
        group: String,
        subnet: String,
        known: String,
    },
    #[error("--from: instance groups with different security groups run in subnet {subnet}, and their answers differ ({answers}): choose one with --group NAME")]
    GroupNeeded { subnet: String, answers: String },
    #[error("--port: {0} has no ports; leave --port out (icmp asks about an echo request)")]
    PortWithIcmp(String),
}

/// What a hop did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    /// The instance and its address families.
    Source,
    /// A DNS answer used as it is.
    Dns,
    /// DNS64 synthesised an AAAA record from an A record.
    Dns64,
    /// The route table and the longest-prefix route that matched.
    Route,
    /// An internet or egress-only internet gateway.
    Gateway,
    /// Source NAT of IPv4 at a NAT gateway.
    Nat,
    /// NAT64 translation at a NAT gateway.
    Nat64,
    /// The API load balancer.
    LoadBalancer,
    /// A security group check: egress at the sender, ingress at the receiver.
    SecurityGroup,
    /// Delivered inside the VPC.
    Local,
    /// Out of the VPC, to the internet.
    Internet,
    /// Handed to something the model does not follow (transit gateway, peering, ...).
    Beyond,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hop {
    pub step: Step,
    pub detail: String,
    /// The model resource (or AWS ID) the hop goes through.
    pub resource: Option<String>,
}

/// The answer: reachable or not, hop by hop, and why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    pub reachable: bool,
    pub hops: Vec<Hop>,
    /// Why not, when not reachable.
    pub reason: Option<String>,
    /// What the answer takes on trust: what kops6 does not model.
    pub assumption: Option<String>,
}

/// What every answer takes on trust: kops6 makes no network ACLs.
const NETWORK_ACLS: &str =
    "network ACLs allow it (kops6 leaves the VPC's default ACL, which allows all traffic)";

/// Simulates one query.
pub fn reach(topo: &Topology, query: &Query) -> Result<Answer, ReachError> {
    if query.protocol == QueryProtocol::Icmp && query.port.is_some() {
        return Err(ReachError::PortWithIcmp("icmp".into()));
    }
    match &query.from {
        From::Internet => inbound(topo, None, &query.to, query),
        From::Subnet(name) => {
            if let Some(host) = internet_host(topo, name) {
                return inbound(topo, Some(host), &query.to, query);
            }
            let mut pre = Trace::new(query);
            let (subnet, group) = source_subnet(topo, name, &mut pre)?;
            let group = match (group, &query.group) {
                (Some(g), _) => Some(g),
                (None, Some(name)) => Some(
                    topo.groups_in(&subnet.name)
                        .find(|g| &g.name == name)
                        .ok_or_else(|| ReachError::GroupNotInSubnet {
                            group: name.clone(),
                            subnet: subnet.name.clone(),
                            known: topo
                                .groups_in(&subnet.name)
                                .map(|g| g.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", "),
                        })?,
                ),
                (None, None) => None,
            };
            let senders = match group {
                Some(g) => vec![Sender::of(&[g])],
                None => senders_in(topo, subnet),
            };
            let mut answers: Vec<(Sender, Answer)> = senders
                .into_iter()
                .map(|sender| {
                    let mut trace = Trace::new(query);
                    trace.hops = pre.hops.clone();
                    trace.sender = sender.clone();
                    (sender, trace.outbound(topo, subnet, &query.to))
                })
                .collect();
            let (first_sender, mut first) = answers.remove(0);
            if answers.iter().any(|(_, a)| a.reachable != first.reachable) {
                let answers = std::iter::once((&first_sender, &first))
                    .chain(answers.iter().map(|(s, a)| (s, a)))
                    .map(|(s, a)| {
                        format!(
                            "{}: {}",
                            s.label(),
                            if a.reachable {
                                "reachable"
                            } else {
                                "not reachable"
                            }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(ReachError::GroupNeeded {
                    subnet: subnet.name.clone(),
                    answers,
                });
            }
            if !answers.is_empty() {
                let others: Vec<String> = answers.iter().map(|(s, _)| s.label()).collect();
                if let Some(h) = first
                    .hops
                    .iter_mut()
                    .find(|h| h.step == Step::SecurityGroup)
                {
                    h.detail.push_str(&format!(
                        " (traced for {}; {} in the same subnet gives the same verdict: --group NAME to trace it)",
                        first_sender.label(),
                        others.join(", ")
                    ));
                }
            }
            Ok(first)
        }
    }
}

/// `--from ADDR` outside the cluster's subnets and its VPC: a host on the internet.
fn internet_host(topo: &Topology, name: &str) -> Option<IpAddr> {
    let addr = name.parse::<IpAddr>().ok()?;
    let inside = topo.subnets.iter().any(|s| s.holds(addr))
        || vpc_ranges(topo).iter().any(|n| n.contains(&addr));
    let global = match addr {
        IpAddr::V4(a) => !(a.is_private() || a.is_loopback() || a.is_link_local()),
        IpAddr::V6(a) => !a.is_loopback() && (a.segments()[0] & 0xe000) == 0x2000,
    };
    (!inside && global).then_some(addr)
}

/// The instance that sends: one or more instance groups with the same security groups.
#[derive(Debug, Clone, Default)]
struct Sender {
    groups: Vec<String>,
    /// Their security groups; empty when the graph has no launch template for them.
    security_groups: Vec<String>,
}

impl Sender {
    fn of(groups: &[&GroupView]) -> Self {
        Self {
            groups: groups.iter().map(|g| g.name.clone()).collect(),
            security_groups: groups
                .first()
                .map(|g| g.security_groups.clone())
                .unwrap_or_default(),
        }
    }

    fn label(&self) -> String {
        match self.groups.len() {
            0 => "an instance".into(),
            1 => format!("instance group {}", self.groups[0]),
            _ => format!("instance groups {}", self.groups.join(", ")),
        }
    }
}

/// The instance groups of a subnet, one entry per distinct set of security groups.
fn senders_in(topo: &Topology, subnet: &SubnetView) -> Vec<Sender> {
    let mut out: Vec<Sender> = Vec::new();
    for g in topo.groups_in(&subnet.name) {
        match out
            .iter_mut()
            .find(|s| s.security_groups == g.security_groups)
        {
            Some(s) => s.groups.push(g.name.clone()),
            None => out.push(Sender::of(&[g])),
        }
    }
    if out.is_empty() {
        out.push(Sender::default());
    }
    out
}

struct Trace {
    hops: Vec<Hop>,
    /// What the answer takes on trust beyond [`NETWORK_ACLS`].
    assumptions: Vec<String>,
    protocol: QueryProtocol,
    port: Option<u16>,
    sender: Sender,
    /// Where the packets come from as a receiver's rules see them: the sending instance, or
    /// the NAT gateway that rewrote them.
    origin: Remote,
}

impl Trace {
    fn new(query: &Query) -> Self {
        Self {
            hops: Vec::new(),
            assumptions: Vec::new(),
            protocol: query.protocol,
            port: query.port,
            sender: Sender::default(),
            origin: Remote::default(),
        }
    }

    fn traffic(&self, ipv6: bool) -> Traffic {
        Traffic {
            protocol: self.protocol,
            port: self.port,
            ipv6,
        }
    }

    fn hop(&mut self, step: Step, detail: impl Into<String>, resource: Option<String>) {
        self.hops.push(Hop {
            step,
            detail: detail.into(),
            resource,
        });
    }

    fn fail(self, reason: impl Into<String>) -> Answer {
        Answer {
            reachable: false,
            hops: self.hops,
            reason: Some(reason.into()),
            assumption: None,
        }
    }

    fn done(mut self) -> Answer {
        self.assumptions.push(NETWORK_ACLS.into());
        Answer {
            reachable: true,
            hops: self.hops,
            reason: None,
            assumption: Some(self.assumptions.join("; ")),
        }
    }

    /// The sender's egress rules for `traffic` to `remote`; `Err` holds the reason it stops.
    fn egress(&mut self, topo: &Topology, traffic: Traffic, remote: &Remote) -> Result<(), String> {
        let who = self.sender.label();
        if self.sender.groups.is_empty() {
            self.hop(
                Step::SecurityGroup,
                "no security group check: no instance group runs in this subnet, so kops6 knows no instance there or its groups",
                None,
            );
            self.assumptions.push(
                "an instance launched in the subnet outside kops6 has security groups that allow it"
                    .into(),
            );
            return Ok(());
        }
        if self.sender.security_groups.is_empty() {
            self.hop(
                Step::SecurityGroup,
                format!("no security group check: the model has no launch template for {who}"),
                None,
            );
            self.assumptions
                .push(format!("the security groups of {who} allow it"));
            return Ok(());
        }
        let sgs = self.sender.security_groups.clone();
        let names = security::names(topo, &sgs);
        match security::check(topo, &sgs, Direction::Egress, traffic, remote) {
            Verdict::Allowed { group, rule } => {
                self.hop(
                    Step::SecurityGroup,
                    format!(
                        "{who}: security group {group} allows {traffic} out to {} (stateful: replies come back)",
                        remote.label
                    ),
                    Some(rule),
                );
                Ok(())
            }
            Verdict::Maybe(why) => {
                self.hop(
                    Step::SecurityGroup,
                    format!(
                        "{who}: security group {names} allows {traffic} out to {} {}",
                        remote.label,
                        why.join("; ")
                    ),
                    sgs.first().cloned(),
                );
                self.assumptions.extend(why);
                Ok(())
            }
            Verdict::Denied => {
                self.hop(
                    Step::SecurityGroup,
                    format!(
                        "{who}: no egress rule of security group {names} allows {traffic} to {}",
                        remote.label
                    ),
                    sgs.first().cloned(),
                );
                Err(format!(
                    "{} no egress rule for {traffic} to {}",
                    security::subject(topo, &sgs),
                    remote.label
                ))
            }
        }
    }

    /// The ingress rules of the instance groups `receivers` (one entry per distinct set of
    /// security groups) in subnet `dest`, for traffic from `remote`.
    fn ingress(
        &mut self,
        topo: &Topology,
        dest: &SubnetView,
        receivers: &[Sender],
        traffic: Traffic,
        remote: &Remote,
    ) -> Result<(), String> {
        if receivers.iter().all(|r| r.groups.is_empty()) {
            self.hop(
                Step::SecurityGroup,
                format!(
                    "no security group check: no instance group runs in subnet {}, so kops6 knows no instance there or its groups",
                    dest.name
                ),
                None,
            );
            self.assumptions.push(format!(
                "whatever receives it in subnet {} has security groups that allow it",
                dest.name
            ));
            return Ok(());
        }
        // (who, hop detail, rule)
        let mut allowed: Vec<(String, String, String)> = Vec::new();
        // (who, why): the hop names the receiving group, the reason the rule that is missing.
        let mut denied: Vec<(String, String)> = Vec::new();
        let mut maybe: Vec<String> = Vec::new();
        for r in receivers {
            let who = r.label();
            if r.security_groups.is_empty() {
                maybe.push(format!(
                    "the security groups of {who} allow it (the model has no launch template for it)"
                ));
                continue;
            }
            let names = security::names(topo, &r.security_groups);
            match security::check(
                topo,
                &r.security_groups,
                Direction::Ingress,
                traffic,
                remote,
            ) {
                Verdict::Allowed { group, rule } => allowed.push((
                    who.clone(),
                    format!(
                        "{who}: security group {group} allows {traffic} in from {}",
                        remote.label
                    ),
                    rule,
                )),
                Verdict::Maybe(why) => maybe.push(format!("{who} ({names}): {}", why.join("; "))),
                Verdict::Denied => denied.push((
                    who,
                    format!(
                        "{} no ingress rule for {traffic} from {}",
                        security::subject(topo, &r.security_groups),
                        remote.label
                    ),
                )),
            }
        }
        let resource = allowed
            .first()
            .map(|(_, _, rule)| rule.clone())
            .or_else(|| {
                receivers
                    .iter()
                    .find_map(|r| r.security_groups.first().cloned())
            });
        let mut parts: Vec<String> = allowed.iter().map(|(_, d, _)| d.clone()).collect();
        parts.extend(maybe.iter().map(|m| format!("only if {m}")));
        parts.extend(denied.iter().map(|(who, why)| format!("{who}: {why}")));
        self.hop(Step::SecurityGroup, parts.join("; "), resource);
        if allowed.is_empty() && maybe.is_empty() {
            return Err(denied
                .iter()
                .map(|(_, why)| why.as_str())
                .collect::<Vec<_>>()
                .join("; "));
        }
        if !denied.is_empty() || !maybe.is_empty() {
            let receivers_ok: Vec<&str> = allowed.iter().map(|(who, _, _)| who.as_str()).collect();
            let mut what = Vec::new();
            if !receivers_ok.is_empty() && !denied.is_empty() {
                what.push(format!(
                    "the receiving instance in subnet {} belongs to {}, not to a group whose security group drops it",
                    dest.name,
                    receivers_ok.join(" or ")
                ));
            }
            what.extend(maybe);
            self.assumptions.extend(what);
        }
        Ok(())
    }

    fn outbound(mut self, topo: &Topology, subnet: &SubnetView, to: &To) -> Answer {
        self.hop(
            Step::Source,
            format!(
                "an instance in subnet {} ({}, {}): {}",
                subnet.name,
                subnet.subnet_type,
                subnet.zone,
                families(subnet)
            ),
            Some(subnet.resource.clone()),
        );
        self.origin = Remote {
            label: format!(
                "{} (subnet {}{})",
                self.sender.label(),
                subnet.name,
                match security::names(topo, &self.sender.security_groups) {
                    n if n.is_empty() => String::new(),
                    n => format!(", security group {n}"),
                }
            ),
            groups: self.sender.security_groups.clone(),
            ..Remote::default()
        };
        if let To::Name { name, a, aaaa } = to {
            if let (Some(group), true) = (topo.group(name), a.is_empty() && aaaa.is_empty()) {
                return self.deliver_to_group(topo, subnet, group);
            }
        }
        let addr = match self.address(subnet, to) {
            Ok(a) => a,
            Err(reason) => return self.fail(reason),
        };
        self.origin.range = range_of(subnet, addr.is_ipv6());
        let remote = Remote {
            addr: Some(addr),
            label: addr.to_string(),
            ..Remote::default()
        };
        if let Err(reason) = self.egress(topo, self.traffic(addr.is_ipv6()), &remote) {
            return self.fail(reason);
        }
        self.forward(topo, subnet, addr, 0)
    }

    /// `--to GROUP`: to an instance of an instance group, inside the VPC.
    fn deliver_to_group(
        mut self,
        topo: &Topology,
        subnet: &SubnetView,
        group: &GroupView,
    ) -> Answer {
        let Some(dest) = group.subnets.first().and_then(|s| topo.subnet(s)) else {
            return self.fail(format!(
                "instance group {} names no subnet of the cluster",
                group.name
            ));
        };
        let ipv6 = match (
            subnet.has_ipv6() && dest.has_ipv6(),
            subnet.has_ipv4() && dest.has_ipv4(),
        ) {
            (true, _) => true,
            (false, true) => false,
            (false, false) => {
                return self.fail(format!(
                "no common address family: subnet {} is {} and subnet {} (instance group {}) is {}",
                subnet.name,
                families(subnet),
                dest.name,
                group.name,
                families(dest)
            ))
            }
        };
        self.origin.range = range_of(subnet, ipv6);
        let receiver = Sender::of(&[group]);
        let remote = Remote {
            range: range_of(dest, ipv6),
            groups: receiver.security_groups.clone(),
            label: format!(
                "{} (subnet {}{})",
                receiver.label(),
                dest.name,
                match security::names(topo, &receiver.security_groups) {
                    n if n.is_empty() => String::new(),
                    n => format!(", security group {n}"),
                }
            ),
            ..Remote::default()
        };
        let traffic = self.traffic(ipv6);
        if let Err(reason) = self.egress(topo, traffic, &remote) {
            return self.fail(reason);
        }
        let range = range_of(dest, ipv6)
            .map(|n| n.to_string())
            .or_else(|| dest.ipv6_label())
            .unwrap_or_default();
        self.hop(
            Step::Route,
            format!(
                "{} inside the VPC: subnet {} ({range}) is reached by the local route every table has",
                if ipv6 { "IPv6" } else { "IPv4" },
                dest.name
            ),
            subnet.table.as_ref().map(|t| t.to_string()),
        );
        let origin = self.origin.clone();
        if let Err(reason) = self.ingress(topo, dest, &[receiver], traffic, &origin) {
            return self.fail(reason);
        }
        self.hop(
            Step::Local,
            format!(
                "delivered inside the VPC to instance group {} in subnet {} ({})",
                group.name, dest.name, dest.subnet_type
            ),
            Some(dest.resource.clone()),
        );
        self.done()
    }

    /// The address the instance sends to, after DNS (and DNS64).
    fn address(&mut self, subnet: &SubnetView, to: &To) -> Result<IpAddr, String> {
        match to {
            To::Address(IpAddr::V4(a)) if !subnet.has_ipv4() => Err(format!(
                "no IPv4 address: subnet {} is IPv6-only, so the instance cannot send to the IPv4 literal {a} \
                 (DNS64 only helps names: use the host name, or 64:ff9b::{a} through NAT64)",
                subnet.name
            )),
            To::Address(IpAddr::V6(a)) if !subnet.has_ipv6() => Err(format!(
                "no IPv6 address: subnet {} has no ipv6CIDR, so the instance cannot send to {a}",
                subnet.name
            )),
            To::Address(ip) => Ok(*ip),
            To::Name { name, a, aaaa } => self.resolve(subnet, name, a, aaaa),
        }
    }

    /// An instance with IPv6 prefers AAAA records (RFC 6724); an IPv6-only one with only A
    /// records depends on DNS64.
    fn resolve(
        &mut self,
        subnet: &SubnetView,
        name: &str,
        a: &[Ipv4Addr],
        aaaa: &[Ipv6Addr],
    ) -> Result<IpAddr, String> {
        if let (true, Some(v6)) = (subnet.has_ipv6(), aaaa.first()) {
            self.hop(
                Step::Dns,
                format!("{name} has AAAA {v6}: the instance uses IPv6"),
                None,
            );
            return Ok(IpAddr::V6(*v6));
        }
        if let (true, Some(v4)) = (subnet.has_ipv4(), a.first()) {
            let why = if aaaa.is_empty() {
                "no AAAA record"
            } else {
                "the instance has no IPv6 address"
            };
            self.hop(
                Step::Dns,
                format!("{name} has A {v4} ({why}): the instance uses IPv4"),
                None,
            );
            return Ok(IpAddr::V4(*v4));
        }
        match (a.first(), aaaa.is_empty()) {
            (None, true) => Err(format!(
                "{name} has no A or AAAA records (give them with --a/--aaaa)"
            )),
            (None, false) => Err(format!(
                "{name} has only AAAA records, but subnet {} has no ipv6CIDR, so the instance has no IPv6 address",
                subnet.name
            )),
            (Some(v4), _) => match subnet.dns64 {
                Some(true) => {
                    let synth = nat64_synthesise(*v4);
                    self.hop(
                        Step::Dns64,
                        format!(
                            "{name} has only A {v4}; the subnet's resolver (DNS64) answers AAAA {synth} (64:ff9b::/96 + IPv4)"
                        ),
                        Some(subnet.resource.clone()),
                    );
                    Ok(IpAddr::V6(synth))
                }
                Some(false) => Err(format!(
                    "no DNS64: {name} has only A records, subnet {} is IPv6-only and its resolver does not synthesise AAAA records",
                    subnet.name
                )),
                None => Err(format!(
                    "{name} has only A records, subnet {} is IPv6-only, and whether its resolver has DNS64 is not known: kops6 does not manage it",
                    subnet.name
                )),
            },
        }
    }

    /// Routes `addr` from `subnet`'s table; `depth` counts NAT gateways passed.
    fn forward(mut self, topo: &Topology, subnet: &SubnetView, addr: IpAddr, depth: u8) -> Answer {
        match &subnet.routing {
            Routing::Managed => {}
            Routing::Shared(id) => {
                return self.fail(format!(
                    "subnet {} is shared ({id}): its route table is not kops6's, so the path cannot be followed",
                    subnet.name
                ))
            }
            Routing::External => {
                return self.fail(format!(
                    "subnet {} has egress External: its routing is managed outside kops6, so the path cannot be followed",
                    subnet.name
                ))
            }
        }
        let Some(table) = &subnet.table else {
            return self.fail(format!(
                "subnet {} has no route table in the model",
                subnet.name
            ));
        };
        let Some(choice) = longest_match(topo, subnet, addr) else {
            let known: Vec<String> = subnet
                .routes
                .iter()
                .map(|r| r.destination.to_string())
                .collect();
            return self.fail(format!(
                "no matching route: no route in table {} covers {addr} (its routes: {}{})",
                table.name,
                local_routes(topo, addr).join(", "),
                if known.is_empty() {
                    String::new()
                } else {
                    format!(", {}", known.join(", "))
                }
            ));
        };
        match choice {
            Choice::Local(vpc_range) => {
                self.hop(
                    Step::Route,
                    format!(
                        "table {}: {vpc_range} -> local (longest match for {addr})",
                        table.name
                    ),
                    Some(table.to_string()),
                );
                self.local(topo, addr)
            }
            Choice::Route(route, alternatives) => {
                let others = if alternatives.is_empty() {
                    String::new()
                } else {
                    format!("; also matching: {}", alternatives.join(", "))
                };
                self.hop(
                    Step::Route,
                    format!(
                        "table {}: {} -> {} (longest match for {addr}{others})",
                        table.name,
                        route.destination,
                        kops6_model::plan::describe_target(&route.target)
                    ),
                    Some(route.key.to_string()),
                );
                self.target(topo, subnet, &route.target, addr, depth)
            }
        }
    }

    fn local(mut self, topo: &Topology, addr: IpAddr) -> Answer {
        match topo.subnets.iter().find(|s| s.holds(addr)) {
            Some(dest) => {
                let receivers = senders_in(topo, dest);
                let origin = self.origin.clone();
                if let Err(reason) = self.ingress(
                    topo,
                    dest,
                    &receivers,
                    self.traffic(addr.is_ipv6()),
                    &origin,
                ) {
                    return self.fail(reason);
                }
                self.hop(
                    Step::Local,
                    format!(
                        "delivered inside the VPC to subnet {} ({})",
                        dest.name, dest.subnet_type
                    ),
                    Some(dest.resource.clone()),
                );
                self.done()
            }
            None => {
                let shared = if topo.shared_vpc {
                    " (the shared VPC may hold subnets kops6 does not know)"
                } else {
                    ""
                };
                self.fail(format!(
                    "{addr} is inside the VPC but in none of the cluster's subnets{shared}"
                ))
            }
        }
    }

    fn target(
        mut self,
        topo: &Topology,
        subnet: &SubnetView,
        target: &RouteTarget,
        addr: IpAddr,
        depth: u8,
    ) -> Answer {
        match target {
            RouteTarget::InternetGateway(v) => self.internet_gateway(subnet, v, addr),
            RouteTarget::EgressOnlyInternetGateway(v) => match addr {
                IpAddr::V4(_) => self.fail(format!(
                    "an egress-only internet gateway ({}) carries only IPv6, not {addr}",
                    describe_value(v)
                )),
                IpAddr::V6(a) if nat64_embedded(a).is_some() => {
                    self.fail(nat64_not_on_internet(a, &describe_value(v)))
                }
                IpAddr::V6(_) => {
                    self.hop(
                        Step::Gateway,
                        "egress-only internet gateway: IPv6 out from the instance's own address (replies come back, nothing starts from outside)",
                        Some(describe_value(v)),
                    );
                    self.internet(addr)
                }
            },
            RouteTarget::NatGateway(v) => self.nat_gateway(topo, v, addr, depth),
            RouteTarget::TransitGateway(id) => self.beyond(
                id,
                match addr {
                    IpAddr::V6(a) if nat64_embedded(a).is_some() => {
                        format!("transit gateway {id}: the network behind it must do NAT64 for {a}")
                    }
                    _ => format!("transit gateway {id}: traffic leaves the VPC"),
                },
            ),
            RouteTarget::Instance(id) => self.beyond(id, format!("instance {id}")),
            RouteTarget::VpcPeeringConnection(id) => {
                self.beyond(id, format!("VPC peering connection {id}"))
            }
            RouteTarget::VpcEndpoint(id) => self.beyond(id, format!("VPC endpoint {id}")),
            RouteTarget::VpnGateway(id) => self.beyond(id, format!("virtual private gateway {id}")),
        }
    }

    fn internet_gateway(mut self, subnet: &SubnetView, v: &Value, addr: IpAddr) -> Answer {
        match addr {
            IpAddr::V6(a) if nat64_embedded(a).is_some() => {
                self.fail(nat64_not_on_internet(a, &describe_value(v)))
            }
            IpAddr::V4(_) if !subnet.is_public() => self.fail(format!(
                "subnet {} is {}: its instances have no public IPv4 address, so the internet gateway cannot carry {addr}",
                subnet.name, subnet.subnet_type
            )),
            IpAddr::V4(_) => {
                self.hop(
                    Step::Gateway,
                    "internet gateway: IPv4 out from the public IPv4 address of an instance or NAT gateway in a public subnet",
                    Some(describe_value(v)),
                );
                self.internet(addr)
            }
            IpAddr::V6(_) => {
                self.hop(
                    Step::Gateway,
                    "internet gateway: IPv6 out from the instance's own (global) address",
                    Some(describe_value(v)),
                );
                self.internet(addr)
            }
        }
    }

    fn internet(mut self, addr: IpAddr) -> Answer {
        self.hop(Step::Internet, format!("{addr} on the internet"), None);
        self.done()
    }

    fn nat_gateway(mut self, topo: &Topology, v: &Value, addr: IpAddr, depth: u8) -> Answer {
        let name = describe_value(v);
        let next = match addr {
            IpAddr::V6(a) => match nat64_embedded(a) {
                Some(v4) => {
                    self.hop(
                        Step::Nat64,
                        format!("NAT gateway translates {a} to IPv4 {v4}, from its Elastic IP"),
                        Some(name.clone()),
                    );
                    IpAddr::V4(v4)
                }
                None => {
                    return self.fail(format!(
                        "NAT64 to an IPv6 destination: NAT gateway {name} translates only 64:ff9b::/96 to IPv4, and {a} is a native IPv6 address"
                    ))
                }
            },
            IpAddr::V4(_) => {
                self.hop(
                    Step::Nat,
                    format!("NAT gateway rewrites the source of {addr} to its Elastic IP"),
                    Some(name.clone()),
                );
                addr
            }
        };
        let home = match v {
            Value::Ref(key) => topo
                .nat(key)
                .and_then(|n| n.subnet.as_deref())
                .and_then(|s| topo.subnet(s)),
            _ => None,
        };
        match home {
            Some(home) if depth < 3 => {
                // A NAT gateway has no security group; receivers see its address, not the
                // instance's groups.
                self.origin = Remote {
                    range: range_of(home, next.is_ipv6()),
                    label: format!("the NAT gateway in subnet {}", home.name),
                    ..Remote::default()
                };
                self.hop(
                    Step::Source,
                    format!(
                        "from the NAT gateway in subnet {} ({})",
                        home.name, home.subnet_type
                    ),
                    Some(home.resource.clone()),
                );
                self.forward(topo, home, next, depth + 1)
            }
            Some(_) => self.fail(format!(
                "routing loop: {addr} passes more than three NAT gateways"
            )),
            None => self.beyond(
                &name,
                format!("existing NAT gateway {name}: its own subnet and routes are not kops6's"),
            ),
        }
    }

    fn beyond(mut self, resource: &str, detail: String) -> Answer {
        self.hop(Step::Beyond, detail, Some(resource.to_string()));
        self.assumptions.push(format!(
            "{resource} is outside the model: reachable only if the network behind it routes the traffic"
        ));
        self.done()
    }
}

fn nat64_not_on_internet(a: Ipv6Addr, gateway: &str) -> String {
    format!(
        "{a} is in the NAT64 prefix 64:ff9b::/96, which the internet does not route: \
         the table has no 64:ff9b::/96 route to a NAT gateway, so it went to {gateway}"
    )
}

/// The range of a subnet that a sender or receiver of this family has its address in.
fn range_of(s: &SubnetView, ipv6: bool) -> Option<IpNet> {
    if ipv6 {
        s.ipv6_resolved.map(IpNet::V6)
    } else {
        s.ipv4.map(IpNet::V4)
    }
}

fn families(s: &SubnetView) -> String {
    match (s.ipv4, s.ipv6_label()) {
        (Some(v4), Some(v6)) => format!("dual-stack (IPv4 in {v4}, IPv6 in {v6})"),
        (None, Some(v6)) => format!("IPv6 only (IPv6 in {v6}, no IPv4)"),
        (Some(v4), None) => format!("IPv4 only (IPv4 in {v4}, no IPv6)"),
        (None, None) => "no address range".into(),
    }
}

enum Choice<'a> {
    /// The VPC's implicit local route.
    Local(IpNet),
    /// A route of the table, with the other (shorter) destinations that also matched.
    Route(&'a crate::topology::RouteView, Vec<String>),
}

/// The VPC ranges every table routes locally (the IPv6 one only when known).
fn vpc_ranges(topo: &Topology) -> Vec<IpNet> {
    let mut out = Vec::new();
    if let Some(v4) = topo.vpc_ipv4 {
        out.push(IpNet::V4(v4));
    }
    if let Some(v6) = topo.vpc_ipv6 {
        out.push(IpNet::V6(v6));
    }
    // Literal subnet ranges are inside the VPC's block even when the block itself is not known.
    for s in &topo.subnets {
        if let (None, Some(net)) = (topo.vpc_ipv6, s.ipv6_resolved) {
            out.push(IpNet::V6(net));
        }
    }
    out
}

fn local_routes(topo: &Topology, addr: IpAddr) -> Vec<String> {
    let mut out: Vec<String> = vpc_ranges(topo)
        .iter()
        .filter(|n| {
            matches!(
                (n, addr),
                (IpNet::V4(_), IpAddr::V4(_)) | (IpNet::V6(_), IpAddr::V6(_))
            )
        })
        .map(|n| format!("{n} local"))
        .collect();
    if addr.is_ipv6() && topo.vpc_ipv6.is_none() {
        out.push("the VPC's IPv6 block local (not known offline)".into());
    }
    out
}

/// Longest prefix wins; the local route wins a tie, as in AWS.
fn longest_match<'a>(topo: &Topology, subnet: &'a SubnetView, addr: IpAddr) -> Option<Choice<'a>> {
    let local = vpc_ranges(topo)
        .into_iter()
        .filter(|n| n.contains(&addr))
        .max_by_key(|n| n.prefix_len());
    let matching: Vec<&crate::topology::RouteView> = subnet
        .routes
        .iter()
        .filter(|r| r.destination.contains(&addr))
        .collect();
    let best = matching
        .iter()
        .max_by_key(|r| r.destination.prefix_len())
        .copied();
    match (local, best) {
        (Some(l), Some(r)) if r.destination.prefix_len() > l.prefix_len() => {
            Some(Choice::Route(r, others(&matching, r, Some(l))))
        }
        (Some(l), _) => Some(Choice::Local(l)),
        (None, Some(r)) => Some(Choice::Route(r, others(&matching, r, None))),
        (None, None) => None,
    }
}

fn others(
    matching: &[&crate::topology::RouteView],
    best: &crate::topology::RouteView,
    local: Option<IpNet>,
) -> Vec<String> {
    matching
        .iter()
        .filter(|r| r.key != best.key)
        .map(|r| r.destination.to_string())
        .chain(local.map(|l| format!("{l} local")))
        .collect()
}

fn known_subnets(topo: &Topology) -> String {
    topo.subnets
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `--from` subnet, and the instance group when `--from` names one.
fn source_subnet<'a>(
    topo: &'a Topology,
    name: &str,
    trace: &mut Trace,
) -> Result<(&'a SubnetView, Option<&'a GroupView>), ReachError> {
    if let Some(s) = topo.subnet(name) {
        return Ok((s, None));
    }
    if let Ok(addr) = name.parse::<IpAddr>() {
        if let Some(s) = topo.subnets.iter().find(|s| s.holds(addr)) {
            trace.hop(
                Step::Source,
                format!("{addr} is in subnet {}", s.name),
                None,
            );
            return Ok((s, None));
        }
    }
    let group = topo.group(name).ok_or_else(|| ReachError::UnknownSource {
        name: name.to_string(),
        known: known_subnets(topo),
    })?;
    let first = group
        .subnets
        .first()
        .ok_or_else(|| ReachError::GroupWithoutSubnet(name.to_string()))?;
    let subnet = topo
        .subnet(first)
        .ok_or_else(|| ReachError::UnknownSource {
            name: first.clone(),
            known: known_subnets(topo),
        })?;
    trace.hop(
        Step::Source,
        format!(
            "instance group {} runs in subnet {}",
            group.name, subnet.name
        ),
        None,
    );
    Ok((subnet, Some(group)))
}

/// `--from internet` (or a host address outside the VPC): can a connection started on the
/// internet reach the subnet?
fn inbound(
    topo: &Topology,
    host: Option<IpAddr>,
    to: &To,
    query: &Query,
) -> Result<Answer, ReachError> {
    let port = query.port;
    let subnet = match to {
        To::Name { name, .. } => topo.subnet(name).ok_or_else(|| ReachError::UnknownSubnet {
            name: name.clone(),
            known: known_subnets(topo),
        })?,
        To::Address(ip) => topo
            .subnets
            .iter()
            .find(|s| s.holds(*ip))
            .ok_or_else(|| ReachError::InboundNeedsSubnet(ip.to_string()))?,
    };
    let mut trace = Trace::new(query);
    trace.origin = Remote {
        addr: host,
        any_host: host.is_none(),
        label: match host {
            Some(a) => a.to_string(),
            None => "the internet (any host)".into(),
        },
        ..Remote::default()
    };
    trace.hop(
        Step::Source,
        format!(
            "a host on the internet{}, to subnet {} ({}, {}){}",
            host.map(|a| format!(" at {a}")).unwrap_or_default(),
            subnet.name,
            subnet.subnet_type,
            subnet.zone,
            port.map(|p| format!(", port {p}")).unwrap_or_default()
        ),
        None,
    );
    // The address family the connection uses: the host's, else what the target offers
    // (IPv6 first). `to` as an address fixes it too.
    let families: Vec<bool> = match (host, to) {
        (Some(a), _) => vec![a.is_ipv6()],
        (None, To::Address(a)) => vec![a.is_ipv6()],
        (None, To::Name { .. }) => [
            subnet.has_ipv6().then_some(true),
            subnet.has_ipv4().then_some(false),
        ]
        .into_iter()
        .flatten()
        .collect(),
    };
    for entry in [Entry::api(topo), Entry::bastion(topo)]
        .into_iter()
        .flatten()
    {
        if let Some(answer) = through_load_balancer(topo, subnet, &families, &mut trace, &entry) {
            return Ok(answer);
        }
    }
    match &subnet.routing {
        Routing::Managed => {}
        Routing::Shared(_) | Routing::External => {
            return Ok(trace.fail(format!(
            "subnet {}'s routing is managed outside kops6, so inbound traffic cannot be followed",
            subnet.name
        )))
        }
    }
    if subnet.is_public() {
        let igw = topo
            .gateway(GatewayKind::Internet)
            .map(|g| g.resource.clone());
        let via_igw = subnet
            .routes
            .iter()
            .any(|r| matches!(r.target, RouteTarget::InternetGateway(_)));
        if !via_igw {
            return Ok(trace.fail(format!(
                "subnet {} has no route to an internet gateway, so replies cannot leave",
                subnet.name
            )));
        }
        let Some(&ipv6) = families.first().filter(|v6| {
            if **v6 {
                subnet.has_ipv6()
            } else {
                subnet.has_ipv4()
            }
        }) else {
            return Ok(trace.fail(format!(
                "subnet {} has no {} range, so nothing in it has an address of the host's family",
                subnet.name,
                if host.is_some_and(|h| h.is_ipv6()) {
                    "IPv6"
                } else {
                    "IPv4"
                }
            )));
        };
        trace.hop(
            Step::Gateway,
            "internet gateway: delivers to public addresses (instances' global IPv6, public IPv4)",
            igw,
        );
        let receivers = senders_in(topo, subnet);
        let origin = trace.origin.clone();
        let traffic = trace.traffic(ipv6);
        if let Err(reason) = trace.ingress(topo, subnet, &receivers, traffic, &origin) {
            return Ok(trace.fail(reason));
        }
        trace.hop(
            Step::Local,
            format!("arrives in subnet {}", subnet.name),
            Some(subnet.resource.clone()),
        );
        return Ok(trace.done());
    }
    let lb_hint = lb_hint(topo, subnet);
    let eigw = subnet
        .routes
        .iter()
        .find(|r| matches!(r.target, RouteTarget::EgressOnlyInternetGateway(_)));
    let reason = match eigw {
        Some(route) => {
            trace.hop(
                Step::Route,
                format!(
                    "table {}: {} -> {}",
                    subnet.table.as_ref().map_or("?".into(), |t: &Key| t.name.clone()),
                    route.destination,
                    kops6_model::plan::describe_target(&route.target)
                ),
                Some(route.key.to_string()),
            );
            format!(
                "blocked by the egress-only internet gateway: subnet {} is {}, and its IPv6 leaves through {}, which carries connections started inside the VPC (and their replies), never one started from the internet{lb_hint}",
                subnet.name,
                subnet.subnet_type,
                kops6_model::plan::describe_target(&route.target)
            )
        }
        None => format!(
            "subnet {} is {}: it has no route from the internet (a NAT gateway carries only connections started inside){lb_hint}",
            subnet.name, subnet.subnet_type
        ),
    };
    Ok(trace.fail(reason))
}

fn lb_hint(topo: &Topology, subnet: &SubnetView) -> String {
    [Entry::api(topo), Entry::bastion(topo)]
        .into_iter()
        .flatten()
        .filter(|e| !e.lb.internal)
        .filter_map(|e| {
            let groups = e.targets_in(topo, subnet);
            (!groups.is_empty()).then(|| {
                format!(
                    "; only the {} load balancer {} reaches {} ({}) here, on port {}",
                    e.what,
                    e.lb.name,
                    e.targets,
                    groups.join(", "),
                    e.port
                )
            })
        })
        .collect()
}

/// A load balancer the internet reaches instances through (SPEC 7): the API's on TCP 443 to
/// the control plane, the bastion's on TCP 22 to the bastions.
struct Entry<'t> {
    lb: &'t LoadBalancerView,
    what: &'static str,
    /// What it forwards to, in words.
    targets: &'static str,
    port: u16,
    /// The spec field whose CIDRs its security group admits.
    access: &'static str,
    target: fn(&GroupView) -> bool,
}

impl<'t> Entry<'t> {
    fn api(topo: &'t Topology) -> Option<Self> {
        Some(Entry {
            lb: topo.api_load_balancer.as_ref()?,
            what: "API",
            targets: "the control plane",
            port: 443,
            access: "kubernetesApiAccess",
            target: |g| g.control_plane,
        })
    }

    fn bastion(topo: &'t Topology) -> Option<Self> {
        Some(Entry {
            lb: topo.bastion_load_balancer.as_ref()?,
            what: "bastion",
            targets: "the bastion",
            port: 22,
            access: "sshAccess",
            target: |g| g.bastion,
        })
    }

    fn targets_in(&self, topo: &'t Topology, subnet: &SubnetView) -> Vec<String> {
        topo.groups_in(&subnet.name)
            .filter(|g| (self.target)(g))
            .map(|g| g.name.clone())
            .collect()
    }
}

/// The entry's port to a subnet with its target groups goes through its public load balancer
/// (TCP 443 to the control plane through the API's, TCP 22 to a bastion through the bastion's):
/// the load balancer's security group admits the host, the targets' admit the load balancer's
/// group (or, without one, the host, whose address the load balancer keeps).
fn through_load_balancer(
    topo: &Topology,
    subnet: &SubnetView,
    families: &[bool],
    trace: &mut Trace,
    entry: &Entry<'_>,
) -> Option<Answer> {
    let lb = entry.lb;
    let port = entry.port;
    if entry.targets_in(topo, subnet).is_empty() {
        return None;
    }
    if trace.port != Some(entry.port) || trace.protocol != QueryProtocol::Tcp || lb.internal {
        return None;
    }
    let mut t = Trace {
        hops: std::mem::take(&mut trace.hops),
        assumptions: std::mem::take(&mut trace.assumptions),
        protocol: trace.protocol,
        port: trace.port,
        sender: Sender::default(),
        origin: trace.origin.clone(),
    };
    let families: Vec<bool> = families
        .iter()
        .copied()
        .filter(|v6| !v6 || lb.dualstack)
        .collect();
    let Some(&ipv6) = families.first() else {
        return Some(t.fail(format!(
            "the {} load balancer {} is IPv4 only (a subnet has no ipv6CIDR), so an IPv6 host cannot reach it",
            entry.what, lb.name
        )));
    };
    t.hop(
        Step::Gateway,
        "internet gateway: delivers to the load balancer's public addresses",
        topo.gateway(GatewayKind::Internet)
            .map(|g| g.resource.clone()),
    );
    let host = t.origin.clone();
    let traffic = t.traffic(ipv6);
    if !lb.security_groups.is_empty() {
        let sgs = lb.security_groups.clone();
        let names = security::names(topo, &sgs);
        let who = format!("the {} load balancer {}", entry.what, lb.name);
        match security::check(topo, &sgs, Direction::Ingress, traffic, &host) {
            Verdict::Allowed { group, rule } => t.hop(
                Step::SecurityGroup,
                format!(
                    "{who}: security group {group} allows {traffic} in from {}",
                    host.label
                ),
                Some(rule),
            ),
            Verdict::Maybe(why) => {
                t.hop(
                    Step::SecurityGroup,
                    format!(
                        "{who}: security group {names} allows {traffic} in from {} {}",
                        host.label,
                        why.join("; ")
                    ),
                    sgs.first().cloned(),
                );
                t.assumptions.extend(why);
            }
            Verdict::Denied => {
                t.hop(
                    Step::SecurityGroup,
                    format!(
                        "{who}: no ingress rule of security group {names} allows {traffic} from {}",
                        host.label
                    ),
                    sgs.first().cloned(),
                );
                return Some(t.fail(format!(
                    "{} no ingress rule for {traffic} from {} ({})",
                    security::subject(topo, &sgs),
                    host.label,
                    entry.access
                )));
            }
        }
    }
    t.hop(
        Step::LoadBalancer,
        format!(
            "{} Network load balancer {} ({}) in subnets {}: listener TCP {port} -> target group TCP {port}",
            entry.what,
            lb.name,
            if lb.dualstack { "dualstack" } else { "ipv4" },
            lb.subnets.join(", ")
        ),
        Some(lb.name.clone()),
    );
    let from_lb = if lb.security_groups.is_empty() {
        host
    } else {
        Remote {
            groups: lb.security_groups.clone(),
            label: format!(
                "the load balancer's security group {}",
                security::names(topo, &lb.security_groups)
            ),
            ..Remote::default()
        }
    };
    let targets: Vec<&GroupView> = topo
        .groups_in(&subnet.name)
        .filter(|g| (entry.target)(g))
        .collect();
    let mut receivers: Vec<Sender> = Vec::new();
    for g in targets {
        match receivers
            .iter_mut()
            .find(|s| s.security_groups == g.security_groups)
        {
            Some(s) => s.groups.push(g.name.clone()),
            None => receivers.push(Sender::of(&[g])),
        }
    }
    if let Err(reason) = t.ingress(topo, subnet, &receivers, traffic, &from_lb) {
        return Some(t.fail(reason));
    }
    let group: Vec<String> = receivers.iter().flat_map(|r| r.groups.clone()).collect();
    t.hop(
        Step::Local,
        format!(
            "to {} ({}) in subnet {} on TCP {port}",
            if entry.what == "API" {
                "the control plane"
            } else {
                "the bastion"
            },
            group.join(", "),
            subnet.name
        ),
        Some(subnet.resource.clone()),
    );
    Some(t.done())
}

impl Answer {
    /// Numbered hops, then the verdict and why (or what it assumes).
    pub fn to_text(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        for (i, h) in self.hops.iter().enumerate() {
            let step = serde_json::to_value(h.step)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let _ = write!(out, "{:>3}. {step:<14} {}", i + 1, h.detail);
            match &h.resource {
                Some(r) => {
                    let _ = writeln!(out, "  [{r}]");
                }
                None => out.push('\n'),
            }
        }
        match (&self.reason, &self.assumption) {
            (Some(reason), _) => {
                let _ = writeln!(out, "NOT REACHABLE: {reason}");
            }
            (None, Some(assumption)) => {
                let _ = writeln!(out, "REACHABLE (assuming: {assumption})");
            }
            (None, None) => out.push_str("REACHABLE\n"),
        }
        out
    }
}
