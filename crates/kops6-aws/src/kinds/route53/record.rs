//! The `api.<C>` A and AAAA alias records to the API load balancer (kOps' `awstasks/dnsname.go`;
//! Terraform's `aws_route53_record` with an `alias` block, as `kops6-terraform` renders it).
//! Keyed `api.<C>` (A) and `api.<C>-AAAA`, as the model names them. Created and updated with
//! one UPSERT; deleted with a DELETE of the exact record found. The zone is replace-only, the
//! alias target mutable. Records have no tags: see [`super`] for how they are found.

use aws_sdk_route53::error::ProvideErrorMetadata;
use aws_sdk_route53::types::{
    AliasTarget, Change, ChangeAction, ChangeBatch, ResourceRecordSet, RrType,
};
use kops6_model::graph::Tags;
use kops6_model::specs::RecordType;
use kops6_model::{Key, Kind, Lookup, Resource, Spec, Value};

use super::{cluster_vpc, holds, list_zones, plain_name, zone_id, zones_for, Zone};
use crate::actual::{Actual, Found, Observed};
use crate::compare::{or_unknown, Compare, FieldChange};
use crate::connect::Aws;
use crate::context::{Ctx, Resolve};
use crate::error::{api_error, AwsError};
use crate::kind::{AwsKind, BoxFuture, Discovered, Name};
use crate::kinds::ec2::{not_updatable, wrong_spec};
use crate::kinds::elbv2::load_balancer::{observed_of, LoadBalancerObserved};

pub struct DnsRecord;

#[derive(Debug, Clone, PartialEq)]
pub struct DnsRecordObserved {
    pub zone_id: String,
    /// The alias target's DNS name, lower case without the trailing dot; `None` when the
    /// record is not an alias.
    pub alias: Option<String>,
    /// The record as Route53 returned it: DELETE must name it exactly.
    pub set: ResourceRecordSet,
}

// ResourceRecordSet has no Eq (it holds no floats either; PartialEq is exact).
impl Eq for DnsRecordObserved {}

/// The names kops6 gives a cluster's records (today only the API's), found from the
/// cluster's name alone.
pub fn owned_names(cluster: &str) -> Vec<String> {
    vec![format!("api.{}", plain_name(cluster))]
}

fn key_name(name: &str, t: &RrType) -> Option<String> {
    match t {
        RrType::A => Some(name.to_string()),
        RrType::Aaaa => Some(format!("{name}-AAAA")),
        _ => None,
    }
}

fn rr_type(t: RecordType) -> RrType {
    match t {
        RecordType::A => RrType::A,
        RecordType::Aaaa => RrType::Aaaa,
    }
}

const NOT_AN_ALIAS: &str = "(not an alias)";

impl AwsKind for DnsRecord {
    fn kind(&self) -> Kind {
        Kind::DnsRecord
    }

    fn discover<'a>(
        &'a self,
        aws: &'a Aws,
        cluster: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Discovered>, AwsError>> {
        Box::pin(async move {
            let names = owned_names(cluster);
            let mut out = Vec::new();
            for zone in zones_for(aws, cluster).await? {
                for name in &names {
                    out.extend(records_named(aws, &zone, name).await?);
                }
            }
            Ok(out)
        })
    }

    /// The record goes before the load balancer it points at.
    fn implied_refs(&self, found: &Found, actual: &Actual) -> Vec<String> {
        let Some(alias) = found
            .observed
            .get::<DnsRecordObserved>()
            .and_then(|o| o.alias.as_deref())
        else {
            return Vec::new();
        };
        actual
            .of_kind(Kind::LoadBalancer)
            .filter(|(_, f)| {
                f.observed
                    .get::<LoadBalancerObserved>()
                    .is_some_and(|lb| lb.plain_dns_name() == alias)
            })
            .map(|(_, f)| f.id.clone())
            .collect()
    }

    fn compare(&self, desired: &Resource, found: &Found, cx: &Resolve<'_>) -> Compare {
        let (Spec::DnsRecord(s), Some(a)) =
            (&desired.spec, found.observed.get::<DnsRecordObserved>())
        else {
            return Compare::mismatch(found);
        };
        let target = match &s.alias_to {
            Value::Ref(k) => cx
                .actual
                .get(k)
                .and_then(|f| f.observed.get::<LoadBalancerObserved>())
                .map(LoadBalancerObserved::plain_dns_name),
            _ => None,
        };
        let mut c = Compare::new();
        c.id("zone", &a.zone_id, cx.id(&s.zone).map(|z| zone_id(&z)));
        c.mutable(
            "alias",
            a.alias.as_deref().unwrap_or(NOT_AN_ALIAS),
            or_unknown(target),
        );
        c
    }

    fn create<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
    ) -> BoxFuture<'a, Result<String, AwsError>> {
        Box::pin(async move {
            let Spec::DnsRecord(s) = &r.spec else {
                return Err(wrong_spec(&r.key));
            };
            upsert(cx, r).await?;
            let zone = zone_id(&cx.value(&r.key, &s.zone)?);
            Ok(format!(
                "{zone}/{}/{}",
                plain_name(&s.name),
                s.record_type.as_str()
            ))
        })
    }

    fn update<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        r: &'a Resource,
        _id: &'a str,
        change: &'a FieldChange,
    ) -> BoxFuture<'a, Result<(), AwsError>> {
        Box::pin(async move {
            match change.field {
                "alias" => upsert(cx, r).await,
                other => Err(not_updatable(&r.key, other)),
            }
        })
    }

    fn delete<'a>(
        &'a self,
        cx: &'a Ctx<'a>,
        key: &'a Key,
        found: &'a Found,
    ) -> BoxFuture<'a, Result<(), AwsError>> {
        Box::pin(async move {
            let Some(a) = found.observed.get::<DnsRecordObserved>() else {
                return Err(wrong_spec(key));
            };
            let result = change(cx, &a.zone_id, ChangeAction::Delete, a.set.clone()).await;
            match result {
                // Route53 refuses to delete a record that is not there (or no longer as found);
                // either way this record is gone.
                Err(e) if gone(&e) => Ok(()),
                other => other.map_err(|e| cx.err(e, "deleting", key)),
            }
        })
    }
}

/// The A and AAAA records named `name` in `zone` (not weighted or otherwise routed: kops6
/// makes simple records only).
async fn records_named(aws: &Aws, zone: &Zone, name: &str) -> Result<Vec<Discovered>, AwsError> {
    // Route53 lists in name order from `start_record_name`, so the records of one name are
    // on the first page (each name has at most a few types).
    let sets = aws
        .route53
        .list_resource_record_sets()
        .hosted_zone_id(&zone.id)
        .start_record_name(format!("{name}."))
        .send()
        .await
        .map_err(|e| {
            api_error(
                e,
                "listing the records of",
                &format!("{name} in the hosted zone {}", zone.name),
                &aws.endpoint,
            )
        })?;
    let mut out = Vec::new();
    for set in sets.resource_record_sets() {
        if plain_name(set.name()) != name || set.set_identifier().is_some() {
            continue;
        }
        let Some(key) = key_name(name, set.r#type()) else {
            continue;
        };
        out.push(Discovered {
            kind: Kind::DnsRecord,
            name: Name::Given(key),
            found: Found {
                id: format!("{}/{name}/{}", zone.id, set.r#type().as_str()),
                tags: Tags::new(),
                refs: Vec::new(),
                observed: Observed::new(DnsRecordObserved {
                    zone_id: zone.id.clone(),
                    alias: set.alias_target().map(|a| plain_name(a.dns_name())),
                    set: set.clone(),
                }),
            },
        });
    }
    Ok(out)
}

/// The records named `names` (the spec's `api.publicName` and the like, outside `api.<C>`)
/// that are the cluster's. Route53 records have no tags, so only a record that can be proven
/// the cluster's is: an alias to one of the load balancers discovery found owned. A record of
/// that name pointing anywhere else is the user's and is left alone. One ListHostedZones,
/// then one ListResourceRecordSets per name and zone that can hold it.
pub async fn discover_named(
    aws: &Aws,
    names: &[String],
    actual: &Actual,
) -> Result<Vec<Discovered>, AwsError> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let owned: Vec<String> = actual
        .of_kind(Kind::LoadBalancer)
        .filter_map(|(_, f)| f.observed.get::<LoadBalancerObserved>())
        .map(LoadBalancerObserved::plain_dns_name)
        .collect();
    let zones = list_zones(aws).await?;
    let mut out = Vec::new();
    for name in names {
        let name = plain_name(name);
        for zone in zones.iter().filter(|z| holds(&z.name, &name)) {
            let found = records_named(aws, zone, &name).await?;
            out.extend(found.into_iter().filter(|d| {
                d.found
                    .observed
                    .get::<DnsRecordObserved>()
                    .and_then(|o| o.alias.as_ref())
                    .is_some_and(|a| owned.contains(a))
            }));
        }
    }
    Ok(out)
}

type ChangeError = aws_sdk_route53::error::SdkError<
    aws_sdk_route53::operation::change_resource_record_sets::ChangeResourceRecordSetsError,
    aws_smithy_runtime_api::client::orchestrator::HttpResponse,
>;

fn gone(e: &ChangeError) -> bool {
    e.code() == Some("InvalidChangeBatch") && e.message().is_some_and(|m| m.contains("not found"))
}

async fn change(
    cx: &Ctx<'_>,
    zone: &str,
    action: ChangeAction,
    set: ResourceRecordSet,
) -> Result<(), ChangeError> {
    let change = Change::builder()
        .action(action)
        .resource_record_set(set)
        .build()
        .expect("action and record set are given");
    let batch = ChangeBatch::builder()
        .changes(change)
        .build()
        .expect("changes are given");
    cx.aws
        .route53
        .change_resource_record_sets()
        .hosted_zone_id(zone)
        .change_batch(batch)
        .send()
        .await
        .map(|_| ())
}

/// The load balancer an alias points at (DNS name, canonical zone, VPC): as this run
/// discovered or created it, else as ELBv2 describes it.
async fn load_balancer(
    cx: &Ctx<'_>,
    key: &Key,
    target: &Value,
) -> Result<LoadBalancerObserved, AwsError> {
    let known = match target {
        Value::Ref(k) => cx.observed(k),
        _ => None,
    };
    if let Some(lb) = known.as_ref().and_then(|o| o.get::<LoadBalancerObserved>()) {
        return Ok(lb.clone());
    }
    let arn = cx.value(key, target)?;
    let out = cx
        .aws
        .elbv2
        .describe_load_balancers()
        .load_balancer_arns(&arn)
        .send()
        .await
        .map_err(|e| cx.err(e, "reading the load balancer of", key))?;
    let lb = out
        .load_balancers()
        .first()
        .ok_or_else(|| AwsError::ResourceFailed {
            resource: key.to_string(),
            reason: format!("the load balancer {arn} it points at does not exist"),
        })?;
    // An alias needs only the DNS name, canonical zone and VPC: the attributes call that
    // gives cross-zone is not worth making here.
    Ok(observed_of(lb, false))
}

/// Creates or changes the record in one UPSERT (kOps and Terraform do the same).
async fn upsert(cx: &Ctx<'_>, r: &Resource) -> Result<(), AwsError> {
    let Spec::DnsRecord(s) = &r.spec else {
        return Err(wrong_spec(&r.key));
    };
    let zone = zone_id(&cx.value(&r.key, &s.zone)?);
    let lb = load_balancer(cx, &r.key, &s.alias_to).await?;
    // A zone looked up by name is known public or private; one given by ID may be either.
    let maybe_private = !matches!(
        &s.zone,
        Value::Lookup(Lookup::HostedZone { private: false, .. })
    );
    if maybe_private && !lb.vpc.is_empty() {
        associate(cx, &r.key, &zone, &lb.vpc).await?;
    }
    let alias = AliasTarget::builder()
        .dns_name(&lb.dns_name)
        .hosted_zone_id(&lb.canonical_zone)
        .evaluate_target_health(false)
        .build()
        .expect("every field is given");
    let set = ResourceRecordSet::builder()
        .name(&s.name)
        .r#type(rr_type(s.record_type))
        .alias_target(alias)
        .build()
        .expect("name and type are given");
    change(cx, &zone, ChangeAction::Upsert, set)
        .await
        .map_err(|e| cx.err(e, "writing", &r.key))
}

/// A private zone answers only in the VPCs associated with it, so, as kOps' `DNSZone` task
/// does, the cluster's VPC is associated when it is not yet. A public zone (given by ID) has
/// no VPCs: nothing to do.
async fn associate(cx: &Ctx<'_>, key: &Key, zone: &str, vpc: &str) -> Result<(), AwsError> {
    // The zone's A and AAAA records are written in parallel; one of them associates.
    let _one = cx.exclusive().await;
    let got = cx
        .aws
        .route53
        .get_hosted_zone()
        .id(zone)
        .send()
        .await
        .map_err(|e| cx.err(e, "reading the hosted zone of", key))?;
    let private = got
        .hosted_zone()
        .and_then(|z| z.config())
        .is_some_and(|c| c.private_zone());
    if !private || got.vpcs().iter().any(|v| v.vpc_id() == Some(vpc)) {
        return Ok(());
    }
    cx.aws
        .route53
        .associate_vpc_with_hosted_zone()
        .hosted_zone_id(zone)
        .vpc(cluster_vpc(cx, vpc))
        .send()
        .await
        .map(|_| ())
        .map_err(|e| {
            cx.err(
                e,
                "associating the cluster's VPC with the hosted zone of",
                key,
            )
        })
}
