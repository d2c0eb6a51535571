//! `delete cluster NAME [--yes]`: the cluster's AWS resources (those tagged as owned by it,
//! never shared ones), then its spec. `--offline` deletes only the spec and says that AWS was
//! not asked.

use anyhow::Result;
#[cfg(feature = "aws")]
use kops6_aws::{ApplyOptions, Aws};
use kops6_state::ClusterFiles;

use crate::cli::{DeleteArgs, DeleteWhat};
use crate::store;

pub fn run(state: Option<&str>, args: DeleteArgs) -> Result<()> {
    let (name, yes, offline) = match args.what {
        DeleteWhat::Cluster { name, yes, offline } => (name, yes, offline),
        DeleteWhat::Sshpublickey { name } => return super::ssh_key::delete(state, &name),
    };
    let store = store::open(state)?;
    let files = ClusterFiles::new(store.as_ref());
    let keys = files.keys_of(&name)?;
    // `None`: AWS was not asked (--offline), so nothing is known about its resources.
    let resources = if offline {
        None
    } else {
        let set = store::try_load(store.as_ref(), &name)?;
        let region = set.as_ref().and_then(|set| {
            set.cluster.spec.subnets.first().and_then(|s| {
                kops6_api::new_cluster::region_of(&s.zone)
                    .ok()
                    .map(str::to_string)
            })
        });
        let names = set.as_ref().map(record_names).unwrap_or_default();
        Some(cloud(&name, region.as_deref(), &names, yes)?)
    };
    let aws_said = match &resources {
        None => "AWS was not asked (--offline)".to_string(),
        Some(r) if r.is_empty() => "no AWS resources".to_string(),
        Some(r) => format!("{} AWS resources", r.len()),
    };
    let nothing = keys.is_empty() && resources.as_ref().is_none_or(Vec::is_empty);
    if !yes {
        if nothing {
            println!(
                "Cluster {name:?} has no spec in {} and {aws_said}: nothing to delete.",
                store.url()
            );
            return Ok(());
        }
        println!("Would delete:");
        for r in resources.iter().flatten() {
            println!("  {r}");
        }
        for k in &keys {
            println!("  spec {k} in {}", store.url());
        }
        if resources.is_none() {
            println!("AWS resources were not looked up (--offline): only the spec would go.");
        }
        println!("Run with --yes to delete.");
        return Ok(());
    }
    if nothing {
        println!(
            "Cluster {name:?} is already deleted: no spec in {} and {aws_said}.",
            store.url()
        );
        return Ok(());
    }
    files.delete_cluster(&name)?;
    match resources {
        Some(r) => println!(
            "Deleted cluster {name:?}: {} AWS resources and {} spec files from {}",
            r.len(),
            keys.len(),
            store.url()
        ),
        None => println!(
            "Deleted the spec of cluster {name:?}: {} files from {}. AWS was not asked \
             (--offline): any resources the cluster has there are still there.",
            keys.len(),
            store.url()
        ),
    }
    Ok(())
}

/// The DNS names the spec gives the cluster's records besides `api.<C>`: Route53 records
/// have no tags, so without the spec only `api.<C>` is found (as kOps' delete does).
fn record_names(set: &kops6_api::ClusterSpecSet) -> Vec<String> {
    let spec = &set.cluster.spec;
    let api = spec.api.as_ref().and_then(|a| a.public_name.clone());
    let bastion = spec
        .topology
        .as_ref()
        .and_then(|t| t.bastion.as_ref())
        .and_then(|b| b.bastion_public_name.clone());
    api.into_iter().chain(bastion).collect()
}

/// The cluster's owned AWS resources, listed; with `yes`, deleted. `record_names` are the
/// DNS names of its records outside `api.<C>`, deleted only if they alias its load balancers.
#[cfg(feature = "aws")]
fn cloud(
    name: &str,
    region: Option<&str>,
    record_names: &[String],
    yes: bool,
) -> Result<Vec<String>> {
    use anyhow::Context;
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async {
        let aws = Aws::connect(region).await;
        if aws.region.is_empty() {
            anyhow::bail!("no AWS region: the cluster's spec is gone, so set AWS_REGION (or use --offline for the spec only)");
        }
        let owned = kops6_aws::owned_resources_with_records(&aws, name, record_names).await?;
        let listed = owned
            .iter()
            .map(|(k, f)| format!("{k} ({})", f.id))
            .collect();
        if yes && !owned.is_empty() {
            let opts = ApplyOptions {
                sink: Some(crate::progress::sink()),
                ..ApplyOptions::default()
            };
            kops6_aws::delete_cluster_with_records(&aws, name, record_names, &opts).await?;
        }
        Ok(listed)
    })
}

#[cfg(not(feature = "aws"))]
fn cloud(_name: &str, _region: Option<&str>, _names: &[String], _yes: bool) -> Result<Vec<String>> {
    Err(crate::aws_support::unavailable(
        "delete cluster (it finds and deletes the cluster's AWS resources)",
        "--offline deletes only the spec",
    ))
}
