//! What a real cluster needs in the state store before its instances boot (SPEC 8): the PKI and
//! the join token, made once and never remade; the workers' discovery kubeconfig; the API's
//! name; the addon manifests. `update cluster --yes` (and `--target terraform` with an `s3://`
//! store) calls [`publish`] once the load balancer's DNS name is known, and hands each group's
//! user data to the launch templates. Only what changed is written, so a second run makes no
//! mutating call.

use std::collections::BTreeMap;

use anyhow::{bail, Context, Result};
use kops6_api::complete::Completed;
use kops6_bootstrap::facts::Role;
use kops6_bootstrap::permissions::state_store_reads;
use kops6_bootstrap::{ApiEndpoint, Bootstrap, Inputs, StateStoreLocation};
use kops6_model::StateStoreAccess;
use kops6_pki::{paths, BootstrapToken, ClusterPki, PkiKeys};
use kops6_state::StateStore;

/// What each role may read in an `s3://` state store: exactly what its instances read at boot
/// (`kops6_bootstrap::permissions`), under the cluster's directory in the bucket. `None` for
/// a store instances cannot read.
pub fn state_store_access(url: &str, cluster: &str) -> Option<StateStoreAccess> {
    let StateStoreLocation::S3 { bucket, prefix, .. } =
        StateStoreLocation::from_url(url, cluster, "")
    else {
        return None;
    };
    let under = |role: Role| -> Vec<String> {
        state_store_reads(role)
            .into_iter()
            .map(|k| format!("{prefix}/{k}"))
            .collect()
    };
    Some(StateStoreAccess {
        bucket,
        control_plane_read: under(Role::ControlPlane {
            may_initialize: false,
        }),
        node_read: under(Role::Node),
    })
}

/// Renders the bootstrap without touching the store (plans, `--offline`): the user data does
/// not depend on the PKI, only on the API name and where the store is.
pub fn render(
    store_url: &str,
    completed: &Completed,
    api: &ApiEndpoint,
    region: &str,
) -> Result<Bootstrap> {
    let name = completed.cluster.metadata.name.as_str();
    let inputs = Inputs {
        api: api.clone(),
        state_store: StateStoreLocation::from_url(store_url, name, region),
    };
    Ok(kops6_bootstrap::render(completed, &inputs)?)
}

/// Renders each group's user data as a Terraform template that fills in the API load
/// balancer's DNS name at apply time (no DNS zone: `kops6_bootstrap::template`). Writes nothing.
pub fn render_template(store_url: &str, completed: &Completed, region: &str) -> Result<Bootstrap> {
    let name = completed.cluster.metadata.name.as_str();
    let location = StateStoreLocation::from_url(store_url, name, region);
    Ok(kops6_bootstrap::template::render(
        completed, location, region,
    )?)
}

/// Each group's user data, for `ClusterInputs.user_data`.
pub fn user_data(bootstrap: &Bootstrap) -> BTreeMap<String, String> {
    bootstrap
        .groups
        .iter()
        .map(|g| (g.instance_group.clone(), g.user_data.clone()))
        .collect()
}

/// Writes `data` under `key` unless it is already there: reads are free of side effects, and
/// an unchanged cluster must not rewrite its store.
// The offline build cannot open an s3:// store, so it never publishes.
#[cfg_attr(not(feature = "aws"), allow(dead_code))]
fn write_if_changed(store: &dyn StateStore, key: &str, data: &[u8]) -> Result<()> {
    if store.read(key)?.as_deref() != Some(data) {
        store.write(key, data)?;
    }
    Ok(())
}

/// Reads the cluster's PKI, or makes it when the cluster has none at all. A PKI with some files
/// missing is an error naming them: a running cluster's CA is never silently regenerated.
// The offline build cannot open an s3:// store, so it never publishes.
#[cfg_attr(not(feature = "aws"), allow(dead_code))]
pub fn load_or_create_pki(store: &dyn StateStore, cluster: &str) -> Result<ClusterPki> {
    let key = |p: &str| format!("{cluster}/{p}");
    let expected = [
        paths::ca_certificate(kops6_pki::CaKind::Cluster),
        paths::ca_key(kops6_pki::CaKind::Cluster),
        paths::ca_certificate(kops6_pki::CaKind::FrontProxy),
        paths::ca_key(kops6_pki::CaKind::FrontProxy),
        paths::ca_certificate(kops6_pki::CaKind::Etcd),
        paths::ca_key(kops6_pki::CaKind::Etcd),
        paths::SERVICE_ACCOUNT_PUBLIC.to_string(),
        paths::SERVICE_ACCOUNT_KEY.to_string(),
    ];
    let mut present = Vec::new();
    let mut missing = Vec::new();
    for p in &expected {
        match store.read(&key(p))? {
            Some(data) => present.push((p.clone(), data)),
            None => missing.push(p.clone()),
        }
    }
    if present.is_empty() {
        let pki = ClusterPki::create(&PkiKeys::generate()?, time::OffsetDateTime::now_utc())?;
        for (p, data) in pki.files()? {
            store.write(&key(&p), &data)?;
        }
        return Ok(pki);
    }
    if !missing.is_empty() {
        bail!(
            "the PKI of cluster {cluster:?} in the state store is incomplete (missing {}); \
             restore it from a backup: kops6 never makes a new CA for a cluster that has one",
            missing.join(", ")
        );
    }
    let read = |p: &str| present.iter().find(|(k, _)| k == p).map(|(_, d)| d.clone());
    ClusterPki::from_files(read)
        .with_context(|| format!("the PKI of cluster {cluster:?} in the state store is unusable"))
}

/// The join token, made once and kept; a stored one that kubeadm would refuse is an error.
// The offline build cannot open an s3:// store, so it never publishes.
#[cfg_attr(not(feature = "aws"), allow(dead_code))]
pub fn load_or_create_token(store: &dyn StateStore, cluster: &str) -> Result<BootstrapToken> {
    let key = format!("{cluster}/{}", paths::BOOTSTRAP_TOKEN);
    match store.read(&key)? {
        Some(data) => BootstrapToken::parse(&String::from_utf8_lossy(&data))
            .with_context(|| format!("{key} in the state store")),
        None => {
            let token = BootstrapToken::generate()?;
            store.write(&key, token.secret().as_bytes())?;
            Ok(token)
        }
    }
}

/// Makes (once) and writes everything the instances read at boot, and renders their user data.
// The offline build cannot open an s3:// store, so it never publishes.
#[cfg_attr(not(feature = "aws"), allow(dead_code))]
pub fn publish(
    store: &dyn StateStore,
    completed: &Completed,
    api: &ApiEndpoint,
    region: &str,
) -> Result<Bootstrap> {
    // Render first: a spec kops6 cannot bootstrap writes nothing.
    let bootstrap = render(&store.url(), completed, api, region)?;
    write_boot_objects(store, completed, &bootstrap, Some(api))?;
    Ok(bootstrap)
}

/// As [`publish`], for Terraform that fills in the API load balancer's DNS name (no DNS
/// zone): the user data are templates, and `load_balancer` is the name when AWS already has
/// the load balancer (a later run), recorded then as for `--yes`.
#[cfg_attr(not(feature = "aws"), allow(dead_code))]
pub fn publish_template(
    store: &dyn StateStore,
    completed: &Completed,
    load_balancer: Option<&str>,
    region: &str,
) -> Result<Bootstrap> {
    let bootstrap = render_template(&store.url(), completed, region)?;
    let api = load_balancer
        .map(|lb| kops6_bootstrap::store::api_endpoint(&completed.cluster, Some(lb)))
        .transpose()?;
    write_boot_objects(store, completed, &bootstrap, api.as_ref())?;
    Ok(bootstrap)
}

/// The PKI and token (made once), the discovery kubeconfig, the load balancer's name when
/// known, the addons. Without `api` the discovery kubeconfig names a stand-in server, which
/// the prelude replaces with the API name of the instance's user data.
#[cfg_attr(not(feature = "aws"), allow(dead_code))]
fn write_boot_objects(
    store: &dyn StateStore,
    completed: &Completed,
    bootstrap: &Bootstrap,
    api: Option<&ApiEndpoint>,
) -> Result<()> {
    let name = completed.cluster.metadata.name.as_str();
    let stand_in = kops6_bootstrap::template::stand_in_endpoint();
    let pki = load_or_create_pki(store, name)?;
    let token = load_or_create_token(store, name)?;
    let kubeconfig = kops6_bootstrap::store::node_bootstrap_kubeconfig(
        name,
        api.unwrap_or(&stand_in),
        pki.cluster_ca.cert_pem(),
        token.secret(),
    )?;
    write_if_changed(
        store,
        &format!("{name}/{}", paths::BOOTSTRAP_KUBECONFIG),
        kubeconfig.as_bytes(),
    )?;
    if let Some(lb) = api.and_then(|a| a.load_balancer.as_ref()) {
        write_if_changed(
            store,
            &format!("{name}/{}", kops6_bootstrap::store::API_ENDPOINT),
            lb.as_bytes(),
        )?;
    }
    for a in &bootstrap.addons {
        write_if_changed(store, &format!("{name}/{}", a.path), a.yaml.as_bytes())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(dir: &std::path::Path) -> Box<dyn StateStore> {
        kops6_state::open(&format!("file://{}", dir.display())).unwrap()
    }

    fn completed() -> Completed {
        let new = kops6_api::new_cluster::new_cluster(&kops6_api::new_cluster::NewClusterOptions {
            name: "v6.example.org".into(),
            zones: vec!["us-east-1a".into()],
            ipv6: true,
            networking: Some("cilium".into()),
            kubernetes_version: Some("v1.35.0".into()),
            ..Default::default()
        })
        .unwrap();
        kops6_api::ClusterSpecSet::new(new.cluster, new.instance_groups)
            .unwrap()
            .check(&Default::default())
            .unwrap()
    }

    fn api() -> ApiEndpoint {
        ApiEndpoint {
            name: "lb.example".into(),
            load_balancer: Some("lb.example".into()),
        }
    }

    #[test]
    fn publish_makes_the_pki_once_and_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path());
        publish(s.as_ref(), &completed(), &api(), "us-east-1").unwrap();
        let ca = s
            .read("v6.example.org/pki/issued/kubernetes-ca/ca.crt")
            .unwrap()
            .unwrap();
        let token = s
            .read("v6.example.org/pki/private/node-bootstrap/token")
            .unwrap()
            .unwrap();
        let b = publish(s.as_ref(), &completed(), &api(), "us-east-1").unwrap();
        assert_eq!(
            s.read("v6.example.org/pki/issued/kubernetes-ca/ca.crt")
                .unwrap()
                .unwrap(),
            ca
        );
        assert_eq!(
            s.read("v6.example.org/pki/private/node-bootstrap/token")
                .unwrap()
                .unwrap(),
            token
        );
        for a in &b.addons {
            assert!(
                s.read(&format!("v6.example.org/{}", a.path))
                    .unwrap()
                    .is_some(),
                "{}",
                a.path
            );
        }
        let kc = String::from_utf8(
            s.read("v6.example.org/pki/private/node-bootstrap/kubeconfig")
                .unwrap()
                .unwrap(),
        )
        .unwrap();
        assert!(kc.contains(&String::from_utf8(token).unwrap()));
        assert_eq!(
            s.read("v6.example.org/bootstrap/api-endpoint")
                .unwrap()
                .unwrap(),
            b"lb.example"
        );
    }

    #[test]
    fn publish_template_names_a_stand_in_server_until_the_load_balancer_is_known() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path());
        let read = |k: &str| {
            s.read(&format!("v6.example.org/{k}"))
                .unwrap()
                .map(|b| String::from_utf8(b).unwrap())
        };
        let b = publish_template(s.as_ref(), &completed(), None, "us-east-1").unwrap();
        assert!(b
            .groups
            .iter()
            .all(|g| g.user_data.contains("KOPS6_API='${api_lb_dns_name}:443'")));
        let kubeconfig = read("pki/private/node-bootstrap/kubeconfig").unwrap();
        assert!(
            kubeconfig.contains("server: https://api-load-balancer.kops6.invalid:443"),
            "{kubeconfig}"
        );
        assert_eq!(read("bootstrap/api-endpoint"), None);
        let token = read("pki/private/node-bootstrap/token").unwrap();
        publish_template(s.as_ref(), &completed(), Some("lb.example"), "us-east-1").unwrap();
        assert_eq!(
            read("bootstrap/api-endpoint").as_deref(),
            Some("lb.example")
        );
        assert!(read("pki/private/node-bootstrap/kubeconfig")
            .unwrap()
            .contains("server: https://lb.example:443"));
        assert_eq!(
            read("pki/private/node-bootstrap/token"),
            Some(token),
            "kept"
        );
    }

    #[test]
    fn the_model_and_the_bootstrap_name_the_template_variable_alike() {
        assert_eq!(
            kops6_model::USER_DATA_API_LB_VARIABLE,
            kops6_bootstrap::template::API_LB_VARIABLE
        );
    }

    #[test]
    fn a_partly_missing_pki_is_an_error_and_nothing_is_regenerated() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path());
        load_or_create_pki(s.as_ref(), "c").unwrap();
        s.delete("c/pki/private/etcd-ca/ca.key").unwrap();
        let err = format!("{:#}", load_or_create_pki(s.as_ref(), "c").unwrap_err());
        assert!(err.contains("missing pki/private/etcd-ca/ca.key"), "{err}");
        assert!(s.read("c/pki/private/etcd-ca/ca.key").unwrap().is_none());
    }

    #[test]
    fn roles_read_exactly_their_boot_paths_under_the_cluster_directory() {
        let a = state_store_access("s3://bucket/clusters", "c.example").unwrap();
        assert_eq!(a.bucket, "bucket");
        assert_eq!(
            a.control_plane_read,
            ["clusters/c.example/pki/", "clusters/c.example/addons/"]
        );
        assert_eq!(
            a.node_read,
            ["clusters/c.example/pki/private/node-bootstrap/kubeconfig"]
        );
        assert_eq!(
            state_store_access("s3://bucket", "c").unwrap().node_read,
            ["c/pki/private/node-bootstrap/kubeconfig"]
        );
        assert!(state_store_access("file:///tmp/s", "c").is_none());
    }

    #[test]
    fn a_second_publish_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path());
        publish(s.as_ref(), &completed(), &api(), "us-east-1").unwrap();
        let before: Vec<_> = walk(dir.path());
        std::thread::sleep(std::time::Duration::from_millis(20));
        publish(s.as_ref(), &completed(), &api(), "us-east-1").unwrap();
        assert_eq!(
            walk(dir.path()),
            before,
            "an unchanged publish rewrote a file"
        );
    }

    /// Every file under `dir` with its modification time.
    fn walk(dir: &std::path::Path) -> Vec<(std::path::PathBuf, std::time::SystemTime)> {
        let mut out = Vec::new();
        let mut todo = vec![dir.to_path_buf()];
        while let Some(d) = todo.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let e = e.unwrap();
                let m = e.metadata().unwrap();
                if m.is_dir() {
                    todo.push(e.path());
                } else {
                    out.push((e.path(), m.modified().unwrap()));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn a_corrupt_token_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path());
        s.write("c/pki/private/node-bootstrap/token", b"not-a-token")
            .unwrap();
        assert!(load_or_create_token(s.as_ref(), "c").is_err());
    }
}
