//! Removing owned resources: for `delete cluster`, and for what an update no longer needs.
//! Each resource is deleted before everything it refers to (its discovered references), in
//! parallel where nothing orders them, retrying while AWS still sees a dependency.

use kops6_model::{Key, Kind};

use crate::actual::{Actual, Found};
use crate::connect::Aws;
use crate::context::Ctx;
use crate::diff::{delete_order, delete_waits, Step};
use crate::discover::discover_with_records;
use crate::error::AwsError;
use crate::kind::{Lifetime, Op};
use crate::options::ApplyOptions;
use crate::progress::Progress;
use crate::registry;
use crate::schedule::{self, combine, outcome_errors};
use crate::wait::{fresh, is_gone, retry_on, DEPENDENCY_WAIT, STILL_IN_USE};

/// Deletes the resources of `steps` (the `Step::Delete`s), each after what refers to it.
pub async fn remove(cx: &Ctx<'_>, steps: Vec<Step>) -> Result<(), AwsError> {
    let items: Vec<(Key, Found)> = steps
        .into_iter()
        .filter_map(|s| match s {
            Step::Delete { key, found, .. } => Some((key, found)),
            _ => None,
        })
        .collect();
    let refs: Vec<(&Key, &Found)> = items.iter().map(|(k, f)| (k, f)).collect();
    let waits = delete_waits(&refs);
    if let Err(cycle) = schedule::order(&waits) {
        return Err(AwsError::Cycle {
            keys: cycle.into_iter().map(|i| items[i].0.clone()).collect(),
        });
    }
    let costs: Vec<f64> = items
        .iter()
        .map(|(key, _)| registry::typical_secs(key.kind, Op::Delete))
        .collect();
    let outcomes = schedule::run(&waits, cx.opts.parallelism, &costs, |i| {
        let (key, found) = &items[i];
        async move {
            cx.progress.step("deleting", key);
            delete_one(cx, key, found).await
        }
    })
    .await;
    combine(outcome_errors(outcomes, |i| items[i].0.clone()))
}

async fn delete_one(cx: &Ctx<'_>, key: &Key, found: &Found) -> Result<(), AwsError> {
    let kind = registry::for_key(key)?;
    let result = retry_on(&STILL_IN_USE, DEPENDENCY_WAIT, || {
        kind.delete(cx, key, found)
    })
    .await;
    match result {
        Err(e) if is_gone(&e) => Ok(()),
        other => other,
    }
}

/// Everything `delete cluster` would remove: all resources tagged as owned by the cluster.
pub async fn owned_resources(aws: &Aws, cluster: &str) -> Result<Vec<(Key, Found)>, AwsError> {
    owned_resources_with_records(aws, cluster, &[]).await
}

/// [`owned_resources`], with the DNS records named `record_names` that alias the cluster's
/// load balancers (the spec's `api.publicName`, when the spec is still there).
pub async fn owned_resources_with_records(
    aws: &Aws,
    cluster: &str,
    record_names: &[String],
) -> Result<Vec<(Key, Found)>, AwsError> {
    let actual = fresh(|| discover_with_records(aws, cluster, record_names)).await?;
    Ok(deletable(&actual))
}

/// Owned resources to delete, each before what it refers to. What lives inside another
/// resource (routes in their table) goes with it, so its references become the parent's; a
/// setting (a VPC's DHCP options) is not deleted at all.
pub fn deletable(actual: &Actual) -> Vec<(Key, Found)> {
    let lifetime = |k: &Key| registry::get(k.kind).map(|k| k.lifetime());
    let mut out: Vec<(Key, Found)> = Vec::new();
    let mut inherited: Vec<(Kind, &Found)> = Vec::new();
    for (k, list) in &actual.resources {
        for f in list {
            match lifetime(k) {
                Some(Lifetime::Alone) => out.push((k.clone(), f.clone())),
                Some(Lifetime::Inside(parent)) => inherited.push((parent, f)),
                Some(Lifetime::SettingOf(_)) | None => {}
            }
        }
    }
    // The parent is the resource of the parent kind that the child shares its ID with (a
    // route's ID is its table's) or refers to (a listener names its load balancer).
    for (parent, child) in inherited {
        let is_parent = |k: &Key, f: &Found| {
            k.kind == parent && (f.id == child.id || child.refs.contains(&f.id))
        };
        for (_, f) in out.iter_mut().filter(|(k, f)| is_parent(k, f)) {
            for r in &child.refs {
                if *r != f.id && *r != child.id && !f.refs.contains(r) {
                    f.refs.push(r.clone());
                }
            }
        }
    }
    out.sort_by(|(a, fa), (b, fb)| (a.kind, &a.name, &fa.id).cmp(&(b.kind, &b.name, &fb.id)));
    let items: Vec<(&Key, &Found)> = out.iter().map(|(k, f)| (k, f)).collect();
    let order = delete_order(&items);
    let mut slots: Vec<Option<(Key, Found)>> = out.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// Deletes every resource tagged as owned by the cluster; shared ones are never touched.
/// Returns how many were deleted (0 when the cluster is already gone).
pub async fn delete_cluster(
    aws: &Aws,
    cluster: &str,
    opts: &ApplyOptions,
) -> Result<usize, AwsError> {
    delete_cluster_with_records(aws, cluster, &[], opts).await
}

/// [`delete_cluster`], also deleting the DNS records named `record_names` that alias the
/// cluster's load balancers ([`owned_resources_with_records`]).
pub async fn delete_cluster_with_records(
    aws: &Aws,
    cluster: &str,
    record_names: &[String],
    opts: &ApplyOptions,
) -> Result<usize, AwsError> {
    let items = owned_resources_with_records(aws, cluster, record_names).await?;
    let n = items.len();
    let steps = items
        .into_iter()
        .map(|(key, found)| Step::Delete {
            key,
            found,
            reason: "delete cluster".into(),
        })
        .collect();
    let progress = Progress::new(n, opts);
    let cx = Ctx::for_delete(aws, opts, &progress);
    remove(&cx, steps).await?;
    Ok(n)
}
