//! The cluster's admin SSH public key, kept in the state store as kOps keeps it
//! (`<C>/pki/ssh/public/admin/<id>`): `create cluster --ssh-public-key FILE`,
//! `create sshpublickey CLUSTER -i FILE`, `get sshpublickeys CLUSTER`,
//! `delete sshpublickey CLUSTER`. The model turns it into the key pair
//! `kubernetes.<C>-<fingerprint>`.

use std::path::Path;

use anyhow::{anyhow, Context, Result};
use kops6_model::SshPublicKey;
use kops6_state::{ClusterFiles, StateStore};

use super::print_table;
use crate::cli::SpecFormat;
use crate::store;

/// Reads and checks a `.pub` file; errors name the flag and the file.
pub fn read_key_file(path: &Path, flag: &str) -> Result<SshPublicKey> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{flag} {}: cannot read the file", path.display()))?;
    SshPublicKey::parse(&text).map_err(|e| anyhow!("{flag} {}: {e}", path.display()))
}

/// Makes `key` the cluster's admin key.
pub fn save(store: &dyn StateStore, cluster: &str, key: &SshPublicKey) -> Result<()> {
    ClusterFiles::new(store)
        .replace_ssh_public_key(
            cluster,
            &key.id(),
            format!("{}\n", key.openssh()).as_bytes(),
        )
        .with_context(|| format!("saving the SSH public key of cluster {cluster:?}"))
}

/// The cluster's admin key, if one was given.
pub fn load(store: &dyn StateStore, cluster: &str) -> Result<Option<SshPublicKey>> {
    let keys = ClusterFiles::new(store).read_ssh_public_keys(cluster)?;
    let Some((id, bytes)) = keys.into_iter().next() else {
        return Ok(None);
    };
    let text = String::from_utf8_lossy(&bytes);
    SshPublicKey::parse(&text)
        .map(Some)
        .map_err(|e| anyhow!("the stored SSH public key {id} of cluster {cluster:?} {e}"))
}

pub fn create(state: Option<&str>, cluster: &str, file: &Path) -> Result<()> {
    let key = read_key_file(file, "-i/--ssh-public-key")?;
    let store = store::open(state)?;
    store::load(store.as_ref(), cluster)?;
    save(store.as_ref(), cluster, &key)?;
    println!(
        "Saved SSH public key {} for cluster {cluster:?}; `kops6 update cluster {cluster}` makes key pair {}",
        key.fingerprint(),
        key.key_pair_name(cluster)
    );
    Ok(())
}

pub fn get(state: Option<&str>, cluster: &str, output: Option<SpecFormat>) -> Result<()> {
    let store = store::open(state)?;
    store::load(store.as_ref(), cluster)?;
    let key = load(store.as_ref(), cluster)?;
    if output.is_some() {
        let items: Vec<serde_json::Value> = key
            .iter()
            .map(|k| {
                serde_json::json!({
                    "id": k.id(),
                    "fingerprint": k.fingerprint(),
                    "keyPair": k.key_pair_name(cluster),
                    "publicKey": k.openssh(),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&items)?);
        return Ok(());
    }
    match key {
        None => println!("No SSH public key for cluster {cluster:?}"),
        Some(k) => print_table(
            &["ID", "FINGERPRINT", "KEY PAIR"],
            std::iter::once(vec![k.id(), k.fingerprint(), k.key_pair_name(cluster)]),
        ),
    }
    Ok(())
}

pub fn delete(state: Option<&str>, cluster: &str) -> Result<()> {
    let store = store::open(state)?;
    store::load(store.as_ref(), cluster)?;
    let ids = ClusterFiles::new(store.as_ref()).delete_ssh_public_keys(cluster)?;
    if ids.is_empty() {
        println!("No SSH public key for cluster {cluster:?}");
    } else {
        println!(
            "Deleted SSH public key {} of cluster {cluster:?}; the next update removes its key pair",
            ids.join(", ")
        );
    }
    Ok(())
}
