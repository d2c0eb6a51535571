//! `get clusters [NAME]` and `get instancegroups --name NAME`.

use std::collections::BTreeSet;

use anyhow::Result;
use kops6_api::complete::complete;
use kops6_api::yaml::Document;
use kops6_api::ClusterSpecSet;
use kops6_state::ClusterFiles;

use super::{print_documents, print_table};
use crate::cli::{GetArgs, GetClustersArgs, GetInstanceGroupsArgs, GetWhat, SpecFormat};
use crate::store;

pub fn run(state: Option<&str>, args: GetArgs) -> Result<()> {
    match args.what {
        GetWhat::Clusters(a) => clusters(state, a),
        GetWhat::Instancegroups(a) => instance_groups(state, a),
    }
}

fn clusters(state: Option<&str>, args: GetClustersArgs) -> Result<()> {
    let store = store::open(state)?;
    let names = match &args.name {
        Some(n) => vec![n.clone()],
        None => ClusterFiles::new(store.as_ref()).clusters()?,
    };
    let mut sets = Vec::new();
    for name in &names {
        sets.push(store::load(store.as_ref(), name)?);
    }
    let docs: Vec<Document> = sets
        .iter()
        .map(|set| {
            let cluster = if args.full {
                complete(&set.cluster, &set.instance_groups).cluster
            } else {
                set.cluster.clone()
            };
            Document::Cluster(Box::new(cluster))
        })
        .collect();
    // A table has no room for a full spec: `--full` alone prints it as YAML (kOps prints its
    // table and drops the full spec).
    let format = args.output.or(args.full.then_some(SpecFormat::Yaml));
    if let Some(format) = format {
        return print_documents(&docs, format);
    }
    if sets.is_empty() {
        println!("No clusters in {}", store.url());
        return Ok(());
    }
    let rows = sets.iter().map(|s| {
        vec![
            s.name().to_string(),
            s.cluster
                .spec
                .cloud_provider
                .map_or("-".into(), |c| c.as_str().to_string()),
            zones(s).join(","),
        ]
    });
    print_table(&["NAME", "CLOUD", "ZONES"], rows);
    Ok(())
}

fn zones(set: &ClusterSpecSet) -> Vec<String> {
    let zones: BTreeSet<_> = set
        .cluster
        .spec
        .subnets
        .iter()
        .map(|s| s.zone.clone())
        .collect();
    zones.into_iter().collect()
}

fn instance_groups(state: Option<&str>, args: GetInstanceGroupsArgs) -> Result<()> {
    let store = store::open(state)?;
    let set = store::load(store.as_ref(), &args.name)?;
    if let Some(format) = args.output {
        let docs: Vec<_> = set
            .instance_groups
            .iter()
            .map(|g| Document::InstanceGroup(Box::new(g.clone())))
            .collect();
        return print_documents(&docs, format);
    }
    let completed = complete(&set.cluster, &set.instance_groups);
    let rows = completed.instance_groups.iter().map(|g| {
        let group_zones: BTreeSet<_> = g
            .spec
            .subnets
            .iter()
            .filter_map(|n| set.cluster.spec.subnets.iter().find(|s| &s.name == n))
            .map(|s| s.zone.clone())
            .collect();
        let num = |n: Option<u32>| n.map_or("-".into(), |n| n.to_string());
        vec![
            g.metadata.name.clone(),
            format!("{:?}", g.spec.role),
            g.spec.machine_type.clone().unwrap_or_default(),
            num(g.spec.min_size),
            num(g.spec.max_size),
            group_zones.into_iter().collect::<Vec<_>>().join(","),
        ]
    });
    print_table(
        &["NAME", "ROLE", "MACHINETYPE", "MIN", "MAX", "ZONES"],
        rows,
    );
    Ok(())
}
