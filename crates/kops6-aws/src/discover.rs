//! Discovery: one Describe per resource kind, filtered by the cluster's `owned` tag, matched to
//! logical keys by `Name` tag. Routes and associations come with their route tables.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::{Filter, Tag};
use ipnet::{IpNet, Ipv6Net};
use kops6_model::graph::Tags;
use kops6_model::{Key, Kind};

use crate::actual::{Actual, Found, Observed, SharedVpc};
use crate::connect::Aws;
use crate::error::{api_error, AwsError};

/// The tag every resource kops6 creates carries, and the only one delete trusts.
pub fn owned_tag(cluster: &str) -> String {
    format!("kubernetes.io/cluster/{cluster}")
}

fn owned_filter(cluster: &str) -> Filter {
    Filter::builder()
        .name(format!("tag:{}", owned_tag(cluster)))
        .values("owned")
        .build()
}

/// Whether tags mark a resource as owned by the cluster. Checked on every result as well as
/// asked of the server: delete must never act on a resource without the tag, whatever an
/// API (or an emulator) returns for the filter.
fn is_owned(tags: &Tags, cluster: &str) -> bool {
    tags.get(&owned_tag(cluster)).map(String::as_str) == Some("owned")
}

fn filter(name: &str, value: &str) -> Filter {
    Filter::builder().name(name).values(value).build()
}

fn tags_of(tags: &[Tag]) -> Tags {
    tags.iter()
        .filter_map(|t| {
            Some((
                t.key()?.to_string(),
                t.value().unwrap_or_default().to_string(),
            ))
        })
        .collect()
}

/// The logical key of a found resource: its kind and `Name` tag (its ID when it has none, so
/// it can only ever be an orphan to remove).
fn key_of(kind: Kind, tags: &Tags, id: &str) -> Key {
    match tags.get("Name") {
        Some(name) => Key::new(kind, name.clone()),
        None => Key::new(kind, format!("(no Name tag) {id}")),
    }
}

/// Everything tagged as owned by the cluster.
pub async fn discover(aws: &Aws, cluster: &str) -> Result<Actual, AwsError> {
    let mut actual = Actual::default();
    let ep = aws.endpoint.as_str();
    let ec2 = &aws.ec2;
    let what = format!("resources of cluster {cluster}");

    let vpcs: Vec<_> = ec2
        .describe_vpcs()
        .filters(owned_filter(cluster))
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(|e| api_error(e, "listing VPCs of", &what, ep))?;
    for vpc in vpcs {
        let id = vpc.vpc_id().unwrap_or_default().to_string();
        let tags = tags_of(vpc.tags());
        if !is_owned(&tags, cluster) {
            continue;
        }
        let (hostnames, support) = vpc_dns(aws, &id).await?;
        let (ipv6_block, ipv6_pending) = vpc_ipv6(&vpc);
        let key = key_of(Kind::Vpc, &tags, &id);
        let dhcp = vpc.dhcp_options_id().map(str::to_string);
        actual.insert(
            Key::new(Kind::VpcDhcpOptionsAssociation, key.name.clone()),
            Found {
                id: id.clone(),
                tags: Tags::new(),
                observed: Observed::VpcDhcpOptionsAssociation {
                    vpc_id: id.clone(),
                    dhcp_options_id: dhcp.clone(),
                },
            },
        );
        actual.insert(
            key,
            Found {
                id,
                tags,
                observed: Observed::Vpc {
                    cidr: vpc.cidr_block().unwrap_or_default().to_string(),
                    ipv6_block,
                    ipv6_pending,
                    dns_hostnames: hostnames,
                    dns_support: support,
                    dhcp_options_id: dhcp,
                },
            },
        );
    }

    let dhcp = ec2
        .describe_dhcp_options()
        .filters(owned_filter(cluster))
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(|e| api_error(e, "listing DHCP options of", &what, ep))?;
    for d in dhcp {
        let id = d.dhcp_options_id().unwrap_or_default().to_string();
        let tags = tags_of(d.tags());
        if !is_owned(&tags, cluster) {
            continue;
        }
        let mut config: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for c in d.dhcp_configurations() {
            let values = c
                .values()
                .iter()
                .filter_map(|v| v.value().map(str::to_string))
                .collect();
            config.insert(c.key().unwrap_or_default().to_string(), values);
        }
        actual.insert(
            key_of(Kind::DhcpOptions, &tags, &id),
            Found {
                id,
                tags,
                observed: Observed::DhcpOptions {
                    domain_name: config.get("domain-name").and_then(|v| v.first().cloned()),
                    domain_name_servers: config.remove("domain-name-servers").unwrap_or_default(),
                },
            },
        );
    }

    let igws = ec2
        .describe_internet_gateways()
        .filters(owned_filter(cluster))
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(|e| api_error(e, "listing internet gateways of", &what, ep))?;
    for g in igws {
        let id = g.internet_gateway_id().unwrap_or_default().to_string();
        let tags = tags_of(g.tags());
        if !is_owned(&tags, cluster) {
            continue;
        }
        let attached_vpcs = g
            .attachments()
            .iter()
            .filter_map(|a| a.vpc_id().map(str::to_string))
            .collect();
        actual.insert(
            key_of(Kind::InternetGateway, &tags, &id),
            Found {
                id,
                tags,
                observed: Observed::InternetGateway { attached_vpcs },
            },
        );
    }

    let eigws = ec2
        .describe_egress_only_internet_gateways()
        .filters(owned_filter(cluster))
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(|e| api_error(e, "listing egress-only internet gateways of", &what, ep))?;
    for g in eigws {
        let id = g
            .egress_only_internet_gateway_id()
            .unwrap_or_default()
            .to_string();
        let tags = tags_of(g.tags());
        if !is_owned(&tags, cluster) {
            continue;
        }
        let attached_vpcs = g
            .attachments()
            .iter()
            .filter_map(|a| a.vpc_id().map(str::to_string))
            .collect();
        actual.insert(
            key_of(Kind::EgressOnlyInternetGateway, &tags, &id),
            Found {
                id,
                tags,
                observed: Observed::EgressOnlyInternetGateway { attached_vpcs },
            },
        );
    }

    let subnets = ec2
        .describe_subnets()
        .filters(owned_filter(cluster))
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(|e| api_error(e, "listing subnets of", &what, ep))?;
    let mut subnet_names: BTreeMap<String, String> = BTreeMap::new();
    for s in subnets {
        let id = s.subnet_id().unwrap_or_default().to_string();
        let tags = tags_of(s.tags());
        if !is_owned(&tags, cluster) {
            continue;
        }
        let key = key_of(Kind::Subnet, &tags, &id);
        subnet_names.insert(id.clone(), key.name.clone());
        let ipv6_cidr = s
            .ipv6_cidr_block_association_set()
            .iter()
            .find(|a| {
                a.ipv6_cidr_block_state()
                    .and_then(|st| st.state())
                    .is_some_and(|st| st.as_str() == "associated")
            })
            .and_then(|a| a.ipv6_cidr_block().map(str::to_string));
        let dns = s.private_dns_name_options_on_launch();
        actual.insert(
            key,
            Found {
                id,
                tags,
                observed: Observed::Subnet {
                    vpc_id: s.vpc_id().unwrap_or_default().to_string(),
                    zone: s.availability_zone().unwrap_or_default().to_string(),
                    cidr: s.cidr_block().filter(|c| !c.is_empty()).map(str::to_string),
                    ipv6_cidr,
                    ipv6_native: s.ipv6_native().unwrap_or(false),
                    assign_ipv6_on_creation: s.assign_ipv6_address_on_creation().unwrap_or(false),
                    dns64: s.enable_dns64().unwrap_or(false),
                    hostname_type: dns
                        .and_then(|d| d.hostname_type())
                        .map(|h| h.as_str().to_string()),
                    a_records: dns
                        .and_then(|d| d.enable_resource_name_dns_a_record())
                        .unwrap_or(false),
                    aaaa_records: dns
                        .and_then(|d| d.enable_resource_name_dns_aaaa_record())
                        .unwrap_or(false),
                },
            },
        );
    }

    let addresses = ec2
        .describe_addresses()
        .filters(owned_filter(cluster))
        .send()
        .await
        .map_err(|e| api_error(e, "listing Elastic IPs of", &what, ep))?;
    for a in addresses.addresses() {
        let id = a.allocation_id().unwrap_or_default().to_string();
        let tags = tags_of(a.tags());
        if !is_owned(&tags, cluster) {
            continue;
        }
        actual.insert(
            key_of(Kind::ElasticIp, &tags, &id),
            Found {
                id,
                tags,
                observed: Observed::ElasticIp {
                    public_ip: a.public_ip().map(str::to_string),
                },
            },
        );
    }

    let nats = ec2
        .describe_nat_gateways()
        .filter(owned_filter(cluster))
        .filter(
            Filter::builder()
                .name("state")
                .values("pending")
                .values("available")
                .values("failed")
                .build(),
        )
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(|e| api_error(e, "listing NAT gateways of", &what, ep))?;
    for n in nats {
        let state = n
            .state()
            .map(|s| s.as_str().to_string())
            .unwrap_or_default();
        if state == "failed" {
            continue;
        }
        let id = n.nat_gateway_id().unwrap_or_default().to_string();
        let tags = tags_of(n.tags());
        if !is_owned(&tags, cluster) {
            continue;
        }
        actual.insert(
            key_of(Kind::NatGateway, &tags, &id),
            Found {
                id,
                tags,
                observed: Observed::NatGateway {
                    subnet_id: n.subnet_id().unwrap_or_default().to_string(),
                    allocation_id: n
                        .nat_gateway_addresses()
                        .first()
                        .and_then(|a| a.allocation_id().map(str::to_string)),
                    state,
                },
            },
        );
    }

    let tables = ec2
        .describe_route_tables()
        .filters(owned_filter(cluster))
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(|e| api_error(e, "listing route tables of", &what, ep))?;
    for t in tables {
        let id = t.route_table_id().unwrap_or_default().to_string();
        let tags = tags_of(t.tags());
        if !is_owned(&tags, cluster) {
            continue;
        }
        let key = key_of(Kind::RouteTable, &tags, &id);
        for r in t.routes() {
            let created = r.origin().is_some_and(|o| o.as_str() == "CreateRoute");
            let dest = r
                .destination_cidr_block()
                .or(r.destination_ipv6_cidr_block())
                .and_then(|d| d.parse::<IpNet>().ok());
            let target = r
                .nat_gateway_id()
                .or(r.egress_only_internet_gateway_id())
                .or(r.transit_gateway_id())
                .or(r.instance_id())
                .or(r.vpc_peering_connection_id())
                .or(r.gateway_id());
            if let (true, Some(dest), Some(target)) = (created, dest, target) {
                actual.insert(
                    Key::new(Kind::Route, format!("{}/{dest}", key.name)),
                    Found {
                        id: id.clone(),
                        tags: Tags::new(),
                        observed: Observed::Route {
                            destination: dest,
                            target: target.to_string(),
                        },
                    },
                );
            }
        }
        for a in t.associations() {
            let (Some(subnet), Some(assoc)) = (a.subnet_id(), a.route_table_association_id())
            else {
                continue;
            };
            let name = subnet_names
                .get(subnet)
                .cloned()
                .unwrap_or_else(|| subnet.to_string());
            actual.insert(
                Key::new(Kind::RouteTableAssociation, name),
                Found {
                    id: assoc.to_string(),
                    tags: Tags::new(),
                    observed: Observed::RouteTableAssociation {
                        subnet_id: subnet.to_string(),
                        table_id: id.clone(),
                    },
                },
            );
        }
        actual.insert(
            key,
            Found {
                id,
                tags,
                observed: Observed::RouteTable {
                    vpc_id: t.vpc_id().unwrap_or_default().to_string(),
                },
            },
        );
    }
    Ok(actual)
}

async fn vpc_dns(aws: &Aws, vpc: &str) -> Result<(bool, bool), AwsError> {
    use aws_sdk_ec2::types::VpcAttributeName;
    let mut out = [false; 2];
    for (i, attr) in [
        VpcAttributeName::EnableDnsHostnames,
        VpcAttributeName::EnableDnsSupport,
    ]
    .into_iter()
    .enumerate()
    {
        let r = aws
            .ec2
            .describe_vpc_attribute()
            .vpc_id(vpc)
            .attribute(attr.clone())
            .send()
            .await
            .map_err(|e| api_error(e, "reading DNS settings of", &vpc, &aws.endpoint))?;
        let value = match attr {
            VpcAttributeName::EnableDnsHostnames => {
                r.enable_dns_hostnames().and_then(|v| v.value())
            }
            _ => r.enable_dns_support().and_then(|v| v.value()),
        };
        out[i] = value.unwrap_or(false);
    }
    Ok((out[0], out[1]))
}

/// The VPC's IPv6 block (SPEC 5: the Amazon-provided one, else the first associated), and
/// whether one is still being associated.
pub fn vpc_ipv6(vpc: &aws_sdk_ec2::types::Vpc) -> (Option<Ipv6Net>, bool) {
    let mut amazon = None;
    let mut first = None;
    let mut pending = false;
    for a in vpc.ipv6_cidr_block_association_set() {
        let state = a
            .ipv6_cidr_block_state()
            .and_then(|s| s.state())
            .map(|s| s.as_str().to_string())
            .unwrap_or_default();
        if state == "associating" {
            pending = true;
        }
        if state != "associated" {
            continue;
        }
        let Some(block) = a.ipv6_cidr_block().and_then(|b| b.parse::<Ipv6Net>().ok()) else {
            continue;
        };
        first.get_or_insert(block);
        if a.ipv6_pool() == Some("Amazon") {
            amazon.get_or_insert(block);
        }
    }
    (amazon.or(first), pending)
}

/// What a shared VPC has (SPEC 4.10), read before anything is changed.
pub async fn shared_vpc(aws: &Aws, vpc_id: &str) -> Result<SharedVpc, AwsError> {
    let ep = aws.endpoint.as_str();
    let vpcs = aws
        .ec2
        .describe_vpcs()
        .filters(filter("vpc-id", vpc_id))
        .send()
        .await;
    let vpcs = vpcs.map_err(|e| api_error(e, "reading the shared VPC", &vpc_id, ep))?;
    let Some(vpc) = vpcs.vpcs().first() else {
        return Ok(SharedVpc {
            id: vpc_id.to_string(),
            ..Default::default()
        });
    };
    let igw = aws
        .ec2
        .describe_internet_gateways()
        .filters(filter("attachment.vpc-id", vpc_id))
        .send()
        .await
        .map_err(|e| api_error(e, "finding the internet gateway of", &vpc_id, ep))?;
    let eigws = aws
        .ec2
        .describe_egress_only_internet_gateways()
        .send()
        .await
        .map_err(|e| {
            api_error(
                e,
                "finding the egress-only internet gateway of",
                &vpc_id,
                ep,
            )
        })?;
    let eigw = eigws
        .egress_only_internet_gateways()
        .iter()
        .find(|g| g.attachments().iter().any(|a| a.vpc_id() == Some(vpc_id)))
        .and_then(|g| g.egress_only_internet_gateway_id().map(str::to_string));
    Ok(SharedVpc {
        id: vpc_id.to_string(),
        exists: true,
        ipv6_block: vpc_ipv6(vpc).0,
        internet_gateway: igw
            .internet_gateways()
            .first()
            .and_then(|g| g.internet_gateway_id().map(str::to_string)),
        egress_only_gateway: eigw,
    })
}

/// The allocation ID of an existing Elastic IP, by address.
pub async fn elastic_ip_allocation(aws: &Aws, address: &str) -> Result<Option<String>, AwsError> {
    let r = aws
        .ec2
        .describe_addresses()
        .public_ips(address)
        .send()
        .await
        .map_err(|e| api_error(e, "finding the Elastic IP", &address, &aws.endpoint))?;
    Ok(r.addresses()
        .first()
        .and_then(|a| a.allocation_id().map(str::to_string)))
}
