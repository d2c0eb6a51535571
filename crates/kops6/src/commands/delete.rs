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
    let (name, yes, offline, parallelism) = match args.what {
        DeleteWhat::Cluster {
            name,
            yes,
            offline,
            parallelism,
        } => (name, yes, offline, parallelism),
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
        let how = Deletion { yes, parallelism };
        Some(cloud(&name, region.as_deref(), &names, how)?)
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

/// Whether to delete (`yes`; otherwise only list), and how many at once.
#[cfg_attr(not(feature = "aws"), allow(dead_code))]
struct Deletion {
    yes: bool,
    parallelism: usize,
}

/// The cluster's owned AWS resources, listed; with `how.yes`, deleted. `record_names` are the
/// DNS names of its records outside `api.<C>`, deleted only if they alias its load balancers.
#[cfg(feature = "aws")]
fn cloud(
    name: &str,
    region: Option<&str>,
    record_names: &[String],
    how: Deletion,
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
        if how.yes && !owned.is_empty() {
            let opts = ApplyOptions {
                parallelism: how.parallelism.max(1),
                sink: Some(crate::progress::sink()),
                ..ApplyOptions::default()
            };
            kops6_aws::delete_cluster_with_records(&aws, name, record_names, &opts).await?;
        }
        Ok(listed)
    })
}

#[cfg(not(feature = "aws"))]
fn cloud(
    _name: &str,
    _region: Option<&str>,
    _names: &[String],
    _how: Deletion,
) -> Result<Vec<String>> {
    Err(crate::aws_support::unavailable(
        "delete cluster (it finds and deletes the cluster's AWS resources)",
        "--offline deletes only the spec",
    ))
}

#[cfg(test)]
mod tests {
    use super::record_names;
    use kops6_api::{parse_documents, ClusterSpecSet};

    fn set(spec: &str) -> ClusterSpecSet {
        let yaml = format!(
            "apiVersion: kops.k8s.io/v1alpha2\nkind: Cluster\nmetadata:\n  name: c.example.com\nspec:\n{spec}"
        );
        let docs = parse_documents(&yaml).expect("the test's YAML parses");
        ClusterSpecSet::from_documents(docs).expect("one cluster, no groups")
    }

    #[test]
    fn records_outside_api_c_come_from_the_spec() {
        let both = set(concat!(
            "  api:\n    publicName: k8s.example.org\n",
            "  topology:\n    bastion:\n      bastionPublicName: jump.example.org\n",
        ));
        assert_eq!(record_names(&both), ["k8s.example.org", "jump.example.org"]);
    }

    #[test]
    fn a_spec_without_public_names_adds_no_record() {
        assert!(record_names(&set("  kubernetesVersion: 1.30.0\n")).is_empty());
        let bastion_only = set("  topology:\n    bastion: {}\n");
        assert!(record_names(&bastion_only).is_empty());
    }
}
