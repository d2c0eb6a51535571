//! Security group rules as AWS applies them to one connection (SPEC 7 rules, SPEC 9 `reach`).
//!
//! A connection leaves an instance when any egress rule of any of its groups allows it, and
//! arrives when any ingress rule of any of the target's groups does; groups are stateful, so the
//! replies need no rule. What kops6 cannot know offline (a prefix list's entries, a group named
//! by ID, an address not yet allocated) makes the verdict `Maybe`, with the reason, never a guess.

use std::fmt;
use std::net::IpAddr;

use ipnet::IpNet;
use kops6_model::specs::{Direction, Protocol};

use crate::topology::{Peer, SecurityGroupRuleView, Topology};

/// The protocol a query asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueryProtocol {
    #[default]
    Tcp,
    Udp,
    /// An echo request (ping): ICMP type 8, or ICMPv6 type 128.
    Icmp,
}

impl QueryProtocol {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "tcp" => Some(Self::Tcp),
            "udp" => Some(Self::Udp),
            "icmp" | "icmpv6" => Some(Self::Icmp),
            _ => None,
        }
    }
}

/// What one connection is: protocol, port (none: any port of the protocol) and address family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Traffic {
    pub protocol: QueryProtocol,
    pub port: Option<u16>,
    pub ipv6: bool,
}

impl fmt::Display for Traffic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.protocol, self.port) {
            (QueryProtocol::Icmp, _) if self.ipv6 => f.write_str("icmpv6 echo request"),
            (QueryProtocol::Icmp, _) => f.write_str("icmp echo request"),
            (p, Some(port)) => write!(f, "{}/{port}", proto_name(p)),
            (p, None) => write!(f, "{} (any port)", proto_name(p)),
        }
    }
}

fn proto_name(p: QueryProtocol) -> &'static str {
    match p {
        QueryProtocol::Tcp => "tcp",
        QueryProtocol::Udp => "udp",
        QueryProtocol::Icmp => "icmp",
    }
}

/// The other end of the connection, as far as it is known.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Remote {
    /// Its exact address.
    pub addr: Option<IpAddr>,
    /// The range its address is in (an instance's subnet), when the exact one is not known.
    pub range: Option<IpNet>,
    /// Its security groups (`resource`s).
    pub groups: Vec<String>,
    /// Any host on the internet (no address given).
    pub any_host: bool,
    /// How answers name it.
    pub label: String,
}

/// What a set of security groups does with a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// `rule` of group `group` lets it through.
    Allowed {
        group: String,
        rule: String,
    },
    /// Only under these conditions (what is not known offline).
    Maybe(Vec<String>),
    Denied,
}

enum Match {
    Yes,
    Maybe(String),
    No,
}

/// Evaluates `direction` rules of `groups` (the instance's, as `resource`s) for `traffic` to or
/// from `remote`.
pub fn check(
    topo: &Topology,
    groups: &[String],
    direction: Direction,
    traffic: Traffic,
    remote: &Remote,
) -> Verdict {
    let mut maybe = Vec::new();
    for resource in groups {
        let Some(group) = topo.security_group(resource).filter(|g| g.modelled) else {
            maybe.push(format!(
                "security group {resource} is not kops6's: its rules are not known, so only if it allows {traffic}"
            ));
            continue;
        };
        for rule in group.rules.iter().filter(|r| r.direction == direction) {
            match rule_matches(rule, traffic, remote) {
                Match::Yes => {
                    return Verdict::Allowed {
                        group: group.name.clone(),
                        rule: rule.resource.clone(),
                    }
                }
                Match::Maybe(why) => maybe.push(why),
                Match::No => {}
            }
        }
    }
    if maybe.is_empty() {
        Verdict::Denied
    } else {
        Verdict::Maybe(maybe)
    }
}

fn rule_matches(rule: &SecurityGroupRuleView, traffic: Traffic, remote: &Remote) -> Match {
    if !protocol_matches(rule, traffic) {
        return Match::No;
    }
    match &rule.peer {
        Peer::Group(g) => {
            if remote.groups.iter().any(|r| r == g) {
                Match::Yes
            } else {
                Match::No
            }
        }
        Peer::PrefixList(id) => Match::Maybe(format!(
            "only if prefix list {id} (rule {}) holds {}: its entries are not known offline",
            rule.resource, remote.label
        )),
        Peer::Cidr(net) => {
            if net.addr().is_ipv6() != traffic.ipv6 {
                return Match::No;
            }
            if net.prefix_len() == 0 {
                return Match::Yes;
            }
            if let Some(addr) = remote.addr {
                return if net.contains(&addr) {
                    Match::Yes
                } else {
                    Match::No
                };
            }
            match remote.range {
                Some(range) if net.contains(&range) => Match::Yes,
                Some(range) if !(net.contains(&range.network()) || range.contains(net)) => {
                    Match::No
                }
                _ if remote.any_host => {
                    Match::Maybe(format!("only from hosts in {net} (rule {})", rule.resource))
                }
                _ => Match::Maybe(format!(
                    "only if the address of {} is in {net} (rule {})",
                    remote.label, rule.resource
                )),
            }
        }
    }
}

fn protocol_matches(rule: &SecurityGroupRuleView, traffic: Traffic) -> bool {
    let ports =
        |p: Option<u16>| p.is_none_or(|p| (rule.from_port..=rule.to_port).contains(&i32::from(p)));
    match (rule.protocol, traffic.protocol) {
        (Protocol::All, _) => true,
        (Protocol::Tcp, QueryProtocol::Tcp) | (Protocol::Udp, QueryProtocol::Udp) => {
            ports(traffic.port)
        }
        // ICMP rules hold a type in `from_port` (-1: every type); an echo request is 8 / 128.
        (Protocol::Icmp, QueryProtocol::Icmp) if !traffic.ipv6 => {
            rule.from_port == -1 || rule.from_port == 8
        }
        (Protocol::Icmpv6, QueryProtocol::Icmp) if traffic.ipv6 => {
            rule.from_port == -1 || rule.from_port == 128
        }
        _ => false,
    }
}

/// `masters.<C>`, or `masters.<C>, nodes.<C>`: how answers name a set of groups.
pub fn names(topo: &Topology, groups: &[String]) -> String {
    groups
        .iter()
        .map(|g| {
            topo.security_group(g)
                .map_or(g.as_str(), |v| v.name.as_str())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// "security group X has" / "security groups X, Y have".
pub fn subject(topo: &Topology, groups: &[String]) -> String {
    if groups.len() == 1 {
        format!("security group {} has", names(topo, groups))
    } else {
        format!("security groups {} have", names(topo, groups))
    }
}
