//! Reading and writing whole cluster spec sets in the state store.

use anyhow::{anyhow, bail, Context, Result};
use kops6_api::yaml::{parse_documents, write_documents, Document, Format};
use kops6_api::ClusterSpecSet;
use kops6_state::{ClusterFiles, StateStore};

/// The store named by `--state` / `KOPS_STATE_STORE`, else `file://$HOME/.kops6`.
pub fn open(state: Option<&str>) -> Result<Box<dyn StateStore>> {
    let url = match state {
        Some(url) => url.to_string(),
        None => {
            let home = std::env::var_os("HOME")
                .ok_or_else(|| anyhow!("no --state given and $HOME is not set"))?;
            format!("file://{}/.kops6", std::path::Path::new(&home).display())
        }
    };
    match kops6_state::StoreUrl::parse(&url)? {
        kops6_state::StoreUrl::S3 { bucket, prefix } => open_s3(&bucket, &prefix),
        kops6_state::StoreUrl::File(_) => Ok(kops6_state::open(&url)?),
    }
}

#[cfg(feature = "aws")]
fn open_s3(bucket: &str, prefix: &str) -> Result<Box<dyn StateStore>> {
    Ok(Box::new(kops6_aws::s3_store::S3Store::open(
        bucket, prefix,
    )?))
}

#[cfg(not(feature = "aws"))]
fn open_s3(bucket: &str, _prefix: &str) -> Result<Box<dyn StateStore>> {
    Err(crate::aws_support::unavailable(
        &format!("the state store s3://{bucket}"),
        "use a file:// store (--state file:///path)",
    ))
}

/// Loads a cluster and its groups; an error if it does not exist.
pub fn load(store: &dyn StateStore, name: &str) -> Result<ClusterSpecSet> {
    try_load(store, name)?
        .ok_or_else(|| anyhow!("cluster {name:?} not found in state store {}", store.url()))
}

/// Loads a cluster and its groups, if the cluster exists.
pub fn try_load(store: &dyn StateStore, name: &str) -> Result<Option<ClusterSpecSet>> {
    let files = ClusterFiles::new(store);
    let Some(config) = files.read_cluster(name)? else {
        return Ok(None);
    };
    let mut docs = parse_stored(name, "config", &config)?;
    for (group, data) in files.read_instance_groups(name)? {
        docs.extend(parse_stored(
            name,
            &format!("instancegroup/{group}"),
            &data,
        )?);
    }
    let set = ClusterSpecSet::from_documents(docs)
        .map_err(|e| anyhow!("the stored spec of {name:?} is inconsistent:\n{e}"))?;
    Ok(Some(set))
}

fn parse_stored(cluster: &str, key: &str, data: &[u8]) -> Result<Vec<Document>> {
    let text = std::str::from_utf8(data)
        .with_context(|| format!("{cluster}/{key} in the state store is not UTF-8"))?;
    parse_documents(text).with_context(|| format!("reading {cluster}/{key} from the state store"))
}

/// Writes the cluster's files. With `must_be_new`, an existing cluster is an error.
pub fn save(store: &dyn StateStore, set: &ClusterSpecSet, must_be_new: bool) -> Result<()> {
    let files = ClusterFiles::new(store);
    let name = set.name();
    if must_be_new && files.read_cluster(name)?.is_some() {
        bail!(
            "cluster {name:?} already exists in {}; use `kops6 replace -f` or `kops6 edit cluster {name}`",
            store.url()
        );
    }
    let config = yaml_of(&Document::Cluster(Box::new(set.cluster.clone())))?;
    let groups = set
        .instance_groups
        .iter()
        .map(|g| {
            let text = yaml_of(&Document::InstanceGroup(Box::new(g.clone())))?;
            Ok((g.metadata.name.clone(), text.into_bytes()))
        })
        .collect::<Result<Vec<_>>>()?;
    files.write_cluster(name, config.as_bytes(), &groups)?;
    Ok(())
}

fn yaml_of(doc: &Document) -> Result<String> {
    Ok(write_documents(std::slice::from_ref(doc), Format::Yaml)?)
}

/// Now, as kOps writes `creationTimestamp` (RFC 3339, whole seconds, UTC).
pub fn timestamp_now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

/// Sets `creationTimestamp` on every object that has none.
pub fn stamp_creation(set: &mut ClusterSpecSet) {
    let now = timestamp_now();
    set.cluster
        .metadata
        .creation_timestamp
        .get_or_insert_with(|| now.clone());
    for g in &mut set.instance_groups {
        g.metadata
            .creation_timestamp
            .get_or_insert_with(|| now.clone());
    }
}

/// Reads a file of documents (`-` is standard input).
pub fn read_input(path: &std::path::Path) -> Result<Vec<Document>> {
    let text = if path.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin()).context("reading standard input")?
    } else {
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?
    };
    parse_documents(&text).with_context(|| format!("in {}", path.display()))
}
