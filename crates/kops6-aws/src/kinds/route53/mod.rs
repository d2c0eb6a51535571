//! Route53 (SPEC 7: the `api.<C>` alias records) and what its kinds share: the hosted-zone
//! lookup `spec.dnsZone` names, and the zones that can hold a cluster's records.
//!
//! Route53 records carry no tags, so they cannot be found by the owned tag. Like kOps'
//! `ListRoute53Records` (`pkg/resources/aws/aws.go`), a cluster's records are the ones with
//! the names kops6 gives them (`api.<C>`), in the hosted zones whose name is the cluster's
//! name or one of its parent domains: the only zones that can hold such a name, so `delete
//! cluster` finds them without the spec.

pub mod record;

use aws_sdk_route53::types::{Vpc, VpcRegion};
use kops6_model::{Key, Lookup, ResourceGraph};

use crate::connect::Aws;
use crate::context::{Ctx, Facts};
use crate::error::{api_error, AwsError};

/// A hosted zone as ListHostedZones returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    /// Without `/hostedzone/`.
    pub id: String,
    /// Without the trailing dot.
    pub name: String,
    pub private: bool,
}

/// `/hostedzone/Z123` -> `Z123`.
pub fn zone_id(id: &str) -> String {
    id.trim_start_matches("/hostedzone/").to_string()
}

/// A DNS name without the trailing dot, lower case (Route53 answers names with the dot).
pub fn plain_name(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// Whether a zone named `zone` can hold names under `cluster`: the cluster's own name or
/// one of its parent domains.
pub fn holds(zone: &str, cluster: &str) -> bool {
    let (zone, cluster) = (plain_name(zone), plain_name(cluster));
    !zone.is_empty() && (cluster == zone || cluster.ends_with(&format!(".{zone}")))
}

fn zone_of(z: &aws_sdk_route53::types::HostedZone) -> Zone {
    Zone {
        id: zone_id(z.id()),
        name: plain_name(z.name()),
        private: z.config().is_some_and(|c| c.private_zone()),
    }
}

/// Every hosted zone that can hold `cluster`'s records (one ListHostedZones and its pages).
pub async fn zones_for(aws: &Aws, cluster: &str) -> Result<Vec<Zone>, AwsError> {
    Ok(list_zones(aws)
        .await?
        .into_iter()
        .filter(|z| holds(&z.name, cluster))
        .collect())
}

/// Every hosted zone of the account (one ListHostedZones and its pages).
pub async fn list_zones(aws: &Aws) -> Result<Vec<Zone>, AwsError> {
    let all = aws
        .route53
        .list_hosted_zones()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(|e| api_error(e, "listing", &"the Route53 hosted zones", &aws.endpoint))?;
    Ok(all.iter().map(zone_of).collect())
}

/// The ID of the hosted zone named `name` (public or private as asked), as kOps'
/// `DNSZone.findExisting` finds it: ListHostedZonesByName, then the exact name and privacy.
/// Several matching zones are an error rather than a guess.
pub async fn find_zone(aws: &Aws, name: &str, private: bool) -> Result<String, AwsError> {
    let wanted = plain_name(name);
    let out = aws
        .route53
        .list_hosted_zones_by_name()
        .dns_name(format!("{wanted}."))
        .send()
        .await
        .map_err(|e| api_error(e, "finding the hosted zone", &wanted, &aws.endpoint))?;
    // The answer starts at `name` in sorted order, so every zone of that name is on this page
    // unless there are more than 100 of them.
    let matching: Vec<Zone> = out
        .hosted_zones()
        .iter()
        .map(zone_of)
        .filter(|z| z.name == wanted && z.private == private)
        .collect();
    match matching.as_slice() {
        [one] => Ok(one.id.clone()),
        [] => Err(AwsError::HostedZoneNotFound {
            zone: wanted,
            private,
        }),
        many => Err(AwsError::HostedZoneAmbiguous {
            zone: wanted,
            ids: many.iter().map(|z| z.id.clone()).collect(),
        }),
    }
}

/// Removes the owned VPC `vpc` from every private hosted zone it is associated with, before
/// the VPC is deleted. The VPC is the cluster's (delete acts on owned resources only), so
/// each association is one the apply made for the cluster's records (see
/// `record::associate`); no one else can need an association of a VPC about to go. A zone
/// whose only VPC it is keeps it: Route53 refuses to leave a private zone with none.
pub async fn disassociate_private_zones(
    cx: &Ctx<'_>,
    key: &Key,
    vpc: &str,
) -> Result<(), AwsError> {
    let r53 = &cx.aws.route53;
    let mut token: Option<String> = None;
    let mut zones = Vec::new();
    loop {
        let out = r53
            .list_hosted_zones_by_vpc()
            .vpc_id(vpc)
            .vpc_region(VpcRegion::from(cx.aws.region.as_str()))
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| cx.err(e, "listing the private hosted zones of", key))?;
        zones.extend(
            out.hosted_zone_summaries()
                .iter()
                .map(|z| z.hosted_zone_id().to_string()),
        );
        match out.next_token() {
            Some(t) if !t.is_empty() => token = Some(t.to_string()),
            _ => break,
        }
    }
    for zone in zones {
        let result = r53
            .disassociate_vpc_from_hosted_zone()
            .hosted_zone_id(zone_id(&zone))
            .vpc(cluster_vpc(cx, vpc))
            .send()
            .await;
        match result {
            Ok(_) => {}
            Err(e)
                if e.as_service_error().is_some_and(|s| {
                    s.is_last_vpc_association() || s.is_vpc_association_not_found()
                }) => {}
            Err(e) => return Err(cx.err(e, "removing the VPC from the hosted zone of", key)),
        }
    }
    Ok(())
}

/// Resolves every hosted zone the graph looks up into `facts` (preflight: before any
/// mutating call, so a `dnsZone` Route53 does not have stops the apply with nothing done).
/// Returns each zone that is missing or ambiguous; `Err` only when AWS could not be asked.
pub async fn resolve_zones(
    aws: &Aws,
    graph: &ResourceGraph,
    facts: &mut Facts,
) -> Result<Vec<AwsError>, AwsError> {
    let mut problems = Vec::new();
    for lookup in graph.lookups() {
        if let Lookup::HostedZone { name, private } = lookup {
            match find_zone(aws, name, *private).await {
                Ok(id) => {
                    facts.resolved.insert(lookup.clone(), id);
                }
                Err(
                    e
                    @ (AwsError::HostedZoneNotFound { .. } | AwsError::HostedZoneAmbiguous { .. }),
                ) => problems.push(e),
                Err(e) => return Err(e),
            }
        }
    }
    Ok(problems)
}

/// The cluster's VPC as Route53 names it in a private zone's associations.
pub(super) fn cluster_vpc(cx: &Ctx<'_>, vpc: &str) -> Vpc {
    Vpc::builder()
        .vpc_id(vpc)
        .vpc_region(VpcRegion::from(cx.aws.region.as_str()))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zone_holds_the_cluster_name_and_names_under_it_only() {
        assert!(holds("example.com.", "ipv6.example.com"));
        assert!(holds("ipv6.example.com", "ipv6.example.com"));
        assert!(holds("Example.COM", "ipv6.example.com"));
        assert!(!holds("ample.com", "ipv6.example.com"));
        assert!(!holds("other.example.com", "ipv6.example.com"));
        assert!(!holds("", "ipv6.example.com"));
    }

    #[test]
    fn zone_ids_lose_their_prefix() {
        assert_eq!(zone_id("/hostedzone/Z1AFAKE"), "Z1AFAKE");
        assert_eq!(zone_id("Z1AFAKE"), "Z1AFAKE");
    }
}
