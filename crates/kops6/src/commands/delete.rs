//! `delete cluster NAME [--yes]`: the spec only, for now.

use anyhow::Result;
use kops6_state::ClusterFiles;

use crate::cli::{DeleteArgs, DeleteWhat};
use crate::store;

pub fn run(state: Option<&str>, args: DeleteArgs) -> Result<()> {
    let DeleteWhat::Cluster { name, yes } = args.what;
    let store = store::open(state)?;
    let files = ClusterFiles::new(store.as_ref());
    let keys = files.keys_of(&name)?;
    if keys.is_empty() {
        println!(
            "Cluster {name:?} is not in {}: nothing to delete.",
            store.url()
        );
        return Ok(());
    }
    if !yes {
        println!("Would delete from {}:", store.url());
        for k in &keys {
            println!("  {k}");
        }
        println!("Run with --yes to delete.");
        return Ok(());
    }
    files.delete_cluster(&name)?;
    println!(
        "Deleted cluster {name:?} ({} files) from {}",
        keys.len(),
        store.url()
    );
    Ok(())
}
