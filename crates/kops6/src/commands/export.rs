//! `export kubeconfig NAME --admin[=DURATION] [--kubeconfig FILE]`: a client certificate from
//! the cluster CA in the state store, merged into a kubeconfig file like kubectl merges.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use kops6_bootstrap::kubeconfig::{merge, server_url, Credentials, Kubeconfig};
use kops6_pki::{paths, Ca, CaKind, Leaf, Validity, ADMIN_GROUP};
use kops6_state::StateStore;

use crate::cli::{ExportArgs, ExportKubeconfigArgs, ExportWhat};
use crate::store;

/// The user kops6's admin certificates name (group system:masters).
pub const ADMIN_USER: &str = "kops6-admin";

pub fn run(state: Option<&str>, args: ExportArgs) -> Result<()> {
    match args.what {
        ExportWhat::Kubeconfig(a) => kubeconfig(state, a),
    }
}

fn read_text(store: &dyn StateStore, key: &str) -> Result<Option<String>> {
    store
        .read(key)?
        .map(|b| {
            String::from_utf8(b).with_context(|| format!("{key} in the state store is not UTF-8"))
        })
        .transpose()
}

/// The cluster CA as the state store holds it. Missing means the cluster was never applied;
/// a corrupt one is an error (never replaced by a new CA).
fn cluster_ca(store: &dyn StateStore, name: &str) -> Result<Ca> {
    let cert_key = format!("{name}/{}", paths::ca_certificate(CaKind::Cluster));
    let key_key = format!("{name}/{}", paths::ca_key(CaKind::Cluster));
    match (read_text(store, &cert_key)?, read_text(store, &key_key)?) {
        (Some(cert), Some(key)) => Ca::load(CaKind::Cluster, &cert, &key)
            .with_context(|| format!("the cluster CA of {name:?} in the state store is unusable")),
        (None, None) => bail!(
            "cluster {name:?} has no CA in the state store {}: it has never been applied \
             (kops6 update cluster {name} --yes)",
            store.url()
        ),
        (None, Some(_)) => bail!("{cert_key} is missing from the state store, but its key is there: the cluster's PKI is damaged (restore it from a backup; kops6 never makes a new CA for an existing cluster)"),
        (Some(_), None) => bail!("{key_key} is missing from the state store, but its certificate is there: the cluster's PKI is damaged (restore it from a backup; kops6 never makes a new CA for an existing cluster)"),
    }
}

pub fn target_file(explicit: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(p) = explicit {
        return Ok(p);
    }
    if let Some(list) = std::env::var_os("KUBECONFIG").filter(|v| !v.is_empty()) {
        if let Some(first) = std::env::split_paths(&list).next() {
            return Ok(first);
        }
    }
    let home = std::env::var_os("HOME")
        .ok_or_else(|| anyhow!("$HOME is not set; use --kubeconfig FILE"))?;
    Ok(Path::new(&home).join(".kube").join("config"))
}

fn kubeconfig(state: Option<&str>, args: ExportKubeconfigArgs) -> Result<()> {
    let Some(lifetime) = args.admin else {
        bail!("kops6 issues admin credentials only: use --admin (18h) or --admin=DURATION");
    };
    let store = store::open(state)?;
    let set = store::load(store.as_ref(), &args.name)?;
    let name = set.name().to_string();
    let ca = cluster_ca(store.as_ref(), &name)?;
    let lb = match read_text(
        store.as_ref(),
        &format!("{name}/{}", kops6_bootstrap::store::API_ENDPOINT),
    )? {
        Some(lb) => Some(lb),
        // No DNS zone and nothing recorded: Terraform made the load balancer after kops6
        // last ran, so AWS is asked for its name.
        None if kops6_bootstrap::store::api_endpoint(&set.cluster, None).is_err() => {
            Some(load_balancer_from_aws(&set)?)
        }
        None => None,
    };
    let api = kops6_bootstrap::store::api_endpoint(&set.cluster, lb.as_deref())?;
    let lifetime =
        time::Duration::try_from(*lifetime.as_ref()).context("--admin duration is too long")?;
    let validity = Validity::starting(time::OffsetDateTime::now_utc(), lifetime);
    let key = kops6_pki::generate_key()?;
    let cert = ca.sign(&Leaf::client(ADMIN_USER, &[ADMIN_GROUP]), &key, validity)?;
    let new = Kubeconfig {
        name: name.clone(),
        server: server_url(&api),
        ca_pem: ca.cert_pem().into(),
        user: Credentials::ClientCertificate {
            cert_pem: cert,
            key_pem: key,
        },
    };
    let file = target_file(args.kubeconfig)?;
    let existing = match std::fs::read_to_string(&file) {
        Ok(text) if text.trim().is_empty() => None,
        Ok(text) => Some(
            serde_saphyr::from_str::<serde_json::Value>(&text)
                .with_context(|| format!("{} is not a kubeconfig", file.display()))?,
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("reading {}", file.display())),
    };
    let merged = merge(existing, &new)?;
    write_private(&file, &serde_saphyr::to_string(&merged)?)?;
    println!(
        "Wrote an admin kubeconfig for {name} to {} (context {name}, server {}, valid until {}).",
        file.display(),
        new.server,
        validity
            .not_after
            .replace_nanosecond(0)
            .unwrap_or(validity.not_after)
    );
    Ok(())
}

/// The API load balancer's DNS name, asked of AWS, for a cluster without a DNS zone whose
/// name the state store does not record.
#[cfg(feature = "aws")]
fn load_balancer_from_aws(set: &kops6_api::ClusterSpecSet) -> Result<String> {
    let name = set.name();
    let completed = super::checked(set)?;
    let graph = kops6_model::build_cluster(
        &completed.cluster,
        &completed.instance_groups,
        &Default::default(),
    )
    .with_context(|| format!("building cluster {name:?}"))?;
    let Some(lb) = super::update::api_load_balancer(&graph) else {
        bail!("cluster {name:?} has neither a DNS zone nor an API load balancer");
    };
    let why = format!(
        "cluster {name:?} has no DNS zone, so its API name is the DNS name of load balancer \
         {lb}, which the state store does not record"
    );
    let rt = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    let aws = rt.block_on(kops6_aws::Aws::connect(Some(&graph.region)));
    match rt.block_on(kops6_aws::queries::load_balancer_dns_name(&aws, &lb)) {
        Ok(Some(dns)) => Ok(dns),
        Ok(None) => bail!(
            "{why}, and AWS has no such load balancer: the cluster has not been applied \
             (terraform apply, or kops6 update cluster {name} --yes)"
        ),
        Err(e) => Err(anyhow!(e)).context(format!("{why}, and AWS could not be asked")),
    }
}

#[cfg(not(feature = "aws"))]
fn load_balancer_from_aws(set: &kops6_api::ClusterSpecSet) -> Result<String> {
    Err(crate::aws_support::unavailable(
        &format!(
            "export kubeconfig for cluster {:?} (no DNS zone, so its API name is the load \
             balancer's DNS name, which the state store does not record)",
            set.name()
        ),
        "run `kops6 update cluster` with AWS reachable once to record it",
    ))
}

/// Atomically, readable by the owner only: the file holds a private key.
fn write_private(file: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.as_file()
        .set_permissions(std::fs::Permissions::from_mode(0o600))?;
    tmp.write_all(text.as_bytes())?;
    tmp.persist(file)
        .map_err(|e| e.error)
        .with_context(|| format!("writing {}", file.display()))?;
    Ok(())
}
