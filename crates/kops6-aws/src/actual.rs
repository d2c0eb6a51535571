//! What exists in AWS, as plain data: the output of discovery and the input of the diff.

use std::collections::BTreeMap;

use ipnet::{IpNet, Ipv6Net};
use kops6_model::graph::Tags;
use kops6_model::{Key, Kind};

/// One resource found in AWS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The AWS ID (for an association, its association ID; for a route, the table's ID).
    pub id: String,
    pub tags: Tags,
    pub observed: Observed,
}

/// The attributes kops6 compares, per kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Observed {
    Vpc {
        cidr: String,
        /// The associated Amazon-provided (else first) IPv6 block.
        ipv6_block: Option<Ipv6Net>,
        /// An IPv6 block is being associated.
        ipv6_pending: bool,
        dns_hostnames: bool,
        dns_support: bool,
        dhcp_options_id: Option<String>,
    },
    DhcpOptions {
        domain_name: Option<String>,
        domain_name_servers: Vec<String>,
    },
    VpcDhcpOptionsAssociation {
        vpc_id: String,
        dhcp_options_id: Option<String>,
    },
    InternetGateway {
        attached_vpcs: Vec<String>,
    },
    EgressOnlyInternetGateway {
        attached_vpcs: Vec<String>,
    },
    Subnet {
        vpc_id: String,
        zone: String,
        cidr: Option<String>,
        ipv6_cidr: Option<String>,
        ipv6_native: bool,
        assign_ipv6_on_creation: bool,
        dns64: bool,
        hostname_type: Option<String>,
        a_records: bool,
        aaaa_records: bool,
    },
    ElasticIp {
        public_ip: Option<String>,
    },
    NatGateway {
        subnet_id: String,
        allocation_id: Option<String>,
        state: String,
    },
    RouteTable {
        vpc_id: String,
    },
    Route {
        destination: IpNet,
        /// The target's ID (`igw-`, `nat-`, `eigw-`, `tgw-`, ...).
        target: String,
    },
    RouteTableAssociation {
        subnet_id: String,
        table_id: String,
    },
}

/// Everything discovered for a cluster, by logical key. Several resources with one key (a
/// duplicate left by an interrupted run) are all kept: the first is used, the rest removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actual {
    pub resources: BTreeMap<Key, Vec<Found>>,
}

impl Actual {
    pub fn get(&self, key: &Key) -> Option<&Found> {
        self.resources.get(key).and_then(|v| v.first())
    }

    pub fn insert(&mut self, key: Key, found: Found) {
        let list = self.resources.entry(key).or_default();
        list.push(found);
        list.sort_by(|a, b| a.id.cmp(&b.id));
    }

    pub fn len(&self) -> usize {
        self.resources.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
    }

    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = (&Key, &Found)> {
        self.resources
            .iter()
            .filter(move |(k, _)| k.kind == kind)
            .flat_map(|(k, v)| v.iter().map(move |f| (k, f)))
    }
}

/// What kops6 needs to know of a shared VPC (SPEC 4.10).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SharedVpc {
    pub id: String,
    pub exists: bool,
    pub ipv6_block: Option<Ipv6Net>,
    pub internet_gateway: Option<String>,
    pub egress_only_gateway: Option<String>,
}
