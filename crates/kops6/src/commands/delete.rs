//! `delete cluster NAME [--yes]`: the cluster's AWS resources (those tagged as owned by it,
//! never shared ones), then its spec.

use anyhow::{Context, Result};
use kops6_aws::{ApplyOptions, Aws};
use kops6_state::ClusterFiles;

use crate::cli::{DeleteArgs, DeleteWhat};
use crate::store;

pub fn run(state: Option<&str>, args: DeleteArgs) -> Result<()> {
    let DeleteWhat::Cluster { name, yes, offline } = args.what;
    let store = store::open(state)?;
    let files = ClusterFiles::new(store.as_ref());
    let keys = files.keys_of(&name)?;
    let region = match store::try_load(store.as_ref(), &name)? {
        Some(set) => set.cluster.spec.subnets.first().and_then(|s| {
            kops6_api::new_cluster::region_of(&s.zone)
                .ok()
                .map(str::to_string)
        }),
        None => None,
    };
    let resources = if offline {
        Vec::new()
    } else {
        let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
        runtime.block_on(cloud(&name, region.as_deref(), yes))?
    };
    if !yes {
        if keys.is_empty() && resources.is_empty() {
            println!(
                "Cluster {name:?} has no spec in {} and no AWS resources: nothing to delete.",
                store.url()
            );
            return Ok(());
        }
        println!("Would delete:");
        for r in &resources {
            println!("  {r}");
        }
        for k in &keys {
            println!("  spec {k} in {}", store.url());
        }
        println!("Run with --yes to delete.");
        return Ok(());
    }
    if keys.is_empty() && resources.is_empty() {
        println!(
            "Cluster {name:?} is already deleted: no spec in {} and no AWS resources.",
            store.url()
        );
        return Ok(());
    }
    files.delete_cluster(&name)?;
    println!(
        "Deleted cluster {name:?}: {} AWS resources and {} spec files from {}",
        resources.len(),
        keys.len(),
        store.url()
    );
    Ok(())
}

/// The cluster's owned AWS resources, listed; with `yes`, deleted.
async fn cloud(name: &str, region: Option<&str>, yes: bool) -> Result<Vec<String>> {
    let aws = Aws::connect(region).await;
    if aws.region.is_empty() {
        anyhow::bail!("no AWS region: the cluster's spec is gone, so set AWS_REGION (or use --offline for the spec only)");
    }
    let owned = kops6_aws::owned_resources(&aws, name).await?;
    let listed = owned
        .iter()
        .map(|(k, f)| format!("{k} ({})", f.id))
        .collect();
    if yes && !owned.is_empty() {
        kops6_aws::delete_cluster(&aws, name, &ApplyOptions::default()).await?;
    }
    Ok(listed)
}
