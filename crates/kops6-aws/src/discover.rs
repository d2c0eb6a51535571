//! Discovery: every registered kind's Describe, filtered by the cluster's `owned` tag, run
//! concurrently (a few at a time) and gathered into one [`Actual`], keyed by `Name` tag.
//! Also the reads a shared VPC needs before anything changes.

use std::collections::HashMap;

use kops6_model::graph::Tags;
use kops6_model::{Key, Kind, ResourceGraph, Spec};
use tokio::sync::Semaphore;

use crate::actual::{Actual, SharedVpc};
use crate::connect::Aws;
use crate::error::{api_error, AwsError};
use crate::kind::{Discovered, Discovery, Name};
use crate::kinds::ec2::{filter, vpc};
use crate::kinds::route53::record;
use crate::registry;
use crate::schedule::join_all;

/// Describe calls in flight at once: enough to hide latency, few enough not to be throttled.
pub const DISCOVERY_CONCURRENCY: usize = 12;

/// The tag every resource kops6 creates carries, and the only one delete trusts.
pub fn owned_tag(cluster: &str) -> String {
    format!("kubernetes.io/cluster/{cluster}")
}

/// Whether tags mark a resource as owned by the cluster. Checked on every result as well as
/// asked of the server: delete must never act on a resource without the tag, whatever an
/// API (or an emulator) returns for the filter.
pub fn is_owned(tags: &Tags, cluster: &str) -> bool {
    tags.get(&owned_tag(cluster)).map(String::as_str) == Some("owned")
}

/// Everything tagged as owned by the cluster.
pub async fn discover(aws: &Aws, cluster: &str) -> Result<Actual, AwsError> {
    discover_with_records(aws, cluster, &[]).await
}

/// What `graph`'s cluster owns, its DNS records outside `api.<C>` included.
pub async fn discover_for(aws: &Aws, graph: &ResourceGraph) -> Result<Actual, AwsError> {
    discover_with_records(aws, &graph.cluster, &record_names(graph)).await
}

/// The names of `graph`'s DNS records (`spec.api.publicName`, the bastion's public name, or
/// `api.<C>`), which discovery needs to find them: Route53 records have no tags.
pub fn record_names(graph: &ResourceGraph) -> Vec<String> {
    let mut names: Vec<String> = graph
        .resources
        .iter()
        .filter_map(|r| match &r.spec {
            Spec::DnsRecord(d) => Some(crate::kinds::route53::plain_name(&d.name)),
            _ => None,
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Everything tagged as owned by the cluster, and the records named `record_names` that
/// alias one of its load balancers ([`record::discover_named`]; `api.<C>` is found from the
/// cluster's name alone).
pub async fn discover_with_records(
    aws: &Aws,
    cluster: &str,
    record_names: &[String],
) -> Result<Actual, AwsError> {
    let own = record::owned_names(cluster);
    let extra: Vec<String> = record_names
        .iter()
        .map(|n| crate::kinds::route53::plain_name(n))
        .filter(|n| !own.contains(n))
        .collect();
    let mut found = discover_owned(aws, cluster).await?;
    if !extra.is_empty() {
        // The alias targets are judged against the load balancers found owned.
        let owned = gather(found.clone());
        found.extend(record::discover_named(aws, &extra, &owned).await?);
    }
    Ok(gather(found))
}

async fn discover_owned(aws: &Aws, cluster: &str) -> Result<Vec<Discovered>, AwsError> {
    let limit = Semaphore::new(DISCOVERY_CONCURRENCY);
    let roots = registry::KINDS
        .iter()
        .filter(|k| k.discovery() == Discovery::Own);
    let answers = join_all(roots.map(|k| async {
        let _permit = limit.acquire().await.ok();
        k.discover(aws, cluster).await
    }))
    .await;
    let mut found = Vec::new();
    for answer in answers {
        // The first error in registry order, so the same failure gives the same message.
        found.extend(answer?);
    }
    Ok(found)
}

/// The discovered resources by logical key, names resolved, implied references added.
pub fn gather(found: Vec<Discovered>) -> Actual {
    let names: HashMap<(Kind, String), String> = found
        .iter()
        .filter_map(|d| match &d.name {
            Name::Given(n) => Some(((d.kind, d.found.id.clone()), n.clone())),
            _ => None,
        })
        .collect();
    let mut actual = Actual::default();
    for d in found {
        let name = match d.name {
            Name::Given(n) => n,
            Name::Untagged => format!("(no Name tag) {}", d.found.id),
            Name::SameAs { kind, id } => names.get(&(kind, id.clone())).cloned().unwrap_or(id),
        };
        actual.insert(Key::new(d.kind, name), d.found);
    }
    let implied: Vec<(Key, usize, Vec<String>)> = actual
        .resources
        .iter()
        .filter_map(|(key, list)| Some((key, list, registry::get(key.kind)?)))
        .flat_map(|(key, list, kind)| {
            let actual = &actual;
            list.iter()
                .enumerate()
                .map(move |(i, f)| (key.clone(), i, kind.implied_refs(f, actual)))
        })
        .filter(|(_, _, refs)| !refs.is_empty())
        .collect();
    for (key, i, refs) in implied {
        if let Some(f) = actual.resources.get_mut(&key).and_then(|l| l.get_mut(i)) {
            f.refs.extend(refs);
        }
    }
    actual
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
    let Some(found) = vpcs.vpcs().first() else {
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
        ipv6_block: vpc::vpc_ipv6(found).0,
        internet_gateway: igw
            .internet_gateways()
            .first()
            .and_then(|g| g.internet_gateway_id().map(str::to_string)),
        egress_only_gateway: eigw,
    })
}
