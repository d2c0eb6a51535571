//! `replace -f FILE`.

use anyhow::{anyhow, bail, Result};
use kops6_api::ClusterSpecSet;

use super::{checked, reviewed};
use crate::cli::ReplaceArgs;
use crate::store;

pub fn run(state: Option<&str>, args: ReplaceArgs) -> Result<()> {
    let docs = store::read_input(&args.filename)?;
    let mut set = ClusterSpecSet::from_documents(docs).map_err(|e| {
        anyhow!(
            "{} does not hold one cluster:\n{e}",
            args.filename.display()
        )
    })?;
    checked(&set)?;
    reviewed(&set)?;
    let store = store::open(state)?;
    let existing = store::try_load(store.as_ref(), set.name())?;
    match existing {
        None if !args.force => bail!(
            "cluster {:?} does not exist in {}; use `kops6 create -f` (or replace --force)",
            set.name(),
            store.url()
        ),
        None => {}
        Some(old) => keep_creation_times(&mut set, &old),
    }
    store::stamp_creation(&mut set);
    store::save(store.as_ref(), &set, false)?;
    println!("Replaced cluster {:?} in {}", set.name(), store.url());
    Ok(())
}

/// A replaced object keeps the creation time it had.
fn keep_creation_times(set: &mut ClusterSpecSet, old: &ClusterSpecSet) {
    if set.cluster.metadata.creation_timestamp.is_none() {
        set.cluster.metadata.creation_timestamp = old.cluster.metadata.creation_timestamp.clone();
    }
    for g in &mut set.instance_groups {
        if g.metadata.creation_timestamp.is_some() {
            continue;
        }
        if let Some(o) = old
            .instance_groups
            .iter()
            .find(|o| o.metadata.name == g.metadata.name)
        {
            g.metadata.creation_timestamp = o.metadata.creation_timestamp.clone();
        }
    }
}
